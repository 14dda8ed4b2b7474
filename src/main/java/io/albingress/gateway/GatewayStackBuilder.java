package io.albingress.gateway;

import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.Scheme;
import io.albingress.gateway.Attachment.Refusal;
import io.albingress.model.ClusterFacts;
import io.albingress.model.Listener;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Permission;
import io.albingress.model.Ref;
import io.albingress.model.RuleAction;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.TargetGroup;
import io.albingress.stack.CertificateChoice;
import io.albingress.stack.Names;
import io.albingress.stack.SecurityGroupPlanner;
import io.albingress.stack.StackBuilder;
import io.albingress.stack.SubnetChoice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the {@link Stack} of one Gateway: the same model the Ingress builder produces, deployed by
 * the same deployer. One ALB per Gateway; one ALB listener per port (HTTP or HTTPS) with a fixed 404
 * default; one rule per (match x hostname) of every attached HTTPRoute and GRPCRoute (matches differing
 * only in method share one), priorities 1..n per listener in Gateway API precedence; one target group per (route, Service, port). What cannot be built is
 * reported where it belongs: a conflicted or unsupported listener on that listener, a route ALB cannot
 * serve on that route (it is left out, the others keep working), an unresolvable backend as a rule
 * answering 500 and ResolvedRefs=False on its route. Pure and deterministic. The listener checks are in
 * {@link GatewayListeners}, the rules in {@link GatewayRules}, the target groups in {@link GatewayTargetGroups}.
 */
public final class GatewayStackBuilder {
  public static final int MAX_RULES_PER_LISTENER = 100;
  static final String SERVICE_HEALTH_SUCCESS = "success-codes";
  /** The Gateway's Accepted=False reason when its LoadBalancerConfigurations cannot be used. */
  public static final String INVALID_PARAMETERS = "InvalidParameters";

  /** The result: the stack, its security groups, and what status needs to say about listeners and routes. */
  public record GatewayBuild(Stack stack, Optional<SecurityGroupPlan> securityGroups, List<ListenerState> listeners,
      List<RouteState> routes, Optional<Refusal> notProgrammed, List<ListenerSetState> listenerSets) {
    public GatewayBuild(Stack stack, Optional<SecurityGroupPlan> securityGroups, List<ListenerState> listeners,
        List<RouteState> routes, Optional<Refusal> notProgrammed) {
      this(stack, securityGroups, listeners, routes, notProgrammed, List.of());
    }

    /** The Gateway's own listeners (without those its ListenerSets add). */
    public List<ListenerState> gatewayListeners() {
      return listeners.stream().filter(l -> !ListenerSets.fromListenerSet(l.name())).toList();
    }
  }

  /**
   * A ListenerSet naming this Gateway: accepted by it or not (NotAllowed), and its listeners' states (by the names the
   * ListenerSet gives them) once merged into the Gateway's.
   */
  public record ListenerSetState(ListenerSet set, boolean accepted, List<ListenerState> listeners) {}

  /** One Gateway listener: Accepted (protocol), Conflicted, Programmed and its attached routes. */
  public record ListenerState(String name, int port, String protocol, int attachedRoutes, Optional<Refusal> notAccepted,
      Optional<Refusal> conflicted, Optional<Refusal> notProgrammed, Optional<Refusal> unresolvedRefs) {
    public ListenerState(String name, int port, String protocol, int attachedRoutes, Optional<Refusal> notAccepted,
        Optional<Refusal> conflicted, Optional<Refusal> notProgrammed) {
      this(name, port, protocol, attachedRoutes, notAccepted, conflicted, notProgrammed, Optional.empty());
    }

    public boolean valid() {
      return notAccepted.isEmpty() && conflicted.isEmpty();
    }

    ListenerState named(String other) {
      return new ListenerState(other, port, protocol, attachedRoutes, notAccepted, conflicted, notProgrammed, unresolvedRefs);
    }

    ListenerState withAttached(int n) {
      return new ListenerState(name, port, protocol, n, notAccepted, conflicted, notProgrammed, unresolvedRefs);
    }

    ListenerState notProgrammed(Refusal why) {
      return new ListenerState(name, port, protocol, attachedRoutes, notAccepted, conflicted, Optional.of(why), unresolvedRefs);
    }

    /** ResolvedRefs=False for its tls.certificateRefs. */
    ListenerState unresolvedRefs(Refusal why) {
      return new ListenerState(name, port, protocol, attachedRoutes, notAccepted, conflicted, notProgrammed, Optional.of(why));
    }
  }

