package io.albingress.stack;

import static io.albingress.stack.StackFixtures.BASE_SPEC;
import static io.albingress.stack.StackFixtures.FACTS;
import static io.albingress.stack.StackFixtures.a;
import static io.albingress.stack.StackFixtures.group;
import static io.albingress.stack.StackFixtures.ingress;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.IngressGroup;
import io.albingress.model.Permission;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.Tags;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityGroupPlannerTest {
  private static final String API_SPEC = """
      rules:
        - http:
            paths:
              - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
      """;

  private static SecurityGroupPlan plan(IngressGroup g) {
    Stack stack = StackFixtures.build(g, FACTS);
    assertThat(stack.errors()).isEmpty();
    return SecurityGroupPlanner.plan(stack, g, FACTS.clusterName()).orElseThrow();
  }

  private static List<String> rules(SecurityGroupPlan plan) {
    return plan.frontend().orElseThrow().ingress().stream().map(Permission::toString).toList();
  }

  @Test
  void defaultIngressGetsManagedGroupOpenOnItsListenPortToTheWorld() {
    SecurityGroupPlan plan = plan(group(ingress("web", a("scheme", "internet-facing"), BASE_SPEC)));
    assertThat(plan.managed()).isTrue();
    assertThat(plan.manageBackendRules()).isTrue();
    assertThat(rules(plan)).containsExactly("tcp:80 from 0.0.0.0/0");
    SecurityGroupPlan.ManagedGroup g = plan.frontend().get();
    assertThat(g.name()).isEqualTo(SecurityGroupPlanner.frontendName("prod", StackId.ingress("shop", "web")))
        .matches("k8s-shop-web-[0-9a-f]{10}");
    assertThat(g.tags()).containsEntry(Tags.CLUSTER, "prod").containsEntry(Tags.STACK, "shop/web")
        .containsEntry(Tags.RESOURCE, SecurityGroupPlan.FRONTEND_RESOURCE_ID);
    // instance mode: the NodePort of web:80
    assertThat(plan.backendPorts()).singleElement().satisfies(b -> {
      assertThat(b.ipMode()).isFalse();
      assertThat(b.ports()).containsExactly(30080);
    });
  }

  @Test
  void dualstackAlsoOpensToIpv6AndListenPortsEachGetTheirRule() {
    SecurityGroupPlan plan = plan(group(ingress("web", a("ip-address-type", "dualstack",
        "listen-ports", "[{\"HTTP\": 80}, {\"HTTP\": 8080}]"), BASE_SPEC)));
    assertThat(rules(plan)).containsExactly("tcp:80 from 0.0.0.0/0", "tcp:80 from ::/0",
        "tcp:8080 from 0.0.0.0/0", "tcp:8080 from ::/0");
  }

  @Test
  void inboundCidrsReplaceTheOpenRule() {
    assertThat(rules(plan(group(ingress("web", a("inbound-cidrs", "10.0.0.0/8"), BASE_SPEC))))).containsExactly("tcp:80 from 10.0.0.0/8");
    SecurityGroupPlan dualstack = plan(group(ingress("web", a("ip-address-type", "dualstack",
        "inbound-cidrs", "10.0.0.0/8, 2001:db8::/32"), BASE_SPEC)));
    assertThat(rules(dualstack)).containsExactly("tcp:80 from 10.0.0.0/8", "tcp:80 from 2001:db8::/32");
  }

  @Test
  void prefixListsAloneCloseTheDefaultCidrs() {
    SecurityGroupPlan plan = plan(group(ingress("web", a("security-group-prefix-lists", "pl-0123456789abcdef0"), BASE_SPEC)));
    assertThat(plan.frontend().get().ingress()).containsExactly(
        Permission.tcp(80, Permission.Peer.PREFIX_LIST, "pl-0123456789abcdef0"));
  }

  @Test
  void perPortTheFirstMemberOnThatPortDecides() {
    IngressGroup g = group(
        ingress("web", a("group.name", "front", "inbound-cidrs", "10.0.0.0/8"), BASE_SPEC),
        ingress("api", a("group.name", "front", "listen-ports", "[{\"HTTP\": 8080}]"), API_SPEC));
    assertThat(rules(plan(g))).containsExactly("tcp:80 from 10.0.0.0/8", "tcp:8080 from 0.0.0.0/0");
  }

  @Test
  void userGroupsMeanNoManagedGroupAndNoBackendRulesUnlessAskedFor() {
    SecurityGroupPlan plain = plan(group(ingress("web", a("security-groups", "sg-0123456789abcdef0, web-sg"), BASE_SPEC)));
    assertThat(plain.managed()).isFalse();
    assertThat(plain.userGroups()).containsExactly("sg-0123456789abcdef0", "web-sg");
    assertThat(plain.manageBackendRules()).isFalse();
    assertThat(plain.backendPorts()).isEmpty();

    SecurityGroupPlan managed = plan(group(ingress("web", a("security-groups", "web-sg",
        "manage-backend-security-group-rules", "true"), BASE_SPEC)));
    assertThat(managed.manageBackendRules()).isTrue();
    assertThat(managed.backendPorts()).hasSize(1);
  }

  @Test
  void ipModeOpensThePodPortAndANumericHealthCheckPort() {
    SecurityGroupPlan plan = plan(group(ingress("web", a("target-type", "ip", "healthcheck-port", "9000"), BASE_SPEC)));
    assertThat(plan.backendPorts()).singleElement().satisfies(b -> {
      assertThat(b.ipMode()).isTrue();
      assertThat(b.ports()).containsExactly(8080, 9000);
    });
  }

  @Test
  void emptyStackHasNoPlan() {
    IngressGroup g = group(ingress("web", a("scheme", "bogus"), BASE_SPEC));
    Stack stack = StackFixtures.build(g, FACTS);
    assertThat(SecurityGroupPlanner.plan(stack, g, "prod")).isEmpty();
  }

  @Test
  void backendNameFollowsTheReference() {
    assertThat(SecurityGroupPlanner.backendName("my-cluster")).matches("k8s-traffic-mycluster-[0-9a-f]{10}");
  }
}
