package io.albingress.plan;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.Action;
import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.Condition;
import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.ListenPort;
import io.albingress.annotations.MutualAuthentication;
import io.albingress.annotations.Protocol;
import io.albingress.gateway.GatewayStatuses;
import io.albingress.gateway.LoadBalancerConfigs;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressRoutes;
import io.albingress.model.Listener;
import io.albingress.model.LoadBalancer;
import io.albingress.model.ParsedIngress;
import io.albingress.model.Stack;
import io.albingress.model.Tags;
import io.albingress.model.TargetGroup;
import io.albingress.stack.StackBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * `plan --to-gateway`: the Gateway API objects that do what an Ingress group does. Our mapping, built from the
 * Ingress stack the controller would deploy (so IngressClassParams and group merging are already applied) and the
 * members' annotations: a GatewayClass of controllerName {@code gateway.k8s.aws/alb}; per Ingress group (stack) one
 * Gateway with a listener per ALB listener and a LoadBalancerConfiguration (scheme, IP address type, subnets, security
 * groups, inbound CIDRs, prefix lists, attributes, tags, WAFv2, Shield, per listener certificates, SSL policy,
 * attributes and mutual TLS); per Ingress and host one HTTPRoute (rules from paths, `actions.*` forward and redirect,
 * `conditions.*` header, query and method matches, `actions.*` fixed-response as an ExtensionRef to a
 * ListenerRuleConfiguration, as the reference does it), attached to the listeners that Ingress listens on; ssl-redirect
 * as one redirect route on the HTTP listeners; a Service's target configuration as a TargetGroupConfiguration
 * ({@code gateway.k8s.aws/v1beta1}). Anything not expressible is listed as "not converted: ANNOTATION on INGRESS: WHY",
 * and a path whose behaviour would change without it (auth, source-ip, fixed-response, ...) is left out rather than
 * widened. Pure.
 */
public final class IngressToGateway {
  public static final String GATEWAY_API = "gateway.networking.k8s.io/v1";
  public static final String AWS_GATEWAY_API = LoadBalancerConfigs.GROUP + "/v1beta1";

  /** Annotations converted as a whole (per key), or structural (group, class). Families are handled per entry. */
  private static final Set<String> CONVERTED = Set.of("group.name", "group.order", "scheme", "ip-address-type", "subnets",
      "security-groups", "inbound-cidrs", "security-group-prefix-lists", "manage-backend-security-group-rules",
      "load-balancer-attributes", "tags", "wafv2-acl-arn", "wafv2-acl-name", "shield-advanced-protection", "listen-ports",
      "ssl-redirect", "certificate-arn", "ssl-policy", "mutual-authentication", "use-regex-path-match", "target-type",
      "backend-protocol", "backend-protocol-version", "target-group-attributes", "healthcheck-port", "healthcheck-protocol",
      "healthcheck-path", "healthcheck-interval-seconds", "healthcheck-timeout-seconds", "healthy-threshold-count",
      "unhealthy-threshold-count", "success-codes", "target-node-labels");
  private static final Map<String, String> WHY_NOT = Map.ofEntries(
      Map.entry("load-balancer-name", "the Gateway's ALB would take the Ingress's ALB name, and both cannot exist while you migrate;"
          + " set LoadBalancerConfiguration loadBalancerName after the Ingress is gone"),
      Map.entry("waf-acl-id", "WAF Classic has no LoadBalancerConfiguration field; move to WAFv2 (wafV2.webACL)"),
      Map.entry("web-acl-id", "WAF Classic has no LoadBalancerConfiguration field; move to WAFv2 (wafV2.webACL)"),
      Map.entry("customer-owned-ipv4-pool", "not applied to Gateways by this controller"),
      Map.entry("jwt-validation", "the Gateway API has no JWT validation this controller applies; its paths are left out"),
      Map.entry("auth-type", "authentication needs the reference's ListenerRuleConfiguration, not applied by this controller yet;"
          + " its paths are left out so they are not served without authentication"));

  private final IngressClassMatcher classes;
  private final Manifests manifests;

  public IngressToGateway(IngressClassMatcher classes, Manifests manifests) {
    this.classes = classes;
    this.manifests = manifests;
  }

