package io.albingress.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Certificate;
import io.albingress.model.ClusterFacts;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.Known;
import io.albingress.model.Stack;
import io.albingress.model.Subnet;
import io.albingress.plan.Manifests;
import io.albingress.stack.StackBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A member left out for a transient reason keeps its last good part of the model; a changed member does not. */
class LastGoodInputsTest {
  private static final String CERT = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000a";
  private static final List<Subnet> SUBNETS = List.of(
      new Subnet("subnet-0a", "us-west-2a", "vpc-1", Map.of(Subnet.ROLE_ELB, "1")),
      new Subnet("subnet-0b", "us-west-2b", "vpc-1", Map.of(Subnet.ROLE_ELB, "1")));
  private final StackBuilder builder = new StackBuilder(new IngressClassMatcher("alb", name -> Optional.empty()));
  private final LastGoodInputs lastGood = new LastGoodInputs();

  private static ClusterFacts facts(String certStatus) {
    return new ClusterFacts("prod", "us-west-2", "vpc-1", Known.of(SUBNETS),
        Known.of(List.of(new Certificate(CERT, certStatus, List.of("*.example.com")))), Map.of());
  }

  private static String service(String name) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: shop}
        spec: {type: NodePort, ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]}
        """.formatted(name);
  }

  private static String ingress(String name, String service, long generation, String extraAnnotation) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: shop
          generation: %d
          annotations:
            alb.ingress.kubernetes.io/group.name: shared
            alb.ingress.kubernetes.io/scheme: internet-facing
            %s
        spec:
          ingressClassName: alb
          rules:
            - http:
                paths:
                  - {path: /%s, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """.formatted(name, generation, extraAnnotation, name, service);
  }

  private static IngressGroup group(String... documents) throws Exception {
    Manifests m = new Manifests(new KubernetesSerialization())
        .read("-", new ByteArrayInputStream(String.join("---\n", documents).getBytes(StandardCharsets.UTF_8)));
    return IngressGroup.of(m.all(Ingress.class), m.all(Service.class)).get(0);
  }

  private Stack deployed(IngressGroup group, ClusterFacts facts) {
    Stack stack = builder.build(group, facts);
    lastGood.remember(stack, group, facts);
    return stack;
  }

  @Test
  void aMemberWhoseServiceIsRecreatedKeepsItsRules() throws Exception {
    Stack before = deployed(group(service("web"), service("api"), ingress("a", "web", 1, ""), ingress("b", "api", 1, "")), facts("ISSUED"));
    assertThat(before.members()).containsExactly("shop/a", "shop/b");

    IngressGroup apiGone = group(service("web"), ingress("a", "web", 1, ""), ingress("b", "api", 1, ""));
    Stack built = builder.build(apiGone, facts("ISSUED"));
    assertThat(built.members()).as("without help b is left out").containsExactly("shop/a");

    var kept = lastGood.keep(built, apiGone, facts("ISSUED"), builder::build).orElseThrow();
    assertThat(kept.stack().members()).containsExactly("shop/a", "shop/b");
    assertThat(kept.stack().rules()).isEqualTo(before.rules());
    assertThat(kept.stack().targetGroups()).isEqualTo(before.targetGroups());
    assertThat(kept.reasons()).containsOnlyKeys("shop/b");
    assertThat(kept.reasons().get("shop/b").toString()).contains("api");
  }

  @Test
  void aMemberWhoseCertificateIsBrieflyNotIssuedKeepsItsRules() throws Exception {
    String https = "alb.ingress.kubernetes.io/certificate-arn: " + CERT;
    IngressGroup group = group(service("web"), service("api"), ingress("a", "web", 1, ""), ingress("b", "api", 1, https));
    Stack before = deployed(group, facts("ISSUED"));
    assertThat(before.members()).containsExactly("shop/a", "shop/b");

    Stack built = builder.build(group, facts("PENDING_VALIDATION"));
    assertThat(built.members()).containsExactly("shop/a");
    var kept = lastGood.keep(built, group, facts("PENDING_VALIDATION"), builder::build).orElseThrow();
    assertThat(kept.stack().members()).containsExactly("shop/a", "shop/b");
    assertThat(kept.stack().listeners()).isEqualTo(before.listeners());
  }

  @Test
  void aMemberChangedSinceGetsNoHelp() throws Exception {
    deployed(group(service("web"), service("api"), ingress("a", "web", 1, ""), ingress("b", "api", 1, "")), facts("ISSUED"));
    IngressGroup edited = group(service("web"), ingress("a", "web", 1, ""), ingress("b", "api", 2, ""));
    Stack built = builder.build(edited, facts("ISSUED"));
    assertThat(lastGood.keep(built, edited, facts("ISSUED"), builder::build)).isEmpty();
  }

  @Test
  void nothingIsKeptForAStackNeverDeployed() throws Exception {
    IngressGroup apiGone = group(service("web"), ingress("a", "web", 1, ""), ingress("b", "api", 1, ""));
    Stack built = builder.build(apiGone, facts("ISSUED"));
    assertThat(lastGood.keep(built, apiGone, facts("ISSUED"), builder::build)).isEmpty();
  }
}
