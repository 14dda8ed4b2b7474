package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.FACTS;
import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.httpGateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Condition;
import io.albingress.annotations.TargetType;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.gateway.GatewayStackBuilder.ListenerState;
import io.albingress.model.ListenerRule;
import io.albingress.model.RuleAction;
import io.albingress.model.StackId;
import io.albingress.model.Tags;
import io.albingress.model.TargetGroup;
import io.albingress.stack.Names;
import io.albingress.annotations.Scheme;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayStackBuilderTest {
  static final StackId ID = StackId.gatewayOf("shop", "gw");

  static GatewayBuild build(Gateway gw, List<HTTPRoute> routes, Service... services) {
    return new GatewayStackBuilder().build(ID, new GatewayInputs(gw, routes, List.of(services), Map.of()), FACTS);
  }

  @Test
  void oneAlbOneListenerRulesInPrecedenceOrderAndOneTargetGroupPerRouteServicePort() {
    var web = route("web", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        hostnames: [shop.example.com]
        rules:
        - matches: [{path: {type: PathPrefix, value: /}}]
          backendRefs: [{name: web, port: 80}]
        - matches: [{path: {type: Exact, value: /checkout}}]
          backendRefs: [{name: web, port: 80, weight: 90}, {name: canary, port: 80, weight: 10}]
        """);
    GatewayBuild b = build(httpGateway(), List.of(web), service("web", ""), service("canary", ""));
    var stack = b.stack();
    assertThat(stack.members()).containsExactly("shop/gw", "shop/web");
    assertThat(stack.loadBalancer().name()).isEqualTo(Names.loadBalancer("prod", ID, Scheme.INTERNAL))
        .isNotEqualTo(Names.loadBalancer("prod", StackId.ingress("shop", "gw"), Scheme.INTERNAL));
    assertThat(stack.loadBalancer().subnetIds()).containsExactly("subnet-a", "subnet-b");
    assertThat(stack.loadBalancer().tags()).containsEntry(Tags.CLUSTER, "prod").containsEntry(Tags.GATEWAY_STACK, "shop/gw")
        .containsEntry(Tags.GATEWAY_RESOURCE, "LoadBalancer").containsEntry("team", "web").doesNotContainKey(Tags.STACK);
    assertThat(stack.listeners()).singleElement().satisfies(l -> {
      assertThat(l.port()).isEqualTo(80);
      assertThat(l.defaultAction()).isEqualTo(RuleAction.FixedResponse.NOT_FOUND);
    });
    assertThat(stack.rules()).extracting(ListenerRule::priority).containsExactly(1, 2);
    assertThat(stack.rules().get(0).conditions()).containsExactly(
        new Condition("host-header", Optional.empty(), List.of("shop.example.com")),
        new Condition("path-pattern", Optional.empty(), List.of("/checkout")));
    assertThat(stack.rules().get(1).conditions().get(1)).isEqualTo(new Condition("path-pattern", Optional.empty(), List.of("/*")));
    var forward = (RuleAction.Forward) stack.rules().get(0).action();
    assertThat(forward.targets()).extracting(RuleAction.WeightedTarget::weight).containsExactly(90, 10);
    assertThat(stack.targetGroups()).extracting(TargetGroup::resourceId)
        .containsExactly("shop/web:shop/web:80", "shop/web:shop/canary:80");
    TargetGroup tg = stack.targetGroups().get(0);
    assertThat(tg.targetType()).isEqualTo(TargetType.INSTANCE);
    assertThat(tg.port()).isEqualTo(30080);
    assertThat(tg.healthCheck().successCodes()).isEqualTo("200-399");
    assertThat(tg.healthCheck().healthyThreshold()).isEqualTo(3);
    assertThat(b.securityGroups()).isPresent();
    assertThat(b.securityGroups().get().frontend().get().tags()).containsEntry(Tags.GATEWAY_RESOURCE, "ManagedLBSecurityGroup");
    assertThat(b.routes()).singleElement().satisfies(r -> assertThat(r.unresolved()).isEmpty());
  }

  @Test
  void aMissingServiceMakesItsRuleAnswer500AndIsReportedOnTheRoute() {
    var r = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - backendRefs: [{name: gone, port: 80}]
        """);
    GatewayBuild b = build(httpGateway(), List.of(r));
    assertThat(b.stack().rules()).singleElement().satisfies(rule -> assertThat(rule.action()).isEqualTo(RouteMapping.BACKEND_UNAVAILABLE));
    assertThat(b.stack().targetGroups()).isEmpty();
    assertThat(b.routes().get(0).unresolved().get().reason()).isEqualTo("BackendNotFound");
  }

  @Test
  void ipTargetsByServiceAnnotationAndAClusterIpServiceInInstanceModeIsNotResolved() {
    var r = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {value: /a}}]
          backendRefs: [{name: ip, port: 80}]
        - matches: [{path: {value: /b}}]
          backendRefs: [{name: cip, port: 80}]
        """);
    Service ip = service("ip", ", annotations: {alb.ingress.kubernetes.io/target-type: ip}");
    Service cip = GatewayFixtures.yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: cip, namespace: shop}
        spec: {ports: [{port: 80, targetPort: 8080}]}
        """, Service.class);
    GatewayBuild b = build(httpGateway(), List.of(r), ip, cip);
    assertThat(b.stack().targetGroups()).singleElement().satisfies(tg -> {
      assertThat(tg.targetType()).isEqualTo(TargetType.IP);
      assertThat(tg.port()).isEqualTo(8080);
    });
    assertThat(b.routes().get(0).unresolved().get().message()).contains("no NodePort", "target-type");
  }

  @Test
  void aRouteAlbCannotServeIsLeftOutWhileTheOthersKeepWorking() {
    var bad = route("bad", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: web, port: 80}}}]
          backendRefs: [{name: web, port: 80}]
        """);
    var good = route("good", "2025-01-02T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
        """);
    GatewayBuild b = build(httpGateway(), List.of(bad, good), service("web", ""));
    assertThat(b.stack().members()).containsExactly("shop/gw", "shop/good");
    assertThat(b.stack().rules()).singleElement().satisfies(r -> assertThat(r.action())
        .isEqualTo(new RuleAction.Redirect("HTTP_302", "HTTPS", "443", "#{host}", "/#{path}", "#{query}")));
    assertThat(b.stack().errors()).singleElement().satisfies(e -> assertThat(e.ingress()).isEqualTo("shop/bad"));
    assertThat(b.listeners().get(0).attachedRoutes()).isEqualTo(1);
  }

  @Test
  void aUrlRewriteBecomesTheTransformsOfEachMatchsRule() {
    var r = route("rw", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /old}}]
          filters: [{type: URLRewrite, urlRewrite: {hostname: api.internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}]
          backendRefs: [{name: web, port: 80}]
        """);
    GatewayBuild b = build(httpGateway(), List.of(r), service("web", ""));
    assertThat(b.stack().errors()).isEmpty();
    assertThat(b.stack().rules()).singleElement().satisfies(rule -> assertThat(rule.transforms()).containsExactly(
        new io.albingress.annotations.Transform("url-rewrite", List.of(new io.albingress.annotations.Transform.Rewrite("^/old", "/new"))),
        new io.albingress.annotations.Transform("host-header-rewrite",
            List.of(new io.albingress.annotations.Transform.Rewrite(".*", "api.internal")))));
  }

  @Test
  void listenerConflictsAreReportedPerListenerAndTheOthersAreBuilt() {
    var gw = gateway("""
        - {name: a, port: 80, protocol: HTTP}
        - {name: b, port: 80, protocol: HTTP}
        - {name: c, port: 8443, protocol: HTTP}
        - {name: d, port: 8443, protocol: HTTPS, hostname: a.example.com}
        - {name: e, port: 53, protocol: UDP}
        - {name: f, port: 443, protocol: HTTPS, hostname: api.example.com}
        - {name: g, port: 444, protocol: HTTPS, hostname: api.other.org}
        """);
    GatewayBuild b = build(gw, List.of());
    Map<String, ListenerState> l = new java.util.HashMap<>();
    b.listeners().forEach(x -> l.put(x.name(), x));
    assertThat(l.get("a").valid()).isTrue();
    assertThat(l.get("b").conflicted().get().reason()).isEqualTo("HostnameConflict");
    assertThat(l.get("c").conflicted().get().reason()).isEqualTo("ProtocolConflict");
    assertThat(l.get("d").conflicted().get().reason()).isEqualTo("ProtocolConflict");
    assertThat(l.get("e").notAccepted().get().reason()).isEqualTo("UnsupportedProtocol");
    assertThat(l.get("f").notProgrammed()).isEmpty();
    assertThat(l.get("g").notProgrammed().get().message()).contains("no ISSUED ACM certificate covers api.other.org");
    assertThat(b.stack().listeners()).extracting(x -> x.port()).containsExactly(80, 443);
    assertThat(b.stack().listeners().get(1).certificateArns()).containsExactly(GatewayFixtures.CERT);
  }

  @Test
  void ruleLimitIsCheckedBeforeAnyAwsCall() {
    GatewayBuild b = build(httpGateway(), List.of(route("a", "2025-01-01T00:00:00Z", exactRules(0, 51)),
        route("b", "2025-01-01T00:00:01Z", exactRules(51, 50))), service("web", ""));
    assertThat(b.stack().listeners()).isEmpty();
    assertThat(b.listeners().get(0).notProgrammed().get().message()).contains("101 rules", "100");
    assertThat(b.notProgrammed()).isPresent();
  }

  @Test
  void aRouteOverTheRuleLimitOnItsOwnIsRefusedAndTheOthersKeepWorking() {
    HTTPRoute many = route("many", "2025-01-01T00:00:00Z", exactRules(0, 101));
    GatewayBuild b = build(httpGateway(), List.of(many, route("ok", "2025-01-01T00:00:01Z", exactRules(200, 1))), service("web", ""));
    assertThat(b.stack().listeners()).hasSize(1);
    assertThat(b.stack().rules()).hasSize(1);
    assertThat(b.routes().get(0).unsupported()).singleElement().asString().contains("spec.rules", "at least 101 ALB rules", "100");
    assertThat(GatewayStackBuilder.routeProblems(many)).isEqualTo(b.routes().get(0).unsupported());
  }

  static String exactRules(int from, int n) {
    StringBuilder rules = new StringBuilder("parentRefs: [{name: gw}]\nrules:\n");
    for (int i = from; i < from + n; i++) {
      rules.append("- matches: [{path: {type: Exact, value: /p").append(i).append("}}]\n  backendRefs: [{name: web, port: 80}]\n");
    }
    return rules.toString();
  }

  @Test
  void eachHostnameIsItsOwnRuleAndTheBuildIsDeterministic() {
    var r = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        hostnames: ["*.example.com", a.example.com]
        rules:
        - matches: [{path: {value: /}}, {path: {type: Exact, value: /x}}]
          backendRefs: [{name: web, port: 80}]
        """);
    GatewayBuild b = build(httpGateway(), List.of(r), service("web", ""));
    assertThat(b.stack().rules()).extracting(ListenerRule::source).containsExactly(
        "shop/r spec.rules[0].matches[1] a.example.com", "shop/r spec.rules[0].matches[0] a.example.com",
        "shop/r spec.rules[0].matches[1] *.example.com", "shop/r spec.rules[0].matches[0] *.example.com");
    assertThat(build(httpGateway(), List.of(r), service("web", "")).stack()).isEqualTo(b.stack());
  }

  @Test
  void aServiceOfAnotherNamespaceNeedsAReferenceGrantThere() {
    var r = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{name: api, namespace: backend, port: 80}]}]
        """);
    Service api = GatewayFixtures.yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: backend}
        spec: {type: NodePort, ports: [{port: 80, nodePort: 30090}]}
        """, Service.class);
    java.util.function.Function<String, io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant> grant = to -> GatewayFixtures.yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: ReferenceGrant
        metadata: {name: g, namespace: backend}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
          to: [%s]
        """.formatted(to), io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant.class);
    var none = new GatewayStackBuilder().build(ID, new GatewayInputs(httpGateway(), List.of(r), List.of(api), Map.of()), FACTS);
    assertThat(none.routes().get(0).unresolved().get().reason()).isEqualTo("RefNotPermitted");
    assertThat(none.stack().rules().get(0).action()).isEqualTo(RouteMapping.BACKEND_UNAVAILABLE);
    var other = new GatewayStackBuilder().build(ID, new GatewayInputs(httpGateway(), List.of(r), List.of(api), Map.of(),
        List.of(grant.apply("{group: '', kind: Service, name: other}"))), FACTS);
    assertThat(other.routes().get(0).unresolved().get().reason()).isEqualTo("RefNotPermitted");
    var granted = new GatewayStackBuilder().build(ID, new GatewayInputs(httpGateway(), List.of(r), List.of(api), Map.of(),
        List.of(grant.apply("{group: '', kind: Service, name: api}"))), FACTS);
    assertThat(granted.routes().get(0).unresolved()).isEmpty();
    assertThat(granted.stack().targetGroups()).singleElement().satisfies(tg -> {
      assertThat(tg.service().namespace()).isEqualTo("backend");
      assertThat(tg.port()).isEqualTo(30090);
    });
  }
}