  /** The documents of one converted Ingress stack, the Gateway's namespace/name, and what was not converted. */
  public record Converted(Stack ingressStack, String gatewayNamespace, String gatewayName, List<Map<String, Object>> documents,
      List<String> notConverted) {}

  /** The GatewayClass every converted Gateway uses. */
  public static Map<String, Object> gatewayClass(String name) {
    Map<String, Object> gc = object(GATEWAY_API, "GatewayClass", null, name);
    gc.put("spec", map("controllerName", GatewayStatuses.CONTROLLER_NAME));
    return gc;
  }

  public Converted convert(Stack stack, List<Ingress> members, String className) {
    List<String> notConverted = new ArrayList<>();
    List<ParsedIngress> parsed = members.stream().map(classes::parse).toList();
    ParsedIngress first = parsed.get(0);
    String gwNs = first.namespace();
    String gwName = stack.id().explicitGroup() ? dnsLabel(stack.id().name()) : first.ingress().getMetadata().getName();
    Set<String> namespaces = new TreeSet<>();
    parsed.forEach(p -> namespaces.add(p.namespace()));
    for (ParsedIngress p : parsed) {
      notConverted.addAll(unconvertedAnnotations(p));
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    String lbcName = gwName;
    docs.add(loadBalancerConfiguration(gwNs, lbcName, stack, parsed));
    docs.add(gateway(gwNs, gwName, className, lbcName, stack, namespaces));
    Optional<Integer> sslRedirect = first(parsed, "ssl-redirect", IngressConfig::sslRedirectPort, Optional.empty());
    Map<String, Map<String, Object>> tgcs = new LinkedHashMap<>();
    for (ParsedIngress p : parsed) {
      docs.addAll(routes(p, gwNs, gwName, sslRedirect.isPresent(), stack, notConverted, tgcs));
    }
    sslRedirect.ifPresent(port -> docs.add(sslRedirectRoute(gwNs, gwName, port, stack)));
    docs.addAll(tgcs.values());
    return new Converted(stack, gwNs, gwName, docs, notConverted);
  }

  /** Every alb.ingress.kubernetes.io/ annotation this conversion does not carry over, with why. */
  private static List<String> unconvertedAnnotations(ParsedIngress p) {
    List<String> out = new ArrayList<>();
    String name = p.namespace() + "/" + p.ingress().getMetadata().getName();
    for (var e : new TreeMap<>(p.annotations()).entrySet()) {
      if (!e.getKey().startsWith(AnnotationCatalog.PREFIX)) {
        continue;
      }
      String k = e.getKey().substring(AnnotationCatalog.PREFIX.length());
      if (CONVERTED.contains(k) || k.startsWith("actions.") || k.startsWith("conditions.") || k.startsWith("listener-attributes.")) {
        continue; // converted (actions and conditions are judged per path)
      }
      if (k.startsWith("transforms.")) {
        out.add(notConverted(e.getKey(), name, "ALB regex rewrites have no general HTTPRoute URLRewrite equivalent (which replaces a full path, a "
            + "matched prefix or the hostname); the paths of " + k.substring("transforms.".length()) + " are left out"));
      } else if ((k.equals("wafv2-acl-arn") || k.equals("wafv2-acl-name")) && "none".equals(e.getValue())) {
        out.add(notConverted(e.getKey(), name, "a new ALB has no web ACL; nothing to convert"));
      } else if (k.startsWith("auth-") && !k.equals("auth-type")) {
        if (!p.annotations().containsKey(key("auth-type"))) {
          out.add(notConverted(e.getKey(), name, "without auth-type it has no effect"));
        }
      } else {
        out.add(notConverted(e.getKey(), name, WHY_NOT.getOrDefault(k, "no Gateway API equivalent in this conversion")));
      }
    }
    return out;
  }

  static String notConverted(String annotation, String ingress, String why) {
    return annotation + " on " + ingress + ": " + why;
  }

  // ---------------------------------------------------------------- LoadBalancerConfiguration

  private Map<String, Object> loadBalancerConfiguration(String ns, String name, Stack stack, List<ParsedIngress> parsed) {
    LoadBalancer lb = stack.loadBalancer();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("scheme", lb.scheme().wireName());
    if (lb.ipAddressType() != io.albingress.annotations.IpAddressType.IPV4) {
      spec.put("ipAddressType", lb.ipAddressType().wireName());
    }
    List<String> subnets = lb.subnetIds().stream().filter(s -> !s.startsWith("<")).toList();
    if (!subnets.isEmpty()) {
      spec.put("loadBalancerSubnets", subnets.stream().map(s -> map("identifier", s)).toList());
    }
    parsed.stream().map(p -> classes.params(p.ingress()).params()).flatMap(Optional::stream)
        .map(io.albingress.model.params.ClassParams::subnetTags).filter(t -> !t.isEmpty()).findFirst()
        .filter(t -> subnets.isEmpty()).ifPresent(t -> spec.put("loadBalancerSubnetsSelector", new TreeMap<>(t)));
    if (!lb.securityGroups().isEmpty()) {
      spec.put("securityGroups", lb.securityGroups());
    }
    List<String> cidrs = first(parsed, "inbound-cidrs", IngressConfig::inboundCidrs, List.of());
    if (!cidrs.isEmpty()) {
      spec.put("sourceRanges", cidrs);
    }
    firstRaw(parsed, "security-group-prefix-lists").ifPresent(v -> spec.put("securityGroupPrefixes", split(v)));
    firstRaw(parsed, "manage-backend-security-group-rules").ifPresent(v -> spec.put("manageBackendSecurityGroupRules",
        Boolean.parseBoolean(v.trim())));
    List<Map<String, Object>> listeners = new ArrayList<>();
    for (Listener l : stack.listeners()) {
      Map<String, Object> lc = new LinkedHashMap<>();
      lc.put("protocolPort", l.protocol().wireName() + ":" + l.port());
      List<String> certs = l.certificateArns().stream().filter(c -> !c.startsWith("<")).toList();
      if (!certs.isEmpty()) {
        lc.put("defaultCertificate", certs.get(0));
        if (certs.size() > 1) {
          lc.put("certificates", certs.subList(1, certs.size()));
        }
      }
      l.sslPolicy().filter(p -> !p.equals(StackBuilder.DEFAULT_SSL_POLICY)).ifPresent(p -> lc.put("sslPolicy", p));
      if (!l.attributes().isEmpty()) {
        lc.put("listenerAttributes", keyValues(l.attributes()));
      }
      l.mutualAuthentication().ifPresent(m -> lc.put("mutualAuthentication", mtls(m)));
      if (lc.size() > 1) {
        listeners.add(lc);
      }
    }
    if (!listeners.isEmpty()) {
      spec.put("listenerConfigurations", listeners);
    }
    if (!lb.attributes().isEmpty()) {
      spec.put("loadBalancerAttributes", keyValues(lb.attributes()));
    }
    Map<String, String> tags = userTags(lb.tags());
    if (!tags.isEmpty()) {
      spec.put("tags", tags);
    }
    lb.wafv2AclName().or(lb::wafv2AclArn).filter(w -> !w.equals("none")).ifPresent(w -> spec.put("wafV2", map("webACL", w)));
    lb.shieldAdvancedProtection().ifPresent(on -> spec.put("shieldConfiguration", map("enabled", on)));
    Map<String, Object> lbc = object(AWS_GATEWAY_API, LoadBalancerConfigs.KIND, ns, name);
    lbc.put("spec", spec);
    return lbc;
  }

  private static Map<String, Object> mtls(MutualAuthentication m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", m.mode().wireName());
    m.trustStore().ifPresent(t -> out.put("trustStore", t));
    m.ignoreClientCertificateExpiry().ifPresent(i -> out.put("ignoreClientCertificateExpiry", i));
    m.advertiseTrustStoreCaNames().ifPresent(a -> out.put("advertiseTrustStoreCaNames", a));
    return out;
  }

  /** The user's tags: without the ownership tags either controller sets. */
  static Map<String, String> userTags(Map<String, String> tags) {
    Map<String, String> out = new LinkedHashMap<>(tags);
    out.keySet().removeAll(Set.of(Tags.CLUSTER, Tags.STACK, Tags.RESOURCE, Tags.GATEWAY_STACK, Tags.GATEWAY_RESOURCE));
    return out;
  }

  // ---------------------------------------------------------------- Gateway

  static String listenerName(Protocol protocol, int port) {
    return protocol.wireName().toLowerCase(Locale.ROOT) + "-" + port;
  }

  private static Map<String, Object> gateway(String ns, String name, String className, String lbcName, Stack stack, Set<String> namespaces) {
    Map<String, Object> allowed = namespaces.size() == 1 && namespaces.contains(ns) ? map("namespaces", map("from", "Same"))
        : map("namespaces", map("from", "Selector", "selector", map("matchExpressions", List.of(map("key", "kubernetes.io/metadata.name",
            "operator", "In", "values", List.copyOf(namespaces))))));
    List<Map<String, Object>> listeners = stack.listeners().stream().map(l -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("name", listenerName(l.protocol(), l.port()));
      out.put("port", l.port());
      out.put("protocol", l.protocol().wireName());
      out.put("allowedRoutes", allowed);
      return out;
    }).toList();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("gatewayClassName", className);
    spec.put("infrastructure", map("parametersRef", map("group", LoadBalancerConfigs.GROUP, "kind", LoadBalancerConfigs.KIND, "name", lbcName)));
    spec.put("listeners", listeners);
    Map<String, Object> gw = object(GATEWAY_API, "Gateway", ns, name);
    gw.put("spec", spec);
    return gw;
  }

