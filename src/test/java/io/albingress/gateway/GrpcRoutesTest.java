package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.FACTS;
import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static io.albingress.gateway.GatewayFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Condition;
import io.albingress.annotations.ProtocolVersion;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.model.ListenerRule;
import io.albingress.model.RuleAction;
import io.albingress.model.StackId;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GRPCRoutes through the one Gateway pipeline: mapping, precedence with HTTPRoutes, target groups, status and admission. */
class GrpcRoutesTest {
  static final StackId ID = StackId.gatewayOf("shop", "gw");

  static GRPCRoute grpc(String name, String created, String spec) {
    return yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: %s, namespace: shop, generation: 3, creationTimestamp: "%s", uid: u-%s}
        spec:
        """.formatted(name, created, name) + spec.indent(2), GRPCRoute.class);
  }

  static GRPCRouteMatch m(String yaml) {
    return yaml(yaml, GRPCRouteMatch.class);
  }

  static Gateway httpsGateway() {
    return gateway("- {name: https, port: 443, protocol: HTTPS, hostname: api.example.com}\n");
  }

  static GatewayBuild build(Gateway gw, List<HTTPRoute> routes, List<ReferenceGrant> grants, Service... services) {
    return new GatewayStackBuilder().build(ID, new GatewayInputs(gw, routes, List.of(services), Map.of(), grants), FACTS);
  }

  static Condition path(String... values) {
    return new Condition("path-pattern", Optional.empty(), List.of(values));
  }

  @Test
  void methodMatchesArePathPatternsAsTheReferenceMapsThem() {
    Optional<String> none = Optional.empty();
    assertThat(GrpcRoutes.conditions(none, m("method: {service: shop.Cart, method: Add}"))).containsExactly(path("/shop.Cart/Add"));
    assertThat(GrpcRoutes.conditions(none, m("method: {type: Exact, service: shop.Cart}"))).containsExactly(path("/shop.Cart/*"));
    assertThat(GrpcRoutes.conditions(none, m("method: {type: Exact, method: Add}"))).containsExactly(path("/*/Add"));
    assertThat(GrpcRoutes.conditions(none, m("headers: [{name: x-env, value: canary}]"))).containsExactly(path("/*"),
        new Condition("http-header", Optional.of("x-env"), List.of("canary")));
    assertThat(GrpcRoutes.conditions(none, null)).containsExactly(path("/*"));
    // beyond the reference: a regex is an anchored regex path pattern, not a wildcard pattern
    assertThat(GrpcRoutes.conditions(none, m("method: {type: RegularExpression, service: 'shop\\.(Cart|Order)', method: 'Get.*'}")))
        .containsExactly(new Condition("path-pattern", Optional.empty(), List.of(), List.of("^/(shop\\.(Cart|Order))/(Get.*)$")));
    assertThat(GrpcRoutes.conditions(none, m("method: {type: RegularExpression, method: 'Get.*'}")))
        .containsExactly(new Condition("path-pattern", Optional.empty(), List.of(), List.of("^/[^/]+/(Get.*)$")));
    // hostnames become host-header; regex headers regex values, others split on unescaped commas as the reference
    assertThat(GrpcRoutes.conditions(Optional.of("api.example.com"), m("""
        method: {service: s, method: m}
        headers: [{name: a, type: RegularExpression, value: 'v[0-9]+'}, {name: b, value: 'x,y'}]
        """))).containsExactly(new Condition("host-header", Optional.empty(), List.of("api.example.com")), path("/s/m"),
        new Condition("http-header", Optional.of("a"), List.of(), List.of("v[0-9]+")),
        new Condition("http-header", Optional.of("b"), List.of("x", "y")));
  }

  @Test
  void grpcMatchesOrderByServiceLengthThenMethodLengthAsTheReference() {
    HTTPRoute r = GrpcRoutes.view(grpc("g", "2025-01-01T00:00:00Z", "rules: []"));
    List<Precedence.Candidate> table = List.of(
        c(r, 0, "method: {service: shop.Carts, method: A}"),         // longer service first, whatever the method
        c(r, 1, "method: {service: shop.Cart, method: AddItem}"),    // same service length: longer method first
        c(r, 2, "method: {service: shop.Cart, method: Add}"),
        c(r, 3, "method: {service: shop.Cart}"),
        c(r, 4, "{method: {service: shop.Cart, method: Add, type: RegularExpression}, headers: [{name: a, value: b}]}"), // Exact > regex
        c(r, 5, "headers: [{name: a, value: b}]"),                 // no method last, more headers first
        c(r, 6, "headers: []"));
    Random random = new Random(21);
    for (int i = 0; i < 20; i++) {
      List<Precedence.Candidate> shuffled = new ArrayList<>(table);
      Collections.shuffle(shuffled, random);
      shuffled.sort(Precedence.ORDER);
      assertThat(shuffled).containsExactlyElementsOf(table);
    }
  }

  static Precedence.Candidate c(HTTPRoute view, int rule, String match) {
    return new Precedence.Candidate("", view, rule, 0, GrpcRoutesTest.match(match));
  }

  static io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch match(String yaml) {
    // a gRPC match as the view carries it
    GRPCRoute g = grpc("x", "2025-01-01T00:00:00Z", "rules: [{matches: [" + (yaml.startsWith("{") ? yaml : "{" + yaml + "}") + "]}]");
    return GrpcRoutes.view(g).getSpec().getRules().get(0).getMatches().get(0);
  }

  @Test
  void httpAndGrpcRoutesShareOneOrderingOnTheListenerAndGrpcTargetGroupsUseProtocolVersionGrpc() {
    var web = route("web", "2024-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /}}]
          backendRefs: [{name: web, port: 80}]
        - matches: [{path: {type: Exact, value: /shop.Cart/Add}}]
          backendRefs: [{name: web, port: 80}]
        """);
    var cart = grpc("cart", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{method: {service: shop.Cart, method: Add}}, {method: {service: shop.Cart}}]
          backendRefs: [{name: cart, port: 80, weight: 3}, {name: web, port: 80, weight: 1}]
        """);
    GatewayBuild b = build(httpsGateway(), List.of(web, GrpcRoutes.view(cart)), List.of(), service("web", ""), service("cart", ""));
    List<ListenerRule> rules = b.stack().rules();
    // Exact /shop.Cart/Add of both kinds (the older HTTPRoute first), then the gRPC service (Exact), then the HTTP prefix
    assertThat(rules).extracting(ListenerRule::source).containsExactly(
        "shop/web spec.rules[1].matches[0] api.example.com",
        "GRPCRoute/shop/cart spec.rules[0].matches[0] api.example.com",
        "GRPCRoute/shop/cart spec.rules[0].matches[1] api.example.com",
        "shop/web spec.rules[0].matches[0] api.example.com");
    assertThat(rules.get(1).conditions()).containsExactly(new Condition("host-header", Optional.empty(), List.of("api.example.com")),
        path("/shop.Cart/Add"));
    assertThat(rules.get(2).conditions().get(1)).isEqualTo(path("/shop.Cart/*"));
    var forward = (RuleAction.Forward) rules.get(1).action();
    assertThat(forward.targets()).extracting(RuleAction.WeightedTarget::weight).containsExactly(3, 1);
    TargetGroup grpcTg = b.stack().targetGroups().stream().filter(t -> t.resourceId().equals("GRPCRoute/shop/cart:shop/cart:80"))
        .findFirst().orElseThrow();
    assertThat(grpcTg.protocolVersion()).isEqualTo(ProtocolVersion.GRPC);
    assertThat(grpcTg.healthCheck().path()).isEqualTo("/AWS.ALB/healthcheck");
    assertThat(grpcTg.healthCheck().successCodes()).isEqualTo("12");
    assertThat(grpcTg.healthCheck().healthyThreshold()).isEqualTo(3);
    // the same Service from the HTTPRoute is another target group, HTTP1 with the HTTP defaults
    TargetGroup httpTg = b.stack().targetGroups().stream().filter(t -> t.resourceId().equals("shop/web:shop/web:80")).findFirst().orElseThrow();
    assertThat(httpTg.protocolVersion()).isEqualTo(ProtocolVersion.HTTP1);
    assertThat(httpTg.healthCheck().successCodes()).isEqualTo("200-399");
    assertThat(b.stack().targetGroups()).extracting(TargetGroup::resourceId).contains("GRPCRoute/shop/cart:shop/web:80");
    assertThat(b.stack().members()).containsExactly("shop/gw", "shop/web", "GRPCRoute/shop/cart");
    assertThat(b.listeners()).singleElement().satisfies(l -> assertThat(l.attachedRoutes()).isEqualTo(2));
  }

  @Test
  void anHttpListenerTakesGrpcRoutesOnlyWhenItsKindsNameThemAndThenWithHttp1TargetGroups() {
    var cart = grpc("cart", "2025-01-01T00:00:00Z", "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: cart, port: 80}]}]\n");
    GatewayBuild plain = build(gateway("- {name: http, port: 80, protocol: HTTP}\n"), List.of(GrpcRoutes.view(cart)), List.of(),
        service("cart", ""));
    assertThat(plain.routes()).singleElement().satisfies(r -> assertThat(r.parents().get(0).refusal()).hasValueSatisfying(x -> {
      assertThat(x.reason()).isEqualTo("NotAllowedByListeners");
      assertThat(x.message()).contains("allows GRPCRoutes from namespace shop");
    }));
    GatewayBuild kinds = build(gateway("""
        - {name: http, port: 80, protocol: HTTP, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}
        """), List.of(GrpcRoutes.view(cart), route("web", "2024-01-01T00:00:00Z",
        "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: cart, port: 80}]}]\n")), List.of(), service("cart", ""));
    assertThat(kinds.routes()).filteredOn(r -> GrpcRoutes.isGrpc(r.route())).singleElement().satisfies(r -> assertThat(r.attached()).isTrue());
    assertThat(kinds.routes()).filteredOn(r -> !GrpcRoutes.isGrpc(r.route())).singleElement()
        .satisfies(r -> assertThat(r.attached()).isFalse());
    assertThat(kinds.stack().targetGroups()).singleElement().satisfies(t -> {
      assertThat(t.resourceId()).isEqualTo("GRPCRoute/shop/cart:shop/cart:80:HTTP1");
      assertThat(t.protocolVersion()).isEqualTo(ProtocolVersion.HTTP1);
    });
  }

  @Test
  void aServiceOfAnotherNamespaceNeedsAGrantFromGrpcRoutes() {
    var cart = grpc("cart", "2025-01-01T00:00:00Z", "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: cart, namespace: back, port: 80}]}]\n");
    Service svc = yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: cart, namespace: back}
        spec: {type: NodePort, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}
        """, Service.class);
    ReferenceGrant forHttp = grant("HTTPRoute");
    GatewayBuild denied = build(httpsGateway(), List.of(GrpcRoutes.view(cart)), List.of(forHttp), svc);
    assertThat(denied.routes().get(0).unresolved()).hasValueSatisfying(u -> {
      assertThat(u.reason()).isEqualTo("RefNotPermitted");
      assertThat(u.message()).contains("allows GRPCRoutes from namespace shop");
    });
    GatewayBuild granted = build(httpsGateway(), List.of(GrpcRoutes.view(cart)), List.of(grant("GRPCRoute")), svc);
    assertThat(granted.routes().get(0).unresolved()).isEmpty();
  }

  static ReferenceGrant grant(String kind) {
    return yaml("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: back}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: %s, namespace: shop}]
          to: [{group: "", kind: Service}]
        """.formatted(kind), ReferenceGrant.class);
  }

  @Test
  void whatAlbCannotDoIsRefusedOnThatRouteNamingFieldValueAndFix() {
    var bad = grpc("bad", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x, value: y}]}}]
          backendRefs: [{name: cart, port: 80, weight: 1000}]
          sessionPersistence: {sessionName: s}
        """);
    assertThat(GrpcRoutes.problems(bad)).containsExactly(
        "spec.rules[0].filters[0].type: RequestHeaderModifier is not supported on ALB for GRPCRoutes; remove the filter"
            + " (only ExtensionRef to a ListenerRuleConfiguration is; header modifiers and mirrors have no ALB rule action)",
        "spec.rules[0].backendRefs[0].weight: 1000 is over ALB's maximum of 999; scale the weights of this rule down to 0..999",
        "spec.rules[0].sessionPersistence: not supported yet (it would be target group stickiness); remove it");
    assertThat(GatewayAdmissionChecks.grpcRoute(bad).denials()).hasSize(3);
    assertThat(GatewayStackBuilder.routeProblems(GrpcRoutes.view(bad))).hasSize(3);
    var good = grpc("good", "2025-01-01T00:00:00Z", "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: cart, port: 80}]}]\n");
    GatewayBuild b = build(httpsGateway(), List.of(GrpcRoutes.view(bad), GrpcRoutes.view(good)), List.of(), service("cart", ""));
    assertThat(b.stack().rules()).extracting(ListenerRule::source).containsExactly("GRPCRoute/shop/good spec.rules[0] api.example.com");
    assertThat(b.stack().errors()).singleElement().satisfies(e -> assertThat(e.ingress()).isEqualTo("GRPCRoute/shop/bad"));

    StringBuilder many = new StringBuilder("parentRefs: [{name: gw}]\nrules:\n");
    for (int i = 0; i < 101; i++) {
      many.append("- matches: [{method: {service: s, method: m").append(i).append("}}]\n");
    }
    assertThat(GrpcRoutes.problems(grpc("many", "2025-01-01T00:00:00Z", many.toString())))
        .singleElement().satisfies(p -> assertThat(p).startsWith("spec.rules: 101 rules with their matches need at least 101 ALB rules"));
  }

  @Test
  void statusParentsAreWrittenAsForHttpRoutesKeepingOtherControllersEntries() {
    var cart = grpc("cart", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{name: cart, port: 80}]}]
        """);
    RouteParentStatus theirs = new RouteParentStatus();
    theirs.setControllerName("example.com/other");
    theirs.setParentRef(yaml("name: other", io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference.class));
    var st = new io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteStatus();
    st.setParents(List.of(theirs));
    cart.setStatus(st);
    GatewayBuild b = build(httpsGateway(), List.of(GrpcRoutes.view(cart)), List.of());
    var state = b.routes().get(0);
    assertThat(((GrpcRoutes.View) state.route()).source()).isSameAs(cart);
    List<RouteParentStatus> parents = GatewayStatuses.routeParents(state, httpsGateway(), "2025-01-02T00:00:00Z");
    assertThat(parents).hasSize(2);
    assertThat(parents.get(0)).isEqualTo(theirs);
    RouteParentStatus ours = parents.get(1);
    assertThat(ours.getControllerName()).isEqualTo(GatewayStatuses.CONTROLLER_NAME);
    assertThat(ours.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus() + ":" + c.getReason())
        .containsExactly("Accepted=True:Accepted", "ResolvedRefs=False:BackendNotFound");
    assertThat(ours.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
    assertThat(GatewayStatuses.withoutGateway(GrpcRoutes.view(cart), httpsGateway())).containsExactly(theirs);

    var status = GatewayStatuses.gateway(httpsGateway(), b, GatewayStatuses.Deployed.ok("dns"), "2025-01-02T00:00:00Z");
    assertThat(status.getListeners().get(0).getSupportedKinds()).extracting(k -> k.getKind()).containsExactly("HTTPRoute", "GRPCRoute");
  }
}
