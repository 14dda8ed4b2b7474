package io.albingress.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import java.time.Instant;
import java.util.Comparator;

/**
 * The Gateway API's precedence of HTTPRoute and GRPCRoute matches, one ordering for both kinds on a
 * listener, as ALB rule priorities (lowest first), following the reference's `route_rule_precedence.go`:
 * a concrete hostname before a wildcard one before none (more labels, then longer first); then path type
 * Exact > PathPrefix > RegularExpression > none (a gRPC method: Exact > RegularExpression > none); longer
 * path (gRPC: service, then method); an HTTP method match; more header matches; more query matches; then
 * the oldest route, its namespace/name (and kind), the rule index and the match index. Deterministic: the same inputs give the same
 * order after a restart.
 */
public final class Precedence {
  private Precedence() {}

  /** One (match x hostname) of a route rule; {@code hostname} "" matches every host, {@code matchIndex} MAX_VALUE is a rule without matches. */
  public record Candidate(String hostname, HTTPRoute route, int ruleIndex, int matchIndex, HTTPRouteMatch match) {
    String routeName() {
      return route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
    }

    Instant created() {
      String ts = route.getMetadata().getCreationTimestamp();
      try {
        return ts == null ? Instant.MAX : Instant.parse(ts);
      } catch (RuntimeException e) {
        return Instant.MAX;
      }
    }
  }

  private static final Comparator<Candidate> BY_HOSTNAME = (a, b) -> hostnameOrder(a.hostname(), b.hostname());

  /**
   * The specificity of a match, one key for HTTP and gRPC matches (the reference's RulePrecedenceFactor): path
   * type; primary length (HTTP path, gRPC service); secondary length (gRPC method, 0 for HTTP); an HTTP method
   * match; header matches; query matches.
   */
  record Factor(int pathType, int primaryLength, int secondaryLength, boolean method, int headers, int queries) {}

  static Factor factor(HTTPRouteMatch m) {
    if (m instanceof GrpcRoutes.Match g) {
      return GrpcRoutes.factor(g.source());
    }
    return new Factor(pathType(m), pathLength(m), 0, m != null && m.getMethod() != null,
        m == null ? 0 : RouteMapping.nonNull(m.getHeaders()).size(), m == null ? 0 : RouteMapping.nonNull(m.getQueryParams()).size());
  }

  public static final Comparator<Candidate> ORDER = BY_HOSTNAME
      .thenComparing(c -> factor(c.match()).pathType(), Comparator.reverseOrder())
      .thenComparing(c -> factor(c.match()).primaryLength(), Comparator.reverseOrder())
      .thenComparing(c -> factor(c.match()).secondaryLength(), Comparator.reverseOrder())
      .thenComparing(c -> factor(c.match()).method(), Comparator.reverseOrder())
      .thenComparing(c -> factor(c.match()).headers(), Comparator.reverseOrder())
      .thenComparing(c -> factor(c.match()).queries(), Comparator.reverseOrder())
      .thenComparing(Candidate::created)
      .thenComparing(Candidate::routeName)
      .thenComparing(c -> GrpcRoutes.kind(c.route()))
      .thenComparingInt(Candidate::ruleIndex)
      .thenComparingInt(Candidate::matchIndex)
      .thenComparing(Candidate::hostname);

  /** Negative when {@code a} is more specific: concrete before wildcard before none; more dots, then longer. */
  static int hostnameOrder(String a, String b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() == b.isEmpty() ? 0 : a.isEmpty() ? 1 : -1;
    }
    boolean wa = a.startsWith("*."), wb = b.startsWith("*.");
    if (wa != wb) {
      return wa ? 1 : -1;
    }
    int dots = Long.compare(b.chars().filter(ch -> ch == '.').count(), a.chars().filter(ch -> ch == '.').count());
    return dots != 0 ? dots : Integer.compare(b.length(), a.length());
  }

  /** Exact 3, PathPrefix 2, RegularExpression 1, no path 0. */
  static int pathType(HTTPRouteMatch m) {
    if (m == null || m.getPath() == null || m.getPath().getValue() == null) {
      return 0;
    }
    String t = m.getPath().getType() == null ? "PathPrefix" : m.getPath().getType();
    return switch (t) {
      case "Exact" -> 3;
      case "PathPrefix" -> 2;
      case "RegularExpression" -> 1;
      default -> 0;
    };
  }

  static int pathLength(HTTPRouteMatch m) {
    return pathType(m) == 0 ? 0 : m.getPath().getValue().length();
  }
}
