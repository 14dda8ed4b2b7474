package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttachmentTest {

  @ParameterizedTest(name = "listener {0} x route {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "-              | -                        | ''",
      "-              | a.example.com            | a.example.com",
      "a.example.com  | -                        | a.example.com",
      "*.example.com  | a.example.com            | a.example.com",
      "*.example.com  | a.b.example.com          | a.b.example.com",
      "*.example.com  | example.com              | NONE",
      "a.example.com  | *.example.com            | a.example.com",
      "*.example.com  | *.a.example.com          | *.a.example.com",
      "a.example.com  | b.example.com            | NONE",
      "*.example.com  | a.example.com;other.org  | a.example.com",
  })
  void hostnameIntersection(String listener, String route, String expected) {
    List<String> routeHosts = route == null ? List.of() : Arrays.asList(route.split(";"));
    Optional<List<String>> got = Attachment.hostnames(listener, routeHosts);
    if (expected.equals("NONE")) {
      assertThat(got).isEmpty();
    } else {
      assertThat(got).contains(expected.isEmpty() ? List.of() : List.of(expected.split(";")));
    }
  }

  static final String LISTENERS = """
      - {name: http, port: 80, protocol: HTTP}
      - {name: shared, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: web}}}}}
      - {name: all, port: 8081, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
      - {name: tcp, port: 9000, protocol: TCP}
      - {name: only-grpc, port: 9001, protocol: HTTP, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}
      """;

  @Test
  void parentRefsSectionNamesPortsAndAllowedRoutes() {
    var gw = gateway(LISTENERS);
    var route = route("r", "2025-01-01T00:00:00Z", """
        parentRefs:
        - {name: gw}
        - {name: gw, sectionName: nope}
        - {name: gw, sectionName: tcp}
        - {name: gw, port: 8081}
        - {name: other}
        - {name: gw, namespace: elsewhere}
        """);
    var parents = Attachment.attach(gw, route, Map.of("shop", Map.of("team", "web")));
    assertThat(parents).extracting(Attachment.Parent::index).containsExactly(0, 1, 2, 3);
    assertThat(parents.get(0).hostnames().keySet()).containsExactly("http", "shared", "all");
    assertThat(parents.get(1).refusal().get().reason()).isEqualTo("NoMatchingParent");
    assertThat(parents.get(2).refusal().get().reason()).isEqualTo("NotAllowedByListeners");
    assertThat(parents.get(3).hostnames().keySet()).containsExactly("all");
  }

  @Test
  void anotherNamespaceNeedsAllOrASelectorThatMatches() {
    var gw = gateway(LISTENERS);
    var route = GatewayFixtures.yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: team}
        spec: {parentRefs: [{name: gw, namespace: shop}]}
        """, io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class);
    assertThat(Attachment.attach(gw, route, Map.of()).get(0).hostnames().keySet()).containsExactly("all");
    assertThat(Attachment.attach(gw, route, Map.of("team", Map.of("team", "web"))).get(0).hostnames().keySet())
        .containsExactly("shared", "all");
  }

  @Test
  void noMatchingHostname() {
    var gw = gateway("- {name: http, port: 80, protocol: HTTP, hostname: a.example.com}\n");
    var route = route("r", "2025-01-01T00:00:00Z", "parentRefs: [{name: gw}]\nhostnames: [b.example.com]\n");
    assertThat(Attachment.attach(gw, route, Map.of()).get(0).refusal().get().reason()).isEqualTo("NoMatchingListenerHostname");
  }
}
