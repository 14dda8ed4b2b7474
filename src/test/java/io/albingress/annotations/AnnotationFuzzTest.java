package io.albingress.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a user (or an attacker) writes into any annotation, the parsers return a value
 * and a list of readable problems; they never throw.
 */
class AnnotationFuzzTest {
  static final int ITERATIONS = 5_000;
  /** A denial line stays readable: values are abbreviated, never echoed whole. */
  static final int MAX_MESSAGE = 2_000;

  static final List<String> NAMES = names();
  static final String[] FRAGMENTS = {
      "{", "}", "[", "]", "\"", ":", ",", "=", "/", "-", ".", " ", "\n", "\t", "\\", "null", "true", "false", "0", "-1",
      "80", "443", "65536", "99999999999999999999", "1e400", "NaN", "HTTP", "HTTPS", "\"HTTP\"", "\"HTTPS\"", "forward",
      "\"type\"", "\"forward\"", "\"fixed-response\"", "\"redirect\"", "\"field\"", "\"source-ip\"", "\"values\"",
      "\"targetGroups\"", "\"forwardConfig\"", "\"weight\"", "\"statusCode\"", "HTTP_301", "10.0.0.0/8", "::", "/33",
      "arn:aws:acm:us-west-2:123456789012:certificate/", "subnet-", "sg-", "aws:", "ELBSecurityPolicy-", "\u0000",
      "\uD83D\uDE00", "\uD800", "é", "ℵ", "٣", "\u202E", "%", "#{port}", "traffic-port", "GRPC", "instance", "ip"};

  static List<String> names() {
    TreeSet<String> all = new TreeSet<>(AnnotationCatalog.TARGET_SCOPED);
    all.addAll(AnnotationCatalog.INGRESS_SCOPED);
    all.addAll(AnnotationCatalog.NOT_SUPPORTED);
    all.addAll(List.of("actions.a", "actions.b", "conditions.a", "conditions.b", "listener-attributes.HTTP-80"));
    return List.copyOf(all);
  }

  @Test
  void parsersNeverThrowOnGarbage() {
    Random random = new Random(20251124L);
    for (int i = 0; i < ITERATIONS; i++) {
      Map<String, String> ingress = randomAnnotations(random);
      Map<String, String> service = random.nextInt(3) == 0 ? randomAnnotations(random) : Map.of();
      assertThatCode(() -> check(ingress, service)).as("annotations %s / %s", abbreviate(ingress), abbreviate(service))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void everyKnownAnnotationAloneSurvivesEveryKindOfValue() {
    Random random = new Random(7L);
    for (String name : NAMES) {
      for (int kind = 0; kind < 8; kind++) {
        String value = value(random, kind);
        assertThatCode(() -> check(Map.of(AnnotationCatalog.key(name), value), Map.of()))
            .as("%s = %s", name, FieldError.abbreviate(value)).doesNotThrowAnyException();
      }
    }
  }

  private static void check(Map<String, String> ingress, Map<String, String> service) {
    Parsed<IngressConfig> parsed = IngressAnnotations.parse(ingress);
    assertThat(parsed).isNotNull();
    assertThat(parsed.value()).isNotNull();
    assertThat(parsed.value().scheme()).isNotNull();
    assertThat(parsed.value().listenPorts()).isNotNull();
    Parsed<TargetConfig> target = TargetAnnotations.parse(ingress, service, "Service fuzz/svc");
    assertThat(target.value()).isNotNull();
    assertThat(target.value().healthCheck()).isNotNull();
    for (FieldError e : parsed.errors()) {
      assertThat(e.render()).hasSizeLessThan(MAX_MESSAGE);
    }
    for (FieldError e : target.errors()) {
      assertThat(e.render()).hasSizeLessThan(MAX_MESSAGE);
    }
  }

  private static Map<String, String> randomAnnotations(Random random) {
    Map<String, String> annotations = new HashMap<>();
    int count = 1 + random.nextInt(6);
    for (int j = 0; j < count; j++) {
      String name = random.nextInt(10) == 0 ? randomText(random, 12) : NAMES.get(random.nextInt(NAMES.size()));
      annotations.put(AnnotationCatalog.key(name), value(random, random.nextInt(8)));
    }
    return annotations;
  }

  private static String value(Random random, int kind) {
    return switch (kind) {
      case 0 -> randomText(random, 40);
      case 1 -> fragments(random, 1 + random.nextInt(30));
      case 2 -> nested(random, random.nextInt(200));
      case 3 -> huge(random);
      case 4 -> json(random, 0);
      case 5 -> String.join(",", List.of(fragments(random, 3), fragments(random, 3), fragments(random, 3)));
      case 6 -> "[" + json(random, 0) + "," + json(random, 0) + "]";
      default -> "";
    };
  }

  /** Any code point, including surrogates, controls and right-to-left marks. */
  private static String randomText(Random random, int max) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      b.append((char) random.nextInt(Character.MAX_VALUE + 1));
    }
    return b.toString();
  }