  /**
   * One route that names this Gateway: its parentRefs' attachment, what ALB cannot do of it (the
   * route is then refused with UnsupportedValue), and the first backend that could not be resolved.
   */
  public record RouteState(HTTPRoute route, List<Attachment.Parent> parents, List<String> unsupported, Optional<Refusal> unresolved) {
    public boolean attached() {
      return unsupported.isEmpty() && parents.stream().anyMatch(Attachment.Parent::accepted);
    }
  }

  public GatewayBuild build(StackId id, GatewayInputs in, ClusterFacts facts) {
    ListenerSets.Sets sets = in.sets();
    ListenerSets.Merged merged = ListenerSets.merge(in.gateway(), sets);
    Gateway gw = merged.gateway();
    Map<String, ListenerState> byName = GatewayListeners.listenerStates(merged);

    List<RouteState> routes = routeStates(in, gw, sets, byName);
    // attachedRoutes: routes accepted on each listener
    Map<String, Integer> attached = new HashMap<>();
    routes.stream().filter(RouteState::attached).forEach(r -> r.parents().stream().filter(Attachment.Parent::accepted)
        .flatMap(p -> p.hostnames().keySet().stream()).distinct().forEach(l -> attached.merge(l, 1, Integer::sum)));
    byName.replaceAll((n, l) -> l.withAttached(attached.getOrDefault(n, 0)));

    Context ctx = new Context(id, in, facts, new GatewayTargetGroups(id, in, facts));
    LoadBalancerOrProblem lb = in.parameters().problems().isEmpty() ? loadBalancer(ctx)
        : new LoadBalancerOrProblem(null, Optional.of(new Refusal(INVALID_PARAMETERS, String.join("; ", in.parameters().problems()))));
    if (lb.problem().isPresent()) {
      return new GatewayBuild(new Stack(id, List.of(), null, List.of(), List.of(), List.of(), List.of(new Stack.MemberError(in.gatewayName(),
          List.of(lb.problem().get().message())))), Optional.empty(), List.copyOf(byName.values()), routes, lb.problem(),
          GatewayListeners.setStates(sets, byName));
    }
    List<Listener> albListeners = new ArrayList<>();
    List<ListenerRule> albRules = new ArrayList<>();
    Map<String, Optional<Refusal>> unresolved = new HashMap<>();
    Map<Integer, List<ListenerState>> byPort = new TreeMap<>();
    byName.values().stream().filter(ListenerState::valid).forEach(l -> byPort.computeIfAbsent(l.port(), p -> new ArrayList<>()).add(l));
    for (var entry : byPort.entrySet()) {
      int port = entry.getKey();
      List<ListenerState> on = entry.getValue();
      Protocol protocol = Protocol.valueOf(on.get(0).protocol());
      Map<HTTPRoute, List<String>> hostsOn = GatewayRules.routesOn(routes, on);
      List<String> certificates = List.of();
      Optional<LoadBalancerConfig.ListenerConfig> configured = ctx.config().listener(protocol.name(), port);
      // the listeners' tls.certificateRefs (imported into ACM) first, then the configuration's; discovery only without both
      List<String> referenced = protocol != Protocol.HTTPS ? List.of() : GatewayListeners.certificateRefs(in, on, byName);
      if (on.stream().allMatch(l -> byName.get(l.name()).notProgrammed().isPresent())) {
        continue; // every listener of the port names certificateRefs none of which can be used: no discovery in their place
      }
      if (protocol == Protocol.HTTPS && (!referenced.isEmpty() || configured.map(c -> !c.allCertificates().isEmpty()).orElse(false))) {
        LinkedHashSet<String> all = new LinkedHashSet<>(referenced);
        configured.ifPresent(c -> all.addAll(c.allCertificates()));
        certificates = List.copyOf(all);
      } else if (protocol == Protocol.HTTPS) {
        List<String> hosts = new ArrayList<>();
        on.stream().map(l -> gw.getSpec().getListeners().stream().filter(x -> x.getName().equals(l.name())).findFirst().orElseThrow())
            .map(io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener::getHostname).filter(Objects::nonNull).forEach(hosts::add);
        hostsOn.values().forEach(hosts::addAll);
        certificates = hosts.stream().filter(h -> !h.isEmpty()).distinct()
            .map(h -> CertificateChoice.forHost(h, facts.certificates())).flatMap(Optional::stream).distinct().toList();
        if (certificates.isEmpty()) {
          Refusal why = new Refusal("Invalid", "HTTPS needs a certificate and " + (hosts.isEmpty()
              ? "neither the listener (tls.certificateRefs, hostname) nor its routes name one"
              : "no ISSUED ACM certificate covers " + String.join(", ", new LinkedHashSet<>(hosts))));
          on.forEach(l -> byName.put(l.name(), byName.get(l.name()).notProgrammed(why)));
          continue;
        }
      }
      List<ListenerRule> rules = GatewayRules.rules(ctx, port, protocol, hostsOn, unresolved);
      if (rules.size() > MAX_RULES_PER_LISTENER) {
        Refusal why = new Refusal("Invalid", rules.size() + " rules on port " + port + " exceed ALB's limit of "
            + MAX_RULES_PER_LISTENER + " per listener");
        on.forEach(l -> byName.put(l.name(), byName.get(l.name()).notProgrammed(why)));
        continue;
      }
      String lid = String.valueOf(port);
      Optional<String> sslPolicy = protocol != Protocol.HTTPS ? Optional.empty()
          : Optional.of(configured.flatMap(LoadBalancerConfig.ListenerConfig::sslPolicy).orElse(StackBuilder.DEFAULT_SSL_POLICY));
      albListeners.add(new Listener(lid, Ref.to("LoadBalancer", LoadBalancer.RESOURCE_ID), protocol, port, RuleAction.FixedResponse.NOT_FOUND,
          certificates, sslPolicy, ctx.loadBalancerTags(lid), configured.flatMap(LoadBalancerConfig.ListenerConfig::mutualAuthentication),
          configured.map(LoadBalancerConfig.ListenerConfig::attributes).orElse(Map.of())));
      albRules.addAll(rules);
    }
    List<RouteState> finalRoutes = routes.stream().map(r -> new RouteState(r.route(), r.parents(), r.unsupported(),
        unresolved.getOrDefault(GatewayInputs.name(r.route()), Optional.empty()))).toList();
    List<String> members = new ArrayList<>();
    members.add(in.gatewayName());
    finalRoutes.stream().filter(RouteState::attached).map(r -> GatewayInputs.name(r.route())).forEach(members::add);
    List<Stack.MemberError> errors = finalRoutes.stream().filter(r -> !r.unsupported().isEmpty())
        .map(r -> new Stack.MemberError(GatewayInputs.name(r.route()), r.unsupported())).toList();
    // only target groups some rule forwards to
    Stack stack = new Stack(id, members, ListenerRuleConfigs.withOidcSecretsTag(lb.loadBalancer(), albRules), albListeners, albRules,
        ctx.targetGroups().used(albRules), errors);
    Optional<Refusal> notProgrammed = albListeners.isEmpty()
        ? Optional.of(new Refusal("Invalid", "no listener can be programmed (see the listener conditions)")) : Optional.empty();
    return new GatewayBuild(stack, Optional.of(securityGroups(stack, facts, ctx.config())), List.copyOf(byName.values()), finalRoutes,
        notProgrammed, GatewayListeners.setStates(sets, byName));
  }

