package io.albingress.validation;

import static io.albingress.validation.Fixtures.AWS;
import static io.albingress.validation.Fixtures.ingress;
import static io.albingress.validation.Fixtures.port;
import static io.albingress.validation.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.albingress.annotations.AnnotationCatalog;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Property: any annotations on an Ingress, its group members and its Service give a verdict, never an exception. */
class IngressValidatorFuzzTest {
  static final String[] VALUES = {
      "", " ", "ip", "instance", "internal", "internet-facing", "dualstack", "HTTPS", "GRPC", "true", "yes", "0", "443", "80",
      "-1", "99999999999", "traffic-port", "http", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]", "[{\"HTTPS\": 443}]", "[{", "[]",
      "{\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":[{\"serviceName\":\"web\",\"servicePort\":\"80\"}]}}",
      "{\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCode\":\"404\"}}",
      "[{\"field\":\"source-ip\",\"sourceIpConfig\":{\"values\":[\"10.0.0.1/8\"]}}]", "public-a,public-b", "shared",
      "subnet-0aaaaaaaaaaaaaaaa,subnet-0aaaaaaaaaaaaaaa2", Fixtures.CERT_SHOP, Fixtures.CERT_OTHER_REGION + "," + Fixtures.CERT_IAM,
      "ELBSecurityPolicy-2016-08", "10.0.0.0/8,2001:db8::/32", "a=b,c", "shop", "Shop", "\u0000\uD800", "{\"a\":" .repeat(50)};

  @Test
  void validateNeverThrows() {
    List<String> names = new ArrayList<>(new TreeSet<>(AnnotationCatalog.TARGET_SCOPED));
    names.addAll(AnnotationCatalog.INGRESS_SCOPED);
    names.addAll(List.of("actions.web", "conditions.web", "actions.web2", "group.name", "group.name", "bogus-name"));
    Random random = new Random(42L);
    for (int i = 0; i < 1_000; i++) {
      TestCluster cluster = new TestCluster()
          .with(service("web", random.nextBoolean() ? "NodePort" : "ClusterIP", annotations(random, names, 2), port("http", 80)));
      for (int m = random.nextInt(3); m > 0; m--) {
        cluster.with(build(random, names, "member" + m).alb("group.name", "shop").build());
      }
      Ingress subject = build(random, names, "app").build();
      assertThatCode(() -> {
        Verdict v = Fixtures.validator(cluster).validate(subject, cluster, random.nextBoolean() ? AWS : AwsFacts.unknown("offline"));
        assertThat(v.denials()).allSatisfy(d -> assertThat(d).hasSizeLessThan(2_000));
      }).as("annotations %s", subject.getMetadata().getAnnotations()).doesNotThrowAnyException();
    }
  }

  private static Fixtures.Ing build(Random random, List<String> names, String name) {
    Fixtures.Ing ing = ingress(name);
    annotations(random, names, 6).forEach(ing::annotation);
    switch (random.nextInt(4)) {
      case 0 -> ing.path("/", "web", 80);
      case 1 -> ing.useAnnotation("/", "web2").hostPath("shop.example.com", "/x", "web", 80);
      case 2 -> ing.tls("shop.example.com", "www.unknown.org").defaultBackend("web", 80);
      default -> ing.pathToPortName("/", "missing", "http");
    }
    return ing;
  }

  private static Map<String, String> annotations(Random random, List<String> names, int max) {
    Map<String, String> a = new HashMap<>();
    for (int n = random.nextInt(max + 1); n > 0; n--) {
      a.put(AnnotationCatalog.key(names.get(random.nextInt(names.size()))), VALUES[random.nextInt(VALUES.length)]);
    }
    return a;
  }
}
