package io.albingress.gateway;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.Condition;
import io.albingress.annotations.HealthCheck;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GRPCRoutes (gateway.networking.k8s.io/v1) on ALB, following the reference's
 * `pkg/gateway/routeutils/route_rule_condition.go` (BuildGrpcRuleConditions) and
 * `pkg/gateway/model/model_build_target_group.go`. A GRPCRoute enters the Gateway pipeline as a
 * {@link View}: an HTTPRoute with the same metadata, parentRefs, hostnames, backends and status, whose
 * matches are {@link Match}es carrying the gRPC match; attachment, precedence, rules, target groups and
 * status are then computed once for both kinds, in one ordering per listener. What only gRPC has lives
 * here: method matches as path patterns, the precedence of a gRPC match, what ALB cannot do of a
 * GRPCRoute, and the target group's protocol version GRPC with the gRPC health check. Pure.
 */
public final class GrpcRoutes {
  public static final String KIND = "GRPCRoute";
  /** The reference's gRPC health check defaults (`defaultHealthCheckPathGRPC`, `defaultHealthCheckMatcherGRPCCode`). */
  public static final String HEALTH_CHECK_PATH = "/AWS.ALB/healthcheck";
  public static final String HEALTH_CHECK_CODES = "12";

  private GrpcRoutes() {}

  /** A GRPCRoute as the Gateway pipeline reads routes; {@link #source()} is the GRPCRoute itself (for status and Events). */
  public static final class View extends HTTPRoute {
    private final transient GRPCRoute source;

    View(GRPCRoute source) {
      this.source = source;
    }

    public GRPCRoute source() {
      return source;
    }
  }

  /** A gRPC match inside a {@link View}: its headers as HTTP header matches, no path, no method; {@link #source()} is the gRPC match. */
  public static final class Match extends HTTPRouteMatch {
    private final transient GRPCRouteMatch source;

    Match(GRPCRouteMatch source) {
      this.source = source;
    }

    public GRPCRouteMatch source() {
      return source;
    }
  }

  public static boolean isGrpc(HTTPRoute route) {
    return route instanceof View;
  }

  /** HTTPRoute, or GRPCRoute for a {@link View}. */
  public static String kind(HTTPRoute route) {
    return route instanceof View ? KIND : Attachment.HTTP_ROUTE;
  }

  /**
   * The route the pipeline reads for a GRPCRoute. Of the filters only ExtensionRefs are carried (a ListenerRuleConfiguration
   * applies to the rule as on an HTTPRoute, {@link ListenerRuleConfigs}); {@link #problems} judges the others on the GRPCRoute.
   */
  public static HTTPRoute view(GRPCRoute route) {
    View v = new View(route);
    v.setApiVersion(Attachment.GROUP + "/v1");
    v.setKind(KIND);
    v.setMetadata(route.getMetadata());
    HTTPRouteSpec spec = new HTTPRouteSpec();
    if (route.getSpec() != null) {
      spec.setParentRefs(route.getSpec().getParentRefs());
      spec.setHostnames(route.getSpec().getHostnames());
      List<HTTPRouteRule> rules = new ArrayList<>();
      for (GRPCRouteRule r : RouteMapping.nonNull(route.getSpec().getRules())) {
        HTTPRouteRule rule = new HTTPRouteRule();
        rule.setName(r.getName());
        rule.setMatches(r.getMatches() == null ? null : r.getMatches().stream().map(GrpcRoutes::match).toList());
        rule.setBackendRefs(r.getBackendRefs() == null ? null : r.getBackendRefs().stream().map(GrpcRoutes::backend).toList());
        rule.setFilters(r.getFilters() == null ? null : r.getFilters().stream().filter(f -> "ExtensionRef".equals(f.getType()))
            .map(GrpcRoutes::extensionRef).toList());
        rules.add(rule);
      }
      spec.setRules(rules);
    }
    v.setSpec(spec);
    if (route.getStatus() != null) {
      HTTPRouteStatus status = new HTTPRouteStatus();
      status.setParents(route.getStatus().getParents());
      v.setStatus(status);
    }
    return v;
  }

  private static HTTPRouteMatch match(GRPCRouteMatch m) {
    Match out = new Match(m);
    if (m.getHeaders() != null) {
      out.setHeaders(m.getHeaders().stream().map(h -> {
        HTTPHeaderMatch x = new HTTPHeaderMatch();
        x.setName(h.getName());
        x.setType(h.getType());
        x.setValue(h.getValue());
        return x;
      }).toList());
    }
    return out;
  }

