package io.albingress.annotations;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Every annotation this controller reads, and the reference controller's ones it does not (yet). */
public final class AnnotationCatalog {
  public static final String PREFIX = "alb.ingress.kubernetes.io/";
  public static final String LEGACY_CLASS = "kubernetes.io/ingress.class";

  /** Annotations a Service may set to override the Ingress for its own target group. */
  public static final Set<String> TARGET_SCOPED = Set.of(
      "target-type", "backend-protocol", "backend-protocol-version", "target-group-attributes",
      "healthcheck-port", "healthcheck-protocol", "healthcheck-path", "healthcheck-interval-seconds",
      "healthcheck-timeout-seconds", "healthy-threshold-count", "unhealthy-threshold-count",
      "success-codes", "target-node-labels");

  public static final Set<String> INGRESS_SCOPED = Set.of(
      "group.name", "group.order", "load-balancer-name", "tags", "ip-address-type", "scheme",
      "subnets", "security-groups", "load-balancer-attributes", "wafv2-acl-arn",
      "shield-advanced-protection", "listen-ports", "ssl-redirect", "inbound-cidrs",
      "certificate-arn", "ssl-policy", "security-group-prefix-lists", "manage-backend-security-group-rules");

  /** Prefix families: `actions.<name>` and `conditions.<name>`. */
  public static final List<String> FAMILIES = List.of("actions.", "conditions.");

  /** Reference-controller annotations that are recognised but not acted on here. */
  public static final Set<String> NOT_SUPPORTED = Set.of(
      "waf-acl-id", "customer-owned-ipv4-pool", "mutual-authentication", "auth-type", "auth-idp-cognito",
      "auth-idp-oidc", "auth-on-unauthenticated-request", "auth-scope", "auth-session-cookie",
      "auth-session-timeout", "minimum-load-balancer-capacity", "ipam-ipv4-pool-id",
      "listener-attributes");

  private static final Set<String> KNOWN = known();

  private AnnotationCatalog() {}

  public static String key(String name) {
    return PREFIX + name;
  }

  public static boolean isKnown(String name) {
    return KNOWN.contains(name) || FAMILIES.stream().anyMatch(f -> name.startsWith(f) && name.length() > f.length());
  }

  public static boolean isNotSupported(String name) {
    return NOT_SUPPORTED.contains(name) || name.startsWith("listener-attributes.");
  }

  /** The known name closest to a misspelt one, if any is close enough to be a likely typo. */
  public static Optional<String> closest(String name) {
    int dot = name.indexOf('.');
    if (dot > 0 && dot < name.length() - 1) {
      String head = name.substring(0, dot + 1);
      for (String family : FAMILIES) {
        if (!head.equals(family) && editDistance(head, family) <= 2) {
          return Optional.of(family + name.substring(dot + 1));
        }
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : KNOWN) {
      int d = editDistance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (bestDistance <= Math.max(2, name.length() / 3)) {
      return Optional.ofNullable(best);
    }
    // a truncated or extended name: "healthcheck-interval" for "healthcheck-interval-seconds"
    return name.length() < 4 ? Optional.empty() : KNOWN.stream()
        .filter(k -> k.startsWith(name) || name.startsWith(k))
        .min(java.util.Comparator.comparingInt(k -> editDistance(name, k)));
  }

  /** Ours-prefixed annotation names from an object's annotations, without the prefix. */
  public static Set<String> ourNames(Map<String, String> annotations) {
    Set<String> names = new TreeSet<>();
    annotations.keySet().stream().filter(k -> k.startsWith(PREFIX)).forEach(k -> names.add(k.substring(PREFIX.length())));
    return names;
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Set<String> known() {
    java.util.SortedSet<String> all = new TreeSet<>(TARGET_SCOPED);
    all.addAll(INGRESS_SCOPED);
    all.addAll(NOT_SUPPORTED);
    // sorted, so that ties in closest() resolve the same way on every run
    return java.util.Collections.unmodifiableSortedSet(all);
  }
}
