package io.albingress.deploy;

import io.albingress.deploy.AwsFailure.Kind;
import io.albingress.model.Listener;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Target;
import io.albingress.model.TargetGroup;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.MutualAuthenticationAttributes;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * ELBv2 in memory, for unit tests of the deploy code: records every call by operation name, and can
 * be scripted to fail a call (with or without its effect). It enforces the rules of the real API that
 * the deployer's order depends on: a rule priority is unique per listener (PriorityInUse), and a target
 * group used by a listener or rule cannot be deleted (ResourceInUse). Futures complete at once.
 */
public class FakeElbv2 implements Elbv2 {
  private static final Set<String> READS = Set.of("describeLoadBalancers", "describeTargetGroups", "listTargetGroups", "describeListeners",
      "describeRules", "targetGroupArnsByName", "tags", "loadBalancerAttributes", "targetGroupAttributes", "targetHealth",
      "listenerAttributes", "trustStoreArnsByName");

  private final Map<String, ActualLoadBalancer> loadBalancers = new LinkedHashMap<>();
  private final Map<String, ActualTargetGroup> targetGroups = new LinkedHashMap<>();
  /** Target groups of others, by name: forward actions may name them. */
  private final Map<String, String> foreignTargetGroups = new HashMap<>();
  private final Map<String, String> ipAddressTypes = new HashMap<>();
  private final Map<String, ActualListener> listeners = new LinkedHashMap<>();
  private final Map<String, String> listenerOwner = new HashMap<>();
  private final Map<String, ActualRule> rules = new LinkedHashMap<>();
  private final Map<String, String> ruleOwner = new HashMap<>();
  private final Map<String, Map<String, String>> attributes = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  /** Trust stores by name -> ARN. */
  private final Map<String, String> trustStores = new HashMap<>();
  private final Map<String, Deque<Failure>> script = new HashMap<>();
  private int serial;
  private final Set<String> refusedTargets = new java.util.HashSet<>();
  private final Map<String, Set<Target>> registered = new HashMap<>();
  private int rulesPerLoadBalancer = Integer.MAX_VALUE;

  private record Failure(Kind kind, boolean applied, boolean late) {
    Failure(Kind kind, boolean applied) {
      this(kind, applied, false);
    }
  }

  /** Effects of calls that land late: applied just before the next call of the same operation. */
  private final Map<String, Supplier<?>> landing = new HashMap<>();

  // ---- scripting and inspection

  /** The next call of the operation fails with the kind and has no effect. */
  public FakeElbv2 failNext(String operation, Kind kind) {
    script.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(new Failure(kind, false));
    return this;
  }

  /** The next call of the operation takes effect, but its answer is lost: UNKNOWN_OUTCOME. */
  FakeElbv2 loseAnswerOfNext(String operation) {
    script.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(new Failure(Kind.UNKNOWN_OUTCOME, true));
    return this;
  }

  /** The next call of the operation gets no answer (UNKNOWN_OUTCOME) and lands later: just before the next call of it. */
  FakeElbv2 landLateOnNext(String operation) {
    script.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(new Failure(Kind.UNKNOWN_OUTCOME, false, true));
    return this;
  }

  /** A trust store (ELBv2 CreateTrustStore); returns its ARN. */
  String addTrustStore(String name) {
    String arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:truststore/" + name + "/" + String.format("%016x", ++serial);
    trustStores.put(name, arn);
    return arn;
  }

  /** Sets a listener's mutual TLS behind the controller's back (drift). */
  void setMutualAuthentication(String listenerArn, MutualAuthenticationAttributes mtls) {
    ActualListener l = listener(listenerArn);
    listeners.put(listenerArn, new ActualListener(l.arn(), l.port(), l.protocol(), l.defaultActions(), l.certificateArns(), l.sslPolicy(), mtls));
  }

  /** A listener's attributes as AWS would describe them (only those ever set here). */
  Map<String, String> listenerAttributesOf(String listenerArn) {
    return Map.copyOf(attributes.getOrDefault(listenerArn, Map.of()));
  }

  /** Sets a listener attribute behind the controller's back (drift). */
  void setListenerAttribute(String listenerArn, String key, String value) {
    attributes.computeIfAbsent(listenerArn, k -> new HashMap<>()).put(key, value);
  }

