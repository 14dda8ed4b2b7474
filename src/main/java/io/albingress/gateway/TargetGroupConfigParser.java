package io.albingress.gateway;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.albingress.annotations.SpecReader;
import io.albingress.annotations.TargetAnnotations;
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
 * Reads the {@code spec} of a {@code gateway.k8s.aws} TargetGroupConfiguration (the reference's
 * {@code apis/gateway/v1/targetgroupconfig_types.go}): {@code targetReference} (a Service),
 * {@code defaultConfiguration} and {@code routeConfigurations[]}. Each TargetGroupProps is rendered as the
 * Service annotations it stands for ({@code target-type}, {@code backend-protocol}, health check,
 * {@code target-group-attributes}, {@code target-node-labels}) and checked by the annotation parser, so one
 * rule lives in one place; errors name the spec path. Fields this controller cannot apply are errors naming
 * them, never dropped. Pure.
 */
public final class TargetGroupConfigParser extends SpecReader {
  static final Set<String> SPEC_FIELDS = Set.of("targetReference", "defaultConfiguration", "routeConfigurations");
  static final Set<String> PROPS_APPLIED = Set.of("targetGroupName", "ipAddressType", "healthCheckConfig", "nodeSelector",
      "targetGroupAttributes", "targetType", "protocol", "protocolVersion", "tags");
  static final Set<String> PROPS_NOT_APPLIED = Set.of("targetControlPort", "enableMultiCluster");
  static final Set<String> HEALTH_CHECK_FIELDS = Set.of("healthyThresholdCount", "healthCheckInterval", "healthCheckPath",
      "healthCheckPort", "healthCheckProtocol", "healthCheckTimeout", "unhealthyThresholdCount", "matcher");
  /** ELBv2 CreateTargetGroup Name: at most 32 alphanumerics or hyphens, not starting or ending with a hyphen. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");

  /** The reference's RouteIdentifier: kind, namespace and name, each optional (the most specific match wins). */
  public record RouteIdentifier(String kind, String namespace, String name) {}

  /** One routeConfigurations[] entry. */
  public record RouteProps(RouteIdentifier route, TargetGroupProps props) {}

  /** targetReference (kind Service, empty group), defaultConfiguration and routeConfigurations. */
  public record TargetGroupConfig(Optional<String> service, TargetGroupProps defaults, List<RouteProps> routes) {
    public TargetGroupConfig {
      routes = List.copyOf(routes);
    }
  }

  private TargetGroupConfigParser() {}

  /** @param spec the object's {@code spec}; null is an empty spec */
  public static Parsed<TargetGroupConfig> parse(Map<String, Object> spec) {
    return new TargetGroupConfigParser().read(spec == null ? Map.of() : spec);
  }

