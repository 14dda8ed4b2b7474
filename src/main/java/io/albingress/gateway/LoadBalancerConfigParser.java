package io.albingress.gateway;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.FieldError;
import io.albingress.annotations.IngressAnnotations;
import io.albingress.annotations.Parsed;
import io.albingress.annotations.SecurityGroupAnnotations;
import io.albingress.annotations.SpecReader;
import io.albingress.gateway.LoadBalancerConfig.ListenerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the {@code spec} of a LoadBalancerConfiguration (its JSON map) into a {@link LoadBalancerConfig}, every
 * problem a {@link FieldError} on its spec path. Values are checked by the Ingress annotation parser (the field
 * rendered as the annotation it stands for: subnets, inbound-cidrs, certificate-arn, ssl-policy, attributes,
 * tags...), so one rule lives in one place. A field of the reference's schema this controller does not apply is
 * an error naming it, never silently dropped.
 */
public final class LoadBalancerConfigParser extends SpecReader {
  static final Set<String> APPLIED = Set.of("mergingMode", "loadBalancerName", "scheme", "ipAddressType", "loadBalancerSubnets",
      "loadBalancerSubnetsSelector", "listenerConfigurations", "securityGroups", "securityGroupPrefixes", "sourceRanges",
      "loadBalancerAttributes", "tags", "manageBackendSecurityGroupRules", "wafV2", "shieldConfiguration",
      "defaultTargetGroupConfiguration");
  /** Fields of the reference's schema not applied here (NLB-only, or not built yet). */
  static final Set<String> NOT_APPLIED = Set.of("enforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "customerOwnedIpv4Pool",
      "ipv4IPAMPoolId", "disableSecurityGroup", "enableICMP", "minimumLoadBalancerCapacity");
  static final Set<String> SUBNET_NOT_APPLIED = Set.of("eipAllocation", "privateIPv4Allocation", "ipv6Allocation", "sourceNatIPv6Prefix");
  static final Set<String> LISTENER_APPLIED = Set.of("protocolPort", "defaultCertificate", "certificates", "sslPolicy", "listenerAttributes",
      "mutualAuthentication");
  static final Set<String> LISTENER_NOT_APPLIED = Set.of("alpnPolicy", "targetGroupStickiness", "quicEnabled");
  private static final tools.jackson.databind.ObjectMapper JSON = new tools.jackson.databind.ObjectMapper();
  static final Pattern PROTOCOL_PORT = Pattern.compile("(?i)(HTTP|HTTPS|TLS|TCP|UDP|TCP_UDP|QUIC|TCP_QUIC):(\\d{1,5})");


  private LoadBalancerConfigParser() {}

  /** @param spec the object's {@code spec}; null is an empty spec */
  public static Parsed<LoadBalancerConfig> parse(Map<String, Object> spec) {
    return new LoadBalancerConfigParser().read(spec == null ? Map.of() : spec);
  }