  /** Rules a load balancer may have at most (AWS: TooManyRules, counted per load balancer). */
  FakeElbv2 limitRules(int perLoadBalancer) {
    rulesPerLoadBalancer = perLoadBalancer;
    return this;
  }

  /** Every call so far, e.g. "createLoadBalancer k8s-shop-web-0123456789". */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /** The calls so far that change something (describes left out). */
  List<String> writes() {
    return calls.stream().filter(c -> !READS.contains(c.split(" ")[0])).toList();
  }

  void clearCalls() {
    calls.clear();
  }

  List<ActualLoadBalancer> loadBalancers() {
    return List.copyOf(loadBalancers.values());
  }

  List<ActualTargetGroup> targetGroups() {
    return List.copyOf(targetGroups.values());
  }

  /** A target group someone else made (not tagged as ours); returns its ARN. */
  String addForeignTargetGroup(String name) {
    String arn = arn("targetgroup", name);
    foreignTargetGroups.put(name, arn);
    return arn;
  }

  /** The ipAddressType a target group was created with ("ipv4" when not given, as AWS). */
  String ipAddressTypeOf(String arn) {
    return ipAddressTypes.getOrDefault(arn, "ipv4");
  }

  List<ActualListener> listenersOf(String lbArn) {
    return listeners.values().stream().filter(l -> lbArn.equals(listenerOwner.get(l.arn()))).toList();
  }

  List<ActualRule> rulesOf(String listenerArn) {
    return rules.values().stream().filter(r -> listenerArn.equals(ruleOwner.get(r.arn()))).toList();
  }

  /** Records the call and plays the script: a scripted failure with or without the effect, or the effect. */
  private <T> Future<T> call(String operation, String argument, Supplier<T> effect) {
    calls.add(operation + " " + argument);
    Supplier<?> late = landing.remove(operation);
    if (late != null) {
      try {
        late.get();
      } catch (AwsFailure ignored) {
        // a late call that fails has no effect
      }
    }
    Deque<Failure> planned = script.get(operation);
    Failure failure = planned == null ? null : planned.poll();
    if (failure == null) {
      try {
        return Future.succeededFuture(effect.get());
      } catch (AwsFailure e) {
        return Future.failedFuture(e);
      }
    }
    if (failure.applied()) {
      effect.get();
    }
    if (failure.late()) {
      landing.put(operation, effect);
    }
    return Future.failedFuture(new AwsFailure(failure.kind(), "Scripted", operation + " failed (scripted)", null));
  }

  private String arn(String type, String name) {
    return "arn:aws:elasticloadbalancing:us-west-2:123456789012:" + type + "/" + name + "/" + (++serial);
  }

  /** AWS answers LoadBalancerNotFound for any call on a load balancer that is gone. */
  private String existingLoadBalancer(String arn) {
    if (!loadBalancers.containsKey(arn)) {
      throw notFound("LoadBalancer");
    }
    return arn;
  }

  private String existingTargetGroup(String arn) {
    if (!targetGroups.containsKey(arn)) {
      throw notFound("TargetGroup");
    }
    return arn;
  }

  private static AwsFailure notFound(String what) {
    return new AwsFailure(Kind.NOT_FOUND, what + "NotFound", what + " not found", null);
  }

  // ---- load balancers

  @Override
  public Future<List<ActualLoadBalancer>> describeLoadBalancers() {
    return call("describeLoadBalancers", "", () -> List.copyOf(loadBalancers.values()));
  }

  @Override
  public Future<ActualLoadBalancer> createLoadBalancer(LoadBalancer d) {
    return call("createLoadBalancer", d.name(), () -> {
      // API_CreateLoadBalancer: idempotent by name with the same settings, DuplicateLoadBalancerName otherwise
      ActualLoadBalancer same = loadBalancers.values().stream().filter(lb -> lb.name().equals(d.name())).findFirst().orElse(null);
      if (same != null) {
        // tags are not settings: a load balancer someone else made with the same name and settings is returned
        if (!same.scheme().equals(d.scheme().wireName()) || !same.subnetIds().equals(d.subnetIds().stream().sorted().toList())) {
          throw new AwsFailure(Kind.VALIDATION, "DuplicateLoadBalancerName", "load balancer " + d.name() + " exists", null);
        }
        return same;
      }
      String arn = arn("loadbalancer/app", d.name());
      ActualLoadBalancer lb = new ActualLoadBalancer(arn, d.name(), d.name() + ".elb.example", d.scheme().wireName(),
          d.ipAddressType().wireName(), d.subnetIds().stream().sorted().toList(), d.securityGroups().stream().sorted().toList(),
          Map.copyOf(d.tags()));
      loadBalancers.put(arn, lb);
      return lb;
    });
  }

