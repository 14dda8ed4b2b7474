package io.albingress.gateway;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.FieldError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reference's TargetGroupProps as this controller applies them: an absent field is empty, so the
 * route-specific props can be merged over the default ones as the reference does
 * ({@code pkg/gateway/tg_config_constructor.go}: a field set on the route's props is taken whole, else the
 * default's; tags and targetGroupAttributes merge by key). {@link #annotations} renders the fields that
 * have a Service annotation of the same meaning; {@code paths} maps those annotation keys back to the spec
 * path they came from, so a problem found later names the field. Pure.
 */
public record TargetGroupProps(
    Optional<String> targetGroupName,
    Optional<String> ipAddressType,
    Optional<String> targetType,
    Optional<String> protocol,
    Optional<String> protocolVersion,
    Optional<Map<String, String>> healthCheck,
    Optional<Map<String, String>> nodeLabels,
    Map<String, String> attributes,
    Map<String, String> tags,
    Map<String, String> paths) {
  public static final TargetGroupProps EMPTY = new TargetGroupProps(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of(), Map.of());

  public TargetGroupProps {
    healthCheck = healthCheck.map(h -> Collections.unmodifiableMap(new LinkedHashMap<>(h)));
    nodeLabels = nodeLabels.map(h -> Collections.unmodifiableMap(new LinkedHashMap<>(h)));
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    paths = Collections.unmodifiableMap(new LinkedHashMap<>(paths));
  }

  /**
   * As {@code alb.ingress.kubernetes.io/} annotations: target-type, backend-protocol, backend-protocol-version, the
   * health check ones, target-node-labels and target-group-attributes. They replace the Service's annotations of the
   * same keys.
   */
  public Map<String, String> annotations() {
    Map<String, String> a = new LinkedHashMap<>();
    targetType.ifPresent(v -> a.put(AnnotationCatalog.key("target-type"), v));
    protocol.ifPresent(v -> a.put(AnnotationCatalog.key("backend-protocol"), v));
    protocolVersion.ifPresent(v -> a.put(AnnotationCatalog.key("backend-protocol-version"), v));
    healthCheck.ifPresent(a::putAll);
    nodeLabels.filter(l -> !l.isEmpty()).ifPresent(l -> a.put(AnnotationCatalog.key("target-node-labels"), TargetGroupConfigParser.render(l)));
    if (!attributes.isEmpty()) {
      a.put(AnnotationCatalog.key("target-group-attributes"), TargetGroupConfigParser.render(attributes));
    }
    return a;
  }

  /** The spec path an annotation parser error stands for ("spec" when it is not one of these props). */
  static String pathOf(FieldError e, Map<String, String> paths) {
    return paths.getOrDefault(keyOf(e), paths.getOrDefault(e.field(), e.field()));
  }

  /** The annotation key an annotation parser error names. */
  static String keyOf(FieldError e) {
    String field = e.field().contains(" ") ? e.field().substring(0, e.field().indexOf(' ')) : e.field(); // "key (on Service ns/name)"
    return field.startsWith(AnnotationCatalog.PREFIX) ? field : AnnotationCatalog.key(field);
  }

  /** {@code high} over {@code low}, as the reference merges route-specific props over the default ones. */
  public static TargetGroupProps merge(TargetGroupProps high, TargetGroupProps low) {
    Map<String, String> attributes = new LinkedHashMap<>(low.attributes());
    attributes.putAll(high.attributes());
    Map<String, String> tags = new LinkedHashMap<>(low.tags());
    tags.putAll(high.tags());
    Map<String, String> paths = new LinkedHashMap<>(low.paths());
    if (high.healthCheck().isPresent()) {
      paths.keySet().removeIf(k -> low.healthCheck().map(h -> h.containsKey(k)).orElse(false));
    }
    paths.putAll(high.paths());
    return new TargetGroupProps(high.targetGroupName().or(low::targetGroupName), high.ipAddressType().or(low::ipAddressType),
        high.targetType().or(low::targetType), high.protocol().or(low::protocol), high.protocolVersion().or(low::protocolVersion),
        high.healthCheck().or(low::healthCheck), high.nodeLabels().or(low::nodeLabels), attributes, tags, paths);
  }
}
