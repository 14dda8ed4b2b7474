package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.match;
import static io.albingress.gateway.GatewayFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Transform;
import io.albingress.annotations.Transform.Rewrite;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteRewritesTest {

  private static HTTPRouteRule r(String filter) {
    return rule("filters: [{type: URLRewrite, urlRewrite: " + filter + "}]");
  }

  @Test
  void fullPathAndHostnameAreOneTransformEach() {
    var rule = r("{hostname: internal.example.com, path: {type: ReplaceFullPath, replaceFullPath: /v2/api}}");
    assertThat(RouteRewrites.of(rule, match("path: {type: PathPrefix, value: /api}"))).containsExactly(
        new Transform("url-rewrite", List.of(new Rewrite("^([^?]*)", "/v2/api"))),
        new Transform("host-header-rewrite", List.of(new Rewrite(".*", "internal.example.com"))));
  }

  /** Each row: the match's prefix, the replacement, a request path, what the Gateway API says it becomes. */
  @ParameterizedTest(name = "prefix {0} -> {1}: {2} becomes {3}")
  @CsvSource(delimiter = '|', value = {
      "/foo  | /bar  | /foo/x     | /bar/x",
      "/foo  | /bar  | /foo       | /bar",
      "/foo  | /bar/ | /foo/x     | /bar/x",
      "/foo/ | /bar  | /foo/x?q=1 | /bar/x?q=1",
      "/foo  | /     | /foo/x     | /x",
      "/foo  | /     | /foo       | /",
      "/     | /bar  | /x         | /bar/x",
      "/a.b  | /c    | /a.b/x     | /c/x",
  })
  void aPrefixIsReplacedAsTheGatewayApiSays(String prefix, String replacement, String request, String expected) {
    var rule = r("{path: {type: ReplacePrefixMatch, replacePrefixMatch: '" + replacement + "'}}");
    List<Transform> t = RouteRewrites.of(rule, match("path: {type: PathPrefix, value: '" + prefix + "'}"));
    Rewrite rw = t.get(0).rewrites().get(0);
    // ALB's regex replace: the first match of the regex is replaced
    assertThat(Pattern.compile(rw.regex()).matcher(request).replaceFirst(rw.replace())).isEqualTo(expected);
  }

  @Test
  void thePrefixIsMatchedLiterally() {
    assertThat(RouteRewrites.literal("/a.b(c)")).isEqualTo("/a\\.b\\(c\\)");
    var rule = r("{path: {type: ReplacePrefixMatch, replacePrefixMatch: /c}}");
    Rewrite rw = RouteRewrites.of(rule, match("path: {type: PathPrefix, value: /a.b}")).get(0).rewrites().get(0);
    assertThat(Pattern.compile(rw.regex()).matcher("/aXb/x").find()).isFalse();
  }

  @Test
  void slashReplacedBySlashNeedsNoTransform() {
    var rule = r("{path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}");
    assertThat(RouteRewrites.of(rule, match("path: {type: PathPrefix, value: /}"))).isEmpty();
    assertThat(RouteRewrites.of(rule, null)).isEmpty();
  }

  @Test
  void whatAlbCannotRewriteIsNamedWithItsField() {
    var prefixOnExact = rule("""
        matches: [{path: {type: Exact, value: /a}}]
        filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}}]
        """);
    assertThat(RouteMapping.unsupported(prefixOnExact, "spec.rules[0]")).containsExactly(
        "spec.rules[0].filters[0].urlRewrite.path.replacePrefixMatch: needs PathPrefix matches, but spec.rules[0].matches[0].path.type"
            + " is Exact; use ReplaceFullPath, or a PathPrefix match");
    var dollar = rule("filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /$1}}}]");
    assertThat(RouteMapping.unsupported(dollar, "spec.rules[0]")).singleElement().asString()
        .startsWith("spec.rules[0].filters[0].urlRewrite.path.replaceFullPath: /$1: cannot contain $");
    var both = rule("""
        filters:
        - {type: URLRewrite, urlRewrite: {hostname: a.example.com}}
        - {type: RequestRedirect, requestRedirect: {scheme: https}}
        """);
    assertThat(RouteMapping.unsupported(both, "spec.rules[0]")).singleElement().asString()
        .startsWith("spec.rules[0].filters: URLRewrite and RequestRedirect together");
    assertThat(RouteMapping.unsupported(rule("filters: [{type: URLRewrite, urlRewrite: {hostname: a.example.com}}]"), "spec.rules[0]"))
        .isEmpty();
  }
}