  @Override
  public Future<Void> deleteLoadBalancer(String arn) {
    return call("deleteLoadBalancer", arn, () -> {
      if (loadBalancers.remove(arn) == null) {
        throw notFound("LoadBalancer");
      }
      List<String> gone = listenersOf(arn).stream().map(ActualListener::arn).toList();
      gone.forEach(this::removeListener);
      return null;
    });
  }

  @Override
  public Future<Void> setSubnets(String arn, List<String> subnetIds) {
    return call("setSubnets", arn, () -> updateLoadBalancer(arn, lb -> new ActualLoadBalancer(lb.arn(), lb.name(), lb.dnsName(),
        lb.scheme(), lb.ipAddressType(), subnetIds.stream().sorted().toList(), lb.securityGroups(), lb.tags())));
  }

  @Override
  public Future<Void> setSecurityGroups(String arn, List<String> securityGroups) {
    return call("setSecurityGroups", arn, () -> updateLoadBalancer(arn, lb -> new ActualLoadBalancer(lb.arn(), lb.name(), lb.dnsName(),
        lb.scheme(), lb.ipAddressType(), lb.subnetIds(), securityGroups.stream().sorted().toList(), lb.tags())));
  }

  @Override
  public Future<Void> setIpAddressType(String arn, String ipAddressType) {
    return call("setIpAddressType", arn, () -> updateLoadBalancer(arn, lb -> new ActualLoadBalancer(lb.arn(), lb.name(), lb.dnsName(),
        lb.scheme(), ipAddressType, lb.subnetIds(), lb.securityGroups(), lb.tags())));
  }

  private Void updateLoadBalancer(String arn, UnaryOperator<ActualLoadBalancer> change) {
    ActualLoadBalancer lb = loadBalancers.get(arn);
    if (lb == null) {
      throw notFound("LoadBalancer");
    }
    loadBalancers.put(arn, change.apply(lb));
    return null;
  }

  @Override
  public Future<Map<String, String>> loadBalancerAttributes(String arn) {
    return call("loadBalancerAttributes", arn, () -> Map.copyOf(attributes.getOrDefault(existingLoadBalancer(arn), Map.of())));
  }

  @Override
  public Future<Void> modifyLoadBalancerAttributes(String arn, Map<String, String> changed) {
    return call("modifyLoadBalancerAttributes", arn, () -> {
      existingLoadBalancer(arn);
      attributes.computeIfAbsent(arn, k -> new HashMap<>()).putAll(changed);
      return null;
    });
  }

  // ---- target groups

  @Override
  public Future<List<ActualTargetGroup>> describeTargetGroups() {
    return call("describeTargetGroups", "", () -> List.copyOf(targetGroups.values()));
  }

  @Override
  public Future<List<ActualTargetGroup>> listTargetGroups() {
    return call("listTargetGroups", "", () -> targetGroups.values().stream().map(tg -> new ActualTargetGroup(tg.arn(), tg.name(),
        tg.protocol(), tg.protocolVersion(), tg.port(), tg.targetType(), tg.healthCheck(), tg.loadBalancerArns(), Map.of())).toList());
  }

  @Override
  public Future<Map<String, String>> targetGroupArnsByName(List<String> names) {
    return call("targetGroupArnsByName", String.join(",", names), () -> {
      Map<String, String> found = new HashMap<>();
      targetGroups.values().stream().filter(tg -> names.contains(tg.name())).forEach(tg -> found.put(tg.name(), tg.arn()));
      names.stream().filter(foreignTargetGroups::containsKey).forEach(n -> found.put(n, foreignTargetGroups.get(n)));
      return found;
    });
  }

