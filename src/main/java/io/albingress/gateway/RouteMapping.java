package io.albingress.gateway;

import io.albingress.annotations.Condition;
import io.albingress.model.RuleAction;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTPRoute matches and filters as ALB conditions and actions, following the reference's
 * `pkg/gateway/routeutils/route_rule_condition.go` and `route_rule_action.go`: pure.
 */
public final class RouteMapping {
  /** The most an ALB forward action takes as a target group weight. */
  public static final int MAX_WEIGHT = 999;
  /** What a rule answers when none of its backends can be used, as the Gateway API asks (and the reference does). */
  public static final RuleAction.FixedResponse BACKEND_UNAVAILABLE = new RuleAction.FixedResponse("500", Optional.of("text/plain"),
      Optional.empty());

  private RouteMapping() {}

  /**
   * The conditions of one (match x hostname): host-header when a hostname applies, then path,
   * headers, query parameters and method; a match with none of them matches every path.
   */
  public static List<Condition> conditions(Optional<String> hostname, HTTPRouteMatch match) {
    if (match instanceof GrpcRoutes.Match grpc) {
      return GrpcRoutes.conditions(hostname, grpc.source());
    }
    List<Condition> out = new ArrayList<>();
    hostname.filter(h -> !h.isEmpty()).ifPresent(h -> out.add(new Condition("host-header", Optional.empty(), List.of(h))));
    if (match != null) {
      path(match.getPath()).ifPresent(out::add);
      for (HTTPHeaderMatch h : nonNull(match.getHeaders())) {
        out.add("RegularExpression".equals(h.getType())
            ? new Condition("http-header", Optional.of(h.getName()), List.of(), List.of(h.getValue()))
            : new Condition("http-header", Optional.of(h.getName()), headerValues(h.getValue())));
      }
      for (HTTPQueryParamMatch q : nonNull(match.getQueryParams())) {
        out.add(new Condition("query-string", Optional.empty(), List.of(q.getName() + "=" + q.getValue())));
      }
      if (match.getMethod() != null) {
        out.add(new Condition("http-request-method", Optional.empty(), List.of(match.getMethod())));
      }
    }
    if (out.isEmpty()) {
      out.add(new Condition("path-pattern", Optional.empty(), List.of("/*"))); // an ALB rule needs a condition
    }
    return out;
  }

  /** PathPrefix /p is /p and /p/*, / is /*; Exact as given; RegularExpression as regex values. */
  static Optional<Condition> path(HTTPPathMatch path) {
    if (path == null || path.getValue() == null) {
      return Optional.empty();
    }
    String value = path.getValue();
    String type = path.getType() == null ? "PathPrefix" : path.getType();
    return switch (type) {
      case "Exact" -> Optional.of(new Condition("path-pattern", Optional.empty(), List.of(value)));
      case "RegularExpression" -> Optional.of(new Condition("path-pattern", Optional.empty(), List.of(), List.of(value)));
      default -> {
        if (value.equals("/")) {
          yield Optional.of(new Condition("path-pattern", Optional.empty(), List.of("/*")));
        }
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        yield Optional.of(new Condition("path-pattern", Optional.empty(), List.of(trimmed, trimmed + "/*")));
      }
    };
  }

  /** A header value as the reference splits it: unescaped commas separate values, a backslash escapes the next character. */
  static List<String> headerValues(String value) {
    List<String> values = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        current.append(value.charAt(++i));
      } else if (c == ',') {
        values.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    values.add(current.toString());
    return values;
  }

