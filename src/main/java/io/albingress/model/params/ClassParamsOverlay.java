package io.albingress.model.params;

import io.albingress.annotations.AnnotationCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Params override annotations where the reference controller says so: each field set on the params replaces the
 * annotation it stands for (group.name, scheme, ip-address-type, subnets, certificate-arn, ssl-policy,
 * inbound-cidrs, ...), and tags, load-balancer-attributes and listener attributes are merged with the params'
 * entries winning. The result is the Ingress's effective annotation map, parsed by the one annotation parser.
 */
public final class ClassParamsOverlay {
  /** Annotation names (without prefix) that merge key=value pairs instead of being replaced. */
  private static final String TAGS = "tags";
  private static final String LB_ATTRIBUTES = "load-balancer-attributes";
  private static final String LISTENER_ATTRIBUTES = "listener-attributes.";

  private ClassParamsOverlay() {}

  /** The params as annotations (names without the prefix), for the fields that are set. */
  public static Map<String, String> annotations(ClassParams p) {
    Map<String, String> a = new LinkedHashMap<>();
    p.group().ifPresent(v -> a.put("group.name", v));
    p.loadBalancerName().ifPresent(v -> a.put("load-balancer-name", v));
    p.scheme().ifPresent(v -> a.put("scheme", v));
    p.ipAddressType().ifPresent(v -> a.put("ip-address-type", v));
    if (!p.subnetIds().isEmpty()) {
      a.put("subnets", String.join(",", p.subnetIds()));
    }
    if (!p.certificateArns().isEmpty()) {
      a.put("certificate-arn", String.join(",", p.certificateArns()));
    }
    p.sslPolicy().ifPresent(v -> a.put("ssl-policy", v));
    p.sslRedirectPort().ifPresent(v -> a.put("ssl-redirect", v));
    if (!p.inboundCidrs().isEmpty()) {
      a.put("inbound-cidrs", String.join(",", p.inboundCidrs()));
    }
    if (!p.tags().isEmpty()) {
      a.put(TAGS, render(p.tags()));
    }
    p.targetType().ifPresent(v -> a.put("target-type", v));
    if (!p.loadBalancerAttributes().isEmpty()) {
      a.put(LB_ATTRIBUTES, render(p.loadBalancerAttributes()));
    }
    for (ClassParams.ListenerParams l : p.listeners()) {
      if (!l.attributes().isEmpty()) {
        a.put(LISTENER_ATTRIBUTES + l.protocol() + "-" + l.port(), render(l.attributes()));
      }
    }
    if (!p.prefixListIds().isEmpty()) {
      a.put("security-group-prefix-lists", String.join(",", p.prefixListIds()));
    }
    p.wafv2AclArn().ifPresent(v -> a.put("wafv2-acl-arn", v));
    p.wafv2AclName().ifPresent(v -> a.put("wafv2-acl-name", v));
    p.minimumCapacityUnits().ifPresent(v -> a.put("minimum-load-balancer-capacity", "CapacityUnits=" + v));
    p.ipv4IpamPoolId().ifPresent(v -> a.put("ipam-ipv4-pool-id", v));
    return a;
  }

  /** The Ingress's annotations with the params laid over them (full keys, prefix included). */
  public static Map<String, String> effective(ClassParams p, Map<String, String> ingressAnnotations) {
    Map<String, String> result = new LinkedHashMap<>(ingressAnnotations == null ? Map.of() : ingressAnnotations);
    if (!p.subnetTags().isEmpty()) {
      result.remove(AnnotationCatalog.key("subnets")); // the params choose the subnets, by tags
    }
    annotations(p).forEach((name, value) -> {
      String key = AnnotationCatalog.key(name);
      boolean merges = name.equals(TAGS) || name.equals(LB_ATTRIBUTES) || name.startsWith(LISTENER_ATTRIBUTES);
      String own = result.get(key);
      if (merges && own != null) {
        Map<String, String> merged = new LinkedHashMap<>(lenient(own));
        merged.putAll(lenient(value));
        result.put(key, render(merged));
      } else {
        result.put(key, value);
      }
    });
    return result;
  }

  /** The spec field an annotation name comes from, for messages. */
  public static String specPath(String annotation) {
    if (annotation.startsWith(LISTENER_ATTRIBUTES)) {
      return "spec.listeners[" + annotation.substring(LISTENER_ATTRIBUTES.length()) + "].listenerAttributes";
    }
    return switch (annotation) {
      case "group.name" -> "spec.group.name";
      case "load-balancer-name" -> "spec.loadBalancerName";
      case "scheme" -> "spec.scheme";
      case "ip-address-type" -> "spec.ipAddressType";
      case "subnets" -> "spec.subnets.ids";
      case "certificate-arn" -> "spec.certificateArn";
      case "ssl-policy" -> "spec.sslPolicy";
      case "ssl-redirect" -> "spec.sslRedirectPort";
      case "inbound-cidrs" -> "spec.inboundCIDRs";
      case TAGS -> "spec.tags";
      case "target-type" -> "spec.targetType";
      case LB_ATTRIBUTES -> "spec.loadBalancerAttributes";
      case "security-group-prefix-lists" -> "spec.prefixListsIDs";
      case "wafv2-acl-arn" -> "spec.wafv2AclArn";
      case "wafv2-acl-name" -> "spec.wafv2AclName";
      case "minimum-load-balancer-capacity" -> "spec.minimumLoadBalancerCapacity";
      case "ipam-ipv4-pool-id" -> "spec.ipamConfiguration.ipv4IPAMPoolId";
      default -> "spec (" + AnnotationCatalog.key(annotation) + ")";
    };
  }

  /** The annotations (names without prefix) the params set for every Ingress of the class: what admission names as overridden. */
  public static List<String> overridden(ClassParams p) {
    return List.copyOf(annotations(p).keySet());
  }

  private static String render(Map<String, String> kv) {
    StringBuilder b = new StringBuilder();
    kv.forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append('=').append(v));
    return b.toString();
  }

  /** key=value pairs as written; a malformed pair is kept as a key so the parser still reports it. */
  private static Map<String, String> lenient(String value) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      String t = pair.trim();
      if (t.isEmpty()) {
        continue;
      }
      int eq = t.indexOf('=');
      kv.put(eq < 0 ? t : t.substring(0, eq).trim(), eq < 0 ? "" : t.substring(eq + 1).trim());
    }
    return kv;
  }
}
