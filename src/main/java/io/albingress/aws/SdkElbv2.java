package io.albingress.aws;

import io.albingress.deploy.ActualListener;
import io.albingress.deploy.ActualLoadBalancer;
import io.albingress.deploy.ActualRule;
import io.albingress.deploy.ActualTargetGroup;
import io.albingress.deploy.AwsFailure;
import io.albingress.deploy.Elbv2;
import io.albingress.model.Listener;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Target;
import io.albingress.model.TargetGroup;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import io.albingress.annotations.Protocol;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The {@link Elbv2} port over the SDK's async client: every ELBv2 call of the controller is here.
 * Paged describes (400 a page), DescribeTags in batches of 20 ARNs, target (de)registration in
 * batches of 500; Create* calls go through the client that never retries. Failures are classified
 * by {@link AwsErrors}.
 */
public final class SdkElbv2 implements Elbv2 {
  static final int PAGE_SIZE = 400;
  static final int TAG_BATCH = 20;
  public static final int TARGET_BATCH = 500;

  private final AwsClients aws;

  public SdkElbv2(AwsClients aws) {
    this.aws = aws;
  }

  private ElasticLoadBalancingV2AsyncClient client() {
    return aws.elbv2();
  }

  private <T> Future<T> call(Supplier<CompletableFuture<T>> call) {
    return aws.call(call).recover(e -> Future.failedFuture(AwsErrors.classify(e)));
  }

  // ---- load balancers

  @Override
  public Future<List<ActualLoadBalancer>> describeLoadBalancers() {
    return Paging.all(marker -> call(() -> client().describeLoadBalancers(b -> b.marker(marker).pageSize(PAGE_SIZE))),
            r -> r.loadBalancers(), r -> r.nextMarker())
        .compose(all -> tags(all.stream().map(lb -> lb.loadBalancerArn()).toList())
            .map(tags -> all.stream().map(lb -> ElbShapes.loadBalancer(lb, tags.getOrDefault(lb.loadBalancerArn(), Map.of()))).toList()));
  }

  @Override
  public Future<ActualLoadBalancer> createLoadBalancer(LoadBalancer desired) {
    return call(() -> aws.elbv2Creates().createLoadBalancer(b -> {
      b.name(desired.name()).type(LoadBalancerTypeEnum.APPLICATION).scheme(desired.scheme().wireName())
          .ipAddressType(desired.ipAddressType().wireName()).subnets(desired.subnetIds()).tags(ElbShapes.toTags(desired.tags()));
      if (!desired.securityGroups().isEmpty()) {
        b.securityGroups(desired.securityGroups());
      }
    })).map(r -> ElbShapes.loadBalancer(r.loadBalancers().get(0), desired.tags()));
  }

  @Override
  public Future<Void> deleteLoadBalancer(String arn) {
    return call(() -> client().deleteLoadBalancer(b -> b.loadBalancerArn(arn))).mapEmpty();
  }

  @Override
  public Future<Void> setSubnets(String arn, List<String> subnetIds) {
    return call(() -> client().setSubnets(b -> b.loadBalancerArn(arn).subnets(subnetIds))).mapEmpty();
  }

  @Override
  public Future<Void> setSecurityGroups(String arn, List<String> securityGroups) {
    return call(() -> client().setSecurityGroups(b -> b.loadBalancerArn(arn).securityGroups(securityGroups))).mapEmpty();
  }

  @Override
  public Future<Void> setIpAddressType(String arn, String ipAddressType) {
    return call(() -> client().setIpAddressType(b -> b.loadBalancerArn(arn).ipAddressType(ipAddressType))).mapEmpty();
  }

  @Override
  public Future<Map<String, String>> loadBalancerAttributes(String arn) {
    return call(() -> client().describeLoadBalancerAttributes(b -> b.loadBalancerArn(arn))).map(r -> {
      Map<String, String> out = new HashMap<>();
      r.attributes().forEach(a -> out.put(a.key(), a.value()));
      return out;
    });
  }

