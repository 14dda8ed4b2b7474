package io.albingress.deploy;

import io.albingress.annotations.Protocol;
import io.albingress.model.Listener;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Stack;
import io.albingress.model.Tags;
import io.albingress.model.TargetGroup;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/**
 * Makes AWS match a desired stack: target groups and the load balancer, then listeners and rules;
 * deletions in reverse. Modifies in place where the API allows; replaces only on immutable changes.
 * An unchanged stack (model hash on the load balancer matches) costs no call at all, and a change
 * that leaves the listeners and rules as this process last applied them (a health check, a tag)
 * does not read them again; the periodic deep check still compares everything.
 */
public final class StackDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(StackDeployer.class);

  /** Where the stack stands after deploy: the DNS name for Ingress status, and whether anything changed. */
  public record Outcome(Optional<String> dnsName, boolean changed) {}

  private final Elbv2 elb;
  private final Inventory inventory;
  private final String vpcId;
  /** Per stack: the hash of the listeners and rules this process last applied, with the ARNs they use. */
  private final Map<String, String> appliedFront = new ConcurrentHashMap<>();
  // ---- security groups (issue 13)
  private final Optional<SecurityGroupSynthesizer> securityGroups;

  public StackDeployer(Elbv2 elb, Inventory inventory, String vpcId) {
    this(elb, inventory, vpcId, Optional.empty());
  }

  /** @param securityGroups absent: load balancers get the groups the annotation names, or EC2's default */
  public StackDeployer(Elbv2 elb, Inventory inventory, String vpcId, Optional<SecurityGroupSynthesizer> securityGroups) {
    this.elb = elb;
    this.inventory = inventory;
    this.vpcId = vpcId;
    this.securityGroups = securityGroups;
  }

  public Future<Outcome> deploy(Stack stack, boolean deepCheck) {
    return deploy(stack, Optional.empty(), deepCheck);
  }

  /**
   * After the stack's target groups exist: the backend group's rules on the targets' security groups.
   * Every target group of the controller keeps its ports open, whichever stack it belongs to.
   */
  public Future<Void> backendRules(Stack stack, Optional<SecurityGroupPlan> plan, SecurityGroupSynthesizer.Endpoints endpoints,
      boolean deepCheck, boolean stackUnchanged) {
    if (securityGroups.isEmpty() || plan.isEmpty() || stack.empty()) {
      return Future.succeededFuture();
    }
    return securityGroups.get().backendRules(stack.id().tagValue(), plan.get(), endpoints, neededBackendPorts(), deepCheck, stackUnchanged);
  }

  /** The ports of every target group this controller has, and their numeric health-check ports. */
  private Set<Integer> neededBackendPorts() {
    Set<Integer> ports = new HashSet<>();
    for (ActualResources.TargetGroup tg : inventory.allTargetGroups()) {
      ports.add(tg.port());
      if (tg.healthCheck() != null && tg.healthCheck().port() != null && tg.healthCheck().port().matches("\\d{1,5}")) {
        ports.add(Integer.parseInt(tg.healthCheck().port()));
      }
    }
    return ports;
  }

  private Future<Void> deleteSecurityGroups(String stackTag) {
    return securityGroups.map(sgs -> sgs.deleteFrontend(stackTag).compose(v -> sgs.releaseBackendRules(stackTag, neededBackendPorts()))
            .onSuccess(v -> sgs.cleanedUp(stackTag)))
        .orElse(Future.succeededFuture());
  }
  // ---- end security groups

  /** @param deepCheck compare every resource even when the model hash matches (periodic drift check) */
  public Future<Outcome> deploy(Stack stack, Optional<SecurityGroupPlan> plan, boolean deepCheck) {
    String stackTag = stack.id().tagValue();
    if (stack.empty()) {
      return inventory.loadBalancersLoaded().compose(v -> delete(stackTag)).map(v -> new Outcome(Optional.empty(), true));
    }
    // the security-group plan holds what the stack does not (inbound-cidrs, prefix lists)
    String hash = plan.isEmpty() || securityGroups.isEmpty() ? ModelHash.of(stack) : ModelHash.of(java.util.Arrays.asList(stack, plan.get()));
    return inventory.loadBalancersLoaded().compose(v -> {
      Optional<ActualResources.LoadBalancer> current = inventory.loadBalancers(stackTag).stream().findFirst();
      if (!deepCheck && current.isPresent() && hash.equals(current.get().tags().get(Tags.MODEL_HASH))
          && inventory.loadBalancers(stackTag).size() == 1) {
        return Future.succeededFuture(new Outcome(Optional.of(current.get().dnsName()), false));
      }
      return new Run(stack, plan.filter(p -> securityGroups.isPresent()), hash, deepCheck).deploy().onFailure(e -> appliedFront.remove(stackTag));
    });
  }

  /** Deletes every resource of a stack: load balancers (and with them listeners and rules), then target groups. */
  public Future<Void> delete(String stackTag) {
    appliedFront.remove(stackTag);
    return inventory.targetGroupsLoaded().compose(v -> {
      List<Future<Void>> lbs = inventory.loadBalancers(stackTag).stream().map(this::deleteLoadBalancer).toList();
      return Future.all(lbs);
    }).compose(v -> Future.all(inventory.targetGroups(stackTag).stream().map(this::deleteTargetGroup).toList()))
        .compose(v -> deleteSecurityGroups(stackTag));
  }

  private Future<Void> deleteLoadBalancer(ActualResources.LoadBalancer lb) {
    LOG.info("deleting load balancer {} ({})", lb.name(), lb.arn());
    return elb.aws().call(() -> elb.client().deleteLoadBalancer(b -> b.loadBalancerArn(lb.arn()))).<Void>mapEmpty()
        .recover(e -> alreadyGone(e, "LoadBalancerNotFound"))
        .onSuccess(r -> inventory.removeLoadBalancer(lb.arn()));
  }

  private Future<Void> deleteTargetGroup(ActualResources.TargetGroup tg) {
    LOG.info("deleting target group {}", tg.name());
    return elb.aws().call(() -> elb.client().deleteTargetGroup(b -> b.targetGroupArn(tg.arn()))).<Void>mapEmpty()
        .recover(e -> alreadyGone(e, "TargetGroupNotFound"))
        .onSuccess(r -> inventory.removeTargetGroup(tg.arn()));
  }

  /** A deletion whose earlier answer was lost finds the resource gone: that is success. */
  private static Future<Void> alreadyGone(Throwable e, String notFoundCode) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a && a.awsErrorDetails() != null
        && notFoundCode.equals(a.awsErrorDetails().errorCode())) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(e);
  }

  /** One deployment of one stack: each step a small Future, in dependency order. */
  private final class Run {
    private final Stack stack;
    private final String hash;
    private final String stackTag;
    private final boolean deepCheck;
    private final Map<String, String> tgArns = new HashMap<>();
    private final List<ActualResources.TargetGroup> surplusTargetGroups = new ArrayList<>();
    private final Set<String> createdListeners = new HashSet<>();
    private ActualResources.LoadBalancer lb;
    private boolean newLoadBalancer;
    private final Optional<SecurityGroupPlan> securityGroupPlan;
    /** The security group IDs the load balancer carries; the annotation's values when groups are not managed here. */
    private List<String> securityGroupIds;

    Run(Stack stack, Optional<SecurityGroupPlan> securityGroupPlan, String hash, boolean deepCheck) {
      this.stack = stack;
      this.securityGroupPlan = securityGroupPlan;
      this.securityGroupIds = stack.loadBalancer().securityGroups();
      this.hash = hash;
      this.deepCheck = deepCheck;
      this.stackTag = stack.id().tagValue();
    }

    Future<Outcome> deploy() {
      return inventory.targetGroupsLoaded()
          // security groups first: the load balancer is created with them
          .compose(v -> securityGroupPlan.isEmpty() ? Future.succeededFuture()
              : securityGroups.get().loadBalancerGroups(stackTag, securityGroupPlan.get(), deepCheck).map(ids -> securityGroupIds = ids))
          // neither refers to the other: one round trip instead of two for a new stack
          .compose(v -> Future.all(targetGroups(), loadBalancer()))
          .compose(v -> frontEnd())
          .compose(v -> Future.all(surplusTargetGroups.stream().map(StackDeployer.this::deleteTargetGroup).toList()))
          .compose(v -> tag(lb.arn(), lb.tags(), withHash(stack.loadBalancer().tags())))
          .map(v -> {
            inventory.put(new ActualResources.LoadBalancer(lb.arn(), lb.name(), lb.dnsName(), lb.scheme(), lb.ipAddressType(),
                lb.subnetIds(), lb.securityGroups(), withHash(stack.loadBalancer().tags())));
            return new Outcome(Optional.of(lb.dnsName()), true);
          });
    }

    private Map<String, String> withHash(Map<String, String> tags) {
      Map<String, String> all = new HashMap<>(tags);
      all.put(Tags.MODEL_HASH, hash);
      return all;
    }

    // ---- target groups: matched by name, which encodes every immutable field

    private Future<Void> targetGroups() {
      Matching<TargetGroup, ActualResources.TargetGroup> m = Matching.match(stack.targetGroups(), TargetGroup::name,
          inventory.targetGroups(stackTag), ActualResources.TargetGroup::name);
      surplusTargetGroups.addAll(m.toDelete());
      List<Future<Void>> steps = new ArrayList<>();
      m.toCreate().forEach(tg -> steps.add(createTargetGroup(tg)));
      m.matched().forEach(p -> {
        tgArns.put(p.desired().resourceId(), p.actual().arn());
        steps.add(updateTargetGroup(p.desired(), p.actual()));
      });
      return Future.all(steps).mapEmpty();
    }

    private Future<Void> createTargetGroup(TargetGroup tg) {
      var hc = tg.healthCheck();
      return elb.aws().call(() -> elb.creates().createTargetGroup(b -> b.name(tg.name()).protocol(tg.protocol().wireName())
              .protocolVersion(tg.protocolVersion().wireName()).port(tg.port()).vpcId(vpcId).targetType(tg.targetType().wireName())
              .healthCheckProtocol(hc.protocol().wireName()).healthCheckPort(hc.port()).healthCheckPath(hc.path())
              .healthCheckIntervalSeconds(hc.intervalSeconds()).healthCheckTimeoutSeconds(hc.timeoutSeconds())
              .healthyThresholdCount(hc.healthyThreshold()).unhealthyThresholdCount(hc.unhealthyThreshold())
              .matcher(SdkModel.matcher(tg)).tags(Elbv2.toTags(tg.tags()))))
          .recover(StackDeployer.this::forgetOnUnknownOutcome)
          .compose(r -> {
            var created = r.targetGroups().get(0);
            inventory.put(Convert.targetGroup(created, tg.tags()));
            tgArns.put(tg.resourceId(), created.targetGroupArn());
            return tg.attributes().isEmpty() ? Future.succeededFuture() : modifyTargetGroupAttributes(created.targetGroupArn(), tg.attributes());
          });
    }

    private Future<Void> updateTargetGroup(TargetGroup desired, ActualResources.TargetGroup actual) {
      List<Future<?>> steps = new ArrayList<>();
      var hc = desired.healthCheck();
      if (!SdkModel.healthCheck(hc).equals(actual.healthCheck())) {
        steps.add(elb.aws().call(() -> elb.client().modifyTargetGroup(b -> b.targetGroupArn(actual.arn())
            .healthCheckProtocol(hc.protocol().wireName()).healthCheckPort(hc.port()).healthCheckPath(hc.path())
            .healthCheckIntervalSeconds(hc.intervalSeconds()).healthCheckTimeoutSeconds(hc.timeoutSeconds())
            .healthyThresholdCount(hc.healthyThreshold()).unhealthyThresholdCount(hc.unhealthyThreshold())
            .matcher(SdkModel.matcher(desired))))
            .onSuccess(r -> inventory.put(Convert.targetGroup(r.targetGroups().get(0), actual.tags()))));
      }
      if (!desired.attributes().isEmpty()) {
        steps.add(elb.aws().call(() -> elb.client().describeTargetGroupAttributes(b -> b.targetGroupArn(actual.arn())))
            .compose(r -> {
              Map<String, String> current = new HashMap<>();
              r.attributes().forEach(a -> current.put(a.key(), a.value()));
              Map<String, String> changed = changed(desired.attributes(), current);
              return changed.isEmpty() ? Future.succeededFuture() : modifyTargetGroupAttributes(actual.arn(), changed);
            }));
      }
      steps.add(tag(actual.arn(), actual.tags(), desired.tags()));
      return Future.all(steps).mapEmpty();
    }

    private Future<Void> modifyTargetGroupAttributes(String arn, Map<String, String> attributes) {
      List<TargetGroupAttribute> list = attributes.entrySet().stream()
          .map(e -> TargetGroupAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList();
      return elb.aws().call(() -> elb.client().modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(list))).mapEmpty();
    }

    // ---- load balancer: replaced only when the scheme changes

    private Future<Void> loadBalancer() {
      LoadBalancer desired = stack.loadBalancer();
      List<ActualResources.LoadBalancer> actual = inventory.loadBalancers(stackTag);
      List<Future<Void>> duplicates = actual.stream().skip(1).map(StackDeployer.this::deleteLoadBalancer).toList();
      Optional<ActualResources.LoadBalancer> current = actual.stream().findFirst();
      if (current.isPresent() && !desired.scheme().wireName().equals(current.get().scheme())) {
        LOG.info("scheme of {} changes to {}: replacing the load balancer", current.get().name(), desired.scheme().wireName());
        return Future.all(duplicates).compose(v -> deleteLoadBalancer(current.get())).compose(v -> createLoadBalancer(desired));
      }
      return Future.all(duplicates).compose(v -> current.isPresent() ? updateLoadBalancer(desired, current.get()) : createLoadBalancer(desired));
    }

    private Future<Void> createLoadBalancer(LoadBalancer desired) {
      newLoadBalancer = true;
      return elb.aws().call(() -> elb.creates().createLoadBalancer(b -> {
            b.name(desired.name()).type(LoadBalancerTypeEnum.APPLICATION).scheme(desired.scheme().wireName())
                .ipAddressType(desired.ipAddressType().wireName()).subnets(desired.subnetIds()).tags(Elbv2.toTags(desired.tags()));
            if (!securityGroupIds.isEmpty()) {
              b.securityGroups(securityGroupIds);
            }
          }))
          .recover(StackDeployer.this::forgetOnUnknownOutcome)
          .compose(r -> {
            lb = Convert.loadBalancer(r.loadBalancers().get(0), desired.tags());
            inventory.put(lb);
            return desired.attributes().isEmpty() ? Future.succeededFuture() : modifyLoadBalancerAttributes(lb.arn(), desired.attributes());
          });
    }

    private Future<Void> updateLoadBalancer(LoadBalancer desired, ActualResources.LoadBalancer actual) {
      lb = actual;
      List<Future<?>> steps = new ArrayList<>();
      if (!new HashSet<>(desired.subnetIds()).equals(new HashSet<>(actual.subnetIds()))) {
        steps.add(elb.aws().call(() -> elb.client().setSubnets(b -> b.loadBalancerArn(actual.arn()).subnets(desired.subnetIds()))));
      }
      if (!securityGroupIds.isEmpty() && !new HashSet<>(securityGroupIds).equals(new HashSet<>(actual.securityGroups()))) {
        steps.add(elb.aws().call(() -> elb.client().setSecurityGroups(b -> b.loadBalancerArn(actual.arn()).securityGroups(securityGroupIds)))
            .onSuccess(r -> lb = new ActualResources.LoadBalancer(actual.arn(), actual.name(), actual.dnsName(), actual.scheme(),
                actual.ipAddressType(), actual.subnetIds(), securityGroupIds.stream().sorted().toList(), actual.tags())));
      }
      if (actual.ipAddressType() != null && !desired.ipAddressType().wireName().equals(actual.ipAddressType())) {
        steps.add(elb.aws().call(() -> elb.client().setIpAddressType(b -> b.loadBalancerArn(actual.arn()).ipAddressType(desired.ipAddressType().wireName()))));
      }
      if (!desired.attributes().isEmpty()) {
        steps.add(elb.aws().call(() -> elb.client().describeLoadBalancerAttributes(b -> b.loadBalancerArn(actual.arn()))).compose(r -> {
          Map<String, String> current = new HashMap<>();
          r.attributes().forEach(a -> current.put(a.key(), a.value()));
          Map<String, String> changed = changed(desired.attributes(), current);
          return changed.isEmpty() ? Future.succeededFuture() : modifyLoadBalancerAttributes(actual.arn(), changed);
        }));
      }
      return Future.all(steps).mapEmpty();
    }

    private Future<Void> modifyLoadBalancerAttributes(String arn, Map<String, String> attributes) {
      List<LoadBalancerAttribute> list = attributes.entrySet().stream()
          .map(e -> LoadBalancerAttribute.builder().key(e.getKey()).value(e.getValue()).build()).toList();
      return elb.aws().call(() -> elb.client().modifyLoadBalancerAttributes(b -> b.loadBalancerArn(arn).attributes(list))).mapEmpty();
    }

    // ---- listeners and rules: skipped when they are what this process last applied

    private Future<Void> frontEnd() {
      String front = ModelHash.of(List.of(lb.arn(), stack.listeners(), stack.rules(), new TreeMap<>(tgArns)));
      if (!deepCheck && !newLoadBalancer && front.equals(appliedFront.get(stackTag))) {
        return Future.succeededFuture();
      }
      appliedFront.remove(stackTag);
      return listeners().compose(this::rules).onSuccess(v -> appliedFront.put(stackTag, front));
    }

    // ---- listeners: matched by port

    private Future<Map<String, String>> listeners() {
      Future<List<ActualResources.Listener>> actual = newLoadBalancer ? Future.succeededFuture(List.of()) : describeListeners();
      return actual.compose(current -> {
        Matching<Listener, ActualResources.Listener> m = Matching.match(stack.listeners(), Listener::port, current, ActualResources.Listener::port);
        Map<String, String> arns = new HashMap<>();
        List<Future<Void>> steps = new ArrayList<>();
        m.toDelete().forEach(l -> steps.add(elb.aws().call(() -> elb.client().deleteListener(b -> b.listenerArn(l.arn()))).mapEmpty()));
        return Future.all(steps).compose(v -> {
          List<Future<Void>> changes = new ArrayList<>();
          m.matched().forEach(p -> {
            arns.put(p.desired().resourceId(), p.actual().arn());
            changes.add(updateListener(p.desired(), p.actual()));
          });
          m.toCreate().forEach(l -> changes.add(createListener(l).map(arn -> {
            arns.put(l.resourceId(), arn);
            createdListeners.add(arn);
            return (Void) null;
          })));
          return Future.all(changes);
        }).map(v -> arns);
      });
    }

    private Future<List<ActualResources.Listener>> describeListeners() {
      return elb.aws().call(() -> elb.client().describeListeners(b -> b.loadBalancerArn(lb.arn()))).compose(r -> {
        List<Future<ActualResources.Listener>> all = r.listeners().stream().map(l -> {
          Future<List<String>> certificates = "HTTPS".equals(l.protocolAsString())
              ? elb.aws().call(() -> elb.client().describeListenerCertificates(b -> b.listenerArn(l.listenerArn())))
                  .map(c -> orderedCertificates(c.certificates()))
              : Future.succeededFuture(List.of());
          return certificates.map(certs -> new ActualResources.Listener(l.listenerArn(), l.port(), l.protocolAsString(),
              l.defaultActions(), certs, l.sslPolicy()));
        }).toList();
        return Future.all(all).map(f -> f.<ActualResources.Listener>list());
      });
    }

    private Future<String> createListener(Listener l) {
      Action action = SdkModel.action(l.defaultAction(), tgArns);
      return elb.aws().call(() -> elb.creates().createListener(b -> {
        b.loadBalancerArn(lb.arn()).protocol(l.protocol().wireName()).port(l.port()).defaultActions(action).tags(Elbv2.toTags(l.tags()));
        if (!l.certificateArns().isEmpty()) {
          b.certificates(Certificate.builder().certificateArn(l.certificateArns().get(0)).build());
        }
        l.sslPolicy().ifPresent(b::sslPolicy);
      })).compose(r -> {
        String arn = r.listeners().get(0).listenerArn();
        List<String> sni = l.certificateArns().stream().skip(1).toList();
        return sni.isEmpty() ? Future.succeededFuture(arn) : addCertificates(arn, sni).map(arn);
      });
    }

    private Future<Void> updateListener(Listener desired, ActualResources.Listener actual) {
      Action action = SdkModel.action(desired.defaultAction(), tgArns);
      Optional<String> defaultCert = desired.certificateArns().stream().findFirst();
      boolean modify = !desired.protocol().wireName().equals(actual.protocol())
          || !SdkModel.canonical(action).equals(SdkModel.canonical(actual.defaultActions()))
          || !Objects.equals(defaultCert, actual.certificateArns().stream().findFirst())
          || desired.protocol() == Protocol.HTTPS && !Objects.equals(desired.sslPolicy().orElse(null), actual.sslPolicy());
      Future<Void> modified = !modify ? Future.succeededFuture()
          : elb.aws().call(() -> elb.client().modifyListener(b -> {
            b.listenerArn(actual.arn()).protocol(desired.protocol().wireName()).port(desired.port()).defaultActions(action);
            defaultCert.ifPresent(c -> b.certificates(Certificate.builder().certificateArn(c).build()));
            desired.sslPolicy().ifPresent(b::sslPolicy);
          })).mapEmpty();
      Set<String> wantedSni = new HashSet<>(desired.certificateArns().stream().skip(1).toList());
      Set<String> currentSni = new HashSet<>(actual.certificateArns().stream().skip(1).toList());
      List<String> add = wantedSni.stream().filter(c -> !currentSni.contains(c)).sorted().toList();
      List<String> remove = currentSni.stream().filter(c -> !wantedSni.contains(c) && !defaultCert.map(c::equals).orElse(false)).sorted().toList();
      return modified
          .compose(v -> add.isEmpty() ? Future.succeededFuture() : addCertificates(actual.arn(), add))
          .compose(v -> remove.isEmpty() ? Future.succeededFuture()
              : elb.aws().call(() -> elb.client().removeListenerCertificates(b -> b.listenerArn(actual.arn())
                  .certificates(remove.stream().map(c -> Certificate.builder().certificateArn(c).build()).toList()))).mapEmpty());
    }

    private Future<Void> addCertificates(String listenerArn, List<String> arns) {
      return elb.aws().call(() -> elb.client().addListenerCertificates(b -> b.listenerArn(listenerArn)
          .certificates(arns.stream().map(c -> Certificate.builder().certificateArn(c).build()).toList()))).mapEmpty();
    }

    // ---- rules: matched by priority within their listener

    private Future<Void> rules(Map<String, String> listenerArns) {
      List<Future<Void>> perListener = new ArrayList<>();
      for (Listener l : stack.listeners()) {
        String arn = listenerArns.get(l.resourceId());
        List<ListenerRule> desired = stack.rules().stream().filter(r -> r.listener().resourceId().equals(l.resourceId())).toList();
        // a listener created in this run has no rules yet: nothing to describe
        Future<List<ActualResources.Rule>> actual = createdListeners.contains(arn) ? Future.succeededFuture(List.of()) : describeRules(arn);
        perListener.add(actual.compose(current -> syncRules(arn, desired, current)));
      }
      return Future.all(perListener).mapEmpty();
    }

    private Future<List<ActualResources.Rule>> describeRules(String listenerArn) {
      return io.albingress.aws.Paging.<software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse, ActualResources.Rule>all(
          marker -> elb.aws().call(() -> elb.client().describeRules(b -> b.listenerArn(listenerArn).marker(marker))),
          r -> r.rules().stream().filter(rule -> !Boolean.TRUE.equals(rule.isDefault()) && !"default".equals(rule.priority()))
              .map(rule -> new ActualResources.Rule(rule.ruleArn(), Integer.parseInt(rule.priority()), rule.conditions(), rule.actions())).toList(),
          r -> r.nextMarker());
    }

    private Future<Void> syncRules(String listenerArn, List<ListenerRule> desired, List<ActualResources.Rule> actual) {
      Matching<ListenerRule, ActualResources.Rule> m = Matching.match(desired, ListenerRule::priority, actual, ActualResources.Rule::priority);
      // deletions first free their priorities for the creations
      return Future.all(m.toDelete().stream().map(r -> elb.aws().call(() -> elb.client().deleteRule(b -> b.ruleArn(r.arn())))).toList())
          .compose(v -> Future.all(m.matched().stream().map(p -> updateRule(p.desired(), p.actual())).toList()))
          .compose(v -> Future.all(m.toCreate().stream().map(r -> createRule(listenerArn, r)).toList()))
          .mapEmpty();
    }

    private Future<Void> createRule(String listenerArn, ListenerRule rule) {
      Action action = SdkModel.action(rule.action(), tgArns);
      return elb.aws().call(() -> elb.creates().createRule(b -> b.listenerArn(listenerArn).priority(rule.priority())
          .conditions(rule.conditions().stream().map(SdkModel::condition).toList()).actions(action).tags(Elbv2.toTags(rule.tags())))).mapEmpty();
    }

    private Future<Void> updateRule(ListenerRule desired, ActualResources.Rule actual) {
      Action action = SdkModel.action(desired.action(), tgArns);
      var conditions = desired.conditions().stream().map(SdkModel::condition).toList();
      boolean same = SdkModel.canonical(action).equals(SdkModel.canonical(actual.actions()))
          && SdkModel.canonicalConditions(conditions).equals(SdkModel.canonicalConditions(actual.conditions()));
      return same ? Future.succeededFuture()
          : elb.aws().call(() -> elb.client().modifyRule(b -> b.ruleArn(actual.arn()).conditions(conditions).actions(action))).mapEmpty();
    }

    // ---- tags: only the keys that differ

    private Future<Void> tag(String arn, Map<String, String> current, Map<String, String> desired) {
      Map<String, String> add = changed(desired, current);
      List<String> remove = current.keySet().stream().filter(k -> !desired.containsKey(k)).sorted().toList();
      Future<Void> added = add.isEmpty() ? Future.succeededFuture()
          : elb.aws().call(() -> elb.client().addTags(b -> b.resourceArns(arn).tags(Elbv2.toTags(add)))).mapEmpty();
      return added.compose(v -> remove.isEmpty() ? Future.succeededFuture()
          : elb.aws().call(() -> elb.client().removeTags(b -> b.resourceArns(arn).tagKeys(remove))).mapEmpty());
    }
  }

  /** Default certificate first, then SNI certificates sorted. */
  private static List<String> orderedCertificates(List<Certificate> certs) {
    List<String> out = new ArrayList<>();
    certs.stream().filter(c -> Boolean.TRUE.equals(c.isDefault())).map(Certificate::certificateArn).forEach(out::add);
    certs.stream().filter(c -> !Boolean.TRUE.equals(c.isDefault())).map(Certificate::certificateArn).sorted().forEach(out::add);
    return out;
  }

  static Map<String, String> changed(Map<String, String> desired, Map<String, String> current) {
    Map<String, String> changed = new HashMap<>();
    desired.forEach((k, v) -> {
      if (!v.equals(current.get(k))) {
        changed.put(k, v);
      }
    });
    return changed;
  }

  /** A create that failed in an unknown way may have happened: rediscover before trying again. */
  private <T> Future<T> forgetOnUnknownOutcome(Throwable e) {
    inventory.invalidate();
    return Future.failedFuture(e);
  }

}
