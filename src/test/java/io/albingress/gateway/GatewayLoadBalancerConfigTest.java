package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.Scheme;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.model.Certificate;
import io.albingress.model.ClusterFacts;
import io.albingress.model.Known;
import io.albingress.model.Permission;
import io.albingress.model.Subnet;
import io.albingress.model.Tags;
import io.albingress.stack.Names;
import io.albingress.stack.StackBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayLoadBalancerConfigTest {
  static final String CERT = LoadBalancerConfigTest.CERT;
  static final String CERT2 = LoadBalancerConfigTest.CERT2;
  static final ClusterFacts FACTS = new ClusterFacts("prod", "us-west-2", "vpc-1", Known.of(List.of(
      new Subnet("subnet-a", "us-west-2a", "vpc-1", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")),
      new Subnet("subnet-b", "us-west-2b", "vpc-1", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")),
      new Subnet("subnet-c", "us-west-2a", "vpc-1", Map.of(Subnet.ROLE_ELB, "1", "tier", "edge")),
      new Subnet("subnet-d", "us-west-2b", "vpc-1", Map.of(Subnet.ROLE_ELB, "1", "tier", "edge")))),
      Known.of(List.of(new Certificate("arn:aws:acm:us-west-2:123456789012:certificate/discovered", Certificate.ISSUED,
          List.of("*.example.com")))), Map.of("cost-center", "42"));

  static final Gateway GW = gateway("""
      - {name: http, port: 80, protocol: HTTP}
      - {name: https, port: 443, protocol: HTTPS, hostname: shop.example.com}
      """);
  static final String ROUTE = """
      parentRefs: [{name: gw}]
      rules:
      - backendRefs: [{name: web, port: 80}]
      """;

  static GatewayBuild build(String configYaml) {
    var resolved = LoadBalancerConfigs.resolve(Optional.empty(), withRef(GW), k -> Optional.of(LoadBalancerConfigTest.spec(configYaml)));
    return new GatewayStackBuilder().build(GatewayStackBuilderTest.ID, new GatewayInputs(GW, List.of(route("web", "2025-01-01T00:00:00Z",
        ROUTE)), List.of(service("web", "")), Map.of(), List.of(), resolved), FACTS);
  }

  static Gateway withRef(Gateway gw) {
    Gateway copy = GatewayFixtures.JSON.clone(gw);
    copy.getSpec().setInfrastructure(new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayInfrastructureBuilder()
        .withNewParametersRef().withGroup("gateway.k8s.aws").withKind("LoadBalancerConfiguration").withName("cfg").endParametersRef().build());
    return copy;
  }

  @Test
  void internetFacingWithCertificatesPolicyAttributesAndTags() {
    GatewayBuild b = build("""
        scheme: internet-facing
        listenerConfigurations:
        - protocolPort: HTTPS:443
          defaultCertificate: %s
          certificates: [%s]
          sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
          listenerAttributes: [{key: routing.http.response.server.enabled, value: "false"}]
          mutualAuthentication: {mode: passthrough}
        loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "120"}]
        tags: {team: web, cost-center: "7"}
        """.formatted(CERT, CERT2));
    assertThat(b.notProgrammed()).isEmpty();
    var lb = b.stack().loadBalancer();
    assertThat(lb.scheme()).isEqualTo(Scheme.INTERNET_FACING);
    assertThat(lb.name()).isEqualTo(Names.loadBalancer("prod", GatewayStackBuilderTest.ID, Scheme.INTERNET_FACING));
    assertThat(lb.subnetIds()).containsExactly("subnet-c", "subnet-d"); // discovered with the public role tag
    assertThat(lb.attributes()).containsExactly(Map.entry("idle_timeout.timeout_seconds", "120"));
    assertThat(lb.tags()).containsEntry("team", "web").containsEntry("cost-center", "42") // --default-tags win, as for Ingress
        .containsEntry(Tags.GATEWAY_RESOURCE, "LoadBalancer");
    var https = b.stack().listeners().stream().filter(l -> l.port() == 443).findFirst().orElseThrow();
    assertThat(https.certificateArns()).containsExactly(CERT, CERT2); // not the discovered one
    assertThat(https.sslPolicy()).contains("ELBSecurityPolicy-TLS13-1-2-2021-06");
    assertThat(https.attributes()).containsEntry("routing.http.response.server.enabled", "false");
    assertThat(https.mutualAuthentication()).hasValueSatisfying(m -> assertThat(m.mode())
        .isEqualTo(io.albingress.annotations.MutualAuthentication.Mode.PASSTHROUGH));
    assertThat(https.tags()).containsEntry("team", "web").containsEntry(Tags.GATEWAY_RESOURCE, "443");
    var http = b.stack().listeners().stream().filter(l -> l.port() == 80).findFirst().orElseThrow();
    assertThat(http.sslPolicy()).isEmpty();
    assertThat(http.attributes()).isEmpty();
    assertThat(http.mutualAuthentication()).isEmpty();
    var sg = b.securityGroups().orElseThrow().frontend().orElseThrow();
    assertThat(sg.tags()).containsEntry("team", "web");
    assertThat(sg.ingress()).containsExactlyInAnyOrder(Permission.tcpFromCidr(80, "0.0.0.0/0"), Permission.tcpFromCidr(443, "0.0.0.0/0"));
  }

  @Test
  void withoutAConfigurationItIsInternalWithDiscoveredCertificatesAndTheDefaultPolicy() {
    GatewayBuild b = new GatewayStackBuilder().build(GatewayStackBuilderTest.ID, new GatewayInputs(GW, List.of(route("web",
        "2025-01-01T00:00:00Z", ROUTE)), List.of(service("web", "")), Map.of()), FACTS);
    assertThat(b.stack().loadBalancer().scheme()).isEqualTo(Scheme.INTERNAL);
    assertThat(b.stack().loadBalancer().subnetIds()).containsExactly("subnet-a", "subnet-b");
    var https = b.stack().listeners().stream().filter(l -> l.port() == 443).findFirst().orElseThrow();
    assertThat(https.certificateArns()).containsExactly("arn:aws:acm:us-west-2:123456789012:certificate/discovered");
    assertThat(https.sslPolicy()).contains(StackBuilder.DEFAULT_SSL_POLICY);
  }

  @Test
  void subnetsByIdentifierOrSelectorSourceRangesAndDualstack() {
    GatewayBuild byTags = build("""
        ipAddressType: dualstack
        loadBalancerSubnetsSelector: {tier: [edge]}
        sourceRanges: [10.0.0.0/8, "2001:db8::/32"]
        securityGroupPrefixes: [pl-12345678]
        """);
    assertThat(byTags.stack().loadBalancer().ipAddressType()).isEqualTo(IpAddressType.DUALSTACK);
    assertThat(byTags.stack().loadBalancer().subnetIds()).containsExactly("subnet-c", "subnet-d");
    assertThat(byTags.securityGroups().orElseThrow().frontend().orElseThrow().ingress()).contains(
        Permission.tcpFromCidr(443, "10.0.0.0/8"), Permission.tcpFromCidr(443, "2001:db8::/32"),
        Permission.tcp(443, Permission.Peer.PREFIX_LIST, "pl-12345678")).doesNotContain(Permission.tcpFromCidr(443, "0.0.0.0/0"));

    GatewayBuild byId = build("loadBalancerSubnets: [{identifier: subnet-a}, {identifier: subnet-d}]");
    assertThat(byId.stack().loadBalancer().subnetIds()).containsExactly("subnet-a", "subnet-d");

    GatewayBuild tooFew = build("loadBalancerSubnetsSelector: {tier: [none]}");
    assertThat(tooFew.stack().empty()).isTrue();
    assertThat(tooFew.notProgrammed()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("InvalidParameters"));
  }

  @Test
  void securityGroupsReplaceTheManagedOneAndTheBackendGroupOnlyWhenAsked() {
    GatewayBuild b = build("securityGroups: [sg-0123456789abcdef0]");
    var plan = b.securityGroups().orElseThrow();
    assertThat(plan.frontend()).isEmpty();
    assertThat(plan.userGroups()).containsExactly("sg-0123456789abcdef0");
    assertThat(plan.manageBackendRules()).isFalse();
    assertThat(build("securityGroups: [sg-0123456789abcdef0]\nmanageBackendSecurityGroupRules: true").securityGroups().orElseThrow()
        .manageBackendRules()).isTrue();
  }

  @Test
  void aConfigurationThatCannotBeUsedIsGatewayAcceptedFalseInvalidParametersAndNothingIsBuilt() {
    GatewayBuild b = build("scheme: internet-facing\nenableICMP: true");
    assertThat(b.stack().empty()).isTrue();
    assertThat(b.notProgrammed()).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(GatewayStackBuilder.INVALID_PARAMETERS);
      assertThat(r.message()).contains("spec.enableICMP");
    });
    GatewayStatus status = GatewayStatuses.gateway(GW, b, GatewayStatuses.Deployed.failed("not built"), "2025-01-01T00:00:00Z");
    assertThat(status.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Accepted");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("InvalidParameters");
      assertThat(c.getMessage()).contains("spec.enableICMP");
    });
    assertThat(status.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Programmed");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("Invalid");
    });
  }
}
