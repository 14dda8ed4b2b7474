package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.FACTS;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static io.albingress.gateway.GatewayFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.gateway.GatewayStackBuilder.ListenerSetState;
import io.albingress.gateway.GatewayStackBuilder.ListenerState;
import io.albingress.gateway.ListenerSets.Handshake;
import io.albingress.model.Listener;
import io.albingress.model.StackId;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListenerSetsTest {
  static final String T0 = "2025-01-01T00:00:00Z";

  static Gateway gateway(String allowed) {
    return yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: shop, generation: 2}
        spec:
          gatewayClassName: alb
        %s
          listeners:
          - {name: http, port: 80, protocol: HTTP}
        """.formatted(allowed.isEmpty() ? "" : "  allowedListeners: " + allowed), Gateway.class);
  }

  static ListenerSet listenerSet(String ns, String name, String created, String listeners) {
    return yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: ListenerSet
        metadata: {name: %s, namespace: %s, generation: 3, creationTimestamp: "%s"}
        spec:
          parentRef: {name: gw, namespace: shop}
          listeners:
        """.formatted(name, ns, created) + listeners.indent(4), ListenerSet.class);
  }

  static ListenerSet extra(String ns) {
    return listenerSet(ns, "extra", T0, "- {name: app, port: 8080, protocol: HTTP}\n");
  }

  static GatewayBuild build(Gateway gw, List<HTTPRoute> routes, List<ListenerSet> sets, Map<String, Map<String, String>> labels) {
    return new GatewayStackBuilder().build(StackId.gatewayOf("shop", "gw"), new GatewayInputs(gw, routes, List.of(service("web", "")),
        labels, List.of(), LoadBalancerConfigs.Resolved.NONE, GatewayExtensions.NONE, CertificateRefs.ListenerCertificates.NONE, sets), FACTS);
  }

  static Condition cond(List<Condition> cs, String type) {
    return cs.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  static final String TO_SET = "parentRefs: [{name: extra, kind: ListenerSet, group: gateway.networking.k8s.io, sectionName: app}]\n"
      + "rules: [{backendRefs: [{name: web, port: 80}]}]\n";

  @Test
  void handshakeFollowsAllowedListenersNoneByDefault() {
    Map<String, Map<String, String>> labels = Map.of("team-a", Map.of("team", "a"), "team-b", Map.of("team", "b"));
    assertThat(ListenerSets.handshake(extra("shop"), gateway(""), labels)).isEqualTo(Handshake.REJECTED);
    assertThat(ListenerSets.handshake(extra("shop"), gateway("{namespaces: {from: None}}"), labels)).isEqualTo(Handshake.REJECTED);
    assertThat(ListenerSets.handshake(extra("shop"), gateway("{namespaces: {from: Same}}"), labels)).isEqualTo(Handshake.ACCEPTED);
    assertThat(ListenerSets.handshake(extra("team-a"), gateway("{namespaces: {from: Same}}"), labels)).isEqualTo(Handshake.REJECTED);
    assertThat(ListenerSets.handshake(extra("team-a"), gateway("{namespaces: {from: All}}"), labels)).isEqualTo(Handshake.ACCEPTED);
    Gateway selector = gateway("{namespaces: {from: Selector, selector: {matchLabels: {team: a}}}}");
    assertThat(ListenerSets.handshake(extra("team-a"), selector, labels)).isEqualTo(Handshake.ACCEPTED);
    assertThat(ListenerSets.handshake(extra("team-b"), selector, labels)).isEqualTo(Handshake.REJECTED);
    // a ListenerSet naming another Gateway is none of its business
    ListenerSet other = yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: ListenerSet
        metadata: {name: o, namespace: shop}
        spec:
          parentRef: {name: other}
          listeners: [{name: a, port: 81, protocol: HTTP}]
        """, ListenerSet.class);
    assertThat(ListenerSets.handshake(other, gateway("{namespaces: {from: All}}"), labels)).isEqualTo(Handshake.IRRELEVANT);
  }

  @Test
  void acceptedListenersMergeAfterTheGatewaysOldestSetFirst() {
    ListenerSet newer = listenerSet("shop", "a-newer", "2025-02-01T00:00:00Z", "- {name: x, port: 9000, protocol: HTTP}\n");
    ListenerSet older = listenerSet("shop", "z-older", "2025-01-01T00:00:00Z", "- {name: x, port: 9001, protocol: HTTP}\n");
    var sets = ListenerSets.of(gateway("{namespaces: {from: Same}}"), List.of(newer, older), Map.of());
    assertThat(sets.accepted()).containsExactly(older, newer);
    Gateway merged = ListenerSets.merge(gateway("{namespaces: {from: Same}}"), sets).gateway();
    assertThat(merged.getSpec().getListeners()).extracting(l -> l.getName()).containsExactly("http", "shop/z-older/x", "shop/a-newer/x");
  }

  @Test
  void theGatewaysListenersWinConflictsThenTheOlderSet() {
    Gateway gw = gateway("{namespaces: {from: Same}}");
    ListenerSet older = listenerSet("shop", "older", "2025-01-01T00:00:00Z", """
        - {name: https80, port: 80, protocol: HTTPS}
        - {name: same80, port: 80, protocol: HTTP}
        - {name: app, port: 8080, protocol: HTTP, hostname: app.example.com}
        """);
    ListenerSet newer = listenerSet("shop", "newer", "2025-02-01T00:00:00Z", """
        - {name: app, port: 8080, protocol: HTTP, hostname: app.example.com}
        - {name: other, port: 8080, protocol: HTTP, hostname: other.example.com}
        """);
    GatewayBuild b = build(gw, List.of(), List.of(newer, older), Map.of());
    // the Gateway's own listener is untouched
    assertThat(b.gatewayListeners()).singleElement().satisfies(l -> assertThat(l.valid()).isTrue());
    ListenerSetState o = b.listenerSets().stream().filter(s -> s.set() == older).findFirst().orElseThrow();
    assertThat(o.listeners()).extracting(ListenerState::name).containsExactly("https80", "same80", "app");
    assertThat(o.listeners().get(0).conflicted()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("ProtocolConflict"));
    assertThat(o.listeners().get(1).conflicted()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("HostnameConflict"));
    assertThat(o.listeners().get(2).valid()).isTrue();
    ListenerSetState n = b.listenerSets().stream().filter(s -> s.set() == newer).findFirst().orElseThrow();
    assertThat(n.listeners().get(0).conflicted()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("HostnameConflict"));
    assertThat(n.listeners().get(1).valid()).isTrue();
  }

  @Test
  void routesAttachToTheSetBySectionNameAndToTheGatewayOnlyToItsOwnListeners() {
    Gateway gw = gateway("{namespaces: {from: Same}}");
    HTTPRoute toSet = route("to-set", T0, TO_SET + "hostnames: [a.example.com]\n");
    HTTPRoute toGateway = route("to-gw", "2025-01-01T00:00:01Z", "parentRefs: [{name: gw}]\nhostnames: [b.example.com]\n"
        + "rules: [{backendRefs: [{name: web, port: 80}]}]\n");
    HTTPRoute wrongSection = route("wrong", "2025-01-01T00:00:02Z",
        "parentRefs: [{name: extra, kind: ListenerSet, group: gateway.networking.k8s.io, sectionName: nope}]\n");
    GatewayBuild b = build(gw, List.of(toSet, toGateway, wrongSection), List.of(extra("shop")), Map.of());
    assertThat(b.stack().listeners()).extracting(Listener::port).containsExactly(80, 8080);
    assertThat(b.stack().rules()).extracting(r -> r.listener().resourceId() + " " + r.source())
        .containsExactly("80 shop/to-gw spec.rules[0] b.example.com", "8080 shop/to-set spec.rules[0] a.example.com");
    assertThat(b.routes().get(0).parents()).singleElement().satisfies(p -> assertThat(p.accepted()).isTrue());
    assertThat(b.routes().get(2).parents()).singleElement()
        .satisfies(p -> assertThat(p.refusal().orElseThrow().reason()).isEqualTo("NoMatchingParent"));
    ListenerSetState s = b.listenerSets().get(0);
    assertThat(s.listeners()).singleElement().satisfies(l -> assertThat(l.attachedRoutes()).isEqualTo(1));
    assertThat(b.gatewayListeners()).singleElement().satisfies(l -> assertThat(l.attachedRoutes()).isEqualTo(1));
  }

  @Test
  void allowedRoutesSameOfASetListenerMeansTheSetsNamespace() {
    Gateway gw = gateway("{namespaces: {from: All}}");
    HTTPRoute inShop = route("r", T0, "parentRefs: [{name: extra, namespace: team-a, kind: ListenerSet, group: gateway.networking.k8s.io}]\n"
        + "rules: [{backendRefs: [{name: web, port: 80}]}]\n");
    GatewayBuild b = build(gw, List.of(inShop), List.of(extra("team-a")), Map.of());
    assertThat(b.routes().get(0).parents()).singleElement()
        .satisfies(p -> assertThat(p.refusal().orElseThrow().reason()).isEqualTo("NotAllowedByListeners"));
  }

  @Test
  void listenerSetStatusAcceptedProgrammedAndRejectedNotAllowed() {
    Gateway gw = gateway("{namespaces: {from: Same}}");
    ListenerSet accepted = extra("shop");
    ListenerSet rejected = listenerSet("team-a", "far", T0, "- {name: app, port: 8081, protocol: HTTP}\n");
    HTTPRoute r = route("to-set", T0, TO_SET);
    GatewayBuild b = build(gw, List.of(r), List.of(accepted, rejected), Map.of());
    ListenerSetStatus ok = GatewayStatuses.listenerSet(b.listenerSets().get(0), gw, Optional.empty(), T0);
    assertThat(cond(ok.getConditions(), "Accepted").getStatus()).isEqualTo("True");
    assertThat(cond(ok.getConditions(), "Programmed").getReason()).isEqualTo("Programmed");
    assertThat(cond(ok.getConditions(), "Accepted").getObservedGeneration()).isEqualTo(3L);
    assertThat(ok.getListeners()).singleElement().satisfies(l -> {
      assertThat(l.getName()).isEqualTo("app");
      assertThat(l.getAttachedRoutes()).isEqualTo(1);
      assertThat(cond(l.getConditions(), "Conflicted").getReason()).isEqualTo("NoConflicts");
      assertThat(cond(l.getConditions(), "ResolvedRefs").getStatus()).isEqualTo("True");
      assertThat(cond(l.getConditions(), "Programmed").getStatus()).isEqualTo("True");
      assertThat(l.getSupportedKinds()).singleElement().satisfies(k -> assertThat(k.getKind()).isEqualTo("HTTPRoute"));
    });
    ListenerSetStatus pending = GatewayStatuses.listenerSet(b.listenerSets().get(0), gw,
        Optional.of(new Attachment.Refusal("Pending", "being created")), T0);
    assertThat(cond(pending.getConditions(), "Programmed").getReason()).isEqualTo("Pending");
    ListenerSetStatus no = GatewayStatuses.listenerSet(b.listenerSets().get(1), gw, Optional.empty(), T0);
    assertThat(cond(no.getConditions(), "Accepted").getReason()).isEqualTo("NotAllowed");
    assertThat(cond(no.getConditions(), "Accepted").getStatus()).isEqualTo("False");
    assertThat(no.getListeners()).isEmpty();
    var gwStatus = GatewayStatuses.gateway(gw, b, GatewayStatuses.Deployed.ok("dns"), T0);
    assertThat(gwStatus.getAttachedListenerSets()).isEqualTo(1);
    assertThat(gwStatus.getListeners()).extracting(l -> l.getName()).containsExactly("http");
  }

  @Test
  void aListenerSetOfAGatewayBeingDeletedIsNoLongerAcceptedNorProgrammedAndListsNoListeners() {
    Gateway gw = gateway("{namespaces: {from: Same}}");
    GatewayBuild b = build(gw, List.of(route("to-set", T0, TO_SET)), List.of(extra("shop")), Map.of());
    ListenerSet was = new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetBuilder(extra("shop"))
        .withStatus(GatewayStatuses.listenerSet(b.listenerSets().get(0), gw, Optional.empty(), T0)).build();
    String t1 = "2025-01-02T00:00:00Z";
    ListenerSetStatus gone = GatewayStatuses.listenerSetWithoutGateway(was, gw, t1);
    assertThat(gone.getConditions()).extracting(Condition::getType).containsExactly("Accepted", "Programmed");
    assertThat(cond(gone.getConditions(), "Accepted").getStatus()).isEqualTo("False");
    assertThat(cond(gone.getConditions(), "Accepted").getReason()).isEqualTo("ParentNotAccepted");
    assertThat(cond(gone.getConditions(), "Accepted").getMessage()).isEqualTo("Gateway shop/gw is being deleted");
    assertThat(cond(gone.getConditions(), "Accepted").getLastTransitionTime()).isEqualTo(t1);
    assertThat(cond(gone.getConditions(), "Accepted").getObservedGeneration()).isEqualTo(3L);
    assertThat(cond(gone.getConditions(), "Programmed").getStatus()).isEqualTo("False");
    assertThat(cond(gone.getConditions(), "Programmed").getReason()).isEqualTo("ParentNotProgrammed");
    assertThat(gone.getListeners()).isEmpty();
    // written once: the same again keeps its transition time, so the writer sees nothing to change
    ListenerSet after = new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetBuilder(was).withStatus(gone).build();
    assertThat(GatewayStatuses.listenerSetWithoutGateway(after, gw, "2025-01-03T00:00:00Z")).isEqualTo(gone);
  }

  @Test
  void routeStatusHasAnEntryForTheListenerSetParentAndReplacesIt() {
    Gateway gw = gateway("{namespaces: {from: Same}}");
    HTTPRoute r = route("to-set", T0, TO_SET);
    GatewayBuild b = build(gw, List.of(r), List.of(extra("shop")), Map.of());
    List<RouteParentStatus> parents = GatewayStatuses.routeParents(b.routes().get(0), gw, Set.of("shop/extra"), T0);
    assertThat(parents).singleElement().satisfies(p -> {
      assertThat(p.getParentRef().getKind()).isEqualTo("ListenerSet");
      assertThat(p.getParentRef().getSectionName()).isEqualTo("app");
      assertThat(cond(p.getConditions(), "Accepted").getStatus()).isEqualTo("True");
    });
    HTTPRouteStatus status = new HTTPRouteStatus();
    status.setParents(parents);
    r.setStatus(status);
    assertThat(GatewayStatuses.routeParents(b.routes().get(0), gw, Set.of("shop/extra"), T0)).hasSize(1);
    assertThat(GatewayStatuses.withoutGateway(r, gw, Set.of("shop/extra"))).isEmpty();
    ParentReference unrelated = parents.get(0).getParentRef();
    assertThat(unrelated.getName()).isEqualTo("extra");
  }
}
