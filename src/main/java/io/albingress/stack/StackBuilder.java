package io.albingress.stack;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.Action;
import io.albingress.annotations.Condition;
import io.albingress.annotations.IngressAnnotations;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.ListenPort;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.Scheme;
import io.albingress.model.ClusterFacts;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.IngressRoutes;
import io.albingress.model.ListenPorts;
import io.albingress.model.Listener;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Ref;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.albingress.model.Tags;
import io.albingress.model.TargetGroup;
import io.albingress.validation.AwsFacts;
import io.albingress.validation.IngressValidator;
import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the desired {@link Stack} of an IngressGroup: pure, deterministic, no I/O. Members are
 * validated in group order against the members accepted before them, so an invalid or conflicting
 * member is left out with its problems instead of blocking the group.
 */
public final class StackBuilder {
  public static final String DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";

  private final IngressClassMatcher classes;

  public StackBuilder(IngressClassMatcher classes) {
    this.classes = classes;
  }

  /** A member that passed validation, with its parsed annotations. */
  record Member(Ingress ingress, IngressConfig config, List<ListenPort> ports) {
    String name() {
      return ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
    }

    Map<String, String> annotations() {
      Map<String, String> a = ingress.getMetadata().getAnnotations();
      return a == null ? Map.of() : a;
    }
  }

  public Stack build(IngressGroup group, ClusterFacts facts) {
    List<Stack.MemberError> errors = new ArrayList<>();
    List<Member> members = accept(group, facts, errors);
    if (members.isEmpty()) {
      return new Stack(group.id(), List.of(), null, List.of(), List.of(), List.of(), errors);
    }
    StackContext ctx = new StackContext(group, facts, members);
    TargetGroups targetGroups = new TargetGroups(ctx);
    List<ListenerRule> rules = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    Set<String> excluded = new LinkedHashSet<>();
    LoadBalancer lb = loadBalancer(ctx, errors);
    if (lb == null) {
      return new Stack(group.id(), List.of(), null, List.of(), List.of(), List.of(), errors);
    }
    for (ListenPort port : ctx.ports()) {
      listeners.add(listener(ctx, port, targetGroups, errors, excluded));
      rules.addAll(rules(ctx, port, targetGroups, errors, excluded));
    }
    List<String> names = members.stream().map(Member::name).filter(n -> !excluded.contains(n)).toList();
    return new Stack(group.id(), names, lb, listeners, rules, targetGroups.all(), errors);
  }

  private List<Member> accept(IngressGroup group, ClusterFacts facts, List<Stack.MemberError> errors) {
    IngressValidator validator = new IngressValidator(classes, facts.region(), facts.vpcId());
    AwsFacts aws = new AwsFacts(facts.subnets(), facts.certificates());
    List<Member> accepted = new ArrayList<>();
    GroupView view = new GroupView(group, accepted);
    for (Ingress ingress : group.members()) {
      Verdict verdict = validator.validate(ingress, view, aws);
      String name = ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
      if (!verdict.allowed()) {
        errors.add(new Stack.MemberError(name, verdict.denials()));
        continue;
      }
      Optional<String> missing = missingService(group, ingress);
      if (missing.isPresent()) {
        errors.add(new Stack.MemberError(name, List.of(missing.get())));
        continue;
      }
      IngressConfig config = IngressAnnotations.parse(annotations(ingress)).value();
      boolean wantsTls = !config.certificateArns().isEmpty() || IngressRoutes.hasTls(ingress);
      accepted.add(new Member(ingress, config, ListenPorts.effective(config, wantsTls)));
    }
    return accepted;
  }

  /** The builder needs every backend Service (NodePorts, target ports); the webhook only warns. */
  private static Optional<String> missingService(IngressGroup group, Ingress ingress) {
    String ns = ingress.getMetadata().getNamespace();
    Map<String, Action> actions = IngressAnnotations.parse(annotations(ingress)).value().actions();
    for (IngressRoutes.Route route : IngressRoutes.of(ingress)) {
      for (String svc : TargetGroups.servicesOf(route, actions)) {
        if (group.service(ns, svc).isEmpty()) {
          return Optional.of(route.field() + ": Service " + ns + "/" + svc + " does not exist; the Ingress is left out until it does");
        }
      }
    }
    return Optional.empty();
  }