  @Override
  public Future<ActualTargetGroup> createTargetGroup(TargetGroup d, String vpcId) {
    return call("createTargetGroup", d.name(), () -> {
      // API_CreateTargetGroup: idempotent by name with the same settings, DuplicateTargetGroupName otherwise
      ActualTargetGroup same = targetGroups.values().stream().filter(tg -> tg.name().equals(d.name())).findFirst().orElse(null);
      if (same != null) {
        if (same.port() != d.port() || !same.protocol().equals(d.protocol().wireName())) {
          throw new AwsFailure(Kind.VALIDATION, "DuplicateTargetGroupName", "target group " + d.name() + " exists", null);
        }
        return same;
      }
      String arn = arn("targetgroup", d.name());
      ActualTargetGroup tg = new ActualTargetGroup(arn, d.name(), d.protocol().wireName(), d.protocolVersion().wireName(), d.port(),
          d.targetType().wireName(), TargetGroupSynth.healthCheck(d.healthCheck()), List.of(), Map.copyOf(d.tags()));
      targetGroups.put(arn, tg);
      d.ipAddressType().ifPresent(t -> ipAddressTypes.put(arn, t));
      return tg;
    });
  }

  @Override
  public Future<ActualTargetGroup> modifyTargetGroup(String arn, TargetGroup d, Map<String, String> tags) {
    return call("modifyTargetGroup", arn, () -> {
      ActualTargetGroup tg = targetGroups.get(arn);
      if (tg == null) {
        throw notFound("TargetGroup");
      }
      ActualTargetGroup now = new ActualTargetGroup(arn, tg.name(), tg.protocol(), tg.protocolVersion(), tg.port(), tg.targetType(),
          TargetGroupSynth.healthCheck(d.healthCheck()), tg.loadBalancerArns(), tg.tags());
      targetGroups.put(arn, now);
      return new ActualTargetGroup(arn, now.name(), now.protocol(), now.protocolVersion(), now.port(), now.targetType(),
          now.healthCheck(), now.loadBalancerArns(), tags);
    });
  }

  @Override
  public Future<Void> deleteTargetGroup(String arn) {
    return call("deleteTargetGroup", arn, () -> {
      boolean used = Stream.concat(listeners.values().stream().flatMap(l -> l.defaultActions().stream()),
          rules.values().stream().flatMap(r -> r.actions().stream())).anyMatch(a -> SdkModel.canonical(a).contains(arn));
      if (used) {
        throw new AwsFailure(Kind.IN_USE, "ResourceInUse", "target group " + arn + " is in use", null);
      }
      if (targetGroups.remove(arn) == null) {
        throw notFound("TargetGroup");
      }
      return null;
    });
  }

  @Override
  public Future<Map<String, String>> targetGroupAttributes(String arn) {
    return call("targetGroupAttributes", arn, () -> Map.copyOf(attributes.getOrDefault(existingTargetGroup(arn), Map.of())));
  }

  @Override
  public Future<Void> modifyTargetGroupAttributes(String arn, Map<String, String> changed) {
    return call("modifyTargetGroupAttributes", arn, () -> {
      existingTargetGroup(arn);
      attributes.computeIfAbsent(arn, k -> new HashMap<>()).putAll(changed);
      return null;
    });
  }

  // ---- listeners

  @Override
  public Future<List<ActualListener>> describeListeners(String loadBalancerArn) {
    return call("describeListeners", loadBalancerArn, () -> listenersOf(existingLoadBalancer(loadBalancerArn)));
  }

  @Override
  public Future<String> createListener(String loadBalancerArn, Listener d, List<Action> defaultActions) {
    return call("createListener", String.valueOf(d.port()), () -> {
      existingLoadBalancer(loadBalancerArn);
      // API_CreateListener: idempotent with the same settings, DuplicateListener for another listener on the port
      ActualListener same = listenersOf(loadBalancerArn).stream().filter(l -> l.port() == d.port()).findFirst().orElse(null);
      if (same != null) {
        if (!same.protocol().equals(d.protocol().wireName()) || !same.defaultActions().equals(stored(defaultActions))) {
          throw new AwsFailure(Kind.VALIDATION, "DuplicateListener", "a listener on port " + d.port() + " exists", null);
        }
        return same.arn();
      }
      String arn = arn("listener/app", String.valueOf(d.port()));
      MutualAuthenticationAttributes mtls = d.protocol() == io.albingress.annotations.Protocol.HTTPS
          ? mtls(d.mutualAuthentication().orElse(null)) : null;
      listeners.put(arn, new ActualListener(arn, d.port(), d.protocol().wireName(), stored(defaultActions),
          d.certificateArns().stream().limit(1).toList(), d.sslPolicy().orElse(null), mtls));
      listenerOwner.put(arn, loadBalancerArn);
      return arn;
    });
  }

