package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayAdmissionChecksTest {
  static final String T = "2025-01-01T00:00:00Z";

  static Verdict route(String rules) {
    return GatewayAdmissionChecks.route(GatewayFixtures.route("r", T, "parentRefs: [{name: gw}]\nrules:\n" + rules));
  }

  @Test
  void everyFilterAlbCannotDoIsDeniedNamingFieldValueAndFix() {
    Verdict v = route("""
        - filters:
          - {type: RequestRedirect, requestRedirect: {scheme: https}}
          - {type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x, value: y}]}}
          - {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [x]}}
          - {type: RequestMirror, requestMirror: {backendRef: {name: web, port: 80}}}
          - {type: CORS}
          - {type: ExternalAuth}
        """);
    assertThat(v.allowed()).isFalse();
    assertThat(v.denials()).hasSize(5);
    List<String> types = List.of("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "CORS", "ExternalAuth");
    for (int i = 0; i < types.size(); i++) {
      assertThat(v.denials().get(i)).startsWith("spec.rules[0].filters[" + (i + 1) + "].type: " + types.get(i))
          .contains("remove the filter");
    }
  }

  @Test
  void timeoutsRetrySessionPersistenceWildcardsAndWeightsAreDenied() {
    Verdict v = route("""
        - matches: [{path: {type: PathPrefix, value: /a*}}, {path: {type: Exact, value: /b*}}]
          backendRefs: [{name: web, port: 80, weight: 1000}, {name: web2, port: 80, weight: 999}]
          timeouts: {request: 10s}
          retry: {attempts: 2}
          sessionPersistence: {sessionName: s}
        """);
    assertThat(v.denials()).hasSize(5);
    assertThat(v.denials().get(0)).startsWith("spec.rules[0].matches[0].path.value: /a*").contains("RegularExpression");
    assertThat(v.denials().get(1)).startsWith("spec.rules[0].backendRefs[0].weight: 1000").contains("999");
    assertThat(v.denials().get(2)).startsWith("spec.rules[0].timeouts: request 10s").contains("remove it");
    assertThat(v.denials().get(3)).startsWith("spec.rules[0].retry").contains("remove it");
    assertThat(v.denials().get(4)).startsWith("spec.rules[0].sessionPersistence").contains("remove it");
  }

  @Test
  void aRouteOverTheAlbRuleLimitOnItsOwnIsDeniedAndOneAtTheLimitIsNot() {
    assertThat(route(rules(100)).allowed()).isTrue();
    Verdict v = route(rules(101));
    assertThat(v.denials()).singleElement().asString().startsWith("spec.rules:").contains("at least 101 ALB rules", "limit of 100");
  }

  static String rules(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append("- matches: [{path: {type: Exact, value: /p").append(i).append("}}]\n  backendRefs: [{name: web, port: 80}]\n");
    }
    return out.toString();
  }

  @Test
  void whatDependsOnOtherObjectsIsNeverDenied() {
    // a Service, a namespace and a grant that do not exist, a parent that does not exist: status, not admission
    assertThat(GatewayAdmissionChecks.route(GatewayFixtures.route("r", T, """
        parentRefs: [{name: nowhere, sectionName: nope}]
        hostnames: [a.example.com]
        rules: [{backendRefs: [{name: missing, namespace: elsewhere, port: 81}]}]
        """))).isEqualTo(Verdict.allow());
  }

  @Test
  void theWebhookDeniesExactlyWhatTheBuilderRefusesInStatus() {
    HTTPRoute r = GatewayFixtures.route("r", T, """
        parentRefs: [{name: gw}]
        rules:
        - filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x, value: y}]}}]
          backendRefs: [{name: web, port: 80}]
        """);
    var build = new GatewayStackBuilder().build(GatewayStackBuilderTest.ID,
        new GatewayInputs(GatewayFixtures.httpGateway(), List.of(r), List.of(GatewayFixtures.service("web", "")), Map.of()),
        GatewayFixtures.FACTS);
    assertThat(GatewayAdmissionChecks.route(r).denials()).isNotEmpty().isEqualTo(build.routes().get(0).unsupported());
  }

  @Test
  void listenersOtherThanHttpOrHttpsAreDeniedAndConflictsAreLeftToStatus() {
    Verdict v = GatewayAdmissionChecks.gateway(gateway("""
        - {name: http, port: 80, protocol: HTTP}
        - {name: tcp, port: 81, protocol: TCP}
        - {name: a, port: 443, protocol: HTTPS, hostname: a.example.com}
        - {name: b, port: 443, protocol: HTTPS, hostname: a.example.com}
        """));
    assertThat(v.denials()).singleElement().asString().startsWith("spec.listeners[1].protocol: protocol TCP")
        .contains("use HTTP or HTTPS");
  }

  @Test
  void aLoadBalancerConfigurationRefIsReadAndAnyOtherIsWarnedAboutNotDenied() {
    GatewayClass c = yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: alb}
        spec:
          controllerName: gateway.k8s.aws/alb
          parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: lbc, namespace: shop}
        """, GatewayClass.class);
    assertThat(GatewayAdmissionChecks.ours(c)).isTrue();
    Verdict v = GatewayAdmissionChecks.gatewayClass(c);
    assertThat(v.allowed()).isTrue();
    assertThat(v.warnings()).isEmpty();
    c.getSpec().getParametersRef().setKind("ConfigMap");
    c.getSpec().getParametersRef().setGroup("");
    Verdict other = GatewayAdmissionChecks.gatewayClass(c);
    assertThat(other.allowed()).isTrue();
    assertThat(other.warnings()).singleElement().asString().startsWith("spec.parametersRef: /ConfigMap lbc")
        .contains("InvalidParameters");
    c.getSpec().setControllerName("example.com/other");
    assertThat(GatewayAdmissionChecks.ours(c)).isFalse();
  }
}
