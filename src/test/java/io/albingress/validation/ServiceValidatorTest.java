package io.albingress.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.AnnotationCatalog;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceValidatorTest {
  static final String ALB = AnnotationCatalog.PREFIX;
  static final String ID = " (on Service shop/web)";

  static Verdict validate(String... keyValues) {
    Map<String, String> annotations = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      annotations.put(keyValues[i].contains("/") ? keyValues[i] : ALB + keyValues[i], keyValues[i + 1]);
    }
    Service svc = new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").withAnnotations(annotations).endMetadata()
        .withNewSpec().withType("NodePort").addNewPort().withPort(80).endPort().endSpec().build();
    return new ServiceValidator().validate(svc);
  }

  @Test
  void goodTargetGroupKeysAndTagsPassWithoutAWord() {
    Verdict v = validate("target-type", "ip", "healthcheck-path", "/healthz", "success-codes", "200-299", "tags", "owner=web, env=prod",
        "target-group-attributes", "deregistration_delay.timeout_seconds=30", "backend-protocol", "HTTPS");
    assertThat(v.denials()).isEmpty();
    assertThat(v.warnings()).isEmpty();
  }

  @Test
  void badValuesAreDeniedNamingKeyAndValue() {
    assertThat(validate("target-type", "nodes").denials()).containsExactly(
        ALB + "target-type" + ID + ": \"nodes\" is not valid: expected one of instance, ip");
    assertThat(validate("healthcheck-interval-seconds", "1").denials()).containsExactly(
        ALB + "healthcheck-interval-seconds" + ID + ": \"1\" is not valid: expected an integer from 5 to 300");
    assertThat(validate("tags", "owner").denials()).containsExactly(
        ALB + "tags" + ID + ": \"owner\" is not valid: expected key=value pairs separated by commas");
  }

  @Test
  void aTimeoutAgainstTheDefaultIntervalIsLeftToTheIngress() {
    // the Ingress may set healthcheck-interval-seconds: 30
    assertThat(validate("healthcheck-timeout-seconds", "20").denials()).isEmpty();
    assertThat(validate("healthcheck-timeout-seconds", "20", "healthcheck-interval-seconds", "10").denials()).singleElement()
        .asString().contains("must be less than its interval");
  }

  @Test
  void keysNotAppliedIngressOnlyAndUnknownAreWarned() {
    Verdict v = validate("multi-cluster-target-group", "true", "scheme", "internet-facing", "healthcheck-pth", "/x",
        "target-control-port.web.80", "9000");
    assertThat(v.allowed()).isTrue();
    assertThat(v.warnings()).containsExactlyInAnyOrder(
        ALB + "multi-cluster-target-group is not applied by this controller and is ignored",
        ALB + "scheme has no effect on a Service; it is read from the Ingress only",
        ALB + "healthcheck-pth is not a known annotation and is ignored; did you mean " + ALB + "healthcheck-path?",
        ALB + "target-control-port.web.80 is not applied by this controller and is ignored");
  }

  @Test
  void deniedKeysAreDeniedOnAServiceToo() {
    for (String name : AnnotationCatalog.SERVICE_READ) {
      if (AnnotationCatalog.support(name).orElseThrow() == AnnotationCatalog.Support.DENIED) {
        assertThat(validate(name, "x").denials()).as(name).anySatisfy(d -> assertThat(d).startsWith(ALB + name + " is not applied"));
      }
    }
  }

  @Test
  void everyKeyTheReferenceReadsOnAServiceIsCatalogued() {
    for (String name : AnnotationCatalog.SERVICE_READ) {
      assertThat(AnnotationCatalog.support(name)).as(name).isPresent();
    }
    assertThat(AnnotationCatalog.SERVICE_READ).contains("tags", "target-type", "auth-type", "multi-cluster-target-group");
  }

  @Test
  void otherControllersAnnotationsAreNotLookedAt() {
    assertThat(validate("service.beta.kubernetes.io/aws-load-balancer-type", "nlb")).isEqualTo(Verdict.allow());
  }
}
