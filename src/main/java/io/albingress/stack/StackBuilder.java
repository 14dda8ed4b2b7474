package io.albingress.stack;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.Action;
import io.albingress.annotations.AuthAnnotations;
import io.albingress.annotations.AuthConfig;
import io.albingress.annotations.AuthType;
import io.albingress.annotations.Condition;
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
import io.albingress.model.OidcClient;
import io.albingress.model.OidcSecrets;
import io.albingress.model.ParsedIngress;
import io.albingress.model.Ref;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.albingress.model.Tags;
import io.albingress.model.TargetGroup;
import io.albingress.model.params.ClassParams;
import io.albingress.validation.AwsFacts;
import io.albingress.validation.IngressValidator;
import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final OidcSecrets secrets;

  /** Without Secrets: OIDC clients are placeholders (plan, and builds that need only target groups). */
  public StackBuilder(IngressClassMatcher classes) {
    this(classes, OidcSecrets.OFFLINE);
  }

  public StackBuilder(IngressClassMatcher classes, OidcSecrets secrets) {
    this.classes = classes;
    this.secrets = secrets;
  }

  /** A member that passed validation, with its parsed annotations and the certificates its HTTPS listeners need. */
  record Member(ParsedIngress parsed, List<ListenPort> ports, List<String> certificates) {
    Ingress ingress() {
      return parsed.ingress();
    }

    IngressConfig config() {
      return parsed.config();
    }

    String name() {
      return ingress().getMetadata().getNamespace() + "/" + ingress().getMetadata().getName();
    }

    Map<String, String> annotations() {
      return parsed.annotations();
    }
  }

  public Stack build(IngressGroup group, ClusterFacts facts) {
    List<Stack.MemberError> errors = new ArrayList<>();
    // every member left out is known before anything is built, so none leaves rules or target groups behind
    List<Member> members = accept(group, facts, errors);
    if (members.isEmpty()) {
      return new Stack(group.id(), List.of(), null, List.of(), List.of(), List.of(), errors);
    }
    StackContext ctx = new StackContext(group, facts, members);
    LoadBalancer lb = loadBalancer(ctx, errors);
    if (lb == null) {
      return new Stack(group.id(), List.of(), null, List.of(), List.of(), List.of(), errors);
    }
    TargetGroups targetGroups = new TargetGroups(ctx);
    List<ListenerRule> rules = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    for (ListenPort port : ctx.ports()) {
      listeners.add(listener(ctx, port, targetGroups));
      rules.addAll(rules(ctx, port, targetGroups));
    }
    lb = withOidcSecretsTag(lb, listeners, rules);
    return new Stack(group.id(), members.stream().map(Member::name).toList(), lb, listeners, rules, targetGroups.all(), errors);
  }

  private List<Member> accept(IngressGroup group, ClusterFacts facts, List<Stack.MemberError> errors) {
    IngressValidator validator = new IngressValidator(classes, facts.region(), facts.vpcId());
    AwsFacts aws = new AwsFacts(facts.subnets(), facts.certificates());
    List<Member> accepted = new ArrayList<>();
    GroupView view = new GroupView(group, accepted);
    for (Ingress ingress : group.members()) {
      IngressValidator.Prepared prepared = validator.prepare(ingress);
      ParsedIngress parsed = prepared.parsed() != null ? prepared.parsed() : ParsedIngress.of(ingress);
      Verdict verdict = validator.validate(prepared, view, aws);
      String name = ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
      if (!verdict.allowed()) {
        errors.add(new Stack.MemberError(name, verdict.denials()));
        continue;
      }
      Optional<String> missing = missingService(group, parsed);
      if (missing.isPresent()) {
        errors.add(new Stack.MemberError(name, List.of(missing.get())));
        continue;
      }
      IngressConfig config = parsed.config();
      boolean wantsTls = !config.certificateArns().isEmpty(); // spec.tls alone keeps HTTP:80, as in the reference
      List<ListenPort> ports = ListenPorts.effective(config, wantsTls);
      Optional<ListenPort> https = ports.stream().filter(p -> p.protocol() == Protocol.HTTPS).findFirst();
      List<String> certificates = https.isEmpty() ? List.of() : certificates(ingress, config, facts);
      if (https.isPresent() && certificates.isEmpty()) {
        List<String> hosts = IngressRoutes.hosts(ingress);
        errors.add(new Stack.MemberError(name, List.of("HTTPS listener " + https.get() + " needs a certificate, and "
            + (hosts.isEmpty() ? "no host is named in spec.rules or spec.tls to discover one by"
                : "no ISSUED ACM certificate covers " + String.join(", ", hosts)))));
        continue;
      }
      Member member = new Member(parsed, ports, certificates);
      List<String> authProblems = https.isEmpty() ? List.of() : authProblems(group, member);
      if (!authProblems.isEmpty()) {
        errors.add(new Stack.MemberError(name, authProblems));
        continue;
      }
      accepted.add(member);
    }
    return accepted;
  }

  /**
   * The auth-* annotations of a route's backend: the Service's override the Ingress's when the route
   * forwards to a single Service, as in the reference (enhanced_backend_builder.go buildAuthConfig).
   * Validation has refused bad values, so errors here are not reported again.
   */
  static AuthConfig authConfig(IngressGroup group, Member m, IngressRoutes.Route route) {
    List<String> services = ParsedIngress.servicesOf(route, m.config().actions());
    Map<String, String> serviceAnnotations = services.size() != 1 ? Map.of()
        : group.service(m.parsed().namespace(), services.get(0)).map(s -> s.getMetadata().getAnnotations())
            .filter(a -> a != null).orElse(Map.of());
    return AuthAnnotations.parse(m.annotations(), serviceAnnotations, "").value();
  }

  /** A member whose OIDC Secret is missing or lacks a key is left out (a FailedBuildModel Event), not deployed without auth. */
  private List<String> authProblems(IngressGroup group, Member m) {
    List<String> problems = new ArrayList<>();
    for (IngressRoutes.Route route : m.parsed().routes()) {
      AuthConfig auth = authConfig(group, m, route);
      if (auth.type() != AuthType.OIDC || auth.oidc().isEmpty()) {
        continue;
      }
      String secret = auth.oidc().get().secretName();
      String where = m.parsed().namespace() + "/" + secret;
      OidcSecrets.Lookup lookup = secrets.lookup(m.parsed().namespace(), secret);
      String problem = lookup instanceof OidcSecrets.Lookup.Missing
          ? "Secret " + where + " named by " + key("auth-idp-oidc")
              + " does not exist; the Ingress is left out until it does (it must hold clientID and clientSecret)"
          : lookup instanceof OidcSecrets.Lookup.LacksKey k ? "Secret " + where + " named by " + key("auth-idp-oidc") + " has no key " + k.key()
          : null;
      if (problem != null && !problems.contains(problem)) {
        problems.add(problem);
      }
    }
    return problems;
  }

  /**
   * On an HTTPS listener, the authenticate (or jwt-validation) action before the route's action, as
   * the reference builds it (model_build_actions.go); HTTP listeners get none (the validator refuses
   * auth on an Ingress without HTTPS).
   */
  private RuleAction withAuth(StackContext ctx, ListenPort port, Member m, IngressRoutes.Route route, RuleAction action) {
    if (port.protocol() != Protocol.HTTPS) {
      return action;
    }
    AuthConfig auth = authConfig(ctx.group(), m, route);
    if (auth.jwtValidation().isPresent() && auth.type() == AuthType.NONE) {
      return new RuleAction.ValidateJwt(auth.jwtValidation().get(), action);
    }
    if (auth.type() == AuthType.COGNITO && auth.cognito().isPresent()) {
      return new RuleAction.Authenticate(auth, Optional.empty(), action);
    }
    if (auth.type() == AuthType.OIDC && auth.oidc().isPresent()
        && secrets.lookup(m.parsed().namespace(), auth.oidc().get().secretName()) instanceof OidcSecrets.Lookup.Found f) {
      return new RuleAction.Authenticate(auth, Optional.of(f.client()), action);
    }
    return action;
  }

  /** The {@link Tags#OIDC_SECRETS} tag: a hash over the digests of the OIDC client secrets in use, when any. */
  private static LoadBalancer withOidcSecretsTag(LoadBalancer lb, List<Listener> listeners, List<ListenerRule> rules) {
    java.util.SortedSet<String> digests = new java.util.TreeSet<>();
    listeners.forEach(l -> oidcDigest(l.defaultAction()).ifPresent(digests::add));
    rules.forEach(r -> oidcDigest(r.action()).ifPresent(digests::add));
    return digests.isEmpty() ? lb : lb.withTag(Tags.OIDC_SECRETS, Names.hash(String.join(",", digests)));
  }

  private static Optional<String> oidcDigest(RuleAction action) {
    return action instanceof RuleAction.Authenticate a ? a.client().map(OidcClient::secretDigest).filter(d -> !d.isEmpty()) : Optional.empty();
  }

  /**
   * certificate-arn, or the certificates discovered for the hosts of rules and tls. As the webhook
   * admits it, a host no certificate covers is served with another's certificate (a name mismatch);
   * only a member none of whose hosts is covered is left out.
   */
  private static List<String> certificates(Ingress ingress, IngressConfig config, ClusterFacts facts) {
    if (!config.certificateArns().isEmpty()) {
      return config.certificateArns();
    }
    return IngressRoutes.hosts(ingress).stream().map(h -> CertificateChoice.forHost(h, facts.certificates()))
        .flatMap(Optional::stream).distinct().toList();
  }

  /** The builder needs every backend Service (NodePorts, target ports); the webhook only warns. */
  private static Optional<String> missingService(IngressGroup group, ParsedIngress parsed) {
    String ns = parsed.namespace();
    Map<String, Action> actions = parsed.config().actions();
    for (IngressRoutes.Route route : parsed.routes()) {
      for (String svc : ParsedIngress.servicesOf(route, actions)) {
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
    // IngressClassParams subnets.tags: the first member whose class params select subnets by tags
    Optional<Map<String, List<String>>> subnetTags = ctx.members().stream()
        .map(m -> classes.params(m.ingress()).params().map(ClassParams::subnetTags).filter(t -> !t.isEmpty()))
        .flatMap(Optional::stream).findFirst();
    if (explicitSubnets.isEmpty() && subnetTags.isPresent()) {
      if (!ctx.facts().subnets().known()) {
        subnets = List.of("<discovered: tags " + new TreeMap<>(subnetTags.get()) + ">");
      } else {
        SubnetChoice.Result found = SubnetChoice.byTags(ctx.facts().clusterName(), subnetTags.get(), ctx.facts().subnets().get());
        if (found.problem().isPresent()) {
          ctx.members().forEach(m -> errors.add(new Stack.MemberError(m.name(), List.of(found.problem().get()))));
          return null;
        }
        subnets = found.subnetIds();
      }
    } else if (!explicitSubnets.isEmpty()) {
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
    // as in the reference, a web ACL name wins over an ARN
    Optional<String> wafv2Name = ctx.first("wafv2-acl-name", IngressConfig::wafv2AclName, Optional.<String>empty());
    Optional<String> wafv2Arn = wafv2Name.isPresent() ? Optional.empty()
        : ctx.first("wafv2-acl-arn", IngressConfig::wafv2AclArn, Optional.<String>empty());
    return new LoadBalancer(LoadBalancer.RESOURCE_ID, name, scheme, ipType, subnets,
        ctx.first("security-groups", IngressConfig::securityGroups, List.of()), attributes,
        wafv2Arn,
        ctx.first("shield-advanced-protection", IngressConfig::shieldAdvancedProtection, Optional.<Boolean>empty()),
        wafv2Name,
        ctx.first("waf-acl-id", IngressConfig::wafAclId, ctx.first("web-acl-id", IngressConfig::wafAclId, Optional.<String>empty())),
        ctx.tags(LoadBalancer.RESOURCE_ID));
  }

  private Listener listener(StackContext ctx, ListenPort port, TargetGroups tgs) {
    String id = String.valueOf(port.port());
    Ref lb = Ref.to("LoadBalancer", LoadBalancer.RESOURCE_ID);
    // the first member's first certificate is the default one; the rest are SNI certificates
    List<String> certificates = port.protocol() == Protocol.HTTPS
        ? ctx.membersOn(port).stream().flatMap(m -> m.certificates().stream()).distinct().toList()
        : List.of();
    // per listener, as the reference merges it: members on other ports do not set this one's policy
    Optional<String> policy = port.protocol() == Protocol.HTTPS
        ? Optional.of(ctx.membersOn(port).stream().flatMap(m -> m.config().sslPolicy().stream()).findFirst().orElse(DEFAULT_SSL_POLICY))
        : Optional.empty();
    // mutual TLS and listener attributes per listener, the first member in group order that sets them (admission denies conflicts)
    Optional<io.albingress.annotations.MutualAuthentication> mtls = port.protocol() == Protocol.HTTPS
        ? ctx.membersOn(port).stream().flatMap(m -> java.util.stream.Stream.ofNullable(m.config().mutualAuthentication().get(port.port())))
            .findFirst()
        : Optional.empty();
    Map<String, String> attributes = new TreeMap<>();
    ctx.membersOn(port).forEach(m -> m.config().listenerAttributes().getOrDefault(port, Map.of()).forEach(attributes::putIfAbsent));
    return new Listener(id, lb, port.protocol(), port.port(), defaultAction(ctx, port, tgs), certificates, policy, ctx.tags(id),
        mtls, java.util.Collections.unmodifiableMap(attributes));
  }

  private RuleAction defaultAction(StackContext ctx, ListenPort port, TargetGroups tgs) {
    Optional<Integer> redirect = ctx.sslRedirect();
    if (port.protocol() == Protocol.HTTP && redirect.isPresent()) {
      return RuleAction.Redirect.toHttps(redirect.get());
    }
    for (Member m : ctx.membersOn(port)) {
      for (IngressRoutes.Route route : m.parsed().routes()) {
        if (route.isDefaultBackend()) {
          return withAuth(ctx, port, m, route, tgs.action(m, route));
        }
      }
    }
    return RuleAction.FixedResponse.NOT_FOUND;
  }

  private List<ListenerRule> rules(StackContext ctx, ListenPort port, TargetGroups tgs) {
    if (port.protocol() == Protocol.HTTP && ctx.sslRedirect().isPresent()) {
      return List.of(); // every request is redirected by the default action
    }
    List<RuleOptimizer.Draft> drafts = new ArrayList<>();
    for (Member m : ctx.membersOn(port)) {
      for (IngressRoutes.Route route : IngressRoutes.byPrecedence(m.ingress())) {
        if (!route.isDefaultBackend()) {
          drafts.add(new RuleOptimizer.Draft(conditions(m, route), withAuth(ctx, port, m, route, tgs.action(m, route)), m.name() + " " + route.field(),
              m.config().transforms().getOrDefault(backendName(route), List.of()), m.config().tags()));
        }
      }
    }
    Ref listener = Ref.to("Listener", String.valueOf(port.port()));
    List<ListenerRule> rules = new ArrayList<>();
    for (RuleOptimizer.Draft d : RuleOptimizer.optimize(port.port(), port.protocol(), drafts)) {
      int priority = rules.size() + 1;
      String id = port.port() + ":" + priority;
      rules.add(new ListenerRule(id, listener, priority, d.conditions(), d.action(), d.source(), ctx.tags(ListenerRule.resourceTag(port.port()), List.of(d.tags())),
          d.transforms()));
    }
    return rules;
  }

  /**
   * The rule's host and path, then the backend's `conditions.<name>`. As in the reference controller,
   * host-header and path-pattern values from the annotation join the rule's own (an ALB rule takes at
   * most one condition of each), regexValues likewise (the validator refuses mixing values and
   * regexValues), and a rule that would have no condition matches every path.
   */
  private static List<Condition> conditions(Member m, IngressRoutes.Route route) {
    List<String> hosts = new ArrayList<>();
    List<String> hostRegex = new ArrayList<>();
    route.host().ifPresent(hosts::add);
    List<String> paths = new ArrayList<>();
    List<String> pathRegex = new ArrayList<>();
    if (IngressRoutes.usesRegexPath(m.config(), route)) {
      pathRegex.add(route.path().get().substring(1)); // Kubernetes needs the leading /, a regex does not
    } else {
      paths.addAll(pathPatterns(route));
    }
    List<Condition> others = new ArrayList<>();
    String service = backendName(route);
    for (Condition c : service == null ? List.<Condition>of() : m.config().conditions().getOrDefault(service, List.of())) {
      switch (c.field()) {
        case "host-header" -> {
          hosts.addAll(c.values());
          hostRegex.addAll(c.regexValues());
        }
        case "path-pattern" -> {
          paths.addAll(c.values());
          pathRegex.addAll(c.regexValues());
        }
        default -> others.add(c);
      }
    }
    List<Condition> conditions = new ArrayList<>();
    if (!hosts.isEmpty() || !hostRegex.isEmpty()) {
      conditions.add(new Condition("host-header", Optional.empty(), distinct(hosts), distinct(hostRegex)));
    }
    if (!paths.isEmpty() || !pathRegex.isEmpty()) {
      conditions.add(new Condition("path-pattern", Optional.empty(), distinct(paths), distinct(pathRegex)));
    }
    conditions.addAll(others);
    if (conditions.isEmpty()) {
      conditions.add(new Condition("path-pattern", Optional.empty(), List.of("/*")));
    }
    return conditions;
  }

  private static List<String> distinct(List<String> values) {
    return values.stream().distinct().toList();
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

  static String backendName(IngressRoutes.Route route) {
    return route.backend() == null || route.backend().getService() == null ? null : route.backend().getService().getName();
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

    /** Load balancer and listener tags: defaults, then every member's in order, under our ownership tags, which always win. */
    Map<String, String> tags(String resourceId) {
      return tags(resourceId, members.stream().map(m -> m.config().tags()).toList());
    }

    /** A rule's tags: defaults, then its own Ingress's, as in the reference (not the whole group's). */
    Map<String, String> tags(String resourceId, Member member) {
      return tags(resourceId, List.of(member.config().tags()));
    }

    /** Defaults first, then each map in order: an earlier value of a key wins. */
    Map<String, String> tags(String resourceId, List<Map<String, String>> userTags) {
      Map<String, String> tags = new LinkedHashMap<>(facts.defaultTags());
      userTags.forEach(t -> t.forEach(tags::putIfAbsent));
      tags.put(Tags.CLUSTER, facts.clusterName());
      tags.put(Tags.STACK, group.id().tagValue());
      tags.put(Tags.RESOURCE, resourceId);
      return tags;
    }
  }
}