  /**
   * Why ALB cannot do what a rule asks, if it cannot: a filter other than RequestRedirect, URLRewrite or an ExtensionRef
   * to a ListenerRuleConfiguration (header modifiers, mirrors, CORS, external auth, other extension refs), a wildcard
   * in a PathPrefix, a weight over 999, timeouts, retry or session persistence. The route is refused
   * in its status rather than served differently from what it says.
   */
  public static List<String> unsupported(HTTPRouteRule rule, String field) {
    List<String> problems = new ArrayList<>();
    List<HTTPRouteFilter> filters = nonNull(rule.getFilters());
    for (int i = 0; i < filters.size(); i++) {
      HTTPRouteFilter f = filters.get(i);
      if ("URLRewrite".equals(f.getType())) {
        continue; // RouteRewrites
      } else if ("ExtensionRef".equals(f.getType())) {
        if (!ListenerRuleConfigs.isListenerRuleConfig(f)) {
          problems.add(field + ".filters[" + i + "].extensionRef: " + (f.getExtensionRef() == null ? "missing"
              : f.getExtensionRef().getGroup() + "/" + f.getExtensionRef().getKind()) + " is not supported; an ExtensionRef names a "
              + ListenerRuleConfigs.GROUP + " " + ListenerRuleConfigs.KIND);
        }
      } else if (!"RequestRedirect".equals(f.getType())) {
        problems.add(field + ".filters[" + i + "].type: " + f.getType() + " is not supported on ALB; remove the filter"
            + " (only RequestRedirect, URLRewrite and ExtensionRef to a ListenerRuleConfiguration are; headers, mirrors and CORS have no"
            + " ALB rule action)");
      } else if (f.getRequestRedirect() != null) {
        String at = field + ".filters[" + i + "].requestRedirect.";
        redirectProblem(f.getRequestRedirect()).ifPresent(p -> problems.add(at + p));
      }
    }
    if (filters.stream().filter(ListenerRuleConfigs::isListenerRuleConfig).count() > 1) {
      problems.add(field + ".filters: more than one ListenerRuleConfiguration ExtensionRef; keep one (put all its actions and"
          + " conditions in one configuration)");
    }
    problems.addAll(RouteRewrites.problems(rule, field));
    if (filters.stream().filter(f -> "RequestRedirect".equals(f.getType())).count() > 1) {
      problems.add(field + ".filters: more than one RequestRedirect filter; keep one (an ALB rule has one redirect action)");
    }
    var matches = nonNull(rule.getMatches());
    for (int i = 0; i < matches.size(); i++) {
      HTTPPathMatch p = matches.get(i).getPath();
      if (p != null && p.getValue() != null && !"Exact".equals(p.getType()) && !"RegularExpression".equals(p.getType())
          && (p.getValue().contains("*") || p.getValue().contains("?"))) {
        problems.add(field + ".matches[" + i + "].path.value: " + p.getValue() + ": a PathPrefix cannot contain the ALB wildcards * or ?;"
            + " remove them, or use type RegularExpression");
      }
      var q = nonNull(matches.get(i).getQueryParams());
      for (int j = 0; j < q.size(); j++) {
        if ("RegularExpression".equals(q.get(j).getType())) {
          problems.add(field + ".matches[" + i + "].queryParams[" + j + "].type: RegularExpression is not supported on ALB query"
              + " matches; use type Exact");
        }
      }
    }
    var backends = nonNull(rule.getBackendRefs());
    for (int i = 0; i < backends.size(); i++) {
      Integer w = backends.get(i).getWeight();
      if (w != null && w > MAX_WEIGHT) {
        problems.add(field + ".backendRefs[" + i + "].weight: " + w + " is over ALB's maximum of " + MAX_WEIGHT
            + "; scale the weights of this rule down to 0.." + MAX_WEIGHT);
      }
      if (!nonNull(backends.get(i).getFilters()).isEmpty()) {
        problems.add(field + ".backendRefs[" + i + "].filters: per-backend filters are not supported on ALB; remove them");
      }
    }
    if (rule.getTimeouts() != null) {
      problems.add(field + ".timeouts: " + timeouts(rule) + ": ALB has no per-rule timeout; remove it"
          + " (the ALB idle timeout is a load balancer attribute)");
    }
    if (rule.getRetry() != null) {
      problems.add(field + ".retry: ALB does not retry requests; remove it");
    }
    if (rule.getSessionPersistence() != null) {
      problems.add(field + ".sessionPersistence: not supported yet (it would be target group stickiness); remove it");
    }
    return problems;
  }

  private static String timeouts(HTTPRouteRule rule) {
    var t = rule.getTimeouts();
    List<String> set = new ArrayList<>();
    if (t.getRequest() != null) {
      set.add("request " + t.getRequest());
    }
    if (t.getBackendRequest() != null) {
      set.add("backendRequest " + t.getBackendRequest());
    }
    return set.isEmpty() ? "{}" : String.join(", ", set);
  }

  private static Optional<String> redirectProblem(HTTPRequestRedirectFilter r) {
    if (r.getScheme() != null && !List.of("HTTP", "HTTPS").contains(r.getScheme().toUpperCase(Locale.ROOT))) {
      return Optional.of("scheme: " + r.getScheme() + " is not supported; use http or https");
    }
    if (r.getPath() != null && r.getPath().getReplacePrefixMatch() != null) {
      return Optional.of("path.replacePrefixMatch: " + r.getPath().getReplacePrefixMatch()
          + ": ALB redirects cannot replace a prefix; use type ReplaceFullPath");
    }
    if (r.getPath() != null && r.getPath().getReplaceFullPath() != null
        && (r.getPath().getReplaceFullPath().contains("*") || r.getPath().getReplaceFullPath().contains("?"))) {
      return Optional.of("path.replaceFullPath: " + r.getPath().getReplaceFullPath() + ": cannot contain * or ?; remove them");
    }
    return Optional.empty();
  }

  /** The rule's RequestRedirect filter as an ALB redirect action, if it has one. */
  public static Optional<RuleAction.Redirect> redirect(HTTPRouteRule rule) {
    return nonNull(rule.getFilters()).stream().filter(f -> "RequestRedirect".equals(f.getType()) && f.getRequestRedirect() != null)
        .findFirst().map(f -> redirect(f.getRequestRedirect()));
  }

  /** Scheme upper-cased with its default port unless a port is given; HTTP_<code>, 302 by default (the Gateway API's). */
  static RuleAction.Redirect redirect(HTTPRequestRedirectFilter r) {
    String protocol = "#{protocol}";
    String port = r.getPort() == null ? "#{port}" : String.valueOf(r.getPort());
    if (r.getScheme() != null) {
      protocol = r.getScheme().toUpperCase(Locale.ROOT);
      if (r.getPort() == null) {
        port = protocol.equals("HTTPS") ? "443" : "80";
      }
    }
    String host = r.getHostname() == null ? "#{host}" : r.getHostname();
    String path = r.getPath() != null && r.getPath().getReplaceFullPath() != null ? r.getPath().getReplaceFullPath() : "/#{path}";
    String status = "HTTP_" + (r.getStatusCode() == null ? 302 : r.getStatusCode());
    return new RuleAction.Redirect(status, protocol, port, host, path, "#{query}");
  }

  static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