  @Override
  public Future<Void> modifyListener(String arn, Listener d, List<Action> defaultActions) {
    return call("modifyListener", String.valueOf(d.port()), () -> {
      ActualListener l = listener(arn);
      List<String> certs = new ArrayList<>(l.certificateArns());
      if (!d.certificateArns().isEmpty()) {
        if (certs.isEmpty()) {
          certs.add(d.certificateArns().get(0));
        } else {
          certs.set(0, d.certificateArns().get(0));
        }
      }
      MutualAuthenticationAttributes mtls = d.protocol() == io.albingress.annotations.Protocol.HTTPS
          ? mtls(d.mutualAuthentication().orElse(null)) : null;
      listeners.put(arn, new ActualListener(arn, d.port(), d.protocol().wireName(), stored(defaultActions), List.copyOf(certs),
          d.sslPolicy().orElse(l.sslPolicy()), mtls));
      return null;
    });
  }

  /** As AWS describes an HTTPS listener's mutual TLS: mode off when none; verify with the AWS defaults filled in. */
  private MutualAuthenticationAttributes mtls(io.albingress.annotations.MutualAuthentication m) {
    if (m == null) {
      return MutualAuthenticationAttributes.builder().mode("off").build();
    }
    MutualAuthenticationAttributes.Builder b = MutualAuthenticationAttributes.builder().mode(m.mode().wireName());
    if (m.mode() == io.albingress.annotations.MutualAuthentication.Mode.VERIFY) {
      String arn = m.trustStore().orElseThrow();
      if (!trustStores.containsValue(arn)) {
        throw notFound("TrustStore");
      }
      b.trustStoreArn(arn).ignoreClientCertificateExpiry(m.ignoreClientCertificateExpiry().orElse(false))
          .advertiseTrustStoreCaNames(m.advertiseTrustStoreCaNames().orElse("off")).trustStoreAssociationStatus("active");
    }
    return b.build();
  }

  @Override
  public Future<Map<String, String>> listenerAttributes(String listenerArn) {
    return call("listenerAttributes", listenerArn, () -> {
      listener(listenerArn);
      return listenerAttributesOf(listenerArn);
    });
  }

  @Override
  public Future<Void> modifyListenerAttributes(String listenerArn, Map<String, String> changed) {
    return call("modifyListenerAttributes", new java.util.TreeMap<>(changed).toString(), () -> {
      listener(listenerArn);
      attributes.computeIfAbsent(listenerArn, k -> new HashMap<>()).putAll(changed);
      return null;
    });
  }

  @Override
  public Future<Map<String, String>> trustStoreArnsByName(List<String> names) {
    return call("trustStoreArnsByName", String.join(",", names), () -> {
      Map<String, String> found = new HashMap<>();
      names.stream().filter(trustStores::containsKey).forEach(n -> found.put(n, trustStores.get(n)));
      return found;
    });
  }

  @Override
  public Future<Void> deleteListener(String arn) {
    return call("deleteListener", arn, () -> {
      listener(arn);
      removeListener(arn);
      return null;
    });
  }

  private void removeListener(String arn) {
    listeners.remove(arn);
    listenerOwner.remove(arn);
    List<String> gone = rulesOf(arn).stream().map(ActualRule::arn).toList();
    gone.forEach(r -> {
      rules.remove(r);
      ruleOwner.remove(r);
    });
  }

  private ActualListener listener(String arn) {
    ActualListener l = listeners.get(arn);
    if (l == null) {
      throw notFound("Listener");
    }
    return l;
  }

  @Override
  public Future<Void> addListenerCertificates(String listenerArn, List<String> certificateArns) {
    return call("addListenerCertificates", String.join(",", certificateArns), () -> certificates(listenerArn, certificateArns, true));
  }

  @Override
  public Future<Void> removeListenerCertificates(String listenerArn, List<String> certificateArns) {
    return call("removeListenerCertificates", String.join(",", certificateArns), () -> certificates(listenerArn, certificateArns, false));
  }