  private Parsed<LoadBalancerConfig> read(Map<String, Object> spec) {
    for (String k : new TreeSet<>(spec.keySet())) {
      if (NOT_APPLIED.contains(k) && !isFalse(spec.get(k))) {
        error("spec." + k, "is not applied by this controller (ALB): remove it");
      } else if (!APPLIED.contains(k) && !NOT_APPLIED.contains(k)) {
        error("spec." + k, "is not a field of gateway.k8s.aws LoadBalancerConfiguration");
      }
    }
    Optional<String> mode = string(spec, "mergingMode", "spec.mergingMode");
    if (mode.isPresent() && !Set.of(LoadBalancerConfig.PREFER_GATEWAY, LoadBalancerConfig.PREFER_GATEWAY_CLASS).contains(mode.get())) {
      error("spec.mergingMode", "\"" + FieldError.abbreviate(mode.get()) + "\" is not valid: expected prefer-gateway-class or prefer-gateway");
      mode = Optional.empty();
    }
    Optional<List<String>> subnets = present(spec, "loadBalancerSubnets").map(v -> subnets(spec));
    Optional<Map<String, List<String>>> selector = map(spec, "loadBalancerSubnetsSelector", "spec.loadBalancerSubnetsSelector").map(m -> {
      Map<String, List<String>> tags = new LinkedHashMap<>();
      m.keySet().forEach(k -> tags.put(k, strings(m, k, "spec.loadBalancerSubnetsSelector." + k)));
      return tags;
    });
    if (subnets.isPresent() && selector.isPresent()) {
      error("spec.loadBalancerSubnets", "give loadBalancerSubnets or loadBalancerSubnetsSelector, not both");
    }
    Optional<Boolean> manage = bool(spec, "manageBackendSecurityGroupRules", "spec.manageBackendSecurityGroupRules");
    Optional<String> waf = map(spec, "wafV2", "spec.wafV2").flatMap(m -> string(m, "webACL", "spec.wafV2.webACL"));
    Optional<Boolean> shield = map(spec, "shieldConfiguration", "spec.shieldConfiguration")
        .map(m -> bool(m, "enabled", "spec.shieldConfiguration.enabled").orElse(false));
    LoadBalancerConfig config = new LoadBalancerConfig(mode, string(spec, "loadBalancerName", "spec.loadBalancerName"),
        string(spec, "scheme", "spec.scheme"), string(spec, "ipAddressType", "spec.ipAddressType"), subnets, selector,
        present(spec, "securityGroups").map(v -> strings(spec, "securityGroups", "spec.securityGroups")),
        present(spec, "securityGroupPrefixes").map(v -> strings(spec, "securityGroupPrefixes", "spec.securityGroupPrefixes")),
        present(spec, "sourceRanges").map(v -> strings(spec, "sourceRanges", "spec.sourceRanges")), manage, listeners(spec),
        keyValues(list(spec, "loadBalancerAttributes", "spec.loadBalancerAttributes"), "spec.loadBalancerAttributes"),
        stringMap(spec, "tags", "spec.tags"), waf, shield, defaultTargetGroupConfiguration(spec));
    return new Parsed<>(checkAsAnnotations(config), errors);
  }

