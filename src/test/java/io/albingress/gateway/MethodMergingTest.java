package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.FACTS;
import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.httpGateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Condition;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.model.ListenerRule;
import io.albingress.model.StackId;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Beyond the reference: matches of one route rule differing only in method share one ALB rule, without moving any other rule. */
class MethodMergingTest {
  static GatewayBuild build(Gateway gw, HTTPRoute... routes) {
    return new GatewayStackBuilder().build(StackId.gatewayOf("shop", "gw"), new GatewayInputs(gw, List.of(routes),
        List.of(service("web", ""), service("api", "")), Map.of()), FACTS);
  }

  static Condition methods(String... m) {
    return new Condition("http-request-method", Optional.empty(), List.of(m));
  }

  static Condition path(String... v) {
    return new Condition("path-pattern", Optional.empty(), List.of(v));
  }

  @Test
  void matchesDifferingOnlyInMethodShareOneRuleWithEveryMethod() {
    var r = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches:
          - {path: {type: PathPrefix, value: /a}, method: GET}
          - {path: {type: PathPrefix, value: /a}, method: POST}
          - {path: {type: PathPrefix, value: /b}, method: GET}
          - {path: {type: PathPrefix, value: /a}, method: PUT}
          backendRefs: [{name: web, port: 80}]
        """);
    List<ListenerRule> rules = build(httpGateway(), r).stack().rules();
    assertThat(rules).extracting(ListenerRule::source).containsExactly("shop/r spec.rules[0].matches[0,1,3]", "shop/r spec.rules[0].matches[2]");
    assertThat(rules.get(0).conditions()).containsExactly(path("/a", "/a/*"), methods("GET", "POST", "PUT"));
    assertThat(rules.get(1).conditions()).containsExactly(path("/b", "/b/*"), methods("GET"));
    assertThat(rules).extracting(ListenerRule::priority).containsExactly(1, 2);
    assertThat(GatewayStackBuilder.fewestRules(r)).isEqualTo(2);
  }

  @Test
  void aMergedRuleStaysWithinFiveConditionValues() {
    var r = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        hostnames: [shop.example.com]
        rules:
        - matches:
          - {path: {type: PathPrefix, value: /a}, method: GET}
          - {path: {type: PathPrefix, value: /a}, method: POST}
          - {path: {type: PathPrefix, value: /a}, method: PUT}
          backendRefs: [{name: web, port: 80}]
        """);
    // host (1) + prefix (2) + methods: two fit, the third starts another rule
    List<ListenerRule> rules = build(httpGateway(), r).stack().rules();
    assertThat(rules).extracting(ListenerRule::source)
        .containsExactly("shop/r spec.rules[0].matches[0,1] shop.example.com", "shop/r spec.rules[0].matches[2] shop.example.com");
    assertThat(rules.get(0).conditions()).last().isEqualTo(methods("GET", "POST"));
    assertThat(rules).allSatisfy(x -> assertThat(x.conditions().stream().mapToInt(c -> c.values().size() + c.regexValues().size()).sum())
        .isLessThanOrEqualTo(MethodMerging.MAX_CONDITION_VALUES));
  }

  @Test
  void differentRulesRoutesHeadersOrAMissingMethodAreNeverMerged() {
    var r = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: Exact, value: /a}, method: GET}]
          backendRefs: [{name: web, port: 80}]
        - matches: [{path: {type: Exact, value: /a}, method: POST}]
          backendRefs: [{name: api, port: 80}]
        - matches:
          - {path: {type: Exact, value: /b}, method: GET}
          - {path: {type: Exact, value: /b}, method: POST, headers: [{name: x, value: '1'}]}
          - {path: {type: Exact, value: /b}}
          backendRefs: [{name: web, port: 80}]
        """);
    var other = route("other", "2025-01-02T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: Exact, value: /a}, method: PUT}]
          backendRefs: [{name: web, port: 80}]
        """);
    List<ListenerRule> rules = build(httpGateway(), r, other).stack().rules();
    assertThat(rules).hasSize(6).allSatisfy(x -> assertThat(x.conditions()).noneMatch(c -> c.values().size() > 1
        && c.field().equals("http-request-method")));
  }

  @Test
  void precedenceIsKeptAroundAMergedRule() {
    var old = route("old", "2024-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches:
          - {path: {type: PathPrefix, value: /p}, method: GET}
          - {path: {type: PathPrefix, value: /p}, method: POST}
          backendRefs: [{name: web, port: 80}]
        """);
    var newer = route("new", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches:
          - {path: {type: PathPrefix, value: /p}, method: GET, headers: [{name: x, value: '1'}]}
          - {path: {type: PathPrefix, value: /p}, method: DELETE}
          - {path: {type: PathPrefix, value: /p}}
          backendRefs: [{name: api, port: 80}]
        """);
    List<ListenerRule> rules = build(httpGateway(), old, newer).stack().rules();
    // more headers first; then the older route's merged GET/POST before the newer route's DELETE; no method last
    assertThat(rules).extracting(ListenerRule::source).containsExactly("shop/new spec.rules[0].matches[0]", "shop/old spec.rules[0].matches[0,1]",
        "shop/new spec.rules[0].matches[1]", "shop/new spec.rules[0].matches[2]");
    assertThat(rules.get(1).conditions()).containsExactly(path("/p", "/p/*"), methods("GET", "POST"));
  }

  @Test
  void eachHostnameGetsItsOwnMergedRuleAndGrpcMatchesAreLeftAlone() {
    var r = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        hostnames: [a.example.com, b.example.com]
        rules:
        - matches:
          - {path: {type: Exact, value: /x}, method: GET}
          - {path: {type: Exact, value: /x}, method: HEAD}
          backendRefs: [{name: web, port: 80}]
        """);
    var g = GrpcRoutes.view(GrpcRoutesTest.grpc("g", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules: [{matches: [{method: {service: s, method: a}}, {method: {service: s, method: b}}], backendRefs: [{name: web, port: 80}]}]
        """));
    Gateway https = gateway("- {name: https, port: 443, protocol: HTTPS}\n");
    List<ListenerRule> rules = build(https, r, g).stack().rules();
    assertThat(rules).extracting(ListenerRule::source).containsExactlyInAnyOrder("shop/r spec.rules[0].matches[0,1] a.example.com",
        "shop/r spec.rules[0].matches[0,1] b.example.com", "GRPCRoute/shop/g spec.rules[0].matches[0]",
        "GRPCRoute/shop/g spec.rules[0].matches[1]");
  }
}
