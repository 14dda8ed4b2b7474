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

  /** The reference's keys (test data copied from its pkg/annotations/constants.go): "family" lines are prefixes. */
  static Map<String, String> referenceKeys() throws java.io.IOException {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    try (var in = AnnotationCatalogTest.class.getResourceAsStream("/reference/ingress-annotation-keys.txt")) {
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] parts = line.split(" = ");
          keys.put(parts[1].trim(), parts[0].trim());
        }
      }
    }
    return keys;
  }

  @Test
  void everyKeyOfTheReferenceIsAppliedOrAnswered() throws java.io.IOException {
    Map<String, String> reference = referenceKeys();
    assertThat(reference).as("the test data lists the reference's keys").hasSizeGreaterThan(60);
    for (var e : reference.entrySet()) {
      String name = e.getValue().equals("family") ? e.getKey() + "x" : e.getKey();
      assertThat(AnnotationCatalog.support(name)).as("%s (%s): applied, ignored with a warning, or denied", name, e.getValue()).isPresent();
      assertThat(AnnotationCatalog.isKnown(name) || AnnotationCatalog.isNotSupported(name)).as(name).isTrue();
    }
    assertThat(reference.keySet()).as("the catalogue lists no key the reference lacks").containsAll(AnnotationCatalog.supportTable().keySet());
  }

  @Test
  void whatTheParsersReadIsApplied() {
    java.util.Set<String> parsed = new java.util.TreeSet<>(AnnotationCatalog.INGRESS_SCOPED);
    parsed.addAll(AnnotationCatalog.TARGET_SCOPED);
    for (String name : parsed) {
      assertThat(AnnotationCatalog.support(name)).as(name).contains(AnnotationCatalog.Support.APPLIED);
    }
  }

  @Test
  void keysWhoseAbsenceWeakensSecurityAreAppliedOrDeniedNeverIgnored() {
    for (String name : java.util.List.of("auth-type", "auth-idp-oidc", "auth-idp-cognito", "auth-on-unauthenticated-request",
        "auth-scope", "auth-session-cookie", "auth-session-timeout", "jwt-validation", "mutual-authentication",
        "listener-attributes.HTTPS-443", "wafv2-acl-arn", "wafv2-acl-name", "waf-acl-id", "web-acl-id", "shield-advanced-protection",
        "inbound-cidrs", "security-groups", "security-group-prefix-lists", "manage-backend-security-group-rules")) {
      assertThat(AnnotationCatalog.support(name)).as(name).isPresent().get().isNotEqualTo(AnnotationCatalog.Support.IGNORED);
    }
  }

  @Test
  void authenticationIsApplied() {
    for (String name : java.util.List.of("auth-type", "auth-idp-oidc", "auth-idp-cognito", "auth-on-unauthenticated-request",
        "auth-scope", "auth-session-cookie", "auth-session-timeout", "jwt-validation")) {
      assertThat(AnnotationCatalog.support(name)).as(name).contains(AnnotationCatalog.Support.APPLIED);
    }
  }

  @Test
  void theAddOnsAreApplied() {
    for (String name : java.util.List.of("wafv2-acl-arn", "wafv2-acl-name", "waf-acl-id", "web-acl-id", "shield-advanced-protection")) {
      assertThat(AnnotationCatalog.support(name)).as(name).contains(AnnotationCatalog.Support.APPLIED);
    }
    assertThat(AnnotationCatalog.support("mutual-authentication")).contains(AnnotationCatalog.Support.APPLIED);
    assertThat(AnnotationCatalog.support("enable-frontend-nlb")).contains(AnnotationCatalog.Support.IGNORED);
    assertThat(AnnotationCatalog.support("actions.web")).contains(AnnotationCatalog.Support.APPLIED);
    assertThat(AnnotationCatalog.support("frobnicate")).isEmpty();
  }

  @Test
  void mutualTlsAndListenerAttributesAreApplied() {
    assertThat(AnnotationCatalog.support("mutual-authentication")).contains(AnnotationCatalog.Support.APPLIED);
    assertThat(AnnotationCatalog.support("listener-attributes")).contains(AnnotationCatalog.Support.APPLIED);
    assertThat(AnnotationCatalog.support("listener-attributes.HTTPS-443")).contains(AnnotationCatalog.Support.APPLIED);
    assertThat(AnnotationCatalog.support("listener-attributes.HTTP-80")).contains(AnnotationCatalog.Support.APPLIED);
    assertThat(AnnotationCatalog.isKnown("listener-attributes.HTTPS-443")).isTrue();
    assertThat(AnnotationCatalog.closest("listener-attribute.HTTPS-443")).contains("listener-attributes.HTTPS-443");
  }

  @Test
  void notSupportedNames() {
    assertThat(AnnotationCatalog.isNotSupported("auth-type")).isFalse();
    assertThat(AnnotationCatalog.isNotSupported("listener-attributes.HTTPS-443")).isFalse();
    assertThat(AnnotationCatalog.isNotSupported("mutual-authentication")).isFalse();
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