  /** The routes that name this Gateway (or its ListenerSets), attached to its valid listeners, oldest first. */
  private static List<RouteState> routeStates(GatewayInputs in, Gateway merged, ListenerSets.Sets sets, Map<String, ListenerState> byName) {
    List<RouteState> routes = new ArrayList<>();
    for (HTTPRoute route : sorted(in.routes())) {
      List<Attachment.Parent> parents = Attachment.attach(merged, route, in.namespaceLabels(), sets).stream()
          .map(p -> GatewayListeners.onValidListeners(p, byName)).toList();
      if (!parents.isEmpty()) {
        routes.add(new RouteState(route, parents, routeProblems(route), Optional.empty()));
      }
    }
    return routes;
  }

  /**
   * The target groups the Gateway's rules forward to, as {@link #build} makes them, but without anything
   * that depends on AWS facts: an HTTPS listener that can get a certificate at all ({@link #mayHaveCertificate})
   * counts as programmed, whether or not ACM holds one for it. Target group names depend on the cluster, the Gateway, the route and the backend only, so
   * these are the names {@link #build} deploys, on any replica, before any reconciliation (the readiness
   * gates of IP targets are named after them). Empty when the Gateway's parameters cannot be used.
   */
  public List<TargetGroup> forwardedTargetGroups(StackId id, GatewayInputs in, ClusterFacts facts) {
    if (!in.parameters().problems().isEmpty()) {
      return List.of();
    }
    ListenerSets.Sets sets = in.sets();
    ListenerSets.Merged merged = ListenerSets.merge(in.gateway(), sets);
    Map<String, ListenerState> byName = GatewayListeners.listenerStates(merged);
    List<RouteState> routes = routeStates(in, merged.gateway(), sets, byName);
    Context ctx = new Context(id, in, facts, new GatewayTargetGroups(id, in, facts));
    Map<Integer, List<ListenerState>> byPort = new TreeMap<>();
    byName.values().stream().filter(ListenerState::valid).forEach(l -> byPort.computeIfAbsent(l.port(), p -> new ArrayList<>()).add(l));
    List<ListenerRule> all = new ArrayList<>();
    for (var entry : byPort.entrySet()) {
      List<ListenerState> on = entry.getValue();
      Protocol protocol = Protocol.valueOf(on.get(0).protocol());
      Map<HTTPRoute, List<String>> hostsOn = GatewayRules.routesOn(routes, on);
      if (protocol == Protocol.HTTPS && !GatewayListeners.mayHaveCertificate(in, merged.gateway(), entry.getKey(), on, hostsOn)) {
        continue; // build() leaves such a listener out whatever ACM holds
      }
      List<ListenerRule> rules = GatewayRules.rules(ctx, entry.getKey(), protocol, hostsOn, new HashMap<>());
      if (rules.size() <= MAX_RULES_PER_LISTENER) {
        all.addAll(rules);
      }
    }
    return ctx.targetGroups().used(all);
  }