  /** The load balancer fields, then each listener configuration, through the annotation parser; errors named by spec path. */
  private LoadBalancerConfig checkAsAnnotations(LoadBalancerConfig c) {
    Map<String, String> paths = new LinkedHashMap<>();
    Map<String, String> a = new LinkedHashMap<>();
    put(a, paths, "load-balancer-name", c.loadBalancerName(), "spec.loadBalancerName");
    put(a, paths, "scheme", c.scheme(), "spec.scheme");
    put(a, paths, "ip-address-type", c.ipAddressType(), "spec.ipAddressType");
    put(a, paths, "subnets", c.subnets().map(s -> String.join(",", s)), "spec.loadBalancerSubnets");
    put(a, paths, "security-groups", c.securityGroups().filter(s -> !s.isEmpty()).map(s -> String.join(",", s)), "spec.securityGroups");
    put(a, paths, "security-group-prefix-lists", c.securityGroupPrefixes().filter(s -> !s.isEmpty()).map(s -> String.join(",", s)),
        "spec.securityGroupPrefixes");
    put(a, paths, "inbound-cidrs", c.sourceRanges().filter(s -> !s.isEmpty()).map(s -> String.join(",", s)), "spec.sourceRanges");
    put(a, paths, "load-balancer-attributes", Optional.of(c.loadBalancerAttributes()).filter(m -> !m.isEmpty()).map(LoadBalancerConfigParser::render),
        "spec.loadBalancerAttributes");
    put(a, paths, "tags", Optional.of(c.tags()).filter(m -> !m.isEmpty()).map(LoadBalancerConfigParser::render), "spec.tags");
    put(a, paths, "manage-backend-security-group-rules", c.manageBackendSecurityGroupRules().map(String::valueOf),
        "spec.manageBackendSecurityGroupRules");
    put(a, paths, c.wafv2WebAcl().filter(w -> w.startsWith("arn:")).isPresent() ? "wafv2-acl-arn" : "wafv2-acl-name", c.wafv2WebAcl(),
        "spec.wafV2.webACL");
    put(a, paths, "shield-advanced-protection", c.shieldAdvanced().map(String::valueOf), "spec.shieldConfiguration.enabled");
    check(a, paths);
    Map<String, ListenerConfig> withMtls = new LinkedHashMap<>();
    for (ListenerConfig l : c.listeners().values()) {
      String field = "spec.listenerConfigurations[" + l.protocolPort() + "]";
      String[] pp = l.protocolPort().split(":");
      Map<String, String> la = new LinkedHashMap<>();
      Map<String, String> lp = new LinkedHashMap<>();
      la.put(AnnotationCatalog.key("listen-ports"), "[{\"" + pp[0] + "\":" + pp[1] + "}]");
      lp.put(AnnotationCatalog.key("listen-ports"), field + ".protocolPort");
      put(la, lp, "certificate-arn", Optional.of(l.allCertificates()).filter(x -> !x.isEmpty()).map(x -> String.join(",", x)),
          field + ".certificates");
      put(la, lp, "ssl-policy", l.sslPolicy(), field + ".sslPolicy");
      put(la, lp, "listener-attributes." + pp[0] + "-" + pp[1], Optional.of(l.attributes()).filter(m -> !m.isEmpty())
          .map(LoadBalancerConfigParser::render), field + ".listenerAttributes");
      Map<String, Object> mtls = mutualAuthentication.get(l.protocolPort());
      if (mtls != null) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("port", Integer.parseInt(pp[1]));
        entry.putAll(mtls);
        put(la, lp, "mutual-authentication", Optional.of(JSON.writeValueAsString(List.of(entry))), field + ".mutualAuthentication");
      }
      var parsed = check(la, lp);
      withMtls.put(l.protocolPort(), l.withMutualAuthentication(Optional.ofNullable(
          parsed.value().mutualAuthentication().get(Integer.parseInt(pp[1])))));
    }
    return c.withListeners(withMtls);
  }

  /** listenerConfigurations[].mutualAuthentication as written, by protocolPort: checked as the mutual-authentication annotation. */
  private final Map<String, Map<String, Object>> mutualAuthentication = new LinkedHashMap<>();

  private static void put(Map<String, String> a, Map<String, String> paths, String annotation, Optional<String> value, String path) {
    value.ifPresent(v -> {
      a.put(AnnotationCatalog.key(annotation), v);
      paths.put(AnnotationCatalog.key(annotation), path);
    });
  }

  private Parsed<io.albingress.annotations.IngressConfig> check(Map<String, String> annotations, Map<String, String> paths) {
    Parsed<io.albingress.annotations.IngressConfig> parsed = IngressAnnotations.parse(annotations);
    List<FieldError> found = new ArrayList<>(parsed.errors());
    found.addAll(SecurityGroupAnnotations.parse(annotations).errors());
    for (FieldError e : found) {
      String key = e.field().startsWith(AnnotationCatalog.PREFIX) ? e.field() : AnnotationCatalog.key(e.field());
      String path = paths.getOrDefault(key, paths.getOrDefault(e.field(), "spec"));
      FieldError named = new FieldError(path, e.message());
      if (!errors.contains(named)) {
        errors.add(named);
      }
    }
    return parsed;
  }

  private List<String> subnets(Map<String, Object> spec) {
    List<String> ids = new ArrayList<>();
    List<Object> items = list(spec, "loadBalancerSubnets", "spec.loadBalancerSubnets");
    for (int i = 0; i < items.size(); i++) {
      String field = "spec.loadBalancerSubnets[" + i + "]";
      Optional<Map<String, Object>> s = item(items.get(i), field, "an object with identifier");
      if (s.isEmpty()) {
        continue;
      }
      for (String k : new TreeSet<>(s.get().keySet())) {
        if (SUBNET_NOT_APPLIED.contains(k)) {
          error(field + "." + k, "is not applied by this controller (Network Load Balancers only): remove it");
        } else if (!k.equals("identifier")) {
          error(field + "." + k, "is not a field of a subnet configuration");
        }
      }
      string(s.get(), "identifier", field + ".identifier").ifPresentOrElse(ids::add, () -> error(field + ".identifier", "is required"));
    }
    return ids;
  }

  private Map<String, ListenerConfig> listeners(Map<String, Object> spec) {
    Map<String, ListenerConfig> out = new LinkedHashMap<>();
    List<Object> items = list(spec, "listenerConfigurations", "spec.listenerConfigurations");
    for (int i = 0; i < items.size(); i++) {
      String field = "spec.listenerConfigurations[" + i + "]";
      Optional<Map<String, Object>> l = item(items.get(i), field, "an object with protocolPort");
      if (l.isEmpty()) {
        continue;
      }
      for (String k : new TreeSet<>(l.get().keySet())) {
        if (LISTENER_NOT_APPLIED.contains(k)) {
          error(field + "." + k, "is not applied by this controller yet: remove it");
        } else if (!LISTENER_APPLIED.contains(k)) {
          error(field + "." + k, "is not a field of a listener configuration");
        }
      }
      Optional<String> pp = string(l.get(), "protocolPort", field + ".protocolPort");
      var m = pp.map(PROTOCOL_PORT::matcher).filter(java.util.regex.Matcher::matches);
      if (m.isEmpty()) {
        error(field + ".protocolPort", "\"" + FieldError.abbreviate(pp.orElse("")) + "\" is not valid: expected PROTOCOL:PORT, e.g. HTTPS:443");
        continue;
      }
      String protocol = m.get().group(1).toUpperCase(Locale.ROOT);
      int port = Integer.parseInt(m.get().group(2));
      if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
        error(field + ".protocolPort", "\"" + pp.get() + "\": an ALB listens on HTTP or HTTPS only");
        continue;
      }
      if (port < 1 || port > 65535) {
        error(field + ".protocolPort", "\"" + pp.get() + "\": the port must be from 1 to 65535");
        continue;
      }
      String key = protocol + ":" + port;
      if (out.containsKey(key)) {
        error(field + ".protocolPort", key + " is configured twice");
        continue;
      }
      Optional<String> def = string(l.get(), "defaultCertificate", field + ".defaultCertificate");
      List<String> certs = strings(l.get(), "certificates", field + ".certificates");
      Optional<String> policy = string(l.get(), "sslPolicy", field + ".sslPolicy");
      if (protocol.equals("HTTP") && (def.isPresent() || !certs.isEmpty() || policy.isPresent())) {
        error(field, key + " is plain HTTP: certificates and sslPolicy apply to HTTPS listeners only");
      }
      map(l.get(), "mutualAuthentication", field + ".mutualAuthentication").ifPresent(mt -> mutualAuthentication.put(key, mt));
      out.put(key, new ListenerConfig(key, def, certs, policy,
          keyValues(list(l.get(), "listenerAttributes", field + ".listenerAttributes"), field + ".listenerAttributes")));
    }
    return out;
  }

  /** {@code defaultTargetGroupConfiguration: {name}}: a TargetGroupConfiguration of this configuration's namespace. */
  private Optional<String> defaultTargetGroupConfiguration(Map<String, Object> spec) {
    String path = "spec.defaultTargetGroupConfiguration";
    return map(spec, "defaultTargetGroupConfiguration", path).flatMap(ref -> {
      for (String k : new TreeSet<>(ref.keySet())) {
        if (!k.equals("name")) {
          error(path + "." + k, "is not a field of a defaultTargetGroupConfiguration reference (name only: the TargetGroupConfiguration"
              + " is in this LoadBalancerConfiguration's namespace)");
        }
      }
      Optional<String> name = string(ref, "name", path + ".name");
      if (name.isEmpty() && !errors.stream().anyMatch(e -> e.field().equals(path + ".name"))) {
        error(path + ".name", "is required: the TargetGroupConfiguration (without targetReference) whose settings every target group"
            + " of the Gateway takes where no Service-level TargetGroupConfiguration says otherwise");
      }
      return name;
    });
  }

  private static String render(Map<String, String> kv) {
    StringBuilder b = new StringBuilder();
    kv.forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append('=').append(v));
    return b.toString();
  }

  private static boolean isFalse(Object v) {
    return v == null || Boolean.FALSE.equals(v);
  }

  private static Optional<Object> present(Map<String, Object> m, String field) {
    return Optional.ofNullable(m.get(field));
  }
}
