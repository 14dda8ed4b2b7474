package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.match;
import static io.albingress.gateway.GatewayFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order the Gateway API spec (HTTPRouteRule, "Precedence") gives, written out as a table, most specific first. */
class PrecedenceTest {
  static final HTTPRoute OLD = route("old", "2024-01-01T00:00:00Z", "rules: []");
  static final HTTPRoute NEW = route("new", "2025-01-01T00:00:00Z", "rules: []");
  static final HTTPRoute NEW_B = route("b-new", "2025-01-01T00:00:00Z", "rules: []");

  static final List<Precedence.Candidate> TABLE = List.of(
      c("a.b.example.com", OLD, 0, 0, "path: {type: PathPrefix, value: /}"),          // more labels first
      c("api.example.com", OLD, 0, 0, "path: {type: PathPrefix, value: /}"),          // longer host of equal labels
      c("a.example.com", OLD, 0, 0, "path: {type: PathPrefix, value: /}"),
      c("*.example.com", OLD, 0, 0, "path: {type: Exact, value: /very/long/path}"),   // wildcard after every concrete host
      c("", OLD, 0, 0, "path: {type: Exact, value: /a}"),                             // no host last of all hosts
      c("", OLD, 0, 0, "path: {type: PathPrefix, value: /longer/prefix}"),            // Exact > Prefix, whatever the length
      c("", OLD, 0, 0, "path: {type: PathPrefix, value: /p}"),                        // longer prefix first
      c("", OLD, 0, 0, "{path: {type: PathPrefix, value: /}, method: GET}"),          // a method first
      c("", OLD, 0, 0, "{path: {type: PathPrefix, value: /}, headers: [{name: a, value: '1'}, {name: b, value: '2'}]}"),
      c("", OLD, 0, 0, "{path: {type: PathPrefix, value: /}, headers: [{name: a, value: '1'}], queryParams: [{name: q, value: '1'}]}"),
      c("", OLD, 0, 0, "{path: {type: PathPrefix, value: /}, headers: [{name: a, value: '1'}]}"),
      c("", OLD, 0, 0, "{path: {type: PathPrefix, value: /}, queryParams: [{name: q, value: '1'}]}"),
      c("", OLD, 0, 0, "path: {type: PathPrefix, value: /}"),                         // oldest route first
      c("", NEW_B, 0, 0, "path: {type: PathPrefix, value: /}"),                       // same age: namespace/name
      c("", NEW, 0, 0, "path: {type: PathPrefix, value: /}"),                         // then rule index
      c("", NEW, 1, 0, "path: {type: PathPrefix, value: /}"),                         // then match index
      c("", NEW, 1, 1, "path: {type: PathPrefix, value: /}"),
      c("", NEW, 2, 0, "path: {type: RegularExpression, value: '/.*'}"));

  @Test
  void anyInputOrderSortsToTheSpecTable() {
    Random random = new Random(21);
    for (int i = 0; i < 50; i++) {
      List<Precedence.Candidate> shuffled = new ArrayList<>(TABLE);
      Collections.shuffle(shuffled, random);
      shuffled.sort(Precedence.ORDER);
      assertThat(shuffled).containsExactlyElementsOf(TABLE);
    }
  }

  @Test
  void regexAfterPrefixAndNoPathLast() {
    var regex = c("", OLD, 0, 0, "path: {type: RegularExpression, value: '/aaaaaaaaaaaaaaaaaa'}");
    var prefix = c("", OLD, 0, 1, "path: {type: PathPrefix, value: /}");
    var none = new Precedence.Candidate("", OLD, 0, Integer.MAX_VALUE, null);
    List<Precedence.Candidate> l = new ArrayList<>(List.of(none, regex, prefix));
    l.sort(Precedence.ORDER);
    assertThat(l).containsExactly(prefix, regex, none);
  }

  private static Precedence.Candidate c(String host, HTTPRoute route, int rule, int match, String m) {
    return new Precedence.Candidate(host, route, rule, match, match(m));
  }
}