  /**
   * What ALB cannot do of a route on its own, whatever Gateway it attaches to: each rule's
   * {@link RouteMapping#unsupported} and more ALB rules than a listener takes. The route is refused in
   * its status with these; the admission webhook denies the same list.
   */
  public static List<String> routeProblems(HTTPRoute route) {
    if (route instanceof GrpcRoutes.View grpc) {
      return GrpcRoutes.problems(grpc.source());
    }
    List<String> problems = new ArrayList<>();
    List<HTTPRouteRule> rules = RouteMapping.nonNull(route.getSpec() == null ? null : route.getSpec().getRules());
    for (int i = 0; i < rules.size(); i++) {
      problems.addAll(RouteMapping.unsupported(rules.get(i), "spec.rules[" + i + "]"));
    }
    int fewest = fewestRules(route);
    if (fewest > MAX_RULES_PER_LISTENER) {
      problems.add("spec.rules: " + rules.size() + " rules with their matches need at least " + fewest + " ALB rules, over ALB's limit of "
          + MAX_RULES_PER_LISTENER + " per listener; split its rules over HTTPRoutes of different Gateways (one ALB each)");
    }
    return problems;
  }

  /**
   * The fewest ALB rules a route makes on a listener it attaches to: one per match, matches differing only
   * in method counting once ({@link MethodMerging}; a rule without matches is one), for every hostname it is served under there (at least one).
   */
  static int fewestRules(HTTPRoute route) {
    return RouteMapping.nonNull(route.getSpec() == null ? null : route.getSpec().getRules()).stream()
        .mapToInt(r -> MethodMerging.fewestRules(RouteMapping.nonNull(r.getMatches()))).sum();
  }

