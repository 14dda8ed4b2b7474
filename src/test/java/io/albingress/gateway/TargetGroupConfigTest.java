package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.httpGateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static io.albingress.gateway.LoadBalancerConfigTest.fields;
import static io.albingress.gateway.LoadBalancerConfigTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.Parsed;
import io.albingress.gateway.GatewayExtensions.ConfigSpec;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.gateway.TargetGroupConfigParser.TargetGroupConfig;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.ProtocolVersion;
import io.albingress.model.TargetGroup;
import io.albingress.annotations.TargetType;
import io.albingress.model.Tags;
import io.albingress.webhook.GatewayConfigAdmission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetGroupConfigTest {
  static Parsed<TargetGroupConfig> parse(String yaml) {
    return TargetGroupConfigParser.parse(spec(yaml));
  }

  static final String FULL = """
      targetReference: {name: web}
      defaultConfiguration:
        targetGroupName: web-tg
        ipAddressType: ipv6
        targetType: ip
        protocol: HTTPS
        protocolVersion: HTTP2
        healthCheckConfig:
          healthyThresholdCount: 5
          unhealthyThresholdCount: 4
          healthCheckInterval: 30
          healthCheckTimeout: 6
          healthCheckPath: /healthz
          healthCheckPort: "8081"
          healthCheckProtocol: HTTP
          matcher: {httpCode: "200-299"}
        nodeSelector: {matchLabels: {role: web}}
        targetGroupAttributes: [{key: deregistration_delay.timeout_seconds, value: "30"}]
        tags: {team: web}
      routeConfigurations:
      - routeIdentifier: {kind: HTTPRoute, namespace: shop, name: web}
        targetGroupProps:
          healthCheckConfig: {healthCheckPath: /route-health}
          targetGroupAttributes: [{key: slow_start.duration_seconds, value: "60"}]
          tags: {route: web}
      """;

  @Test
  void readsEveryAppliedFieldOfTheReferenceSchema() {
    Parsed<TargetGroupConfig> p = parse(FULL);
    assertThat(p.errors()).isEmpty();
    TargetGroupProps d = p.value().defaults();
    assertThat(p.value().service()).contains("web");
    assertThat(d.targetGroupName()).contains("web-tg");
    assertThat(d.annotations()).containsEntry(AnnotationCatalog.key("target-type"), "ip")
        .containsEntry(AnnotationCatalog.key("backend-protocol"), "HTTPS")
        .containsEntry(AnnotationCatalog.key("healthcheck-path"), "/healthz")
        .containsEntry(AnnotationCatalog.key("success-codes"), "200-299")
        .containsEntry(AnnotationCatalog.key("target-node-labels"), "role=web")
        .containsEntry(AnnotationCatalog.key("target-group-attributes"), "deregistration_delay.timeout_seconds=30");
    assertThat(p.value().routes()).hasSize(1);
  }

  @Test
  void refusesWhatItCannotApplyNamingTheField() {
    Parsed<TargetGroupConfig> p = parse("""
        targetReference: {kind: Gateway, name: gw}
        defaultConfiguration:
          targetControlPort: 3000
          enableMultiCluster: true
          protocol: TCP
          targetType: lambda
          targetGroupName: -bad-
          ipAddressType: dualstack
          nodeSelector: {matchExpressions: [{key: a, operator: Exists}]}
          healthCheckConfig: {healthCheckProtocol: TCP, healthCheckInterval: 5, healthCheckTimeout: 10, matcher: {httpCode: "200", grpcCode: "0"}}
          targetGroupAttributes: [{key: no.such.attribute, value: "1"}]
        routeConfigurations:
        - routeIdentifier: {name: web}
          targetGroupProps: {}
        """);
    assertThat(fields(p)).contains("spec.targetReference", "spec.defaultConfiguration.targetControlPort",
        "spec.defaultConfiguration.enableMultiCluster", "spec.defaultConfiguration.protocol", "spec.defaultConfiguration.targetType",
        "spec.defaultConfiguration.targetGroupName", "spec.defaultConfiguration.ipAddressType",
        "spec.defaultConfiguration.nodeSelector.matchExpressions", "spec.defaultConfiguration.healthCheckConfig.healthCheckProtocol",
        "spec.defaultConfiguration.healthCheckConfig.matcher", "spec.defaultConfiguration.targetGroupAttributes",
        "spec.routeConfigurations[0].routeIdentifier.kind", "spec.routeConfigurations[0].routeIdentifier.namespace");
    assertThat(p.errors()).anySatisfy(e -> assertThat(e.render()).contains("healthCheckTimeout").contains("less than its interval"));
  }

  @Test
  void routeConfigurationMostSpecificMatchMergesOverTheDefault() {
    TargetGroupConfig c = parse("""
        targetReference: {name: web}
        defaultConfiguration: {targetType: ip, tags: {a: "1"}}
        routeConfigurations:
        - routeIdentifier: {kind: HTTPRoute}
          targetGroupProps: {protocolVersion: HTTP2}
        - routeIdentifier: {kind: HTTPRoute, namespace: shop}
          targetGroupProps: {protocolVersion: GRPC, tags: {b: "2"}}
        - routeIdentifier: {kind: HTTPRoute, namespace: shop, name: other}
          targetGroupProps: {targetType: instance}
        """).value();
    TargetGroupProps web = TargetGroupConfigs.forRoute(c, "HTTPRoute", "shop", "web");
    assertThat(web.protocolVersion()).contains("GRPC");
    assertThat(web.targetType()).contains("ip");
    assertThat(web.tags()).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(TargetGroupConfigs.forRoute(c, "HTTPRoute", "shop", "other").targetType()).contains("instance");
    assertThat(TargetGroupConfigs.forRoute(c, "HTTPRoute", "elsewhere", "x").protocolVersion()).contains("HTTP2");
    assertThat(TargetGroupConfigs.forRoute(c, "GRPCRoute", "shop", "web").protocolVersion()).isEmpty();
  }

  static GatewayBuild build(List<ConfigSpec> configs, String serviceExtra) {
    var in = new GatewayInputs(httpGateway(), List.of(route("web", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - backendRefs: [{name: web, port: 80}]
        """)), List.of(service("web", serviceExtra)), Map.of(), List.of(), LoadBalancerConfigs.Resolved.NONE,
        new GatewayExtensions(configs, List.of()));
    return new GatewayStackBuilder().build(GatewayStackBuilderTest.ID, in, GatewayLoadBalancerConfigTest.FACTS);
  }

  @Test
  void appliedToTheTargetGroupsOfTheServicesBackendRefs() {
    GatewayBuild b = build(List.of(new ConfigSpec("shop", "web-cfg", spec(FULL))), "");
    assertThat(b.routes().get(0).unresolved()).isEmpty();
    TargetGroup tg = b.stack().targetGroups().get(0);
    assertThat(tg.name()).isEqualTo("web-tg");
    assertThat(tg.targetType()).isEqualTo(TargetType.IP);
    assertThat(tg.port()).isEqualTo(8080); // ip: the target port
    assertThat(tg.protocol()).isEqualTo(Protocol.HTTPS);
    assertThat(tg.protocolVersion()).isEqualTo(ProtocolVersion.HTTP2);
    assertThat(tg.ipAddressType()).contains("ipv6");
    assertThat(tg.healthCheck().path()).isEqualTo("/route-health"); // the route's healthCheckConfig, taken whole
    assertThat(tg.healthCheck().healthyThreshold()).isEqualTo(3); // the Gateway default: the route's block has none
    assertThat(tg.healthCheck().successCodes()).isEqualTo("200-399");
    assertThat(tg.attributes()).containsEntry("deregistration_delay.timeout_seconds", "30").containsEntry("slow_start.duration_seconds", "60");
    assertThat(tg.nodeLabels()).containsEntry("role", "web");
    assertThat(tg.tags()).containsEntry("team", "web").containsEntry("route", "web").containsEntry("cost-center", "42")
        .containsKey(Tags.CLUSTER);
  }

  @Test
  void defaultHealthCheckOfTheConfigurationWhenNoRouteEntry() {
    GatewayBuild b = build(List.of(new ConfigSpec("shop", "c", spec("""
        targetReference: {name: web}
        defaultConfiguration:
          healthCheckConfig: {healthCheckPath: /hz, healthyThresholdCount: 7, matcher: {httpCode: "204"}}
        """))), "");
    var hc = b.stack().targetGroups().get(0).healthCheck();
    assertThat(hc.path()).isEqualTo("/hz");
    assertThat(hc.healthyThreshold()).isEqualTo(7);
    assertThat(hc.successCodes()).isEqualTo("204");
    assertThat(b.stack().targetGroups().get(0).targetType()).isEqualTo(TargetType.INSTANCE);
  }

  @Test
  void grpcProtocolVersionGetsTheGrpcHealthCheckDefaults() {
    GatewayBuild b = build(List.of(new ConfigSpec("shop", "c", spec("targetReference: {name: web}\ndefaultConfiguration: {protocolVersion: GRPC}\n"))), "");
    var hc = b.stack().targetGroups().get(0).healthCheck();
    assertThat(hc.successCodes()).isEqualTo("12");
    assertThat(hc.path()).isEqualTo("/AWS.ALB/healthcheck");
    assertThat(hc.healthyThreshold()).isEqualTo(3);
  }

  @Test
  void aGrpcMatcherIsCheckedAsGrpcCodesWhereverTheVersionComesFrom() {
    assertThat(parse("""
        targetReference: {name: web}
        defaultConfiguration: {protocolVersion: GRPC}
        routeConfigurations:
        - routeIdentifier: {kind: HTTPRoute}
          targetGroupProps: {healthCheckConfig: {matcher: {grpcCode: "0-12"}}}
        """).errors()).isEmpty();
    assertThat(fields(parse("defaultConfiguration: {protocolVersion: HTTP2, healthCheckConfig: {matcher: {grpcCode: \"0\"}}}\n")))
        .containsExactly("spec.defaultConfiguration.healthCheckConfig.matcher.grpcCode");
  }

  @Test
  void overridesTheServiceAnnotationsOfTheSameMeaning() {
    GatewayBuild b = build(List.of(new ConfigSpec("shop", "c", spec("targetReference: {name: web}\ndefaultConfiguration: {targetType: ip}\n"))),
        ", annotations: {alb.ingress.kubernetes.io/target-type: instance, alb.ingress.kubernetes.io/healthcheck-path: /svc}");
    assertThat(b.stack().targetGroups().get(0).targetType()).isEqualTo(TargetType.IP);
    assertThat(b.stack().targetGroups().get(0).healthCheck().path()).isEqualTo("/svc"); // not said by the configuration
  }

  @Test
  void aConfigurationOfAnotherServiceOrNamespaceDoesNotApply() {
    GatewayBuild b = build(List.of(new ConfigSpec("shop", "c", spec("targetReference: {name: other}\ndefaultConfiguration: {targetType: ip}\n")),
        new ConfigSpec("elsewhere", "c", spec("targetReference: {name: web}\ndefaultConfiguration: {targetType: ip}\n"))), "");
    assertThat(b.stack().targetGroups().get(0).targetType()).isEqualTo(TargetType.INSTANCE);
  }

  @Test
  void aBadOrDuplicatedConfigurationRefusesTheBackendInStatusNotHalfApplied() {
    GatewayBuild bad = build(List.of(new ConfigSpec("shop", "c", spec("targetReference: {name: web}\ndefaultConfiguration: {protocol: UDP}\n"))), "");
    assertThat(bad.routes().get(0).unresolved()).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(GatewayStackBuilder.INVALID_PARAMETERS);
      assertThat(r.message()).contains("spec.rules[0].backendRefs[0]").contains("TargetGroupConfiguration shop/c")
          .contains("spec.defaultConfiguration.protocol");
    });
    assertThat(bad.stack().targetGroups()).isEmpty();
    assertThat(bad.stack().rules().get(0).action()).isEqualTo(RouteMapping.BACKEND_UNAVAILABLE);

    GatewayBuild twice = build(List.of(new ConfigSpec("shop", "a", spec("targetReference: {name: web}\n")),
        new ConfigSpec("shop", "b", spec("targetReference: {name: web}\n"))), "");
    assertThat(twice.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message()).contains("shop/a, shop/b").contains("keep one"));
  }

  @Test
  void aProblemOnlyTheMergeRevealsNamesTheConfigurationField() {
    // instance (the default) without a NodePort is the Service's problem; grpcCode with HTTP1 is the configuration's
    GatewayBuild b = build(List.of(new ConfigSpec("shop", "c", spec("""
        targetReference: {name: web}
        defaultConfiguration: {healthCheckConfig: {matcher: {grpcCode: "0-99"}}}
        """))), "");
    assertThat(b.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message())
        .contains("TargetGroupConfiguration shop/c spec.defaultConfiguration.healthCheckConfig.matcher.grpcCode"));
  }

  @Test
  void admissionDeniesBadValues() {
    assertThat(GatewayConfigAdmission.targetGroupConfig(spec(FULL)).denials()).isEmpty();
    assertThat(GatewayConfigAdmission.targetGroupConfig(spec("defaultConfiguration: {protocol: TLS}\n")).denials())
        .singleElement().satisfies(d -> assertThat(d).startsWith("spec.defaultConfiguration.protocol:").contains("HTTP or HTTPS"));
    // without targetReference: a default configuration (LoadBalancerConfiguration defaultTargetGroupConfiguration), no warning
    assertThat(GatewayConfigAdmission.targetGroupConfig(spec("defaultConfiguration: {targetType: ip}\n")).warnings()).isEmpty();
  }
}