  private static HTTPRouteFilter extensionRef(GRPCRouteFilter f) {
    HTTPRouteFilter out = new HTTPRouteFilter();
    out.setType(f.getType());
    out.setExtensionRef(f.getExtensionRef());
    return out;
  }

  private static HTTPBackendRef backend(GRPCBackendRef b) {
    HTTPBackendRef out = new HTTPBackendRef();
    out.setGroup(b.getGroup());
    out.setKind(b.getKind());
    out.setName(b.getName());
    out.setNamespace(b.getNamespace());
    out.setPort(b.getPort());
    out.setWeight(b.getWeight());
    return out;
  }

  /**
   * The conditions of one (gRPC match x hostname), as the reference: host-header when a hostname applies;
   * the method as a path pattern (service and method {@code /<service>/<method>}, service only
   * {@code /<service>/*}, method only {@code /* /<method>}, none {@code /*}); headers as http-header.
   * Beyond the reference: a RegularExpression method is an anchored regex path pattern (the reference
   * passes the expression as a wildcard pattern) and a RegularExpression header a regex header match, as
   * for HTTPRoute.
   */
  public static List<Condition> conditions(Optional<String> hostname, GRPCRouteMatch match) {
    List<Condition> out = new ArrayList<>();
    hostname.filter(h -> !h.isEmpty()).ifPresent(h -> out.add(new Condition("host-header", Optional.empty(), List.of(h))));
    GRPCMethodMatch method = match == null ? null : match.getMethod();
    if (method == null || (method.getService() == null && method.getMethod() == null)) {
      out.add(new Condition("path-pattern", Optional.empty(), List.of("/*")));
    } else if ("RegularExpression".equals(method.getType())) {
      String service = method.getService() == null ? "[^/]+" : "(" + method.getService() + ")";
      String name = method.getMethod() == null ? "[^/]+" : "(" + method.getMethod() + ")";
      out.add(new Condition("path-pattern", Optional.empty(), List.of(), List.of("^/" + service + "/" + name + "$")));
    } else {
      String service = method.getService() == null ? "*" : method.getService();
      String name = method.getMethod() == null ? "*" : method.getMethod();
      out.add(new Condition("path-pattern", Optional.empty(), List.of("/" + service + "/" + name)));
    }
    for (GRPCHeaderMatch h : match == null ? List.<GRPCHeaderMatch>of() : RouteMapping.nonNull(match.getHeaders())) {
      out.add("RegularExpression".equals(h.getType())
          ? new Condition("http-header", Optional.of(h.getName()), List.of(), List.of(h.getValue()))
          : new Condition("http-header", Optional.of(h.getName()), RouteMapping.headerValues(h.getValue())));
    }
    return out;
  }

  /**
   * The precedence of a gRPC match, as the reference's unified key: method type Exact 3, RegularExpression 1,
   * none 0; the service's length, then the method's; the number of header matches.
   */
  static Precedence.Factor factor(GRPCRouteMatch m) {
    GRPCMethodMatch method = m == null ? null : m.getMethod();
    int type = method == null ? 0 : "RegularExpression".equals(method.getType()) ? 1 : 3;
    int service = method == null || method.getService() == null ? 0 : method.getService().length();
    int name = method == null || method.getMethod() == null ? 0 : method.getMethod().length();
    int headers = m == null ? 0 : RouteMapping.nonNull(m.getHeaders()).size();
    return new Precedence.Factor(type, service, name, false, headers, 0);
  }

  /**
   * What ALB cannot do of a GRPCRoute on its own: every filter but one ExtensionRef to a ListenerRuleConfiguration (header
   * modifiers and mirrors have no ALB rule action; the reference allows ExtensionRef only, {@code route_rule_action.go}),
   * per-backend filters, a weight over 999, sessionPersistence, a method match naming neither service nor method, and
   * more ALB rules than a listener takes. The route is refused in its status with these; admission denies them.
   */
  public static List<String> problems(GRPCRoute route) {
    List<String> problems = new ArrayList<>();
    List<GRPCRouteRule> rules = RouteMapping.nonNull(route.getSpec() == null ? null : route.getSpec().getRules());
    int fewest = 0;
    for (int i = 0; i < rules.size(); i++) {
      problems.addAll(unsupported(rules.get(i), "spec.rules[" + i + "]"));
      fewest += Math.max(1, RouteMapping.nonNull(rules.get(i).getMatches()).size());
    }
    if (fewest > GatewayStackBuilder.MAX_RULES_PER_LISTENER) {
      problems.add("spec.rules: " + rules.size() + " rules with their matches need at least " + fewest + " ALB rules, over ALB's limit of "
          + GatewayStackBuilder.MAX_RULES_PER_LISTENER + " per listener; split its rules over GRPCRoutes of different Gateways (one ALB each)");
    }
    return problems;
  }