  /** Oldest first, then namespace/name: the order attachedRoutes and status are computed in. */
  private static List<HTTPRoute> sorted(List<HTTPRoute> routes) {
    List<HTTPRoute> out = new ArrayList<>(routes);
    out.sort(java.util.Comparator.comparing((HTTPRoute r) -> Objects.toString(r.getMetadata().getCreationTimestamp(), "~"))
        .thenComparing(GatewayInputs::name));
    return out;
  }

  private record LoadBalancerOrProblem(LoadBalancer loadBalancer, Optional<Refusal> problem) {}

  /**
   * The ALB as the LoadBalancerConfiguration says (parsed and checked beforehand): scheme (default internal), IP
   * address type, subnets by identifier (ID or Name tag), by tag selector, or discovered for the scheme; name,
   * attributes, WAFv2 web ACL (ARN or name), Shield Advanced and tags.
   */
  private static LoadBalancerOrProblem loadBalancer(Context ctx) {
    LoadBalancerConfig c = ctx.config();
    Scheme scheme = c.scheme().map(v -> v.equals(Scheme.INTERNET_FACING.wireName()) ? Scheme.INTERNET_FACING : Scheme.INTERNAL)
        .orElse(Scheme.INTERNAL);
    IpAddressType ipType = c.ipAddressType().flatMap(v -> java.util.Arrays.stream(IpAddressType.values())
        .filter(t -> t.wireName().equals(v)).findFirst()).orElse(IpAddressType.IPV4);
    List<String> subnets;
    if (c.subnets().isPresent()) {
      subnets = ctx.facts().subnets().known() ? SubnetChoice.explicit(c.subnets().get(), ctx.facts().subnets().get()).subnetIds()
          : c.subnets().get();
    } else if (c.subnetSelector().isPresent()) {
      if (!ctx.facts().subnets().known()) {
        subnets = List.of("<discovered: tags " + new TreeMap<>(c.subnetSelector().get()) + ">");
      } else {
        SubnetChoice.Result found = SubnetChoice.byTags(ctx.facts().clusterName(), c.subnetSelector().get(), ctx.facts().subnets().get(),
            "LoadBalancerConfiguration loadBalancerSubnetsSelector");
        if (found.problem().isPresent()) {
          return new LoadBalancerOrProblem(null, Optional.of(new Refusal(INVALID_PARAMETERS, found.problem().get())));
        }
        subnets = found.subnetIds();
      }
    } else if (!ctx.facts().subnets().known()) {
      subnets = List.of("<discovered: " + (scheme == Scheme.INTERNET_FACING ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb") + ">");
    } else {
      SubnetChoice.Result found = SubnetChoice.discover(ctx.facts().clusterName(), scheme, ctx.facts().subnets().get());
      if (found.problem().isPresent()) {
        return new LoadBalancerOrProblem(null, Optional.of(new Refusal("Invalid", found.problem().get())));
      }
      subnets = found.subnetIds();
    }
    String name = c.loadBalancerName().orElseGet(() -> Names.loadBalancer(ctx.facts().clusterName(), ctx.id(), scheme));
    Optional<String> wafArn = c.wafv2WebAcl().filter(w -> w.startsWith("arn:"));
    Optional<String> wafName = c.wafv2WebAcl().filter(w -> !w.startsWith("arn:"));
    return new LoadBalancerOrProblem(new LoadBalancer(LoadBalancer.RESOURCE_ID, name, scheme, ipType, subnets,
        c.securityGroups().orElse(List.of()), c.loadBalancerAttributes(), wafArn, c.shieldAdvanced(), wafName, Optional.empty(),
        ctx.loadBalancerTags(LoadBalancer.RESOURCE_ID)), Optional.empty());
  }

  /**
   * The LoadBalancerConfiguration's securityGroups (by name or ID) replace the managed frontend group; then the
   * backend group only with manageBackendSecurityGroupRules, as for an Ingress. Otherwise a managed frontend group
   * open on every listener port to sourceRanges and securityGroupPrefixes, by default 0.0.0.0/0 (and ::/0 on a
   * dualstack ALB), and the backend group's ports.
   */
  static SecurityGroupPlan securityGroups(Stack stack, ClusterFacts facts, LoadBalancerConfig config) {
    List<String> userGroups = config.securityGroups().orElse(List.of());
    if (!userGroups.isEmpty()) {
      boolean manage = config.manageBackendSecurityGroupRules().orElse(false);
      return new SecurityGroupPlan(Optional.empty(), userGroups, manage,
          manage ? SecurityGroupPlanner.backendPorts(stack.targetGroups()) : List.of());
    }
    boolean dualstack = stack.loadBalancer().ipAddressType() != IpAddressType.IPV4;
    List<String> cidrs = config.sourceRanges().orElse(List.of());
    List<String> prefixLists = config.securityGroupPrefixes().orElse(List.of());
    if (cidrs.isEmpty() && prefixLists.isEmpty()) {
      cidrs = new ArrayList<>(SecurityGroupPlanner.OPEN_V4);
      cidrs.addAll(SecurityGroupPlanner.OPEN_V6);
    }
    SortedSet<Permission> ingress = new TreeSet<>();
    for (Listener l : stack.listeners()) {
      cidrs.stream().filter(c -> dualstack || !c.contains(":")).forEach(c -> ingress.add(Permission.tcpFromCidr(l.port(), c)));
      prefixLists.forEach(pl -> ingress.add(Permission.tcp(l.port(), Permission.Peer.PREFIX_LIST, pl)));
    }
    Map<String, String> tags = new LinkedHashMap<>(stack.loadBalancer().tags());
    tags.put(stack.id().resourceTagKey(), SecurityGroupPlan.FRONTEND_RESOURCE_ID);
    var frontend = new SecurityGroupPlan.ManagedGroup(SecurityGroupPlanner.frontendName(facts.clusterName(), stack.id()),
        SecurityGroupPlan.FRONTEND_DESCRIPTION, tags, ingress);
    return new SecurityGroupPlan(Optional.of(frontend), List.of(), true, SecurityGroupPlanner.backendPorts(stack.targetGroups()));
  }

  record Context(StackId id, GatewayInputs in, ClusterFacts facts, GatewayTargetGroups targetGroups) {
    Map<String, String> tags(String resourceId) {
      return GatewayStackBuilder.tags(id, facts, resourceId);
    }

    LoadBalancerConfig config() {
      return in.parameters().config();
    }

    /**
     * The load balancer's, its listeners' and its security group's tags: the defaults, then the
     * LoadBalancerConfiguration's tags (as the reference puts them on all three), under our ownership tags.
     */
    Map<String, String> loadBalancerTags(String resourceId) {
      Map<String, String> tags = new LinkedHashMap<>(facts.defaultTags());
      config().tags().forEach(tags::putIfAbsent);
      tags.putAll(id.ownerTags(facts.clusterName(), resourceId));
      return tags;
    }
  }

  static Map<String, String> tags(StackId id, ClusterFacts facts, String resourceId) {
    Map<String, String> tags = new LinkedHashMap<>(facts.defaultTags());
    tags.putAll(id.ownerTags(facts.clusterName(), resourceId));
    return tags;
  }
}