  private Parsed<TargetGroupConfig> read(Map<String, Object> spec) {
    for (String k : new TreeSet<>(spec.keySet())) {
      if (!SPEC_FIELDS.contains(k)) {
        error("spec." + k, "is not a field of gateway.k8s.aws TargetGroupConfiguration");
      }
    }
    Optional<String> service = map(spec, "targetReference", "spec.targetReference").flatMap(this::service);
    TargetGroupProps defaults = map(spec, "defaultConfiguration", "spec.defaultConfiguration")
        .map(m -> props(m, "spec.defaultConfiguration")).orElse(TargetGroupProps.EMPTY);
    List<RouteProps> routes = new ArrayList<>();
    List<Object> items = list(spec, "routeConfigurations", "spec.routeConfigurations");
    Set<RouteIdentifier> seen = new java.util.HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String field = "spec.routeConfigurations[" + i + "]";
      Optional<Map<String, Object>> rc = item(items.get(i), field, "an object with routeIdentifier and targetGroupProps");
      if (rc.isEmpty()) {
        continue;
      }
      for (String k : new TreeSet<>(rc.get().keySet())) {
        if (!k.equals("routeIdentifier") && !k.equals("targetGroupProps")) {
          error(field + "." + k, "is not a field of a route configuration");
        }
      }
      Map<String, Object> id = map(rc.get(), "routeIdentifier", field + ".routeIdentifier").orElse(Map.of());
      String kind = string(id, "kind", field + ".routeIdentifier.kind").orElse("");
      if (!kind.isEmpty() && !kind.equals("HTTPRoute") && !kind.equals("GRPCRoute")) {
        error(field + ".routeIdentifier.kind", "\"" + FieldError.abbreviate(kind) + "\" is not a route kind an ALB serves: expected HTTPRoute or GRPCRoute");
      }
      if (kind.isEmpty()) {
        error(field + ".routeIdentifier.kind", "is required (HTTPRoute or GRPCRoute): without it the entry matches no route");
      }
      RouteIdentifier rid = new RouteIdentifier(kind, string(id, "namespace", field + ".routeIdentifier.namespace").orElse(""),
          string(id, "name", field + ".routeIdentifier.name").orElse(""));
      if (!rid.name().isEmpty() && rid.namespace().isEmpty()) {
        error(field + ".routeIdentifier.namespace", "is required with a name: without it the entry matches no route (as in the reference)");
      }
      if (!seen.add(rid)) {
        error(field + ".routeIdentifier", "the same route identifier is given twice; merge the two entries");
      }
      TargetGroupProps props = map(rc.get(), "targetGroupProps", field + ".targetGroupProps").map(m -> props(m, field + ".targetGroupProps"))
          .orElseGet(() -> {
            error(field + ".targetGroupProps", "is required");
            return TargetGroupProps.EMPTY;
          });
      routes.add(new RouteProps(rid, props));
    }
    return new Parsed<>(new TargetGroupConfig(service, defaults, routes), errors);
  }

  private Optional<String> service(Map<String, Object> ref) {
    for (String k : new TreeSet<>(ref.keySet())) {
      if (!Set.of("group", "kind", "name").contains(k)) {
        error("spec.targetReference." + k, "is not a field of a target reference");
      }
    }
    String group = string(ref, "group", "spec.targetReference.group").orElse("");
    String kind = string(ref, "kind", "spec.targetReference.kind").orElse("Service");
    if (!group.isEmpty() || !kind.equals("Service")) {
      error("spec.targetReference", (group.isEmpty() ? "" : group + "/") + kind + " is not supported: this controller applies"
          + " TargetGroupConfigurations to core Services only (omit group and kind, or kind: Service)");
      return Optional.empty();
    }
    Optional<String> name = string(ref, "name", "spec.targetReference.name");
    if (name.isEmpty()) {
      error("spec.targetReference.name", "is required: the Service whose target groups this configures");
    }
    return name;
  }

  /** One TargetGroupProps: read, rendered as annotations and checked as the annotation parser checks them. */
  private TargetGroupProps props(Map<String, Object> m, String path) {
    for (String k : new TreeSet<>(m.keySet())) {
      if (PROPS_NOT_APPLIED.contains(k) && !(m.get(k) == null || Boolean.FALSE.equals(m.get(k)))) {
        error(path + "." + k, "is not applied by this controller" + (k.equals("enableMultiCluster")
            ? " (multi-cluster target groups are not supported)" : "") + ": remove it");
      } else if (!PROPS_APPLIED.contains(k) && !PROPS_NOT_APPLIED.contains(k)) {
        error(path + "." + k, "is not a field of TargetGroupProps");
      }
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    Optional<String> name = string(m, "targetGroupName", path + ".targetGroupName");
    if (name.isPresent() && (!NAME.matcher(name.get()).matches() || name.get().toLowerCase(Locale.ROOT).startsWith("internal-"))) {
      error(path + ".targetGroupName", "\"" + FieldError.abbreviate(name.get()) + "\" is not a valid target group name: at most 32"
          + " letters, digits or hyphens, not starting or ending with a hyphen nor starting with internal-");
      name = Optional.empty();
    }
    Optional<String> ipType = string(m, "ipAddressType", path + ".ipAddressType");
    if (ipType.isPresent() && !Set.of("ipv4", "ipv6").contains(ipType.get())) {
      error(path + ".ipAddressType", "\"" + FieldError.abbreviate(ipType.get()) + "\" is not valid: expected ipv4 or ipv6");
      ipType = Optional.empty();
    }
    Optional<String> targetType = string(m, "targetType", path + ".targetType");
    put(annotations, paths, "target-type", targetType, path + ".targetType");
    Optional<String> protocol = string(m, "protocol", path + ".protocol");
    if (protocol.isPresent() && !Set.of("HTTP", "HTTPS").contains(protocol.get())) {
      error(path + ".protocol", "\"" + FieldError.abbreviate(protocol.get()) + "\": ALB target groups are HTTP or HTTPS"
          + " (TCP, TLS, UDP, TCP_UDP need a Network Load Balancer)");
      protocol = Optional.empty();
    }
    put(annotations, paths, "backend-protocol", protocol, path + ".protocol");
    Optional<String> version = string(m, "protocolVersion", path + ".protocolVersion");
    put(annotations, paths, "backend-protocol-version", version, path + ".protocolVersion");
    Optional<Map<String, String>> healthCheck = map(m, "healthCheckConfig", path + ".healthCheckConfig")
        .map(hc -> healthCheck(hc, path + ".healthCheckConfig", paths));
    healthCheck.ifPresent(annotations::putAll);
    Optional<Map<String, String>> nodeLabels = map(m, "nodeSelector", path + ".nodeSelector").map(ns -> nodeLabels(ns, path + ".nodeSelector"));
    nodeLabels.filter(l -> !l.isEmpty()).ifPresent(l -> put(annotations, paths, "target-node-labels", Optional.of(render(l)),
        path + ".nodeSelector.matchLabels"));
    Map<String, String> attributes = keyValues(list(m, "targetGroupAttributes", path + ".targetGroupAttributes"),
        path + ".targetGroupAttributes");
    if (!attributes.isEmpty()) {
      put(annotations, paths, "target-group-attributes", Optional.of(render(attributes)), path + ".targetGroupAttributes");
    }
    Map<String, String> tags = stringMap(m, "tags", path + ".tags");
    if (!tags.isEmpty()) {
      rename(TargetAnnotations.serviceTags(Map.of(AnnotationCatalog.key("tags"), render(tags)), "").errors(),
          Map.of(AnnotationCatalog.key("tags"), path + ".tags"));
    }
    TargetGroupProps props = new TargetGroupProps(name, ipType, targetType, protocol, version, healthCheck, nodeLabels, attributes, tags,
        paths);
    Map<String, String> checked = new LinkedHashMap<>(props.annotations());
    if (paths.getOrDefault(AnnotationCatalog.key("success-codes"), "").endsWith("grpcCode")) {
      // a grpcCode is checked as gRPC codes; whether the version is GRPC may come from elsewhere (the default props, the route kind)
      checked.putIfAbsent(AnnotationCatalog.key("backend-protocol-version"), "GRPC");
    }
    check(checked, paths);
    return props;
  }

  private Map<String, String> healthCheck(Map<String, Object> hc, String path, Map<String, String> paths) {
    for (String k : new TreeSet<>(hc.keySet())) {
      if (!HEALTH_CHECK_FIELDS.contains(k)) {
        error(path + "." + k, "is not a field of a health check configuration");
      }
    }
    Map<String, String> a = new LinkedHashMap<>();
    integer(hc, "healthyThresholdCount", path + ".healthyThresholdCount").ifPresent(v -> put(a, paths, "healthy-threshold-count",
        Optional.of(String.valueOf(v)), path + ".healthyThresholdCount"));
    integer(hc, "unhealthyThresholdCount", path + ".unhealthyThresholdCount").ifPresent(v -> put(a, paths, "unhealthy-threshold-count",
        Optional.of(String.valueOf(v)), path + ".unhealthyThresholdCount"));
    integer(hc, "healthCheckInterval", path + ".healthCheckInterval").ifPresent(v -> put(a, paths, "healthcheck-interval-seconds",
        Optional.of(String.valueOf(v)), path + ".healthCheckInterval"));
    integer(hc, "healthCheckTimeout", path + ".healthCheckTimeout").ifPresent(v -> put(a, paths, "healthcheck-timeout-seconds",
        Optional.of(String.valueOf(v)), path + ".healthCheckTimeout"));
    put(a, paths, "healthcheck-path", string(hc, "healthCheckPath", path + ".healthCheckPath"), path + ".healthCheckPath");
    put(a, paths, "healthcheck-port", string(hc, "healthCheckPort", path + ".healthCheckPort"), path + ".healthCheckPort");
    Optional<String> protocol = string(hc, "healthCheckProtocol", path + ".healthCheckProtocol");
    if (protocol.isPresent() && !Set.of("HTTP", "HTTPS").contains(protocol.get())) {
      error(path + ".healthCheckProtocol", "\"" + FieldError.abbreviate(protocol.get()) + "\": ALB health checks are HTTP or HTTPS");
      protocol = Optional.empty();
    }
    put(a, paths, "healthcheck-protocol", protocol, path + ".healthCheckProtocol");
    map(hc, "matcher", path + ".matcher").ifPresent(mt -> {
      for (String k : new TreeSet<>(mt.keySet())) {
        if (!k.equals("httpCode") && !k.equals("grpcCode")) {
          error(path + ".matcher." + k, "is not a field of a health check matcher");
        }
      }
      Optional<String> http = string(mt, "httpCode", path + ".matcher.httpCode");
      Optional<String> grpc = string(mt, "grpcCode", path + ".matcher.grpcCode");
      if (http.isPresent() && grpc.isPresent()) {
        error(path + ".matcher", "give httpCode or grpcCode, not both (grpcCode is for protocolVersion GRPC)");
      }
      put(a, paths, "success-codes", http.or(() -> grpc), path + ".matcher." + (http.isPresent() ? "httpCode" : "grpcCode"));
    });
    return a;
  }

  private Map<String, String> nodeLabels(Map<String, Object> selector, String path) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String k : new TreeSet<>(selector.keySet())) {
      if (k.equals("matchExpressions")) {
        if (!list(selector, k, path + "." + k).isEmpty()) {
          error(path + ".matchExpressions", "is not applied by this controller (instance targets are selected by matchLabels only):"
              + " use matchLabels");
        }
      } else if (!k.equals("matchLabels")) {
        error(path + "." + k, "is not a field of a label selector");
      }
    }
    map(selector, "matchLabels", path + ".matchLabels").ifPresent(ml -> ml.forEach((k, v) -> {
      if (v instanceof String s) {
        labels.put(k, s);
      } else {
        error(path + ".matchLabels." + k, "must be a string");
      }
    }));
    return labels;
  }

  /** The annotation parser's verdict on these annotations, its errors renamed to the spec paths. */
  private void check(Map<String, String> annotations, Map<String, String> paths) {
    rename(TargetAnnotations.parse(Map.of(), annotations, "").errors(), paths);
  }

  private void rename(List<FieldError> found, Map<String, String> paths) {
    for (FieldError e : found) {
      FieldError named = new FieldError(TargetGroupProps.pathOf(e, paths), e.message());
      if (!errors.contains(named)) {
        errors.add(named);
      }
    }
  }

  private static void put(Map<String, String> a, Map<String, String> paths, String annotation, Optional<String> value, String path) {
    value.ifPresent(v -> {
      a.put(AnnotationCatalog.key(annotation), v);
      paths.put(AnnotationCatalog.key(annotation), path);
    });
  }

  static String render(Map<String, String> kv) {
    StringBuilder b = new StringBuilder();
    kv.forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append('=').append(v));
    return b.toString();
  }
}