  private Void certificates(String listenerArn, List<String> changed, boolean add) {
    ActualListener l = listener(listenerArn);
    List<String> sni = new ArrayList<>(l.certificateArns().stream().skip(1).toList());
    if (add) {
      changed.stream().filter(c -> !sni.contains(c)).forEach(sni::add);
    } else {
      sni.removeAll(changed);
    }
    List<String> all = new ArrayList<>(l.certificateArns().stream().limit(1).toList());
    all.addAll(sni.stream().sorted().toList());
    listeners.put(listenerArn, new ActualListener(l.arn(), l.port(), l.protocol(), l.defaultActions(), List.copyOf(all), l.sslPolicy(),
        l.mutualAuthentication()));
    return null;
  }

  /** Every OIDC client secret sent to AWS, in order (Describe never returns them: they are stripped when stored). */
  public final List<String> oidcSecretsSent = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** As AWS stores actions: several need an Order each; an OIDC client secret is kept but never returned. */
  private List<Action> stored(List<Action> actions) {
    if (actions.size() > 1 && actions.stream().anyMatch(a -> a.order() == null)) {
      throw new AwsFailure(Kind.VALIDATION, "ValidationError", "an Order is required for each of several actions", null);
    }
    return actions.stream().map(a -> {
      if (a.authenticateOidcConfig() == null) {
        return a;
      }
      oidcSecretsSent.add(a.authenticateOidcConfig().clientSecret());
      return a.toBuilder().authenticateOidcConfig(a.authenticateOidcConfig().toBuilder().clientSecret(null).build()).build();
    }).toList();
  }

  // ---- rules

  @Override
  public Future<List<ActualRule>> describeRules(String listenerArn) {
    return call("describeRules", listenerArn, () -> rulesOf(listener(listenerArn).arn()));
  }

  @Override
  public Future<String> createRule(String listenerArn, int priority, List<RuleCondition> conditions, List<Action> actions,
      List<RuleTransform> transforms, Map<String, String> tags) {
    return call("createRule", String.valueOf(priority), () -> {
      listener(listenerArn);
      if (rulesOf(listenerArn).stream().anyMatch(r -> r.priority() == priority)) {
        throw new AwsFailure(Kind.VALIDATION, "PriorityInUse", "priority " + priority + " is in use", null);
      }
      String lb = listenerOwner.get(listenerArn);
      if (rules.keySet().stream().filter(r -> lb.equals(listenerOwner.get(ruleOwner.get(r)))).count() >= rulesPerLoadBalancer) {
        throw new AwsFailure(Kind.VALIDATION, "TooManyRules", "too many rules", null);
      }
      String arn = arn("listener-rule/app", String.valueOf(priority));
      rules.put(arn, new ActualRule(arn, priority, conditions, stored(actions), transforms));
      ruleOwner.put(arn, listenerArn);
      return arn;
    });
  }

  @Override
  public Future<Void> modifyRule(String arn, List<RuleCondition> conditions, List<Action> actions, List<RuleTransform> transforms) {
    return call("modifyRule", String.valueOf(rules.containsKey(arn) ? rules.get(arn).priority() : -1), () -> {
      ActualRule r = rules.get(arn);
      if (r == null) {
        throw notFound("Rule");
      }
      rules.put(arn, new ActualRule(arn, r.priority(), conditions, stored(actions), transforms));
      return null;
    });
  }

  @Override
  public Future<Void> deleteRule(String arn) {
    return call("deleteRule", String.valueOf(rules.containsKey(arn) ? rules.get(arn).priority() : -1), () -> {
      if (rules.remove(arn) == null) {
        throw notFound("Rule");
      }
      ruleOwner.remove(arn);
      return null;
    });
  }

  /** As AWS: one listener's rules, unique priorities once done (a rule may take one another rule of the call leaves). */
  @Override
  public Future<Void> setRulePriorities(Map<String, Integer> priorities) {
    return call("setRulePriorities", String.valueOf(priorities.size()), () -> {
      Set<String> owners = new HashSet<>();
      priorities.forEach((arn, priority) -> {
        if (!rules.containsKey(arn)) {
          throw notFound("Rule");
        }
        if (priority < 1 || priority > 50_000) {
          throw new AwsFailure(Kind.VALIDATION, "ValidationError", "priority " + priority + " is out of range", null);
        }
        owners.add(ruleOwner.get(arn));
      });
      if (owners.size() > 1) {
        throw new AwsFailure(Kind.VALIDATION, "ValidationError", "rules of several listeners", null);
      }
      Map<Integer, Long> after = new HashMap<>();
      owners.forEach(l -> rulesOf(l).forEach(r -> after.merge(priorities.getOrDefault(r.arn(), r.priority()), 1L, Long::sum)));
      after.forEach((priority, count) -> {
        if (count > 1) {
          throw new AwsFailure(Kind.VALIDATION, "PriorityInUse", "priority " + priority + " is in use", null);
        }
      });
      priorities.forEach((arn, priority) -> {
        ActualRule r = rules.get(arn);
        rules.put(arn, new ActualRule(arn, priority, r.conditions(), r.actions(), r.transforms()));
      });
      return null;
    });
  }

