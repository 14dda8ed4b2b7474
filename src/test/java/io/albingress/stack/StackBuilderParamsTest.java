package io.albingress.stack;

import static io.albingress.stack.StackFixtures.BASE_SPEC;
import static io.albingress.stack.StackFixtures.FACTS;
import static io.albingress.stack.StackFixtures.a;
import static io.albingress.stack.StackFixtures.group;
import static io.albingress.stack.StackFixtures.ingress;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Scheme;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.params.TestParams;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackBuilderParamsTest {
  static final IngressClass ALB_CLASS = new IngressClassBuilder().withNewMetadata().withName("alb").endMetadata()
      .withNewSpec().withController(IngressClassMatcher.CONTROLLER)
      .withNewParameters().withApiGroup("elbv2.k8s.aws").withKind("IngressClassParams").withName("shop-params").endParameters()
      .endSpec().build();

  TestParams params = new TestParams().namespace("shop", Map.of("team", "shop")).namespace("blog", Map.of("team", "blog"));
  IngressClassMatcher classes = new IngressClassMatcher("alb", name -> Optional.of(ALB_CLASS), params);

  Stack build(IngressGroup group) {
    return new StackBuilder(classes).build(group, FACTS);
  }

  @Test
  void paramsSchemeTagsAndAttributesOverrideTheAnnotations() {
    params.params("shop-params", """
        scheme: internet-facing
        tags: [{key: team, value: platform}]
        loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "120"}]
        """);
    Stack stack = build(group(ingress("web", a("scheme", "internal", "tags", "team=shop,app=web",
        "load-balancer-attributes", "idle_timeout.timeout_seconds=60"), BASE_SPEC)));
    assertThat(stack.errors()).isEmpty();
    assertThat(stack.loadBalancer().scheme()).isEqualTo(Scheme.INTERNET_FACING);
    assertThat(stack.loadBalancer().tags()).containsEntry("team", "platform").containsEntry("app", "web");
    assertThat(stack.loadBalancer().attributes()).containsEntry("idle_timeout.timeout_seconds", "120");
  }

  @Test
  void aMemberOfAnUnselectedNamespaceIsLeftOutWithTheReason() {
    params.params("shop-params", "namespaceSelector: {matchLabels: {team: shop}}");
    IngressGroup g = group(ingress("shop", "web", a("group.name", "g"), BASE_SPEC), ingress("blog", "intruder", a("group.name", "g"), BASE_SPEC));
    Stack stack = build(g);
    assertThat(stack.members()).containsExactly("shop/web");
    assertThat(stack.errors()).singleElement().satisfies(e -> {
      assertThat(e.ingress()).isEqualTo("blog/intruder");
      assertThat(e.problems()).anyMatch(p -> p.contains("IngressClassParams shop-params (team=shop) does not select it"));
    });
  }

  @Test
  void subnetsSelectedByTagsWinOverTheAnnotationOnePerZone() {
    params.params("shop-params", "scheme: internet-facing\nsubnets: {tags: {Name: [private-a, private-b, public-b0, public-b]}}");
    Stack stack = build(group(ingress("web", a("subnets", "public-c,public-a"), BASE_SPEC)));
    assertThat(stack.errors()).isEmpty();
    // public-b (tagged for our cluster) wins 2b over public-b0, as discovery prefers it
    assertThat(stack.loadBalancer().subnetIds()).containsExactly(StackFixtures.PRIVATE_A, StackFixtures.PUBLIC_B);
  }

  @Test
  void subnetTagsSelectingOneZoneLeaveTheStackOutWithTheReason() {
    params.params("shop-params", "subnets: {tags: {Name: [private-a]}}");
    Stack stack = build(group(ingress("web", a(), BASE_SPEC)));
    assertThat(stack.loadBalancer()).isNull();
    assertThat(stack.errors()).singleElement().satisfies(e -> assertThat(e.problems()).singleElement().asString()
        .contains("select subnets in 1 Availability Zone(s)"));
  }

  @Test
  void theParamsGroupWinsOverTheGroupNameAnnotation() {
    params.params("shop-params", "group: {name: fixed}");
    var ing = group(ingress("web", a("group.name", "mine"), BASE_SPEC)).members().get(0);
    assertThat(classes.stackOf(ing)).isEqualTo(StackId.group("fixed"));
    Stack stack = build(new IngressGroup(StackId.group("fixed"), java.util.List.of(ing), group(ingress("web", a(), BASE_SPEC)).services()));
    assertThat(stack.errors()).isEmpty();
    assertThat(stack.members()).containsExactly("shop/web");
  }
}
