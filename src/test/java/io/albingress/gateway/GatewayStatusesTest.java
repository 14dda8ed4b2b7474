package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.FACTS;
import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.model.StackId;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayStatusesTest {
  static final String T0 = "2025-01-01T00:00:00Z";
  static final String T1 = "2025-01-02T00:00:00Z";



  static GatewayBuild build(io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway g, List<io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute> routes) {
    return new GatewayStackBuilder().build(StackId.gatewayOf("shop", "gw"), new GatewayInputs(g, routes, List.of(service("web", "")), Map.of()), FACTS);
  }

  static Condition cond(List<Condition> cs, String type) {
    return cs.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void programmedGatewayHasItsAddressListenerConditionsAndAttachedRoutes() {
    var g = gateway("""
        - {name: http, port: 80, protocol: HTTP}
        - {name: udp, port: 53, protocol: UDP}
        """);
    var r = route("web", T0, "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: web, port: 80}]}]\n");
    GatewayBuild b = build(g, List.of(r));
    GatewayStatus s = GatewayStatuses.gateway(g, b, GatewayStatuses.Deployed.ok("internal-k8s-shop-gw.elb.amazonaws.com"), T0);
    assertThat(s.getAddresses()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("Hostname");
      assertThat(a.getValue()).isEqualTo("internal-k8s-shop-gw.elb.amazonaws.com");
    });
    assertThat(cond(s.getConditions(), "Accepted").getReason()).isEqualTo("ListenersNotValid");
    assertThat(cond(s.getConditions(), "Programmed").getStatus()).isEqualTo("True");
    assertThat(cond(s.getConditions(), "Programmed").getObservedGeneration()).isEqualTo(2L);
    ListenerStatus http = s.getListeners().get(0);
    assertThat(http.getAttachedRoutes()).isEqualTo(1);
    assertThat(http.getSupportedKinds()).singleElement().satisfies(k -> assertThat(k.getKind()).isEqualTo("HTTPRoute"));
    assertThat(cond(http.getConditions(), "Programmed").getStatus()).isEqualTo("True");
    assertThat(cond(http.getConditions(), "Conflicted").getReason()).isEqualTo("NoConflicts");
    ListenerStatus udp = s.getListeners().get(1);
    assertThat(cond(udp.getConditions(), "Accepted").getReason()).isEqualTo("UnsupportedProtocol");
    assertThat(cond(udp.getConditions(), "Programmed").getStatus()).isEqualTo("False");
    assertThat(udp.getSupportedKinds()).isEmpty();
  }

  @Test
  void notDeployedYetIsProgrammedFalsePendingWithoutAddress() {
    var g = GatewayFixtures.httpGateway();
    GatewayBuild b = build(g, List.of());
    GatewayStatus s = GatewayStatuses.gateway(g, b, GatewayStatuses.Deployed.failed("throttled"), T0);
    assertThat(s.getAddresses()).isEmpty();
    assertThat(cond(s.getConditions(), "Programmed").getReason()).isEqualTo("Pending");
    assertThat(cond(s.getConditions(), "Programmed").getMessage()).contains("throttled");
    assertThat(cond(s.getListeners().get(0).getConditions(), "Programmed").getReason()).isEqualTo("Pending");
  }

  @Test
  void routeParentsKeepOtherControllersEntriesAndSayWhyOurs() {
    var r = route("web", T0, """
        parentRefs: [{name: gw}, {name: gw, sectionName: nope}]
        rules: [{backendRefs: [{name: gone, port: 80}]}]
        """);
    RouteParentStatus foreign = new RouteParentStatus(List.of(), "example.com/other", new ParentReference(null, null, "gw", null, null, null));
    HTTPRouteStatus existing = new HTTPRouteStatus();
    existing.setParents(List.of(foreign));
    r.setStatus(existing);
    var g = GatewayFixtures.httpGateway();
    GatewayBuild b = build(g, List.of(r));
    List<RouteParentStatus> parents = GatewayStatuses.routeParents(b.routes().get(0), g, T0);
    assertThat(parents).hasSize(3);
    assertThat(parents.get(0)).isSameAs(foreign);
    assertThat(parents.get(1).getControllerName()).isEqualTo("gateway.k8s.aws/alb");
    assertThat(cond(parents.get(1).getConditions(), "Accepted").getStatus()).isEqualTo("True");
    assertThat(cond(parents.get(1).getConditions(), "ResolvedRefs").getReason()).isEqualTo("BackendNotFound");
    assertThat(cond(parents.get(1).getConditions(), "ResolvedRefs").getMessage()).contains("shop/gone", "500");
    assertThat(cond(parents.get(2).getConditions(), "Accepted").getReason()).isEqualTo("NoMatchingParent");
    assertThat(parents.get(2).getParentRef().getSectionName()).isEqualTo("nope");
  }

  @Test
  void anUnsupportedFilterRefusesTheRouteWithUnsupportedValue() {
    var r = route("web", T0, """
        parentRefs: [{name: gw}]
        rules: [{filters: [{type: CORS, cors: {allowOrigins: ['*']}}], backendRefs: [{name: web, port: 80}]}]
        """);
    var g = GatewayFixtures.httpGateway();
    List<RouteParentStatus> parents = GatewayStatuses.routeParents(build(g, List.of(r)).routes().get(0), g, T0);
    assertThat(cond(parents.get(0).getConditions(), "Accepted").getReason()).isEqualTo("UnsupportedValue");
    assertThat(cond(parents.get(0).getConditions(), "Accepted").getMessage()).contains("spec.rules[0].filters[0]", "CORS");
  }

  @Test
  void anUnchangedStateKeepsItsTransitionTimesSoNothingIsWritten() {
    var g = GatewayFixtures.httpGateway();
    GatewayBuild b = build(g, List.of());
    GatewayStatus first = GatewayStatuses.gateway(g, b, GatewayStatuses.Deployed.ok("dns"), T0);
    g.setStatus(first);
    GatewayStatus again = GatewayStatuses.gateway(g, b, GatewayStatuses.Deployed.ok("dns"), T1);
    assertThat(again).isEqualTo(first);
    GatewayStatus failed = GatewayStatuses.gateway(g, b, GatewayStatuses.Deployed.failed("x"), T1);
    assertThat(cond(failed.getConditions(), "Programmed").getLastTransitionTime()).isEqualTo(T1);
    assertThat(cond(failed.getConditions(), "Accepted").getLastTransitionTime()).isEqualTo(T0);
  }
}