  static List<String> unsupported(GRPCRouteRule rule, String field) {
    List<String> problems = new ArrayList<>();
    List<GRPCRouteFilter> filters = RouteMapping.nonNull(rule.getFilters());
    int configs = 0;
    for (int i = 0; i < filters.size(); i++) {
      GRPCRouteFilter f = filters.get(i);
      if ("ExtensionRef".equals(f.getType())) {
        var ref = f.getExtensionRef();
        if (ref != null && ListenerRuleConfigs.GROUP.equals(ref.getGroup()) && ListenerRuleConfigs.KIND.equals(ref.getKind())) {
          configs++;
        } else {
          problems.add(field + ".filters[" + i + "].extensionRef: " + (ref == null ? "missing" : ref.getGroup() + "/" + ref.getKind())
              + " is not supported; an ExtensionRef names a " + ListenerRuleConfigs.GROUP + " " + ListenerRuleConfigs.KIND);
        }
      } else {
        problems.add(field + ".filters[" + i + "].type: " + f.getType() + " is not supported on ALB for GRPCRoutes; remove the filter"
            + " (only ExtensionRef to a ListenerRuleConfiguration is; header modifiers and mirrors have no ALB rule action)");
      }
    }
    if (configs > 1) {
      problems.add(field + ".filters: more than one ListenerRuleConfiguration ExtensionRef; keep one (put all its actions and"
          + " conditions in one configuration)");
    }
    List<GRPCRouteMatch> matches = RouteMapping.nonNull(rule.getMatches());
    for (int i = 0; i < matches.size(); i++) {
      GRPCMethodMatch m = matches.get(i).getMethod();
      if (m != null && m.getService() == null && m.getMethod() == null) {
        problems.add(field + ".matches[" + i + "].method: names neither service nor method; set one of them, or remove method to match"
            + " every call");
      }
    }
    List<GRPCBackendRef> backends = RouteMapping.nonNull(rule.getBackendRefs());
    for (int i = 0; i < backends.size(); i++) {
      Integer w = backends.get(i).getWeight();
      if (w != null && w > RouteMapping.MAX_WEIGHT) {
        problems.add(field + ".backendRefs[" + i + "].weight: " + w + " is over ALB's maximum of " + RouteMapping.MAX_WEIGHT
            + "; scale the weights of this rule down to 0.." + RouteMapping.MAX_WEIGHT);
      }
      if (!RouteMapping.nonNull(backends.get(i).getFilters()).isEmpty()) {
        problems.add(field + ".backendRefs[" + i + "].filters: per-backend filters are not supported on ALB; remove them");
      }
    }
    if (rule.getSessionPersistence() != null) {
      problems.add(field + ".sessionPersistence: not supported yet (it would be target group stickiness); remove it");
    }
    return problems;
  }

  /**
   * The health check of a GRPCRoute's target group, as the reference: the Gateway defaults, with path
   * {@value #HEALTH_CHECK_PATH} and gRPC codes {@value #HEALTH_CHECK_CODES} unless the Service's annotations say.
   */
  static HealthCheck healthCheck(HealthCheck gatewayDefaults, Map<String, String> annotations) {
    HealthCheck hc = gatewayDefaults;
    String path = annotations.containsKey(AnnotationCatalog.key("healthcheck-path")) ? hc.path() : HEALTH_CHECK_PATH;
    String codes = annotations.containsKey(AnnotationCatalog.key(GatewayStackBuilder.SERVICE_HEALTH_SUCCESS)) ? hc.successCodes()
        : HEALTH_CHECK_CODES;
    return new HealthCheck(hc.port(), hc.protocol(), path, hc.intervalSeconds(), hc.timeoutSeconds(), hc.healthyThreshold(),
        hc.unhealthyThreshold(), codes);
  }
}