  private static Map<String, Object> sslRedirectRoute(String ns, String gwName, int port, Stack stack) {
    List<Map<String, Object>> parents = stack.listeners().stream().filter(l -> l.protocol() == Protocol.HTTP)
        .map(l -> map("name", gwName, "sectionName", listenerName(l.protocol(), l.port()))).toList();
    Map<String, Object> route = object(GATEWAY_API, "HTTPRoute", ns, gwName + "-ssl-redirect");
    route.put("spec", map("parentRefs", parents, "rules", List.of(map("filters", List.of(map("type", "RequestRedirect",
        "requestRedirect", map("scheme", "https", "port", port, "statusCode", 301)))))));
    return route;
  }

  // ---------------------------------------------------------------- HTTPRoutes

  /** One HTTPRoute per host of the Ingress (in the order hosts first appear; no host is a route without hostnames). */
  private List<Map<String, Object>> routes(ParsedIngress p, String gwNs, String gwName, boolean sslRedirect, Stack stack,
      List<String> notConverted, Map<String, Map<String, Object>> tgcs) {
    String ingress = p.namespace() + "/" + p.ingress().getMetadata().getName();
    boolean wantsTls = !p.config().certificateArns().isEmpty();
    List<ListenPort> ports = io.albingress.model.ListenPorts.effective(p.config(), wantsTls).stream()
        .filter(lp -> !(sslRedirect && lp.protocol() == Protocol.HTTP)).toList();
    List<Map<String, Object>> parents = ports.stream().map(lp -> {
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("name", gwName);
      if (!gwNs.equals(p.namespace())) {
        ref.put("namespace", gwNs);
      }
      ref.put("sectionName", listenerName(lp.protocol(), lp.port()));
      return ref;
    }).toList();
    if (parents.isEmpty()) {
      return List.of(); // only on HTTP listeners that ssl-redirect turns into redirects: its rules are not on the ALB
    }
    boolean authenticated = p.annotations().containsKey(key("auth-type")) && !"none".equals(p.annotations().get(key("auth-type")))
        || p.annotations().containsKey(key("jwt-validation"));
    Map<String, List<Map<String, Object>>> rulesByHost = new LinkedHashMap<>();
    for (IngressRoutes.Route route : p.routes()) {
      String host = route.host().orElse("");
      rulesByHost.computeIfAbsent(host, h -> new ArrayList<>());
      if (authenticated) {
        continue; // listed with the annotation
      }
      Optional<Map<String, Object>> rule = rule(p, ingress, route, notConverted, stack, tgcs);
      rule.ifPresent(r -> rulesByHost.get(host).add(r));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    int n = 0;
    for (var e : rulesByHost.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      String name = p.ingress().getMetadata().getName() + (rulesByHost.size() == 1 ? "" : "-" + n++);
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("parentRefs", parents);
      if (!e.getKey().isEmpty()) {
        spec.put("hostnames", List.of(e.getKey()));
      }
      spec.put("rules", e.getValue());
      Map<String, Object> r = object(GATEWAY_API, "HTTPRoute", p.namespace(), name);
      r.put("spec", spec);
      out.add(r);
    }
    return out;
  }

  /** The HTTPRoute rule of one Ingress path (or default backend: a rule without matches, which the Gateway puts last). */
  private Optional<Map<String, Object>> rule(ParsedIngress p, String ingress, IngressRoutes.Route route, List<String> notConverted,
      Stack stack, Map<String, Map<String, Object>> tgcs) {
    String where = route.field();
    Map<String, Object> rule = new LinkedHashMap<>();
    Map<String, Object> match = new LinkedHashMap<>();
    if (!route.isDefaultBackend()) {
      if (route.path().isPresent()) {
        Optional<Map<String, Object>> path = path(p, route);
        if (path.isEmpty()) {
          notConverted.add(notConverted(where, ingress, "path " + route.path().get() + " (" + route.pathType()
              + ") has ALB wildcards inside; a Gateway path is Exact, PathPrefix or RegularExpression; the path is left out"));
          return Optional.empty();
        }
        match.put("path", path.get());
      } else {
        match.put("path", map("type", "PathPrefix", "value", "/"));
      }
    }
    IngressServiceBackend svc = route.backend() == null ? null : route.backend().getService();
    if (svc == null) {
      notConverted.add(notConverted(where, ingress, "a resource backend has no Gateway API equivalent; the path is left out"));
      return Optional.empty();
    }
    List<Map<String, Object>> matches = List.of(match);
    String backendName = svc.getName();
    boolean viaAction = svc.getPort() != null && ParsedIngress.USE_ANNOTATION.equals(svc.getPort().getName());
    List<Condition> conditions = p.config().conditions().getOrDefault(backendName, List.of());
    if (!conditions.isEmpty()) {
      Optional<List<Map<String, Object>>> withConditions = conditions(match, conditions, key("conditions." + backendName), ingress, notConverted);
      if (withConditions.isEmpty()) {
        return Optional.empty();
      }
      matches = withConditions.get();
    }
    if (!route.isDefaultBackend() || matches.size() > 1 || matches.get(0).size() > 0) {
      rule.put("matches", matches.stream().filter(m -> !m.isEmpty()).toList());
      if (((List<?>) rule.get("matches")).isEmpty()) {
        rule.remove("matches");
      }
    }
    if (p.config().transforms().containsKey(backendName)) {
      return Optional.empty(); // listed with the annotation
    }
    if (viaAction) {
      Action action = p.config().actions().get(backendName);
      String annotation = key("actions." + backendName);
      if (action == null) {
        notConverted.add(notConverted(where, ingress, "names the action " + backendName + ", which has no annotation; the path is left out"));
        return Optional.empty();
      }
      if (action instanceof Action.FixedResponse f) {
        // the reference's way: an ExtensionRef to a ListenerRuleConfiguration whose fixed-response replaces the routing action
        String lrcName = dnsLabel(p.ingress().getMetadata().getName() + "-" + backendName);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("statusCode", Integer.parseInt(f.statusCode()));
        f.contentType().ifPresent(t -> config.put("contentType", t));
        f.messageBody().ifPresent(b -> config.put("messageBody", b));
        Map<String, Object> lrc = object(AWS_GATEWAY_API, Manifests.LISTENER_RULE_CONFIGURATION, p.namespace(), lrcName);
        lrc.put("spec", map("actions", List.of(map("type", "fixed-response", "fixedResponseConfig", config))));
        tgcs.putIfAbsent("ListenerRuleConfiguration " + p.namespace() + "/" + lrcName, lrc);
        rule.put("filters", List.of(map("type", "ExtensionRef", "extensionRef", map("group", LoadBalancerConfigs.GROUP,
            "kind", Manifests.LISTENER_RULE_CONFIGURATION, "name", lrcName))));
        return Optional.of(rule);
      }
      if (action instanceof Action.Redirect r) {
        Optional<Map<String, Object>> filter = redirect(r, annotation, ingress, notConverted);
        if (filter.isEmpty()) {
          return Optional.empty();
        }
        rule.put("filters", List.of(filter.get()));
        return Optional.of(rule);
      }
      Action.Forward f = (Action.Forward) action;
      if (f.stickinessSeconds().isPresent()) {
        notConverted.add(notConverted(annotation, ingress, "target group stickiness (sessionPersistence) is not applied by this "
            + "controller yet; the rule forwards without it"));
      }
      List<Map<String, Object>> backends = new ArrayList<>();
      for (Action.ForwardTarget t : f.targets()) {
        if (t.serviceName().isEmpty()) {
          notConverted.add(notConverted(annotation, ingress, "forwards to an existing target group (" + t.targetGroupArn()
              .or(t::targetGroupName).orElse("") + "); a backendRef names a Service; the path " + where + " is left out"));
          return Optional.empty();
        }
        Optional<Integer> port = servicePort(p.namespace(), t.serviceName().get(), t.servicePort().orElse(""));
        if (port.isEmpty()) {
          notConverted.add(notConverted(annotation, ingress, "Service " + p.namespace() + "/" + t.serviceName().get() + " port "
              + t.servicePort().orElse("") + " is not in the manifests, so its number is unknown; the path " + where + " is left out"));
          return Optional.empty();
        }
        Map<String, Object> ref = map("name", t.serviceName().get(), "port", port.get());
        if (f.targets().size() > 1) {
          ref.put("weight", t.weight());
        }
        backends.add(ref);
        targetGroupConfiguration(stack, p.namespace(), t.serviceName().get(), port.get(), tgcs);
      }
      rule.put("backendRefs", backends);
      return Optional.of(rule);
    }
    String portText = svc.getPort() == null ? "" : svc.getPort().getNumber() != null ? String.valueOf(svc.getPort().getNumber())
        : Objects.toString(svc.getPort().getName(), "");
    Optional<Integer> port = servicePort(p.namespace(), backendName, portText);
    if (port.isEmpty()) {
      notConverted.add(notConverted(where, ingress, "Service " + p.namespace() + "/" + backendName + " port " + portText
          + " is not in the manifests, so its number is unknown; the path is left out"));
      return Optional.empty();
    }
    rule.put("backendRefs", List.of(map("name", backendName, "port", port.get())));
    targetGroupConfiguration(stack, p.namespace(), backendName, port.get(), tgcs);
    return Optional.of(rule);
  }

  /** Exact and Prefix as they are; ImplementationSpecific: a regex (use-regex-path-match), /x/* as PathPrefix /x, else Exact. */
  private static Optional<Map<String, Object>> path(ParsedIngress p, IngressRoutes.Route route) {
    String path = route.path().get();
    if (IngressRoutes.usesRegexPath(p.config(), route)) {
      return Optional.of(map("type", "RegularExpression", "value", path.substring(1)));
    }
    return switch (route.pathType()) {
      case "Exact" -> Optional.of(map("type", "Exact", "value", path));
      case "Prefix" -> Optional.of(map("type", "PathPrefix", "value", path));
      default -> {
        if (!path.contains("*") && !path.contains("?")) {
          yield Optional.of(map("type", "Exact", "value", path));
        }
        String stem = path.substring(0, path.length() - 1);
        if (path.endsWith("/*") && !stem.contains("*") && !stem.contains("?")) {
          yield Optional.of(map("type", "PathPrefix", "value", stem.length() > 1 ? stem.substring(0, stem.length() - 1) : "/"));
        }
        yield Optional.empty();
      }
    };
  }

  /**
   * conditions.NAME as match fields: http-header (values joined with escaped commas, or one regex), one query-string
   * pair, http-request-method (one match per method). host-header, path-pattern and source-ip have no per-match
   * equivalent: the path is left out (without them the rule would match more than it does).
   */
  private static Optional<List<Map<String, Object>>> conditions(Map<String, Object> match, List<Condition> conditions, String annotation,
      String ingress, List<String> notConverted) {
    List<Map<String, Object>> headers = new ArrayList<>();
    List<Map<String, Object>> query = new ArrayList<>();
    List<String> methods = new ArrayList<>();
    for (Condition c : conditions) {
      switch (c.field()) {
        case "http-header" -> {
          if (!c.regexValues().isEmpty()) {
            if (c.regexValues().size() > 1 || !c.values().isEmpty()) {
              notConverted.add(notConverted(annotation, ingress, "http-header " + c.httpHeaderName().orElse("")
                  + " with several regular expressions: a Gateway header match takes one; its paths are left out"));
              return Optional.empty();
            }
            headers.add(map("type", "RegularExpression", "name", c.httpHeaderName().orElse(""), "value", c.regexValues().get(0)));
          } else {
            headers.add(map("type", "Exact", "name", c.httpHeaderName().orElse(""), "value",
                String.join(",", c.values().stream().map(v -> v.replace("\\", "\\\\").replace(",", "\\,")).toList())));
          }
        }
        case "query-string" -> {
          if (c.values().size() != 1 || c.values().get(0).startsWith("=")) {
            notConverted.add(notConverted(annotation, ingress, "query-string " + c.values() + ": a Gateway query match is one key=value"
                + " (several pairs are OR'd on ALB, AND'd in the Gateway API); its paths are left out"));
            return Optional.empty();
          }
          String pair = c.values().get(0);
          int eq = pair.indexOf('=');
          query.add(map("type", "Exact", "name", pair.substring(0, eq), "value", pair.substring(eq + 1)));
        }
        case "http-request-method" -> methods.addAll(c.values());
        default -> {
          notConverted.add(notConverted(annotation, ingress, c.field() + " has no HTTPRoute match equivalent"
              + (c.field().equals("source-ip") ? "" : " per rule") + "; its paths are left out"));
          return Optional.empty();
        }
      }
    }
    Map<String, Object> base = new LinkedHashMap<>(match);
    if (!headers.isEmpty()) {
      base.put("headers", headers);
    }
    if (!query.isEmpty()) {
      base.put("queryParams", query);
    }
    if (methods.isEmpty()) {
      return Optional.of(List.of(base));
    }
    return Optional.of(methods.stream().map(m -> {
      Map<String, Object> withMethod = new LinkedHashMap<>(base);
      withMethod.put("method", m.toUpperCase(Locale.ROOT));
      return withMethod;
    }).toList());
  }

  /** A redirect action as a RequestRedirect filter: ALB placeholders (#{host}...) mean "unchanged", which the filter leaves unset. */
  private static Optional<Map<String, Object>> redirect(Action.Redirect r, String annotation, String ingress, List<String> notConverted) {
    Map<String, Object> rr = new LinkedHashMap<>();
    Optional<String> protocol = r.protocol().filter(v -> !v.equals("#{protocol}"));
    Optional<String> port = r.port().filter(v -> !v.equals("#{port}"));
    Optional<String> host = r.host().filter(v -> !v.equals("#{host}"));
    Optional<String> path = r.path().filter(v -> !v.equals("/#{path}"));
    Optional<String> query = r.query().filter(v -> !v.equals("#{query}"));
    List<String> placeholders = new ArrayList<>();
    port.filter(v -> v.contains("#{")).ifPresent(v -> placeholders.add("port " + v));
    host.filter(v -> v.contains("#{")).ifPresent(v -> placeholders.add("host " + v));
    path.filter(v -> v.contains("#{") || v.contains("*")).ifPresent(v -> placeholders.add("path " + v));
    query.ifPresent(v -> placeholders.add("query " + v));
    if (!placeholders.isEmpty()) {
      notConverted.add(notConverted(annotation, ingress, "redirect " + String.join(", ", placeholders) + ": a RequestRedirect takes"
          + " literal values and keeps the query; its paths are left out"));
      return Optional.empty();
    }
    protocol.ifPresent(v -> rr.put("scheme", v.toLowerCase(Locale.ROOT)));
    host.ifPresent(v -> rr.put("hostname", v));
    path.ifPresent(v -> rr.put("path", map("type", "ReplaceFullPath", "replaceFullPath", v)));
    port.ifPresent(v -> rr.put("port", Integer.parseInt(v)));
    rr.put("statusCode", Integer.parseInt(r.statusCode().replace("HTTP_", "")));
    return Optional.of(map("type", "RequestRedirect", "requestRedirect", rr));
  }

  /** A Service port by number or name, from the Service in the manifests; a number is taken as it is. */
  private Optional<Integer> servicePort(String ns, String service, String port) {
    if (port.matches("\\d+")) {
      return Optional.of(Integer.parseInt(port));
    }
    return manifests.service(ns, service).map(Service::getSpec).map(s -> s.getPorts() == null ? List.<ServicePort>of() : s.getPorts())
        .flatMap(ps -> ps.stream().filter(sp -> port.equals(sp.getName())).findFirst()).map(ServicePort::getPort);
  }

  // ---------------------------------------------------------------- TargetGroupConfiguration

  /**
   * The Ingress stack's target group for the Service port, as a TargetGroupConfiguration of the Service
   * ({@code gateway.k8s.aws/v1beta1}, the reference's schema): target type, protocol, protocol version, health check
   * (the Gateway's defaults differ from the Ingress's: matcher 200-399, thresholds 3/3), attributes and node selector.
   * One per Service: a second port of the same Service with other settings goes to routeConfigurations... not here:
   * the first one wins and the next is listed by the proof.
   */
  private static void targetGroupConfiguration(Stack stack, String ns, String service, int port, Map<String, Map<String, Object>> tgcs) {
    String key = ns + "/" + service;
    if (tgcs.containsKey(key)) {
      return;
    }
    Optional<TargetGroup> tg = stack.targetGroups().stream().filter(t -> t.service().namespace().equals(ns)
        && t.service().name().equals(service) && t.service().servicePort() == port)
        .findFirst();
    if (tg.isEmpty()) {
      return;
    }
    TargetGroup t = tg.get();
    HealthCheck hc = t.healthCheck();
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("healthCheckPath", hc.path());
    health.put("healthCheckPort", hc.port());
    health.put("healthCheckProtocol", hc.protocol().wireName());
    health.put("healthCheckInterval", hc.intervalSeconds());
    health.put("healthCheckTimeout", hc.timeoutSeconds());
    health.put("healthyThresholdCount", hc.healthyThreshold());
    health.put("unhealthyThresholdCount", hc.unhealthyThreshold());
    health.put("matcher", t.protocolVersion() == io.albingress.annotations.ProtocolVersion.GRPC
        ? map("grpcCode", hc.successCodes()) : map("httpCode", hc.successCodes()));
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("targetType", t.targetType().wireName());
    props.put("protocol", t.protocol().wireName());
    props.put("protocolVersion", t.protocolVersion().wireName());
    props.put("healthCheckConfig", health);
    if (!t.attributes().isEmpty()) {
      props.put("targetGroupAttributes", keyValues(t.attributes()));
    }
    if (!t.nodeLabels().isEmpty()) {
      props.put("nodeSelector", map("matchLabels", new TreeMap<>(t.nodeLabels())));
    }
    Map<String, Object> tgc = object(AWS_GATEWAY_API, Manifests.TARGET_GROUP_CONFIGURATION, ns, service);
    tgc.put("spec", map("targetReference", map("name", service), "defaultConfiguration", props));
    tgcs.put(key, tgc);
  }

  // ---------------------------------------------------------------- helpers

  private static <T> T first(List<ParsedIngress> members, String annotation, java.util.function.Function<IngressConfig, T> get, T fallback) {
    return members.stream().filter(m -> m.annotations().containsKey(key(annotation))).findFirst().map(m -> get.apply(m.config()))
        .orElse(fallback);
  }

  private static Optional<String> firstRaw(List<ParsedIngress> members, String annotation) {
    return members.stream().map(m -> m.annotations().get(key(annotation))).filter(Objects::nonNull).findFirst();
  }

  private static List<String> split(String v) {
    return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static List<Map<String, Object>> keyValues(Map<String, String> values) {
    return new TreeMap<>(values).entrySet().stream().map(e -> map("key", e.getKey(), "value", e.getValue())).toList();
  }

  /** A group name as an object name: lower case, dots and other characters as dashes. */
  static String dnsLabel(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "group" : s.length() > 63 ? s.substring(0, 63).replaceAll("-+$", "") : s;
  }

  static Map<String, Object> object(String apiVersion, String kind, String namespace, String name) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", name);
    if (namespace != null) {
      meta.put("namespace", namespace);
    }
    o.put("metadata", meta);
    return o;
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static <T> List<T> unique(List<T> in) {
    return List.copyOf(new LinkedHashSet<>(in));
  }
}