  private static String fragments(Random random, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
    }
    return b.toString();
  }

  private static String nested(Random random, int depth) {
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    return open.repeat(depth) + (random.nextBoolean() ? "1" : "") + (random.nextBoolean() ? close.repeat(depth) : "");
  }

  private static String huge(Random random) {
    int size = random.nextBoolean() ? 70_000 : 60_000;
    return switch (random.nextInt(5)) {
      case 0 -> "a".repeat(size);
      case 4 -> "k".repeat(size / 10) + "=" + "v".repeat(size / 10) + ",routing.http2.enabled=" + "x".repeat(size / 10);
      case 1 -> "10.0.0.0/8,".repeat(size / 11);
      case 2 -> "k=v,".repeat(size / 4);
      default -> "[" + "{\"HTTP\":80},".repeat(size / 12) + "{\"HTTP\":80}]";
    };
  }

  /** Random JSON-ish values in the shapes the routing annotations use. */
  private static String json(Random random, int depth) {
    if (depth > 4) {
      return scalar(random);
    }
    switch (random.nextInt(4)) {
      case 0:
        return scalar(random);
      case 1: {
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          items.add(json(random, depth + 1));
        }
        return "[" + String.join(",", items) + "]";
      }
      default: {
        String[] keys = {"type", "forwardConfig", "targetGroups", "serviceName", "servicePort", "weight", "targetGroupARN",
            "fixedResponseConfig", "redirectConfig", "statusCode", "field", "values", "Values", "hostHeaderConfig",
            "httpHeaderConfig", "httpHeaderName", "queryStringConfig", "sourceIpConfig", "key", "value", "HTTP", "HTTPS",
            "targetGroupStickinessConfig", "enabled", "durationSeconds", "port", "protocol", "messageBody", "contentType"};
        List<String> fields = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          fields.add("\"" + keys[random.nextInt(keys.length)] + "\":" + json(random, depth + 1));
        }
        return "{" + String.join(",", fields) + "}";
      }
    }
  }

  private static String scalar(Random random) {
    String[] scalars = {"null", "true", "false", "0", "-5", "1.5", "80", "443", "70000", "2147483648", "1e10", "\"80\"",
        "\"forward\"", "\"fixed-response\"", "\"redirect\"", "\"source-ip\"", "\"http-header\"", "\"query-string\"",
        "\"host-header\"", "\"503\"", "\"HTTP_301\"", "\"10.0.0.1/8\"", "\"x\"", "\"\"", "\"#{port}\"", "[]", "{}"};
    return scalars[random.nextInt(scalars.length)];
  }

  private static String abbreviate(Map<String, String> annotations) {
    StringBuilder b = new StringBuilder();
    annotations.forEach((k, v) -> b.append(k).append('=').append(FieldError.abbreviate(v)).append("; "));
    return b.toString();
  }
}
