package io.albingress.validation;

import static io.albingress.validation.Fixtures.ALB;
import static io.albingress.validation.Fixtures.AWS;
import static io.albingress.validation.Fixtures.REGION;
import static io.albingress.validation.Fixtures.VPC;
import static io.albingress.validation.Fixtures.ingress;
import static io.albingress.validation.Fixtures.nodePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Scheme;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.params.TestParams;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsChecksTest {
  TestParams params = new TestParams()
      .namespace("shop", Map.of("team", "shop"))
      .namespace("blog", Map.of("team", "blog"));
  TestCluster cluster = new TestCluster().with(nodePort("web")).with(classWithParams("alb", "shop-params"));

  static IngressClass classWithParams(String name, String params) {
    return new IngressClassBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withController(IngressClassMatcher.CONTROLLER)
        .withNewParameters().withApiGroup("elbv2.k8s.aws").withKind("IngressClassParams").withName(params).withScope("Cluster").endParameters()
        .endSpec().build();
  }

  IngressValidator validator() {
    return new IngressValidator(new IngressClassMatcher("alb", cluster::ingressClass, params), REGION, VPC);
  }

  Verdict validate(Fixtures.Ing ingress) {
    return validator().validate(ingress.build(), cluster, AWS);
  }

  @Test
  void aMemberFromAnUnselectedNamespaceIsDeniedWithTheReason() {
    params.params("shop-params", "namespaceSelector: {matchLabels: {team: shop}}");
    assertThat(validate(ingress().path("/", "web", 80)).allowed()).isTrue();
    Verdict v = validate(ingress().namespace("blog").path("/", "web", 80));
    assertThat(v.denials()).contains("IngressClass alb may not be used in namespace blog: the namespaceSelector of its"
        + " IngressClassParams shop-params (team=shop) does not select it (namespace labels {team=blog})");
  }

  @Test
  void anUnknownNamespaceIsDeniedUntilTheCacheKnowsIt() {
    params.params("shop-params", "namespaceSelector: {matchLabels: {team: shop}}");
    assertThat(validate(ingress().namespace("new").path("/", "web", 80)).denials())
        .anyMatch(d -> d.contains("namespace new is not known to the controller yet"));
  }

  @Test
  void paramsSchemeOverridesTheAnnotation() {
    params.params("shop-params", "scheme: internet-facing");
    var prepared = validator().prepare(ingress().alb("scheme", "internal").path("/", "web", 80).build());
    assertThat(prepared.parsed().config().scheme()).isEqualTo(Scheme.INTERNET_FACING);
    assertThat(validator().validate(prepared, cluster, AWS).allowed()).isTrue();
  }

  @Test
  void missingOrForeignParamsKeepTheIngressOut() {
    assertThat(validate(ingress().path("/", "web", 80)).denials()).containsExactly(
        "IngressClass alb references IngressClassParams shop-params, which does not exist");
    params.params("shop-params", "scheme: public");
    assertThat(validate(ingress().path("/", "web", 80)).denials()).singleElement().asString()
        .startsWith("IngressClassParams shop-params (of IngressClass alb) is invalid: spec.scheme: \"public\" is not valid");
  }

  @Test
  void parametersOfAnotherKindAreRefused() {
    cluster = new TestCluster().with(nodePort("web")).with(new IngressClassBuilder().withNewMetadata().withName("alb").endMetadata()
        .withNewSpec().withController(IngressClassMatcher.CONTROLLER)
        .withNewParameters().withApiGroup("example.com").withKind("Settings").withName("x").endParameters().endSpec().build());
    assertThat(validate(ingress().path("/", "web", 80)).denials()).containsExactly("IngressClass alb references unknown parameters"
        + " example.com/Settings x; this controller reads only elbv2.k8s.aws IngressClassParams");
  }

  @Test
  void legacyAnnotationIngressesHaveNoParams() {
    params.params("shop-params", "namespaceSelector: {matchLabels: {team: nobody}}");
    assertThat(validate(ingress().legacyClass("alb").path("/", "web", 80)).denials()).isEmpty();
  }

  @Test
  void aGroupFixedByParamsCanBeJoinedOnlyFromSelectedNamespaces() {
    params.params("shop-params", "{}");
    params.params("team-params", "{group: {name: shop-group}, namespaceSelector: {matchLabels: {team: shop}}}");
    Verdict v = validate(ingress().namespace("blog").alb("group.name", "shop-group").path("/", "web", 80));
    assertThat(v.denials()).contains(ALB + "group.name: group \"shop-group\" is fixed by IngressClassParams team-params, whose"
        + " namespaceSelector (team=shop) does not select namespace blog (labels {team=blog}); only the namespaces it selects"
        + " may join the group");
    assertThat(validate(ingress().alb("group.name", "shop-group").path("/", "web", 80)).denials()).isEmpty();
  }

  @Test
  void joiningAGroupFromAnotherNamespaceWithAHostItRoutesWarns() {
    params.params("shop-params", "{}");
    cluster.with(ingress("storefront").alb("group.name", "g").hostPath("shop.example.com", "/", "web", 80).build());
    Verdict v = validate(ingress("intruder").namespace("blog").alb("group.name", "g").hostPath("shop.example.com", "/admin", "web", 80));
    assertThat(v.warnings()).anyMatch(w -> w.startsWith(ALB + "group.name: group \"g\" already routes shop.example.com for Ingress"
        + " shop/storefront of namespace shop"));
    Verdict sameNamespace = validate(ingress("other").alb("group.name", "g").hostPath("shop.example.com", "/admin", "web", 80));
    assertThat(sameNamespace.warnings()).noneMatch(w -> w.contains("already routes"));
  }
}