  // ---- tags

  @Override
  public Future<Void> addTags(String arn, Map<String, String> tags) {
    return call("addTags", arn, () -> retag(arn, current -> {
      Map<String, String> all = new HashMap<>(current);
      all.putAll(tags);
      return all;
    }));
  }

  @Override
  public Future<Void> removeTags(String arn, List<String> keys) {
    return call("removeTags", arn, () -> retag(arn, current -> {
      Map<String, String> all = new HashMap<>(current);
      keys.forEach(all::remove);
      return all;
    }));
  }

  @Override
  public Future<Map<String, Map<String, String>>> tags(List<String> arns) {
    return call("tags", String.join(",", arns), () -> {
      Map<String, Map<String, String>> out = new HashMap<>();
      arns.forEach(arn -> {
        if (loadBalancers.containsKey(arn)) {
          out.put(arn, loadBalancers.get(arn).tags());
        } else if (targetGroups.containsKey(arn)) {
          out.put(arn, targetGroups.get(arn).tags());
        }
      });
      return out;
    });
  }

  /** A load balancer someone else made, with exactly this name and these settings (not tagged as ours). */
  void addForeignLoadBalancer(LoadBalancer d, Map<String, String> tags) {
    String arn = arn("loadbalancer/app", d.name());
    loadBalancers.put(arn, new ActualLoadBalancer(arn, d.name(), d.name() + ".elb.example", d.scheme().wireName(),
        d.ipAddressType().wireName(), d.subnetIds().stream().sorted().toList(), d.securityGroups().stream().sorted().toList(), Map.copyOf(tags)));
  }

  private Void retag(String arn, UnaryOperator<Map<String, String>> change) {
    ActualLoadBalancer lb = loadBalancers.get(arn);
    if (lb != null) {
      loadBalancers.put(arn, lb.withTags(change.apply(lb.tags())));
      return null;
    }
    ActualTargetGroup tg = targetGroups.get(arn);
    if (tg == null) {
      throw notFound("Resource");
    }
    targetGroups.put(arn, new ActualTargetGroup(arn, tg.name(), tg.protocol(), tg.protocolVersion(), tg.port(), tg.targetType(),
        tg.healthCheck(), tg.loadBalancerArns(), Map.copyOf(change.apply(tg.tags()))));
    return null;
  }

  // ---- targets (not used by the deployer)

  @Override
  public Future<List<TargetHealthDescription>> targetHealth(String targetGroupArn) {
    return call("targetHealth", targetGroupArn, List::of);
  }

  /** API_RegisterTargets: one invalid target (terminated instance, IP outside the VPC) fails the whole call with InvalidTarget. */
  public FakeElbv2 refuseTargets(String... ids) {
    refusedTargets.addAll(List.of(ids));
    return this;
  }

  public Set<Target> registered(String targetGroupArn) {
    return Set.copyOf(registered.getOrDefault(targetGroupArn, Set.of()));
  }

  @Override
  public Future<Void> registerTargets(String targetGroupArn, List<Target> targets) {
    return call("registerTargets", targetGroupArn + " " + targets.stream().map(Target::id).sorted().toList(), () -> {
      if (targets.stream().anyMatch(t -> refusedTargets.contains(t.id()))) {
        throw new AwsFailure(Kind.VALIDATION, "InvalidTarget", "The following targets are not valid", null);
      }
      registered.computeIfAbsent(targetGroupArn, k -> new java.util.HashSet<>()).addAll(targets);
      return null;
    });
  }

  @Override
  public Future<Void> deregisterTargets(String targetGroupArn, List<Target> targets) {
    return call("deregisterTargets", targetGroupArn + " " + targets.stream().map(Target::id).sorted().toList(), () -> {
      registered.getOrDefault(targetGroupArn, new java.util.HashSet<>()).removeAll(targets);
      return null;
    });
  }
}
