package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.match;
import static io.albingress.gateway.GatewayFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Condition;
import io.albingress.model.RuleAction;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteMappingTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "PathPrefix | /         | /*",
      "PathPrefix | /shop     | /shop,/shop/*",
      "PathPrefix | /shop/    | /shop,/shop/*",
      "Exact      | /shop     | /shop",
      "Exact      | /         | /",
  })
  void pathsAsTheReferenceMapsThem(String type, String value, String patterns) {
    List<Condition> c = RouteMapping.conditions(Optional.empty(), match("path: {type: " + type + ", value: '" + value + "'}"));
    assertThat(c).containsExactly(new Condition("path-pattern", Optional.empty(), List.of(patterns.split(","))));
  }

  @Test
  void regexPathsAreRegexValues() {
    assertThat(RouteMapping.conditions(Optional.empty(), match("path: {type: RegularExpression, value: '^/api/v[0-9]+'}")))
        .containsExactly(new Condition("path-pattern", Optional.empty(), List.of(), List.of("^/api/v[0-9]+")));
  }

  @Test
  void hostnameHeadersQueryAndMethodInTheReferenceOrder() {
    List<Condition> c = RouteMapping.conditions(Optional.of("a.example.com"), match("""
        path: {type: Exact, value: /x}
        headers: [{name: x-env, value: 'canary,beta\\,1'}, {type: RegularExpression, name: x-id, value: '^[0-9]+$'}]
        queryParams: [{name: v, value: '2'}]
        method: POST
        """));
    assertThat(c).containsExactly(
        new Condition("host-header", Optional.empty(), List.of("a.example.com")),
        new Condition("path-pattern", Optional.empty(), List.of("/x")),
        new Condition("http-header", Optional.of("x-env"), List.of("canary", "beta,1")),
        new Condition("http-header", Optional.of("x-id"), List.of(), List.of("^[0-9]+$")),
        new Condition("query-string", Optional.empty(), List.of("v=2")),
        new Condition("http-request-method", Optional.empty(), List.of("POST")));
  }

  @Test
  void aRuleWithoutMatchOrHostnameMatchesEveryPath() {
    assertThat(RouteMapping.conditions(Optional.of(""), null)).containsExactly(new Condition("path-pattern", Optional.empty(), List.of("/*")));
    assertThat(RouteMapping.conditions(Optional.of("a.example.com"), null))
        .containsExactly(new Condition("host-header", Optional.empty(), List.of("a.example.com")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{scheme: https}                                   | HTTP_302 | HTTPS      | 443     | #{host}  | /#{path}",
      "{scheme: http, port: 8080, statusCode: 301}       | HTTP_301 | HTTP       | 8080    | #{host}  | /#{path}",
      "{hostname: b.example.com}                         | HTTP_302 | #{protocol} | #{port} | b.example.com | /#{path}",
      "{path: {type: ReplaceFullPath, replaceFullPath: /new}} | HTTP_302 | #{protocol} | #{port} | #{host} | /new",
  })
  void redirects(String filter, String status, String protocol, String port, String host, String path) {
    var r = RouteMapping.redirect(rule("filters: [{type: RequestRedirect, requestRedirect: " + filter + "}]"));
    assertThat(r).contains(new RuleAction.Redirect(status, protocol, port, host, path, "#{query}"));
  }

  @Test
  void whatAlbCannotDoIsNamedWithItsField() {
    List<String> problems = RouteMapping.unsupported(rule("""
        matches: [{path: {type: PathPrefix, value: /a*}}]
        filters:
        - {type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x, value: y}]}}
        - {type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}
        backendRefs: [{name: web, port: 80, weight: 1000}]
        timeouts: {request: 10s}
        """), "spec.rules[0]");
    assertThat(problems).hasSize(5);
    assertThat(problems.get(0)).contains("spec.rules[0].filters[0]", "RequestHeaderModifier");
    assertThat(problems.get(1)).contains("spec.rules[0].filters[1].requestRedirect", "replacePrefixMatch");
    assertThat(problems.get(2)).contains("spec.rules[0].matches[0].path.value", "/a*");
    assertThat(problems.get(3)).contains("spec.rules[0].backendRefs[0].weight", "1000", "999");
    assertThat(problems.get(4)).contains("spec.rules[0].timeouts");
    assertThat(RouteMapping.unsupported(rule("backendRefs: [{name: web, port: 80, weight: 999}]"), "r")).isEmpty();
  }
}
