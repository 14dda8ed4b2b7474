package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.FACTS;
import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.TargetType;
import io.albingress.model.ClusterFacts;
import io.albingress.model.Known;
import io.albingress.model.StackId;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The target groups a Gateway's rules forward to, from Kubernetes objects alone (readiness-gate names): the
 * same names {@link GatewayStackBuilder#build} deploys, whatever AWS facts say.
 */
class ForwardedTargetGroupsTest {
  static final StackId ID = StackId.gatewayOf("shop", "gw");
  /** What a follower or the webhook knows: no subnets, no certificates, no default tags. */
  static final ClusterFacts NO_FACTS = new ClusterFacts(GatewayFixtures.CLUSTER, "us-west-2", "", Known.unknown("none"),
      Known.unknown("none"), Map.of());
  static final Gateway HTTP_AND_HTTPS = gateway("""
      - {name: http, port: 80, protocol: HTTP}
      - {name: https, port: 443, protocol: HTTPS, hostname: "*.example.com"}
      """);
  static final Service IP = service("web", ", annotations: {alb.ingress.kubernetes.io/target-type: ip}");

  static List<String> names(List<TargetGroup> tgs) {
    return tgs.stream().map(TargetGroup::name).toList();
  }

  @Test
  void ipServiceOnHttpAndHttpsListenersNamesTheTargetGroupsTheBuildDeploys() {
    var web = route("web", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        hostnames: [shop.example.com]
        rules:
        - matches: [{path: {type: PathPrefix, value: /}}]
          backendRefs: [{name: web, port: 80}]
        - matches: [{path: {type: PathPrefix, value: /api}}]
          filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
        """);
    GatewayInputs in = new GatewayInputs(HTTP_AND_HTTPS, List.of(web), List.of(IP), Map.of());
    var built = new GatewayStackBuilder().build(ID, in, FACTS);
    assertThat(built.stack().listeners()).hasSize(2);
    List<TargetGroup> forwarded = new GatewayStackBuilder().forwardedTargetGroups(ID, in, NO_FACTS);
    assertThat(forwarded).isNotEmpty().allSatisfy(tg -> assertThat(tg.targetType()).isEqualTo(TargetType.IP));
    assertThat(names(forwarded)).isEqualTo(names(built.stack().targetGroups()));
  }

  @Test
  void anHttpsListenerOnlyNeedsAHostnameToBeCounted() {
    var web = route("web", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - backendRefs: [{name: web, port: 80}]
        """);
    GatewayStackBuilder builder = new GatewayStackBuilder();
    // a listener hostname to discover a certificate by: deployed when ACM has one
    Gateway named = gateway("- {name: https, port: 443, protocol: HTTPS, hostname: \"*.example.com\"}\n");
    GatewayInputs in = new GatewayInputs(named, List.of(web), List.of(IP), Map.of());
    assertThat(builder.build(ID, in, FACTS).stack().targetGroups()).hasSize(1);
    assertThat(names(builder.forwardedTargetGroups(ID, in, NO_FACTS))).isEqualTo(names(builder.build(ID, in, FACTS).stack().targetGroups()));
    // no hostname anywhere and no certificate configured: never deployed, so no gate either
    Gateway hostless = gateway("- {name: https, port: 443, protocol: HTTPS}\n");
    GatewayInputs none = new GatewayInputs(hostless, List.of(web), List.of(IP), Map.of());
    assertThat(builder.build(ID, none, FACTS).stack().targetGroups()).isEmpty();
    assertThat(builder.forwardedTargetGroups(ID, none, NO_FACTS)).isEmpty();
  }

  @Test
  void grpcRouteTargetGroupsAreNamedAsBuilt() {
    var grpc = GrpcRoutes.view(GrpcRoutesTest.grpc("rpc", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        hostnames: [rpc.example.com]
        rules:
        - backendRefs: [{name: web, port: 80}]
        """));
    GatewayInputs in = new GatewayInputs(HTTP_AND_HTTPS, List.of(grpc), List.of(IP), Map.of());
    var built = new GatewayStackBuilder().build(ID, in, FACTS);
    assertThat(built.stack().targetGroups()).isNotEmpty();
    assertThat(names(new GatewayStackBuilder().forwardedTargetGroups(ID, in, NO_FACTS))).isEqualTo(names(built.stack().targetGroups()));
  }

  @Test
  void unresolvedBackendsUnattachedRoutesAndUnusableParametersNameNothing() {
    var unresolved = route("a", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - backendRefs: [{name: web, port: 80}, {name: gone, port: 80}]
        """);
    var elsewhere = route("b", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: other}]
        rules:
        - backendRefs: [{name: web, port: 80}]
        """);
    GatewayStackBuilder builder = new GatewayStackBuilder();
    List<HTTPRoute> routes = List.of(unresolved, elsewhere);
    GatewayInputs in = new GatewayInputs(HTTP_AND_HTTPS, routes, List.of(IP), Map.of());
    assertThat(builder.build(ID, in, FACTS).stack().targetGroups()).isEmpty();
    assertThat(builder.forwardedTargetGroups(ID, in, NO_FACTS)).isEmpty();

    var ok = route("c", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - backendRefs: [{name: web, port: 80}]
        """);
    var badParams = new LoadBalancerConfigs.Resolved(LoadBalancerConfig.EMPTY, List.of(), List.of("LoadBalancerConfiguration shop/x not found"));
    GatewayInputs invalid = new GatewayInputs(HTTP_AND_HTTPS, List.of(ok), List.of(IP), Map.of(), List.of(), badParams);
    assertThat(builder.build(ID, invalid, FACTS).stack().targetGroups()).isEmpty();
    assertThat(builder.forwardedTargetGroups(ID, invalid, NO_FACTS)).isEmpty();
  }

  @Test
  void aTargetGroupConfigurationMakesTheTargetGroupIpAndItIsNamedAsBuilt() {
    var web = route("web", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        hostnames: [shop.example.com]
        rules:
        - backendRefs: [{name: web, port: 80}]
        """);
    var tgc = new GatewayExtensions.ConfigSpec("shop", "web-cfg", LoadBalancerConfigTest.spec("""
        targetReference: {name: web}
        defaultConfiguration: {targetType: ip, targetGroupName: web-ip}
        """));
    GatewayInputs in = new GatewayInputs(HTTP_AND_HTTPS, List.of(web), List.of(service("web", "")), Map.of(), List.of(),
        LoadBalancerConfigs.Resolved.NONE, new GatewayExtensions(List.of(tgc), List.of()));
    GatewayStackBuilder builder = new GatewayStackBuilder();
    var built = builder.build(ID, in, FACTS).stack().targetGroups();
    List<TargetGroup> forwarded = builder.forwardedTargetGroups(ID, in, NO_FACTS);
    assertThat(forwarded).singleElement().satisfies(tg -> {
      assertThat(tg.targetType()).isEqualTo(TargetType.IP);
      assertThat(tg.name()).isEqualTo("web-ip");
    });
    assertThat(names(forwarded)).isEqualTo(names(built));
  }
}
