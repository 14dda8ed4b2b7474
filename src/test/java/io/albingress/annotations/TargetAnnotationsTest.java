package io.albingress.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TargetAnnotationsTest {
  static final String P = AnnotationCatalog.PREFIX;

  static Map<String, String> alb(String... keyValues) {
    Map<String, String> annotations = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      annotations.put(P + keyValues[i], keyValues[i + 1]);
    }
    return annotations;
  }

  static Parsed<TargetConfig> parse(String... keyValues) {
    return TargetAnnotations.parse(alb(keyValues));
  }

  static List<String> errors(String... keyValues) {
    return parse(keyValues).errors().stream().map(FieldError::render).toList();
  }

  @Test
  void defaultsMatchTheReferenceController() {
    Parsed<TargetConfig> parsed = TargetAnnotations.parse(Map.of());
    TargetConfig c = parsed.value();
    assertThat(parsed.ok()).isTrue();
    assertThat(c.targetType()).isEqualTo(TargetType.INSTANCE);
    assertThat(c.protocol()).isEqualTo(Protocol.HTTP);
    assertThat(c.protocolVersion()).isEqualTo(ProtocolVersion.HTTP1);
    assertThat(c.healthCheck()).isEqualTo(new HealthCheck("traffic-port", Protocol.HTTP, "/", 15, 5, 2, 2, "200"));
  }

  @Nested
  class TargetTypeAndServiceOverride {
    @Test
    void ipIsAccepted() {
      assertThat(parse("target-type", "ip").value().targetType()).isEqualTo(TargetType.IP);
    }

    @Test
    void unknownTargetTypeIsRefused() {
      assertThat(errors("target-type", "nodes")).containsExactly(
          P + "target-type: \"nodes\" is not valid: expected one of instance, ip");
    }

    @Test
    void serviceAnnotationOverridesTheIngress() {
      Parsed<TargetConfig> parsed = TargetAnnotations.parse(
          alb("target-type", "instance", "healthcheck-path", "/ingress"), alb("target-type", "ip"), "Service shop/cart");
      assertThat(parsed.value().targetType()).isEqualTo(TargetType.IP);
      assertThat(parsed.value().healthCheck().path()).isEqualTo("/ingress");
    }

    @Test
    void problemOnTheServiceNamesTheService() {
      assertThat(TargetAnnotations.parse(alb(), alb("target-type", "pods"), "Service shop/cart").errors())
          .extracting(FieldError::render).containsExactly(
              P + "target-type (on Service shop/cart): \"pods\" is not valid: expected one of instance, ip");
    }

    @Test
    void validServiceValueHidesAnInvalidIngressValue() {
      assertThat(TargetAnnotations.parse(alb("target-type", "pods"), alb("target-type", "ip"), "Service shop/cart").errors()).isEmpty();
    }
  }

  @Nested
  class Protocols {
    @Test
    void backendProtocolAndVersion() {
      TargetConfig c = parse("backend-protocol", "HTTPS", "backend-protocol-version", "HTTP2").value();
      assertThat(c.protocol()).isEqualTo(Protocol.HTTPS);
      assertThat(c.protocolVersion()).isEqualTo(ProtocolVersion.HTTP2);
      assertThat(c.healthCheck().protocol()).isEqualTo(Protocol.HTTPS);
    }

    @Test
    void invalidValuesAreRefused() {
      assertThat(errors("backend-protocol", "TCP", "backend-protocol-version", "HTTP3")).containsExactly(
          P + "backend-protocol: \"TCP\" is not valid: expected one of HTTP, HTTPS",
          P + "backend-protocol-version: \"HTTP3\" is not valid: expected one of HTTP1, HTTP2, GRPC");
    }

    @Test
    void grpcChangesHealthCheckDefaults() {
      HealthCheck hc = parse("backend-protocol-version", "GRPC").value().healthCheck();
      assertThat(hc.path()).isEqualTo("/AWS.ALB/healthcheck");
      assertThat(hc.successCodes()).isEqualTo("12");
    }

    @Test
    void healthCheckProtocolCanDifferFromTheBackend() {
      assertThat(parse("backend-protocol", "HTTPS", "healthcheck-protocol", "HTTP").value().healthCheck().protocol())
          .isEqualTo(Protocol.HTTP);
    }
  }

  @Nested
  class HealthCheckRanges {
    @Test
    void boundsAreAccepted() {
      HealthCheck hc = parse("healthcheck-interval-seconds", "300", "healthcheck-timeout-seconds", "120",
          "healthy-threshold-count", "10", "unhealthy-threshold-count", "2").value().healthCheck();
      assertThat(hc.intervalSeconds()).isEqualTo(300);
      assertThat(hc.timeoutSeconds()).isEqualTo(120);
      assertThat(hc.healthyThreshold()).isEqualTo(10);
      assertThat(parse("healthcheck-interval-seconds", "5", "healthcheck-timeout-seconds", "2").ok()).isTrue();
    }

    @Test
    void intervalOutside5To300IsRefused() {
      assertThat(errors("healthcheck-interval-seconds", "4")).containsExactly(
          P + "healthcheck-interval-seconds: \"4\" is not valid: expected an integer from 5 to 300");
      assertThat(errors("healthcheck-interval-seconds", "301")).containsExactly(
          P + "healthcheck-interval-seconds: \"301\" is not valid: expected an integer from 5 to 300");
    }

    @Test
    void timeoutOutside2To120IsRefused() {
      assertThat(errors("healthcheck-timeout-seconds", "1")).containsExactly(
          P + "healthcheck-timeout-seconds: \"1\" is not valid: expected an integer from 2 to 120");
      assertThat(errors("healthcheck-interval-seconds", "300", "healthcheck-timeout-seconds", "121")).containsExactly(
          P + "healthcheck-timeout-seconds: \"121\" is not valid: expected an integer from 2 to 120");
    }

    @Test
    void timeoutMustBeLessThanInterval() {
      assertThat(errors("healthcheck-interval-seconds", "10", "healthcheck-timeout-seconds", "10")).containsExactly(
          P + "healthcheck-timeout-seconds: the health check timeout (10s) must be less than its interval (10s)");
    }

    @Test
    void shortIntervalAgainstTheDefaultTimeoutSaysSo() {
      assertThat(errors("healthcheck-interval-seconds", "5")).containsExactly(
          P + "healthcheck-interval-seconds: the health check timeout (5s, the default) must be less than its interval (5s)");
      assertThat(errors("healthcheck-timeout-seconds", "20")).containsExactly(
          P + "healthcheck-timeout-seconds: the health check timeout (20s) must be less than its interval (15s, the default)");
    }

    @Test
    void anInvalidIntervalIsNotAlsoComparedWithTheTimeout() {
      assertThat(errors("healthcheck-interval-seconds", "900", "healthcheck-timeout-seconds", "60")).containsExactly(
          P + "healthcheck-interval-seconds: \"900\" is not valid: expected an integer from 5 to 300");
    }

    @Test
    void thresholdsOutside2To10AreRefused() {
      assertThat(errors("healthy-threshold-count", "1", "unhealthy-threshold-count", "11")).containsExactly(
          P + "healthy-threshold-count: \"1\" is not valid: expected an integer from 2 to 10",
          P + "unhealthy-threshold-count: \"11\" is not valid: expected an integer from 2 to 10");
    }

    @Test
    void pathMustStartWithSlash() {
      assertThat(errors("healthcheck-path", "healthz")).containsExactly(
          P + "healthcheck-path: \"healthz\" is not valid: expected a path starting with '/' of at most 1024 characters");
    }
  }

  @Nested
  class SuccessCodes {
    @Test
    void singleListAndRangeAreAccepted() {
      assertThat(parse("success-codes", "200").ok()).isTrue();
      assertThat(parse("success-codes", "200,202,301").ok()).isTrue();
      assertThat(parse("success-codes", "200-399").value().healthCheck().successCodes()).isEqualTo("200-399");
    }

    @Test
    void wildcardOrOutOfRangeIsRefused() {
      String expected = "is not valid: expected HTTP codes from 200 to 499 as a single code, a list (200,202) or a range (200-299)";
      assertThat(errors("success-codes", "2xx")).containsExactly(P + "success-codes: \"2xx\" " + expected);
      assertThat(errors("success-codes", "200-500")).containsExactly(P + "success-codes: \"200-500\" " + expected);
      assertThat(errors("success-codes", "299-200")).containsExactly(P + "success-codes: \"299-200\" " + expected);
    }

    @Test
    void grpcCodesAre0To99() {
      assertThat(parse("backend-protocol-version", "GRPC", "success-codes", "0-99").ok()).isTrue();
      assertThat(errors("backend-protocol-version", "GRPC", "success-codes", "200")).containsExactly(
          P + "success-codes: \"200\" is not valid: expected gRPC codes from 0 to 99 as a single code, a list (0,12) or a range (0-99)");
    }
  }

  @Nested
  class HealthCheckPort {
    @Test
    void trafficPortNumberAndNameAreAccepted() {
      assertThat(parse("healthcheck-port", "traffic-port").value().healthCheck().port()).isEqualTo("traffic-port");
      assertThat(parse("healthcheck-port", "8080").value().healthCheck().port()).isEqualTo("8080");
      assertThat(parse("healthcheck-port", "http-metrics").value().healthCheck().port()).isEqualTo("http-metrics");
    }

    @Test
    void portZeroOrBadNameIsRefused() {
      String expected = "is not valid: expected traffic-port, a port number from 1 to 65535, or a named port";
      assertThat(errors("healthcheck-port", "0")).containsExactly(P + "healthcheck-port: \"0\" " + expected);
      assertThat(errors("healthcheck-port", "65536")).containsExactly(P + "healthcheck-port: \"65536\" " + expected);
      assertThat(errors("healthcheck-port", "Metrics_Port")).containsExactly(P + "healthcheck-port: \"Metrics_Port\" " + expected);
      assertThat(errors("healthcheck-port", "a-very-long-port-name")).hasSize(1);
      assertThat(parse("healthcheck-port", "0").value().healthCheck().port()).isEqualTo("traffic-port");
    }
  }

  @Nested
  class Attributes {
    @Test
    void knownAttributesAreParsed() {
      assertThat(parse("target-group-attributes", "deregistration_delay.timeout_seconds=30,stickiness.enabled=true")
          .value().attributes())
          .containsEntry("deregistration_delay.timeout_seconds", "30").containsEntry("stickiness.enabled", "true");
    }

    @Test
    void unknownKeyIsRefused() {
      assertThat(errors("target-group-attributes", "deregistration_delay=30")).containsExactly(
          P + "target-group-attributes: \"deregistration_delay=30\" is not valid: expected a known target group attribute"
              + " (deregistration_delay is not one)");
    }

    @Test
    void badBooleanAndOutOfRangeValuesAreRefused() {
      assertThat(errors("target-group-attributes", "stickiness.enabled=on,deregistration_delay.timeout_seconds=4000"))
          .containsExactly(
              P + "target-group-attributes: \"stickiness.enabled=on\" is not valid: expected stickiness.enabled=true or stickiness.enabled=false",
              P + "target-group-attributes: \"deregistration_delay.timeout_seconds=4000\" is not valid: expected"
                  + " deregistration_delay.timeout_seconds to be an integer from 0 to 3600");
    }

    @Test
    void nodeLabels() {
      assertThat(parse("target-node-labels", "role=web,zone=a").value().nodeLabels())
          .containsExactly(Map.entry("role", "web"), Map.entry("zone", "a"));
      assertThat(errors("target-node-labels", "=web")).containsExactly(
          P + "target-node-labels: \"=web\" is not valid: expected key=value pairs separated by commas");
    }
  }
}