  private LoadBalancer loadBalancer(StackContext ctx, List<Stack.MemberError> errors) {
    Scheme scheme = ctx.first("scheme", IngressConfig::scheme, Scheme.INTERNAL);
    IpAddressType ipType = ctx.first("ip-address-type", IngressConfig::ipAddressType, IpAddressType.IPV4);
    List<String> explicitSubnets = ctx.first("subnets", IngressConfig::subnets, List.of());
    List<String> subnets;
    if (!explicitSubnets.isEmpty()) {
      subnets = ctx.facts().subnets().known() ? SubnetChoice.explicit(explicitSubnets, ctx.facts().subnets().get()).subnetIds() : explicitSubnets;
    } else if (!ctx.facts().subnets().known()) {
      subnets = List.of("<discovered: " + (scheme == Scheme.INTERNET_FACING ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb") + ">");
    } else {
      SubnetChoice.Result found = SubnetChoice.discover(ctx.facts().clusterName(), scheme, ctx.facts().subnets().get());
      if (found.problem().isPresent()) {
        ctx.members().forEach(m -> errors.add(new Stack.MemberError(m.name(), List.of(found.problem().get()))));
        return null;
      }
      subnets = found.subnetIds();
    }
    String name = ctx.first("load-balancer-name", IngressConfig::loadBalancerName, Optional.<String>empty())
        .orElseGet(() -> Names.loadBalancer(ctx.facts().clusterName(), ctx.group().id(), scheme));
    Map<String, String> attributes = new TreeMap<>();
    ctx.members().forEach(m -> m.config().loadBalancerAttributes().forEach(attributes::putIfAbsent));
    return new LoadBalancer(LoadBalancer.RESOURCE_ID, name, scheme, ipType, subnets,
        ctx.first("security-groups", IngressConfig::securityGroups, List.of()), attributes,
        ctx.first("wafv2-acl-arn", IngressConfig::wafv2AclArn, Optional.<String>empty()),
        ctx.first("shield-advanced-protection", IngressConfig::shieldAdvancedProtection, Optional.<Boolean>empty()),
        ctx.tags(LoadBalancer.RESOURCE_ID));
  }

  private Listener listener(StackContext ctx, ListenPort port, TargetGroups tgs, List<Stack.MemberError> errors, Set<String> excluded) {
    String id = String.valueOf(port.port());
    Ref lb = Ref.to("LoadBalancer", LoadBalancer.RESOURCE_ID);
    List<String> certificates = port.protocol() == Protocol.HTTPS ? certificates(ctx, port, errors, excluded) : List.of();
    Optional<String> policy = port.protocol() == Protocol.HTTPS
        ? Optional.of(ctx.first("ssl-policy", IngressConfig::sslPolicy, Optional.<String>empty()).orElse(DEFAULT_SSL_POLICY))
        : Optional.empty();
    return new Listener(id, lb, port.protocol(), port.port(), defaultAction(ctx, port, tgs), certificates, policy, ctx.tags(id));
  }

  private RuleAction defaultAction(StackContext ctx, ListenPort port, TargetGroups tgs) {
    Optional<Integer> redirect = ctx.sslRedirect();
    if (port.protocol() == Protocol.HTTP && redirect.isPresent()) {
      return RuleAction.Redirect.toHttps(redirect.get());
    }
    for (Member m : ctx.membersOn(port)) {
      for (IngressRoutes.Route route : IngressRoutes.of(m.ingress())) {
        if (route.isDefaultBackend()) {
          return tgs.action(m, route);
        }
      }
    }
    return RuleAction.FixedResponse.NOT_FOUND;
  }

  private List<String> certificates(StackContext ctx, ListenPort port, List<Stack.MemberError> errors, Set<String> excluded) {
    LinkedHashSet<String> arns = new LinkedHashSet<>();
    for (Member m : ctx.membersOn(port)) {
      if (!m.config().certificateArns().isEmpty()) {
        arns.addAll(m.config().certificateArns());
        continue;
      }
      for (String host : IngressRoutes.hosts(m.ingress())) {
        Optional<String> arn = CertificateChoice.forHost(host, ctx.facts().certificates());
        if (arn.isPresent()) {
          arns.add(arn.get());
        } else if (excluded.add(m.name())) {
          errors.add(new Stack.MemberError(m.name(), List.of("no ISSUED ACM certificate covers host " + host + " for " + port)));
        }
      }
    }
    return List.copyOf(arns);
  }

  private List<ListenerRule> rules(StackContext ctx, ListenPort port, TargetGroups tgs, List<Stack.MemberError> errors, Set<String> excluded) {
    List<ListenerRule> rules = new ArrayList<>();
    if (port.protocol() == Protocol.HTTP && ctx.sslRedirect().isPresent()) {
      return rules; // every request is redirected by the default action
    }
    Ref listener = Ref.to("Listener", String.valueOf(port.port()));
    for (Member m : ctx.membersOn(port)) {
      if (excluded.contains(m.name())) {
        continue;
      }
      for (IngressRoutes.Route route : IngressRoutes.of(m.ingress())) {
        if (route.isDefaultBackend()) {
          continue;
        }
        int priority = rules.size() + 1;
        String id = port.port() + ":" + priority;
        rules.add(new ListenerRule(id, listener, priority, conditions(m, route), tgs.action(m, route),
            m.name() + " " + route.field(), ctx.tags(id)));
      }
    }
    return rules;
  }

  private static List<Condition> conditions(Member m, IngressRoutes.Route route) {
    List<Condition> conditions = new ArrayList<>();
    route.host().ifPresent(h -> conditions.add(new Condition("host-header", Optional.empty(), List.of(h))));
    List<String> paths = pathPatterns(route);
    if (!paths.isEmpty()) {
      conditions.add(new Condition("path-pattern", Optional.empty(), paths));
    }
    String service = route.backend() == null || route.backend().getService() == null ? null : route.backend().getService().getName();
    if (service != null) {
      conditions.addAll(m.config().conditions().getOrDefault(service, List.of()));
    }
    return conditions;
  }

  /** Exact stays; Prefix /a is /a and /a/*, and / is /*; ImplementationSpecific is taken as written. */
  static List<String> pathPatterns(IngressRoutes.Route route) {
    if (route.path().isEmpty()) {
      return List.of();
    }
    String path = route.path().get();
    return switch (route.pathType()) {
      case "Exact" -> List.of(path);
      case "Prefix" -> {
        if (path.equals("/")) {
          yield List.of("/*");
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        yield List.of(trimmed, trimmed + "/*");
      }
      default -> List.of(path);
    };
  }

  static Map<String, String> annotations(Ingress ingress) {
    Map<String, String> a = ingress.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  /** Group-wide settings: the first member that sets an annotation decides it. */
  record StackContext(IngressGroup group, ClusterFacts facts, List<Member> members) {
    <T> T first(String annotation, Function<IngressConfig, T> get, T fallback) {
      return members.stream().filter(m -> m.annotations().containsKey(key(annotation))).findFirst()
          .map(m -> get.apply(m.config())).orElse(fallback);
    }

    Optional<Integer> sslRedirect() {
      return first("ssl-redirect", IngressConfig::sslRedirectPort, Optional.<Integer>empty());
    }

    List<ListenPort> ports() {
      Map<Integer, ListenPort> byPort = new TreeMap<>();
      members.forEach(m -> m.ports().forEach(p -> byPort.putIfAbsent(p.port(), p)));
      return List.copyOf(byPort.values());
    }

    List<Member> membersOn(ListenPort port) {
      return members.stream().filter(m -> m.ports().contains(port)).toList();
    }

    /** User tags (defaults, then members in order) under our ownership tags, which always win. */
    Map<String, String> tags(String resourceId) {
      Map<String, String> tags = new LinkedHashMap<>(facts.defaultTags());
      members.forEach(m -> m.config().tags().forEach(tags::putIfAbsent));
      tags.put(Tags.CLUSTER, facts.clusterName());
      tags.put(Tags.STACK, group.id().tagValue());
      tags.put(Tags.RESOURCE, resourceId);
      return tags;
    }
  }
}
