package io.albingress.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotationCatalogTest {

  @Test
  void closestFindsTypos() {
    assertThat(AnnotationCatalog.closest("target-tpye")).contains("target-type");
    assertThat(AnnotationCatalog.closest("certificate-arns")).contains("certificate-arn");
    assertThat(AnnotationCatalog.closest("listen-port")).contains("listen-ports");
    assertThat(AnnotationCatalog.closest("sheme")).contains("scheme");
    assertThat(AnnotationCatalog.closest("group-name")).contains("group.name");
  }

  @Test
  void closestFindsTruncatedAndExtendedNames() {
    assertThat(AnnotationCatalog.closest("healthcheck-interval")).contains("healthcheck-interval-seconds");
    assertThat(AnnotationCatalog.closest("ssl-redirect-port")).contains("ssl-redirect");
  }

  @Test
  void closestFixesTheFamilyPrefix() {
    assertThat(AnnotationCatalog.closest("action.response-503")).contains("actions.response-503");
    assertThat(AnnotationCatalog.closest("condition.cart")).contains("conditions.cart");
  }

  @Test
  void closestOffersNothingForUnrelatedNames() {
    assertThat(AnnotationCatalog.closest("completely-unrelated-setting")).isEmpty();
    assertThat(AnnotationCatalog.closest("xyz")).isEmpty();
  }

  @Test
  void closestIsTheSameOnEveryCall() {
    String first = AnnotationCatalog.closest("tag").orElse("");
    for (int i = 0; i < 20; i++) {
      assertThat(AnnotationCatalog.closest("tag").orElse("")).isEqualTo(first);
    }
  }

  @Test
  void knownNamesAndFamilies() {
    assertThat(AnnotationCatalog.isKnown("target-type")).isTrue();
    assertThat(AnnotationCatalog.isKnown("actions.cart")).isTrue();
    assertThat(AnnotationCatalog.isKnown("conditions.cart")).isTrue();
    assertThat(AnnotationCatalog.isKnown("actions.")).isFalse();
    assertThat(AnnotationCatalog.isKnown("target-tpye")).isFalse();
  }

  @Test
  void notSupportedNames() {
    assertThat(AnnotationCatalog.isNotSupported("auth-type")).isTrue();
    assertThat(AnnotationCatalog.isNotSupported("listener-attributes.HTTPS-443")).isTrue();
    assertThat(AnnotationCatalog.isNotSupported("target-type")).isFalse();
  }

  @Test
  void ourNamesStripThePrefixAndIgnoreOthers() {
    assertThat(AnnotationCatalog.ourNames(Map.of(
        "alb.ingress.kubernetes.io/scheme", "internal", "alb.ingress.kubernetes.io/actions.a", "{}",
        "kubernetes.io/ingress.class", "alb", "nginx.ingress.kubernetes.io/ssl-redirect", "true")))
        .containsExactly("actions.a", "scheme");
  }

  @Test
  void editDistance() {
    assertThat(AnnotationCatalog.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(AnnotationCatalog.editDistance("", "abc")).isEqualTo(3);
    assertThat(AnnotationCatalog.editDistance("same", "same")).isZero();
  }
}
