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
      "subnets", "security-groups", "load-balancer-attributes", "wafv2-acl-arn", "wafv2-acl-name",
      "waf-acl-id", "web-acl-id", "shield-advanced-protection", "listen-ports", "ssl-redirect", "inbound-cidrs",
      "certificate-arn", "ssl-policy", "use-regex-path-match", "security-group-prefix-lists",
      "manage-backend-security-group-rules", "auth-type", "auth-idp-cognito", "auth-idp-oidc", "auth-on-unauthenticated-request",
      "auth-scope", "auth-session-cookie", "auth-session-timeout", "jwt-validation", "mutual-authentication");

  /**
   * Every key the reference reads on a Service (merged over its Ingress's, pkg/ingress/model_build_target_group.go,
   * model_build_tags.go, auth_config_builder.go): the target-group keys, tags, the auth-* overrides,
   * multi-cluster-target-group and target-control-port.&lt;service&gt;.&lt;port&gt; (a family).
   */
  public static final Set<String> SERVICE_READ = serviceRead();

  /** Prefix families: `actions.<name>`, `conditions.<name>` and `transforms.<name>`. */
  public static final List<String> FAMILIES = List.of("actions.", "conditions.", "transforms.", "listener-attributes.");

  /** How this controller answers a key of the reference controller. */
  public enum Support {
    /** parsed, checked and applied to AWS */
    APPLIED,
    /** not applied; admission accepts the Ingress with a warning that the key is ignored */
    IGNORED,
    /** not applied, and ignoring it would leave the ALB less protected than asked: admission denies it */
    DENIED
  }

  /**
   * Every alb.ingress.kubernetes.io/ key of the reference controller (pkg/annotations/constants.go,
   * in its order) and what this controller does with it. AnnotationCatalogTest walks the reference's
   * list and fails on a key that is missing here.
   */
  private static final Map<String, Support> SUPPORT = support();
  /** Prefix families: actions.&lt;name&gt;, conditions.&lt;name&gt;, listener-attributes.&lt;Protocol&gt;-&lt;Port&gt;. */
  private static final Map<String, Support> FAMILY_SUPPORT = Map.of(
      "actions.", Support.APPLIED, "conditions.", Support.APPLIED, "transforms.", Support.APPLIED,
      "listener-attributes.", Support.APPLIED);
  /** What a denied key would have protected, for the admission message. */
  private static final Map<String, String> DENIED_BECAUSE = Map.of(
      "auth-", "authentication on the ALB's rules",
      "jwt-validation", "JWT validation on the ALB's rules",
      "mutual-authentication", "mutual TLS on the HTTPS listeners",
      "listener-attributes", "its listener attributes (such as the HSTS and other security response headers)");

  /** Reference-controller annotations that are recognised but not acted on here. */
  public static final Set<String> NOT_SUPPORTED = SUPPORT.entrySet().stream()
      .filter(e -> e.getValue() != Support.APPLIED).map(Map.Entry::getKey)
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private static final Set<String> KNOWN = known();
  /** Membership without the sorted set's string comparisons. */
  private static final Set<String> KNOWN_HASHED = Set.copyOf(KNOWN);
  /**
   * The full key of every known name, built once: reading an annotation then costs a lookup by a
   * constant name (its hash cached) instead of a new string, hashed again by each map it is looked up in.
   */
  private static final Map<String, String> KEYS = KNOWN.stream()
      .collect(java.util.stream.Collectors.toUnmodifiableMap(n -> n, n -> PREFIX + n));

  private AnnotationCatalog() {}

  public static String key(String name) {
    Map<String, String> keys = KEYS; // null while this class initialises
    String key = keys == null ? null : keys.get(name);
    return key != null ? key : PREFIX + name;
  }

  public static boolean isKnown(String name) {
    return KNOWN_HASHED.contains(name) || FAMILIES.stream().anyMatch(f -> name.startsWith(f) && name.length() > f.length());
  }

  public static boolean isNotSupported(String name) {
    return support(name).filter(s -> s != Support.APPLIED).isPresent();
  }

  /** What this controller does with a reference key (or family member); empty for keys the reference does not know. */
  public static Optional<Support> support(String name) {
    Support s = SUPPORT.get(name);
    if (s != null) {
      return Optional.of(s);
    }
    return FAMILY_SUPPORT.entrySet().stream().filter(f -> name.startsWith(f.getKey()) && name.length() > f.getKey().length())
        .map(Map.Entry::getValue).findFirst();
  }

  /** Every reference key (without the families) and what this controller does with it, in the reference's order. */
  public static Map<String, Support> supportTable() {
    return SUPPORT;
  }

  /** For a denied key: what the ALB would lack if it were ignored. */
  public static String deniedBecause(String name) {
    return DENIED_BECAUSE.entrySet().stream().filter(e -> name.startsWith(e.getKey())).map(Map.Entry::getValue)
        .findFirst().orElse("the protection it asks for");
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

  private static Map<String, Support> support() {
    Map<String, Support> m = new java.util.LinkedHashMap<>();
    put(m, Support.APPLIED, "load-balancer-name", "group.name", "group.order", "tags", "ip-address-type", "scheme", "subnets");
    put(m, Support.IGNORED, "customer-owned-ipv4-pool");
    put(m, Support.APPLIED, "load-balancer-attributes", "wafv2-acl-arn", "wafv2-acl-name", "waf-acl-id", "web-acl-id",
        "shield-advanced-protection", "security-groups", "listen-ports", "ssl-redirect", "inbound-cidrs", "certificate-arn",
        "ssl-policy", "target-type", "backend-protocol", "backend-protocol-version", "target-group-attributes",
        "healthcheck-port", "healthcheck-protocol", "healthcheck-path", "healthcheck-interval-seconds",
        "healthcheck-timeout-seconds", "healthy-threshold-count", "unhealthy-threshold-count", "success-codes");
    put(m, Support.APPLIED, "auth-type", "auth-idp-cognito", "auth-idp-oidc", "auth-on-unauthenticated-request", "auth-scope",
        "auth-session-cookie", "auth-session-timeout", "jwt-validation");
    put(m, Support.APPLIED, "target-node-labels", "manage-backend-security-group-rules");
    put(m, Support.APPLIED, "mutual-authentication");
    put(m, Support.APPLIED, "security-group-prefix-lists", "use-regex-path-match");
    put(m, Support.APPLIED, "listener-attributes");
    put(m, Support.IGNORED, "multi-cluster-target-group", "minimum-load-balancer-capacity", "ipam-ipv4-pool-id",
        "enable-frontend-nlb", "frontend-nlb-scheme", "frontend-nlb-subnets", "frontend-nlb-security-groups",
        "frontend-nlb-listener-port-mapping", "frontend-nlb-eip-allocations", "frontend-nlb-healthcheck-port",
        "frontend-nlb-healthcheck-protocol", "frontend-nlb-healthcheck-path", "frontend-nlb-healthcheck-interval-seconds",
        "frontend-nlb-healthcheck-timeout-seconds", "frontend-nlb-healthcheck-healthy-threshold-count",
        "frontend-nlb-healthcheck-unhealthy-threshold-count", "frontend-nlb-healthcheck-success-codes",
        "frontend-nlb-attributes", "frontend-nlb-tags", "target-control-port", "create-acm-cert",
        "acm-pca-arn", "dry-run-plan");
    return java.util.Collections.unmodifiableMap(m);
  }

  private static void put(Map<String, Support> m, Support support, String... names) {
    for (String n : names) {
      if (m.put(n, support) != null) {
        throw new IllegalStateException("annotation " + n + " listed twice");
      }
    }
  }

  private static Set<String> serviceRead() {
    Set<String> keys = new TreeSet<>(TARGET_SCOPED);
    keys.addAll(List.of("tags", "auth-type", "auth-idp-cognito", "auth-idp-oidc", "auth-on-unauthenticated-request", "auth-scope",
        "auth-session-cookie", "auth-session-timeout", "multi-cluster-target-group", "target-control-port"));
    return java.util.Collections.unmodifiableSet(keys);
  }

  private static Set<String> known() {
    java.util.SortedSet<String> all = new TreeSet<>(TARGET_SCOPED);
    all.addAll(INGRESS_SCOPED);
    all.addAll(SUPPORT.keySet());
    // sorted, so that ties in closest() resolve the same way on every run
    return java.util.Collections.unmodifiableSortedSet(all);
  }
}
