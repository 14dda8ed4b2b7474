package io.albingress.gateway;

import io.albingress.annotations.Transform;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPURLRewriteFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * URLRewrite filters as ALB rule transforms (`url-rewrite`, `host-header-rewrite`), as the reference's
 * `route_rule_transform.go` does, except that a prefix "/" is replaced correctly and the prefix is
 * matched literally (the reference puts it in the regex unescaped). Pure.
 */
public final class RouteRewrites {
  /** The path without the query string, which ALB's url-rewrite regex also sees. */
  static final String WHOLE_PATH = "^([^?]*)";
  static final String WHOLE_HOST = ".*";

  private RouteRewrites() {}

  /** The transforms of one match of a rule: path first, then host, at most one of each (an ALB limit). */
  public static List<Transform> of(HTTPRouteRule rule, HTTPRouteMatch match) {
    List<Transform> out = new ArrayList<>();
    for (HTTPRouteFilter f : RouteMapping.nonNull(rule.getFilters())) {
      HTTPURLRewriteFilter rw = f.getUrlRewrite();
      if (!"URLRewrite".equals(f.getType()) || rw == null) {
        continue;
      }
      pathRewrite(rw.getPath(), match).ifPresent(r -> out.add(new Transform("url-rewrite", List.of(r))));
      if (rw.getHostname() != null) {
        out.add(new Transform("host-header-rewrite", List.of(new Transform.Rewrite(WHOLE_HOST, rw.getHostname()))));
      }
    }
    return out;
  }

  /**
   * ReplaceFullPath replaces the path, keeping the query. ReplacePrefixMatch replaces the matched
   * prefix as the Gateway API says: /foo replaced by /bar turns /foo/x into /bar/x, by / into /x,
   * and / replaced by /bar turns /x into /bar/x; nothing to do when both are /.
   */
  static Optional<Transform.Rewrite> pathRewrite(HTTPPathModifier path, HTTPRouteMatch match) {
    if (path == null) {
      return Optional.empty();
    }
    if ("ReplaceFullPath".equals(path.getType()) && path.getReplaceFullPath() != null) {
      return Optional.of(new Transform.Rewrite(WHOLE_PATH, path.getReplaceFullPath()));
    }
    if (!"ReplacePrefixMatch".equals(path.getType()) || path.getReplacePrefixMatch() == null) {
      return Optional.empty();
    }
    String prefix = trimSlash(prefixOf(match));
    String replacement = trimSlash(path.getReplacePrefixMatch());
    if (prefix.isEmpty()) {
      return replacement.isEmpty() ? Optional.empty() : Optional.of(new Transform.Rewrite("^/", replacement + "/"));
    }
    return Optional.of(replacement.isEmpty() ? new Transform.Rewrite("^" + literal(prefix) + "/?", "/")
        : new Transform.Rewrite("^" + literal(prefix), replacement));
  }

  /** Why a URLRewrite filter of this rule cannot be applied, if it cannot. */
  static List<String> problems(HTTPRouteRule rule, String field) {
    List<String> problems = new ArrayList<>();
    List<HTTPRouteFilter> filters = RouteMapping.nonNull(rule.getFilters());
    long rewrites = filters.stream().filter(f -> "URLRewrite".equals(f.getType())).count();
    if (rewrites > 1) {
      problems.add(field + ".filters: more than one URLRewrite filter; keep one (an ALB rule has one rewrite of each kind)");
    }
    if (rewrites > 0 && filters.stream().anyMatch(f -> "RequestRedirect".equals(f.getType()))) {
      problems.add(field + ".filters: URLRewrite and RequestRedirect together; keep one (the Gateway API allows only one of them)");
    }
    for (int i = 0; i < filters.size(); i++) {
      HTTPURLRewriteFilter rw = filters.get(i).getUrlRewrite();
      if (!"URLRewrite".equals(filters.get(i).getType()) || rw == null || rw.getPath() == null) {
        continue;
      }
      String at = field + ".filters[" + i + "].urlRewrite.path.";
      HTTPPathModifier p = rw.getPath();
      String value = p.getReplaceFullPath() != null ? p.getReplaceFullPath() : p.getReplacePrefixMatch();
      if (value != null && value.contains("$")) {
        problems.add(at + ("ReplaceFullPath".equals(p.getType()) ? "replaceFullPath" : "replacePrefixMatch") + ": " + value
            + ": cannot contain $ (ALB reads it as a reference to a regex group); remove it");
      }
      if ("ReplacePrefixMatch".equals(p.getType())) {
        var matches = RouteMapping.nonNull(rule.getMatches());
        for (int j = 0; j < matches.size(); j++) {
          var m = matches.get(j).getPath();
          if (m != null && m.getType() != null && !"PathPrefix".equals(m.getType())) {
            problems.add(at + "replacePrefixMatch: needs PathPrefix matches, but " + field + ".matches[" + j + "].path.type is "
                + m.getType() + "; use ReplaceFullPath, or a PathPrefix match");
          }
        }
      }
    }
    return problems;
  }

  /** A match without a path matches the prefix / (the Gateway API's default). */
  private static String prefixOf(HTTPRouteMatch match) {
    return match == null || match.getPath() == null || match.getPath().getValue() == null ? "/" : match.getPath().getValue();
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** The path as a regex that matches it literally. */
  static String literal(String path) {
    StringBuilder out = new StringBuilder();
    for (char c : path.toCharArray()) {
      if (".+*?()[]{}|^$\\".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
