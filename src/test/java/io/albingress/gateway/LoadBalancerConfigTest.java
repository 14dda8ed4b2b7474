package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadBalancerConfigTest {
  static final String CERT = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000a";
  static final String CERT2 = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000b";

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(String yaml) {
    return GatewayFixtures.JSON.unmarshal("# yaml\n" + yaml, Map.class);
  }

  static Parsed<LoadBalancerConfig> parse(String yaml) {
    return LoadBalancerConfigParser.parse(spec(yaml));
  }

  static List<String> fields(Parsed<?> p) {
    return p.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void readsEveryAppliedFieldOfTheReferenceSchema() {
    Parsed<LoadBalancerConfig> p = parse("""
        mergingMode: prefer-gateway
        loadBalancerName: my-alb
        scheme: internet-facing
        ipAddressType: dualstack
        loadBalancerSubnets: [{identifier: subnet-0123456789abcdef0}, {identifier: public-b}]
        securityGroups: [sg-0123456789abcdef0]
        manageBackendSecurityGroupRules: true
        sourceRanges: [10.0.0.0/8, "2001:db8::/32"]
        securityGroupPrefixes: [pl-12345678]
        listenerConfigurations:
        - protocolPort: https:443
          defaultCertificate: %s
          certificates: [%s]
          sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
          listenerAttributes: [{key: routing.http.response.server.enabled, value: "false"}]
        loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "120"}]
        tags: {team: web, env: prod}
        wafV2: {webACL: my-acl}
        shieldConfiguration: {enabled: true}
        """.formatted(CERT, CERT2));
    assertThat(p.errors()).isEmpty();
    LoadBalancerConfig c = p.value();
    assertThat(c.mergingMode()).contains("prefer-gateway");
    assertThat(c.scheme()).contains("internet-facing");
    assertThat(c.ipAddressType()).contains("dualstack");
    assertThat(c.subnets()).contains(List.of("subnet-0123456789abcdef0", "public-b"));
    assertThat(c.securityGroups()).contains(List.of("sg-0123456789abcdef0"));
    assertThat(c.manageBackendSecurityGroupRules()).contains(true);
    assertThat(c.sourceRanges()).contains(List.of("10.0.0.0/8", "2001:db8::/32"));
    assertThat(c.securityGroupPrefixes()).contains(List.of("pl-12345678"));
    var l = c.listener("HTTPS", 443).orElseThrow();
    assertThat(l.allCertificates()).containsExactly(CERT, CERT2);
    assertThat(l.sslPolicy()).contains("ELBSecurityPolicy-TLS13-1-2-2021-06");
    assertThat(l.attributes()).containsEntry("routing.http.response.server.enabled", "false");
    assertThat(c.loadBalancerAttributes()).containsEntry("idle_timeout.timeout_seconds", "120");
    assertThat(c.tags()).containsEntry("team", "web").containsEntry("env", "prod");
    assertThat(c.wafv2WebAcl()).contains("my-acl");
    assertThat(c.shieldAdvanced()).contains(true);
  }

  @Test
  void badValuesAreCheckedByTheAnnotationRulesAndNamedByTheirSpecPath() {
    Parsed<LoadBalancerConfig> p = parse("""
        scheme: public
        sourceRanges: [10.0.0.0/33]
        loadBalancerSubnets: [{identifier: subnet-0123456789abcdef0}]
        listenerConfigurations:
        - protocolPort: HTTPS:443
          defaultCertificate: not-an-arn
          sslPolicy: MyPolicy
        loadBalancerAttributes: [{key: no.such.attribute, value: "1"}]
        mergingMode: prefer-nobody
        """);
    assertThat(fields(p)).contains("spec.scheme", "spec.sourceRanges", "spec.loadBalancerSubnets",
        "spec.listenerConfigurations[HTTPS:443].certificates", "spec.listenerConfigurations[HTTPS:443].sslPolicy",
        "spec.loadBalancerAttributes", "spec.mergingMode");
    assertThat(p.errors()).filteredOn(e -> e.field().equals("spec.sourceRanges")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("10.0.0.0/33"));
  }

  @Test
  void anHttpsListenerMayHaveOnlyAPolicyAndPlainHttpNoCertificates() {
    assertThat(parse("listenerConfigurations: [{protocolPort: \"HTTPS:443\", sslPolicy: ELBSecurityPolicy-2016-08}]").errors()).isEmpty();
    assertThat(fields(parse("listenerConfigurations: [{protocolPort: \"HTTP:80\", sslPolicy: ELBSecurityPolicy-2016-08}]")))
        .containsExactly("spec.listenerConfigurations[0]");
    assertThat(fields(parse("listenerConfigurations: [{protocolPort: \"HTTPS:443\"}, {protocolPort: \"https:443\"}]")))
        .containsExactly("spec.listenerConfigurations[1].protocolPort");
  }

  @Test
  void mutualAuthenticationIsReadAndCheckedAsTheAnnotation() {
    var ok = parse("listenerConfigurations: [{protocolPort: \"HTTPS:443\", mutualAuthentication: {mode: verify, trustStore: my-store,"
        + " ignoreClientCertificateExpiry: true}}]");
    assertThat(ok.errors()).isEmpty();
    var mtls = ok.value().listener("HTTPS", 443).orElseThrow().mutualAuthentication().orElseThrow();
    assertThat(mtls.port()).isEqualTo(443);
    assertThat(mtls.mode()).isEqualTo(io.albingress.annotations.MutualAuthentication.Mode.VERIFY);
    assertThat(mtls.trustStore()).contains("my-store");
    assertThat(mtls.ignoreClientCertificateExpiry()).contains(true);
    assertThat(fields(parse("listenerConfigurations: [{protocolPort: \"HTTPS:443\", mutualAuthentication: {mode: sometimes}}]")))
        .containsExactly("spec.listenerConfigurations[HTTPS:443].mutualAuthentication");
  }

  @Test
  void fieldsNotAppliedAreReportedNotIgnored() {
    Parsed<LoadBalancerConfig> p = parse("""
        enableICMP: true
        disableSecurityGroup: false
        minimumLoadBalancerCapacity: {capacityUnits: 100}
        ipv4IPAMPoolId: ipam-pool-1
        loadBalancerSubnets: [{identifier: subnet-0123456789abcdef0, eipAllocation: eipalloc-1}, {identifier: subnet-0123456789abcdef1}]
        listenerConfigurations:
        - {protocolPort: "HTTPS:443", mutualAuthentication: {mode: verify, trustStore: my-store}, alpnPolicy: HTTP2Only}
        - {protocolPort: "TCP:80"}
        surprise: 1
        """);
    assertThat(fields(p)).containsExactlyInAnyOrder("spec.enableICMP", "spec.ipv4IPAMPoolId",
        "spec.minimumLoadBalancerCapacity", "spec.surprise", "spec.loadBalancerSubnets[0].eipAllocation",
        "spec.listenerConfigurations[0].alpnPolicy",
        "spec.listenerConfigurations[1].protocolPort");
  }

  @Test
  void mergePrefersTheClassUnlessItsModeSaysGatewayAndMergesTagsAttributesAndListenersByKey() {
    LoadBalancerConfig ofClass = parse("""
        scheme: internal
        tags: {team: platform, owner: infra}
        loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "60"}]
        listenerConfigurations: [{protocolPort: "HTTPS:443", sslPolicy: ELBSecurityPolicy-2016-08}]
        """).value();
    LoadBalancerConfig ofGateway = parse("""
        scheme: internet-facing
        sourceRanges: [10.0.0.0/8]
        tags: {team: web}
        loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "120"}, {key: deletion_protection.enabled, value: "true"}]
        listenerConfigurations: [{protocolPort: "HTTPS:443", defaultCertificate: %s}, {protocolPort: "HTTP:80"}]
        """.formatted(CERT)).value();
    LoadBalancerConfig merged = LoadBalancerConfig.merge(ofClass, ofGateway);
    assertThat(merged.scheme()).contains("internal");
    assertThat(merged.sourceRanges()).contains(List.of("10.0.0.0/8"));
    assertThat(merged.tags()).containsEntry("team", "platform").containsEntry("owner", "infra");
    assertThat(merged.loadBalancerAttributes()).containsEntry("idle_timeout.timeout_seconds", "60")
        .containsEntry("deletion_protection.enabled", "true");
    assertThat(merged.listener("HTTPS", 443).orElseThrow().defaultCertificate()).isEmpty(); // the class's entry, whole
    assertThat(merged.listeners()).containsKeys("HTTP:80", "HTTPS:443");

    LoadBalancerConfig preferGateway = LoadBalancerConfig.merge(parse("""
        mergingMode: prefer-gateway
        scheme: internal
        tags: {team: platform}
        """).value(), ofGateway);
    assertThat(preferGateway.scheme()).contains("internet-facing");
    assertThat(preferGateway.tags()).containsEntry("team", "web");
  }

  @Test
  void resolvesTheClassAndGatewayReferencesAndReportsWhatCannotBeUsed() {
    GatewayClass gc = GatewayFixtures.parameterizedClass();
    Gateway gw = GatewayFixtures.parameterizedGateway();
    Map<String, Map<String, Object>> store = Map.of("infra/base", spec("tags: {team: platform}"),
        "shop/public", spec("scheme: internet-facing"));
    var resolved = LoadBalancerConfigs.resolve(Optional.of(gc), gw, k -> Optional.ofNullable(store.get(k)));
    assertThat(resolved.problems()).isEmpty();
    assertThat(resolved.used()).containsExactly("infra/base", "shop/public");
    assertThat(resolved.config().scheme()).contains("internet-facing");
    assertThat(resolved.config().tags()).containsEntry("team", "platform");

    var missing = LoadBalancerConfigs.resolve(Optional.of(gc), gw, k -> Optional.empty());
    assertThat(missing.problems()).containsExactly(
        "GatewayClass alb spec.parametersRef: LoadBalancerConfiguration infra/base not found",
        "spec.infrastructure.parametersRef: LoadBalancerConfiguration shop/public not found");

    assertThat(LoadBalancerConfigs.classProblems(gc, k -> Optional.ofNullable(store.get(k)))).isEmpty();
    assertThat(GatewayStatuses.classConditions(gc, "2025-01-01T00:00:00Z", LoadBalancerConfigs.classProblems(gc, k -> Optional.empty())))
        .singleElement().satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("InvalidParameters");
          assertThat(c.getMessage()).isEqualTo("GatewayClass alb spec.parametersRef: LoadBalancerConfiguration infra/base not found");
        });

    gc.getSpec().getParametersRef().setNamespace(null);
    gw.getSpec().getInfrastructure().getParametersRef().setKind("ConfigMap");
    gw.getSpec().getInfrastructure().getParametersRef().setGroup("");
    var wrong = LoadBalancerConfigs.resolve(Optional.of(gc), gw, k -> Optional.ofNullable(store.get(k)));
    assertThat(wrong.problems()).hasSize(2).allSatisfy(m -> assertThat(m).containsAnyOf("namespace is required", "ConfigMap is not supported"));

    var bad = LoadBalancerConfigs.resolve(Optional.empty(), GatewayFixtures.parameterizedGateway(), k -> Optional.of(spec("enableICMP: true")));
    assertThat(bad.problems()).singleElement().satisfies(m -> assertThat(m).startsWith("LoadBalancerConfiguration shop/public spec.enableICMP:"));
  }
}
