package io.albingress.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `plan --to-gateway`: the conversion, proven by the Gateway's own builder, and what it cannot convert. */
class IngressToGatewayTest {
  private static final String SERVICES = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        type: NodePort
        ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: api, namespace: shop}
      spec:
        type: NodePort
        ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30081}]
      """;

  private static ConversionReport convertFile(String file) throws Exception {
    Manifests m = new Manifests(new KubernetesSerialization()).read(file, null);
    return new Planner("prod", "alb", "us-west-2", m).toGateway("alb");
  }

  private static ConversionReport convert(String yaml) throws Exception {
    Manifests m = new Manifests(new KubernetesSerialization())
        .read("-", new ByteArrayInputStream((SERVICES + yaml).getBytes(StandardCharsets.UTF_8)));
    return new Planner("prod", "alb", "us-west-2", m).toGateway("alb");
  }

  private static String ingress(String name, String annotations, String rules) {
    return """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: shop
          annotations: {%s}
        spec:
          ingressClassName: alb
        %s
        """.formatted(name, annotations, rules.indent(2));
  }

  private static List<String> kinds(ConversionReport r) {
    return r.documents().stream().map(d -> d.get("kind") + " " + name(d)).toList();
  }

  @SuppressWarnings("unchecked")
  private static String name(Map<String, Object> d) {
    return String.valueOf(((Map<String, Object>) d.get("metadata")).get("name"));
  }

  @Test
  void aGroupWithHttpsRedirectsWeightsConditionsAndFixedResponseConvertsAndTheProofFindsTheShadowedPath() throws Exception {
    ConversionReport r = convertFile("src/test/resources/plan/to-gateway/shop.yaml");
    assertThat(kinds(r)).containsExactly("GatewayClass alb", "LoadBalancerConfiguration shop", "Gateway shop", "HTTPRoute front",
        "HTTPRoute maintenance", "HTTPRoute shop-ssl-redirect", "TargetGroupConfiguration api", "TargetGroupConfiguration api-canary",
        "TargetGroupConfiguration web", "ListenerRuleConfiguration maintenance-closed");
    ConversionReport.GroupResult g = r.groups().get(0);
    assertThat(g.gateway()).isEqualTo("shop/shop");
    assertThat(g.notConverted()).isEmpty();
    assertThat(g.notCompared()).isEmpty();
    // listeners, certificates, policy, the redirect listener, the weighted forward with its header and two methods, the
    // redirect action, the fixed response (a ListenerRuleConfiguration), target groups, attributes and tags all agree; but
    // front's / (group.order 1) shadows maintenance's /checkout in the Ingress group, and the Gateway API puts the longer
    // path first: a behaviour change the proof must name
    assertThat(g.differences()).containsExactly("listener HTTPS:443 order: the Ingress matches host-header=shop.example.com "
        + "path-pattern=/* (shop/front spec.rules[0].http.paths[3]) before host-header=shop.example.com path-pattern=/checkout,/checkout/* "
        + "(shop/maintenance spec.rules[0].http.paths[0]), the Gateway after it; a request both match goes elsewhere");
    assertThat(r.equivalent()).isFalse();
    String text = PlanText.renderConversion(r);
    assertThat(text).contains("kind: HTTPRoute").contains("# Ingress stack shop -> Gateway shop/shop: DIFFERENT")
        .contains("type: ExtensionRef").contains("#   difference: listener HTTPS:443 order");
  }

  @Test
  void aGroupWithoutShadowedPathsIsEquivalentTargetGroupsIncluded() throws Exception {
    ConversionReport r = convert(ingress("a", "alb.ingress.kubernetes.io/group.name: g, alb.ingress.kubernetes.io/group.order: '1', "
        + "alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-west-2:111122223333:certificate/aaaa, "
        + "alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]', alb.ingress.kubernetes.io/ssl-redirect: '443', "
        + "alb.ingress.kubernetes.io/healthcheck-path: /healthz, alb.ingress.kubernetes.io/target-type: ip", """
        rules:
          - host: a.example.com
            http:
              paths:
                - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
                - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """) + ingress("b", "alb.ingress.kubernetes.io/group.name: g, alb.ingress.kubernetes.io/group.order: '2', "
        + "alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-west-2:111122223333:certificate/aaaa, "
        + "alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\": 443}]'", """
        rules:
          - host: b.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """));
    ConversionReport.GroupResult g = r.groups().get(0);
    assertThat(g.notConverted()).isEmpty();
    assertThat(g.differences()).isEmpty();
    assertThat(g.notCompared()).isEmpty();
    assertThat(r.equivalent()).isTrue();
  }

  @Test
  void aSingleIngressWithDefaultBackendAndImplementationSpecificPathsIsEquivalent() throws Exception {
    ConversionReport r = convert(ingress("one", "", """
        defaultBackend: {service: {name: web, port: {number: 80}}}
        rules:
          - http:
              paths:
                - {path: /api/*, pathType: ImplementationSpecific, backend: {service: {name: api, port: {name: http}}}}
                - {path: /healthz, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
        """));
    ConversionReport.GroupResult g = r.groups().get(0);
    assertThat(g.gateway()).isEqualTo("shop/one");
    assertThat(g.notConverted()).isEmpty();
    // /api/* becomes PathPrefix /api, which ALB also matches for /api itself: said, not hidden
    assertThat(g.differences()).containsExactly(
        "listener HTTP:80 rule missing from the Gateway: path-pattern=/api/* -> forward shop/api:80 (shop/one spec.rules[0].http.paths[0])",
        "listener HTTP:80 rule only in the Gateway: path-pattern=/api,/api/* -> forward shop/api:80 (shop/one spec.rules[0].matches[0])");
  }

  @Test
  void aGroupWhoseEarlierMemberShadowsALaterPathReportsTheOrder() throws Exception {
    ConversionReport r = convert(ingress("all", "alb.ingress.kubernetes.io/group.name: g, alb.ingress.kubernetes.io/group.order: '1'", """
        rules:
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """) + ingress("api", "alb.ingress.kubernetes.io/group.name: g, alb.ingress.kubernetes.io/group.order: '2'", """
        rules:
          - http:
              paths:
                - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
        """));
    ConversionReport.GroupResult g = r.groups().get(0);
    assertThat(g.notConverted()).isEmpty();
    assertThat(g.differences()).singleElement().asString().startsWith("listener HTTP:80 order: the Ingress matches path-pattern=/* "
        + "(shop/all spec.rules[0].http.paths[0]) before path-pattern=/api,/api/* (shop/api spec.rules[0].http.paths[0]), the Gateway after it");
  }

  @Test
  void whatTheGatewayApiCannotSayIsListedAndItsPathsLeftOutNeverWidened() throws Exception {
    ConversionReport r = convert(ingress("odd", String.join(", ",
        "alb.ingress.kubernetes.io/load-balancer-name: shop-alb",
        "alb.ingress.kubernetes.io/waf-acl-id: 'abc'",
        "alb.ingress.kubernetes.io/conditions.web: '[{\"field\":\"source-ip\",\"sourceIpConfig\":{\"values\":[\"10.0.0.0/8\"]}}]'",
        "alb.ingress.kubernetes.io/actions.q: '{\"type\":\"redirect\",\"redirectConfig\":{\"query\":\"a=b\",\"statusCode\":\"HTTP_302\"}}'"),
        """
        rules:
          - http:
              paths:
                - {path: /internal, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                - {path: /q, pathType: Exact, backend: {service: {name: q, port: {name: use-annotation}}}}
                - {path: /a*b, pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}
                - {path: /x, pathType: Exact, backend: {service: {name: api, port: {number: 80}}}}
        """));
    ConversionReport.GroupResult g = r.groups().get(0);
    assertThat(g.notConverted()).satisfiesExactlyInAnyOrder(
        n -> assertThat(n).startsWith("alb.ingress.kubernetes.io/load-balancer-name on shop/odd: the Gateway's ALB would take"),
        n -> assertThat(n).startsWith("alb.ingress.kubernetes.io/waf-acl-id on shop/odd: WAF Classic"),
        n -> assertThat(n).startsWith("alb.ingress.kubernetes.io/conditions.web on shop/odd: source-ip has no HTTPRoute match"),
        n -> assertThat(n).startsWith("alb.ingress.kubernetes.io/actions.q on shop/odd: redirect query a=b"),
        n -> assertThat(n).startsWith("spec.rules[0].http.paths[2] on shop/odd: path /a*b (ImplementationSpecific) has ALB wildcards"));
    assertThat(g.differences()).anyMatch(d -> d.startsWith("listener HTTP:80 rule missing from the Gateway: path-pattern=/internal,/internal/*"))
        .anyMatch(d -> d.startsWith("WAF Classic web ACL: Ingress abc, Gateway (none)"))
        .noneMatch(d -> d.contains("/x"));
    assertThat(r.equivalent()).isFalse();
  }
}
