package io.albingress.annotations;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parses the target-group annotations of a backend: the Service's annotations override the Ingress's. */
public final class TargetAnnotations {
  public static final String TRAFFIC_PORT = "traffic-port";

  private TargetAnnotations() {}

  /**
   * @param serviceOrigin how to name the Service in messages, e.g. "Service shop/cart"
   */
  public static Parsed<TargetConfig> parse(Map<String, String> ingress, Map<String, String> service, String serviceOrigin) {
    AnnotationReader r = new AnnotationReader(List.of(
        new AnnotationReader.Source(serviceOrigin, service == null ? Map.of() : service),
        new AnnotationReader.Source("", ingress == null ? Map.of() : ingress)));
    TargetType type = r.choice("target-type", TargetType.class, TargetType.INSTANCE);
    Protocol protocol = r.choice("backend-protocol", Protocol.class, Protocol.HTTP);
    ProtocolVersion version = r.choice("backend-protocol-version", ProtocolVersion.class, ProtocolVersion.HTTP1);
    HealthCheck healthCheck = healthCheck(r, protocol, version);
    Map<String, String> attributes = r.keyValues("target-group-attributes", TargetAnnotations::attributeProblem);
    Map<String, String> nodeLabels = r.keyValues("target-node-labels", e -> e.getKey().isEmpty()
        ? Optional.of("label=value pairs") : Optional.empty());
    return new Parsed<>(new TargetConfig(type, protocol, version, healthCheck, attributes, nodeLabels), r.errors());
  }

  /**
   * A Service's tags annotation (the reference merges it into its target group's tags, over the
   * Ingress's); problems name the Service.
   */
  public static Parsed<Map<String, String>> serviceTags(Map<String, String> service, String serviceOrigin) {
    AnnotationReader r = new AnnotationReader(List.of(new AnnotationReader.Source(serviceOrigin, service == null ? Map.of() : service)));
    return new Parsed<>(IngressAnnotations.tags(r), r.errors());
  }

  public static Parsed<TargetConfig> parse(Map<String, String> ingress) {
    return parse(ingress, Map.of(), "");
  }

  private static HealthCheck healthCheck(AnnotationReader r, Protocol backend, ProtocolVersion version) {
    boolean grpc = version == ProtocolVersion.GRPC;
    String port = healthCheckPort(r);
    Protocol protocol = r.choice("healthcheck-protocol", Protocol.class, backend);
    String path = r.string("healthcheck-path").orElse(grpc ? "/AWS.ALB/healthcheck" : "/");
    if (!path.startsWith("/") || path.length() > 1024) {
      r.invalid("healthcheck-path", path, "a path starting with '/' of at most 1024 characters");
    }
    boolean intervalSet = r.has("healthcheck-interval-seconds");
    boolean timeoutSet = r.has("healthcheck-timeout-seconds");
    Optional<Integer> intervalValue = r.integer("healthcheck-interval-seconds", 5, 300);
    Optional<Integer> timeoutValue = r.integer("healthcheck-timeout-seconds", 2, 120);
    int interval = intervalValue.orElse(15);
    int timeout = timeoutValue.orElse(5);
    boolean bothUsable = (intervalValue.isPresent() || !intervalSet) && (timeoutValue.isPresent() || !timeoutSet);
    if (bothUsable && timeout >= interval) {
      r.error(timeoutSet ? "healthcheck-timeout-seconds" : "healthcheck-interval-seconds",
          "the health check timeout (" + timeout + "s" + (timeoutSet ? "" : ", the default") + ") must be less than its interval ("
              + interval + "s" + (intervalSet ? "" : ", the default") + ")");
    }
    int healthy = r.integer("healthy-threshold-count", 2, 10).orElse(2);
    int unhealthy = r.integer("unhealthy-threshold-count", 2, 10).orElse(2);
    String codes = r.string("success-codes").orElse(grpc ? "12" : "200");
    Formats.successCodesProblem(codes, grpc).ifPresent(p -> r.invalid("success-codes", codes, p));
    return new HealthCheck(port, protocol, path, interval, timeout, healthy, unhealthy, codes);
  }

  private static String healthCheckPort(AnnotationReader r) {
    Optional<String> port = r.string("healthcheck-port");
    if (port.isEmpty() || port.get().equals(TRAFFIC_PORT)) {
      return TRAFFIC_PORT;
    }
    String p = port.get();
    boolean number = AnnotationReader.parseInt(p).filter(n -> n >= 1 && n <= 65535).isPresent();
    boolean named = !p.chars().allMatch(Character::isDigit) && p.length() <= 15 && Formats.PORT_NAME.matcher(p).matches();
    if (!number && !named) {
      r.invalid("healthcheck-port", p, "traffic-port, a port number from 1 to 65535, or a named port");
      return TRAFFIC_PORT;
    }
    return p;
  }

  static Optional<String> attributeProblem(Map.Entry<String, String> e) {
    if (!Formats.TARGET_GROUP_ATTRIBUTES.contains(e.getKey())) {
      return Optional.of("a known target group attribute (" + FieldError.abbreviate(e.getKey()) + " is not one)");
    }
    return IngressAnnotations.valueProblem(e, Map.of(
        "deregistration_delay.timeout_seconds", new int[] {0, 3600},
        "slow_start.duration_seconds", new int[] {0, 900},
        "stickiness.lb_cookie.duration_seconds", new int[] {1, 604800},
        "stickiness.app_cookie.duration_seconds", new int[] {1, 604800}));
  }
}
