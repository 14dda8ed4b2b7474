package io.albingress.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Stack;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The offline plan: validation per Ingress, stacks for the valid ones, unknown AWS facts as placeholders. */
class PlannerTest {
  private static final String SERVICES = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        type: NodePort
        ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]
      """;

  private static String ingress(String name, String annotations, String path) {
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
          rules:
            - http:
                paths:
                  - {path: %s, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """.formatted(name, annotations, path);
  }

  private static PlanReport plan(String yaml) throws Exception {
    Manifests m = new Manifests(new KubernetesSerialization())
        .read("-", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    return new Planner("prod", "alb", "us-west-2", m).plan();
  }

  private static final String CLASS_WITH_PARAMS = """
      ---
      apiVersion: networking.k8s.io/v1
      kind: IngressClass
      metadata: {name: alb}
      spec:
        controller: ingress.k8s.aws/alb
        parameters: {apiGroup: elbv2.k8s.aws, kind: IngressClassParams, name: shop}
      ---
      apiVersion: elbv2.k8s.aws/v1beta1
      kind: IngressClassParams
      metadata: {name: shop}
      spec:
        scheme: internet-facing
        group: {name: shop-front}
        namespaceSelector: {matchLabels: {team: %s}}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: shop, labels: {team: shop}}
      """;

  @Test
  void ingressClassParamsFromTheManifestsOverrideAnnotationsAndGroup() throws Exception {
    PlanReport report = plan(SERVICES + CLASS_WITH_PARAMS.formatted("shop") + ingress("web", "alb.ingress.kubernetes.io/scheme: internal", "/"));
    assertThat(report.valid()).isTrue();
    Stack stack = report.stacks().get(0);
    assertThat(stack.id().toString()).contains("shop-front");
    assertThat(stack.loadBalancer().scheme()).isEqualTo(io.albingress.annotations.Scheme.INTERNET_FACING);
  }

  @Test
  void ingressClassParamsThatDoNotSelectTheNamespaceRefuseTheIngress() throws Exception {
    PlanReport report = plan(SERVICES + CLASS_WITH_PARAMS.formatted("blog") + ingress("web", "", "/"));
    assertThat(report.valid()).isFalse();
    assertThat(report.ingresses().get(0).problems()).anyMatch(p -> p.contains("IngressClassParams shop (team=blog) does not select it"));
  }

  @Test
  void anInvalidMemberDoesNotBlockItsGroup() throws Exception {
    PlanReport report = plan(SERVICES
        + ingress("good", "alb.ingress.kubernetes.io/group.name: front", "/a")
        + ingress("bad", "alb.ingress.kubernetes.io/group.name: front, alb.ingress.kubernetes.io/healthcheck-path: nope", "/b"));
    assertThat(report.valid()).isFalse();
    assertThat(report.ingresses()).extracting(PlanReport.IngressResult::ingress, PlanReport.IngressResult::valid)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("shop/bad", false), org.assertj.core.groups.Tuple.tuple("shop/good", true));
    assertThat(report.ingresses().get(0).problems()).singleElement().asString().contains("healthcheck-path");
    Stack stack = report.stacks().get(0);
    assertThat(stack.members()).containsExactly("shop/good");
    assertThat(stack.rules()).hasSize(1);
    assertThat(stack.errors()).extracting(Stack.MemberError::ingress).containsExactly("shop/bad");
  }

  @Test
  void theAddOnsAreShownAndNoneMeansRemove() throws Exception {
    PlanReport report = plan(SERVICES + ingress("web", "alb.ingress.kubernetes.io/wafv2-acl-name: shop-acl,"
        + " alb.ingress.kubernetes.io/waf-acl-id: none, alb.ingress.kubernetes.io/shield-advanced-protection: 'true'", "/"));
    assertThat(report.valid()).isTrue();
    assertThat(PlanText.render(report)).contains("add-ons WAFv2 web ACL named shop-acl, WAF Classic web ACL none, Shield Advanced on\n");
    assertThat(PlanText.addOns(plan(SERVICES + ingress("web", "", "/")).stacks().get(0).loadBalancer())).isEmpty();
  }

  @Test
  void offlineDiscoveryIsNotVerifiedRatherThanAWarning() throws Exception {
    PlanReport report = plan(SERVICES + ingress("web", "alb.ingress.kubernetes.io/subnets: 'public-a, public-b'", "/"));
    PlanReport.IngressResult result = report.ingresses().get(0);
    assertThat(result.valid()).isTrue();
    assertThat(result.notVerified()).singleElement().asString().contains("subnets").contains(Planner.OFFLINE);
    assertThat(result.warnings()).isEmpty();
    // names cannot be resolved to IDs offline: they are shown as written
    assertThat(report.stacks().get(0).loadBalancer().subnetIds()).containsExactly("public-a", "public-b");
  }

  @Test
  void emptyStacksAreNotReported() throws Exception {
    PlanReport report = plan(SERVICES + ingress("bad", "alb.ingress.kubernetes.io/scheme: public", "/"));
    assertThat(report.stacks()).isEmpty();
    assertThat(PlanText.render(report)).startsWith("Ingress shop/bad: INVALID\n  error:        alb.ingress.kubernetes.io/scheme");
  }

  @Test
  void textShowsWeightsAndRedirects() {
    assertThat(PlanText.action(io.albingress.model.RuleAction.Redirect.toHttps(443))).isEqualTo("redirect HTTP_301 HTTPS:443");
    assertThat(PlanText.action(io.albingress.model.RuleAction.FixedResponse.NOT_FOUND)).isEqualTo("fixed-response 404");
  }

  /** The reference documentation's legacy ssl-redirect example, PascalCase keys and all. */
  @Test
  void referenceDocumentationSslRedirectExample() throws Exception {
    PlanReport report = plan(SERVICES + """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: users
          namespace: shop
          annotations:
            alb.ingress.kubernetes.io/scheme: internet-facing
            alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555
            alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS":443}]'
            alb.ingress.kubernetes.io/actions.ssl-redirect: '{"Type": "redirect", "RedirectConfig": { "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}'
        spec:
          ingressClassName: alb
          rules:
            - http:
                paths:
                  - {path: /*, pathType: ImplementationSpecific, backend: {service: {name: ssl-redirect, port: {name: use-annotation}}}}
                  - {path: /users/*, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
        """);
    assertThat(report.valid()).isTrue();
    String text = PlanText.render(report).replaceAll(" +", " ");
    // HTTP:80 redirects everything (the /users/* rule behind it is left out); HTTPS:443 has no redirect to itself
    assertThat(text).contains(" Listener HTTP:80 default: fixed-response 404\n 1 path-pattern=/* -> redirect HTTP_301 HTTPS:443\n"
        + " Listener HTTPS:443 default: fixed-response 404\n");
    assertThat(text).contains(" 1 path-pattern=/users/* -> forward shop/web:80\n TargetGroup");
  }
}