  @Override
  public Future<Void> modifyLoadBalancerAttributes(String arn, Map<String, String> attributes) {
    List<LoadBalancerAttribute> list = attributes.entrySet().stream()
        .map(e -> LoadBalancerAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    return call(() -> client().modifyLoadBalancerAttributes(b -> b.loadBalancerArn(arn).attributes(list))).mapEmpty();
  }

  // ---- target groups

  @Override
  public Future<List<ActualTargetGroup>> describeTargetGroups() {
    return Paging.all(marker -> call(() -> client().describeTargetGroups(b -> b.marker(marker).pageSize(PAGE_SIZE))),
            r -> r.targetGroups(), r -> r.nextMarker())
        .compose(all -> tags(all.stream().map(tg -> tg.targetGroupArn()).toList())
            .map(tags -> all.stream().map(tg -> ElbShapes.targetGroup(tg, tags.getOrDefault(tg.targetGroupArn(), Map.of()))).toList()));
  }

  @Override
  public Future<List<ActualTargetGroup>> listTargetGroups() {
    return Paging.all(marker -> call(() -> client().describeTargetGroups(b -> b.marker(marker).pageSize(PAGE_SIZE))),
            r -> r.targetGroups(), r -> r.nextMarker())
        .map(all -> all.stream().map(tg -> ElbShapes.targetGroup(tg, Map.of())).toList());
  }

  /** One DescribeTargetGroups for all names; only when one is missing (AWS then fails the whole call), one call a name to tell which. */
  @Override
  public Future<Map<String, String>> targetGroupArnsByName(List<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return arnsByName(names).recover(e -> !AwsFailure.is(e, AwsFailure.Kind.NOT_FOUND) ? Future.failedFuture(e)
        : names.size() == 1 ? Future.succeededFuture(Map.of())
        : Future.join(names.stream().map(n -> targetGroupArnsByName(List.of(n))).toList()).map(all -> {
          Map<String, String> found = new HashMap<>();
          all.<Map<String, String>>list().forEach(found::putAll);
          return found;
        }));
  }

  private Future<Map<String, String>> arnsByName(List<String> names) {
    return call(() -> client().describeTargetGroups(b -> b.names(names))).map(r -> {
      Map<String, String> found = new HashMap<>();
      r.targetGroups().forEach(tg -> found.put(tg.targetGroupName(), tg.targetGroupArn()));
      return found;
    });
  }

  @Override
  public Future<ActualTargetGroup> createTargetGroup(TargetGroup tg, String vpcId) {
    var hc = tg.healthCheck();
    return call(() -> aws.elbv2Creates().createTargetGroup(b -> b.name(tg.name()).protocol(tg.protocol().wireName())
            .ipAddressType(tg.ipAddressType().orElse(null))
            .protocolVersion(tg.protocolVersion().wireName()).port(tg.port()).vpcId(vpcId).targetType(tg.targetType().wireName())
            .healthCheckProtocol(hc.protocol().wireName()).healthCheckPort(hc.port()).healthCheckPath(hc.path())
            .healthCheckIntervalSeconds(hc.intervalSeconds()).healthCheckTimeoutSeconds(hc.timeoutSeconds())
            .healthyThresholdCount(hc.healthyThreshold()).unhealthyThresholdCount(hc.unhealthyThreshold())
            .matcher(ElbShapes.matcher(tg.protocolVersion(), hc.successCodes())).tags(ElbShapes.toTags(tg.tags()))))
        .map(r -> ElbShapes.targetGroup(r.targetGroups().get(0), tg.tags()));
  }

  @Override
  public Future<ActualTargetGroup> modifyTargetGroup(String arn, TargetGroup desired, Map<String, String> tags) {
    var hc = desired.healthCheck();
    return call(() -> client().modifyTargetGroup(b -> b.targetGroupArn(arn)
            .healthCheckProtocol(hc.protocol().wireName()).healthCheckPort(hc.port()).healthCheckPath(hc.path())
            .healthCheckIntervalSeconds(hc.intervalSeconds()).healthCheckTimeoutSeconds(hc.timeoutSeconds())
            .healthyThresholdCount(hc.healthyThreshold()).unhealthyThresholdCount(hc.unhealthyThreshold())
            .matcher(ElbShapes.matcher(desired.protocolVersion(), hc.successCodes()))))
        .map(r -> ElbShapes.targetGroup(r.targetGroups().get(0), tags));
  }

  @Override
  public Future<Void> deleteTargetGroup(String arn) {
    return call(() -> client().deleteTargetGroup(b -> b.targetGroupArn(arn))).mapEmpty();
  }

  @Override
  public Future<Map<String, String>> targetGroupAttributes(String arn) {
    return call(() -> client().describeTargetGroupAttributes(b -> b.targetGroupArn(arn))).map(r -> {
      Map<String, String> out = new HashMap<>();
      r.attributes().forEach(a -> out.put(a.key(), a.value()));
      return out;
    });
  }

  @Override
  public Future<Void> modifyTargetGroupAttributes(String arn, Map<String, String> attributes) {
    List<TargetGroupAttribute> list = attributes.entrySet().stream()
        .map(e -> TargetGroupAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    return call(() -> client().modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(list))).mapEmpty();
  }

  // ---- listeners and certificates

  @Override
  public Future<List<ActualListener>> describeListeners(String loadBalancerArn) {
    return call(() -> client().describeListeners(b -> b.loadBalancerArn(loadBalancerArn))).compose(r -> {
      List<Future<ActualListener>> all = r.listeners().stream().map(l -> {
        Future<List<String>> certificates = "HTTPS".equals(l.protocolAsString())
            ? call(() -> client().describeListenerCertificates(b -> b.listenerArn(l.listenerArn()))).map(c -> ElbShapes.ordered(c.certificates()))
            : Future.succeededFuture(List.of());
        return certificates.map(certs -> new ActualListener(l.listenerArn(), l.port(), l.protocolAsString(), l.defaultActions(),
            certs, l.sslPolicy(), l.mutualAuthentication()));
      }).toList();
      return Future.join(all).map(f -> f.<ActualListener>list());
    });
  }

  @Override
  public Future<String> createListener(String loadBalancerArn, Listener l, List<Action> defaultActions) {
    return call(() -> aws.elbv2Creates().createListener(b -> {
      b.loadBalancerArn(loadBalancerArn).protocol(l.protocol().wireName()).port(l.port()).defaultActions(defaultActions)
          .tags(ElbShapes.toTags(l.tags()));
      if (!l.certificateArns().isEmpty()) {
        b.certificates(ElbShapes.certificate(l.certificateArns().get(0)));
      }
      l.sslPolicy().ifPresent(b::sslPolicy);
      // only when asked: an HTTPS listener is created without mutual TLS
      l.mutualAuthentication().filter(m -> l.protocol() == Protocol.HTTPS).ifPresent(m -> b.mutualAuthentication(ElbShapes.mutualAuthentication(m)));
    })).map(r -> r.listeners().get(0).listenerArn());
  }

  @Override
  public Future<Void> modifyListener(String arn, Listener desired, List<Action> defaultActions) {
    return call(() -> client().modifyListener(b -> {
      b.listenerArn(arn).protocol(desired.protocol().wireName()).port(desired.port()).defaultActions(defaultActions);
      desired.certificateArns().stream().findFirst().ifPresent(c -> b.certificates(ElbShapes.certificate(c)));
      desired.sslPolicy().ifPresent(b::sslPolicy);
      // HTTPS: the annotation's mutual TLS, or off when it is gone (as the reference's enhanced defaulting does)
      if (desired.protocol() == Protocol.HTTPS) {
        b.mutualAuthentication(desired.mutualAuthentication().map(ElbShapes::mutualAuthentication).orElse(ElbShapes.MTLS_OFF));
      }
    })).mapEmpty();
  }

  @Override
  public Future<Map<String, String>> listenerAttributes(String arn) {
    return call(() -> client().describeListenerAttributes(b -> b.listenerArn(arn))).map(r -> {
      Map<String, String> out = new HashMap<>();
      r.attributes().forEach(a -> out.put(a.key(), a.value()));
      return out;
    });
  }

  @Override
  public Future<Void> modifyListenerAttributes(String arn, Map<String, String> attributes) {
    List<ListenerAttribute> list = attributes.entrySet().stream()
        .map(e -> ListenerAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    return call(() -> client().modifyListenerAttributes(b -> b.listenerArn(arn).attributes(list))).mapEmpty();
  }

  /** One DescribeTrustStores a name (few names, and a missing one fails the whole call with TrustStoreNotFound). */
  @Override
  public Future<Map<String, String>> trustStoreArnsByName(List<String> names) {
    return Future.join(names.stream().map(n -> call(() -> client().describeTrustStores(b -> b.names(n)))
            .map(r -> r.trustStores().stream().filter(t -> n.equals(t.name())).findFirst().map(t -> Map.of(n, t.trustStoreArn()))
                .orElse(Map.of()))
            .recover(e -> e instanceof AwsFailure f && f.kind() == AwsFailure.Kind.NOT_FOUND
                ? Future.succeededFuture(Map.<String, String>of()) : Future.failedFuture(e)))
        .toList()).map(all -> {
          Map<String, String> found = new HashMap<>();
          all.<Map<String, String>>list().forEach(found::putAll);
          return found;
        });
  }

  @Override
  public Future<Void> deleteListener(String arn) {
    return call(() -> client().deleteListener(b -> b.listenerArn(arn))).mapEmpty();
  }

  @Override
  public Future<Void> addListenerCertificates(String listenerArn, List<String> certificateArns) {
    return call(() -> client().addListenerCertificates(b -> b.listenerArn(listenerArn)
        .certificates(certificateArns.stream().map(ElbShapes::certificate).toList()))).mapEmpty();
  }

  @Override
  public Future<Void> removeListenerCertificates(String listenerArn, List<String> certificateArns) {
    return call(() -> client().removeListenerCertificates(b -> b.listenerArn(listenerArn)
        .certificates(certificateArns.stream().map(ElbShapes::certificate).toList()))).mapEmpty();
  }

  // ---- rules

  @Override
  public Future<List<ActualRule>> describeRules(String listenerArn) {
    return Paging.all(marker -> call(() -> client().describeRules(b -> b.listenerArn(listenerArn).marker(marker).pageSize(PAGE_SIZE))),
        r -> r.rules().stream().filter(rule -> !Boolean.TRUE.equals(rule.isDefault()) && !"default".equals(rule.priority()))
            .map(rule -> new ActualRule(rule.ruleArn(), Integer.parseInt(rule.priority()), rule.conditions(), rule.actions(),
                rule.transforms())).toList(),
        r -> r.nextMarker());
  }

  @Override
  public Future<String> createRule(String listenerArn, int priority, List<RuleCondition> conditions, List<Action> actions,
      List<RuleTransform> transforms, Map<String, String> tags) {
    return call(() -> aws.elbv2Creates().createRule(b -> {
      b.listenerArn(listenerArn).priority(priority).conditions(conditions).actions(actions).tags(ElbShapes.toTags(tags));
      if (!transforms.isEmpty()) {
        b.transforms(transforms);
      }
    })).map(r -> r.rules().isEmpty() ? "" : r.rules().get(0).ruleArn());
  }

  @Override
  public Future<Void> modifyRule(String arn, List<RuleCondition> conditions, List<Action> actions, List<RuleTransform> transforms) {
    // ModifyRule keeps the transforms it is not given: none wanted is an explicit reset
    return call(() -> client().modifyRule(b -> {
      b.ruleArn(arn).conditions(conditions).actions(actions);
      if (transforms.isEmpty()) {
        b.resetTransforms(true);
      } else {
        b.transforms(transforms);
      }
    })).mapEmpty();
  }

  @Override
  public Future<Void> deleteRule(String arn) {
    return call(() -> client().deleteRule(b -> b.ruleArn(arn))).mapEmpty();
  }

  @Override
  public Future<Void> setRulePriorities(Map<String, Integer> priorities) {
    return call(() -> client().setRulePriorities(b -> b.rulePriorities(priorities.entrySet().stream()
        .map(e -> RulePriorityPair.builder().ruleArn(e.getKey()).priority(e.getValue()).build()).toList()))).mapEmpty();
  }

  // ---- tags

  @Override
  public Future<Void> addTags(String arn, Map<String, String> tags) {
    return call(() -> client().addTags(b -> b.resourceArns(arn).tags(ElbShapes.toTags(tags)))).mapEmpty();
  }

  @Override
  public Future<Void> removeTags(String arn, List<String> keys) {
    return call(() -> client().removeTags(b -> b.resourceArns(arn).tagKeys(keys))).mapEmpty();
  }

  /** Tags of many resources, 20 ARNs a call, the calls in parallel. */
  @Override
  public Future<Map<String, Map<String, String>>> tags(List<String> arns) {
    List<Future<Map<String, Map<String, String>>>> batches = batches(arns, TAG_BATCH).stream()
        .map(batch -> call(() -> client().describeTags(b -> b.resourceArns(batch))).map(r -> {
          Map<String, Map<String, String>> out = new HashMap<>();
          r.tagDescriptions().forEach(d -> out.put(d.resourceArn(), ElbShapes.toMap(d.tags())));
          return out;
        })).toList();
    return Future.join(batches).map(all -> {
      Map<String, Map<String, String>> merged = new HashMap<>();
      for (int i = 0; i < all.size(); i++) {
        merged.putAll(all.resultAt(i));
      }
      return merged;
    });
  }

  // ---- targets

  @Override
  public Future<List<TargetHealthDescription>> targetHealth(String targetGroupArn) {
    return call(() -> client().describeTargetHealth(b -> b.targetGroupArn(targetGroupArn))).map(r -> r.targetHealthDescriptions());
  }

  @Override
  public Future<Void> registerTargets(String targetGroupArn, List<Target> targets) {
    return Future.join(batches(targets, TARGET_BATCH).stream().map(batch -> call(() -> client()
        .registerTargets(b -> b.targetGroupArn(targetGroupArn).targets(descriptions(batch))))).toList()).mapEmpty();
  }

  @Override
  public Future<Void> deregisterTargets(String targetGroupArn, List<Target> targets) {
    return Future.join(batches(targets, TARGET_BATCH).stream().map(batch -> call(() -> client()
        .deregisterTargets(b -> b.targetGroupArn(targetGroupArn).targets(descriptions(batch))))).toList()).mapEmpty();
  }

  // ---- shapes

  private static List<TargetDescription> descriptions(List<Target> targets) {
    return targets.stream().map(t -> TargetDescription.builder().id(t.id()).port(t.port()).build()).toList();
  }

  public static <T> List<List<T>> batches(List<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      out.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
    }
    return out;
  }
}
