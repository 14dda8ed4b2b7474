package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static io.albingress.gateway.GatewayFixtures.yaml;
import static io.albingress.gateway.LoadBalancerConfigTest.fields;
import static io.albingress.gateway.LoadBalancerConfigTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.TargetType;
import io.albingress.gateway.GatewayExtensions.ConfigSpec;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.model.TargetGroup;
import io.albingress.webhook.GatewayConfigAdmission;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A LoadBalancerConfiguration's defaultTargetGroupConfiguration: parsed, resolved, merged and applied under the Service's own. */
class DefaultTargetGroupConfigTest {
  static final String DEFAULTS = """
      defaultConfiguration:
        targetType: ip
        healthCheckConfig: {healthCheckPath: /default-health, healthCheckInterval: 20}
        targetGroupAttributes: [{key: deregistration_delay.timeout_seconds, value: "10"}]
        tags: {owner: platform, tier: default}
      routeConfigurations:
      - routeIdentifier: {kind: HTTPRoute, namespace: shop, name: api}
        targetGroupProps: {protocolVersion: HTTP2}
      """;

  /** LoadBalancerConfigurations and TargetGroupConfigurations by "namespace/name". */
  record Store(Map<String, Map<String, Object>> lbcs, Map<String, Map<String, Object>> tgcs) {
    static Store of() {
      return new Store(new HashMap<>(), new HashMap<>());
    }

    Store lbc(String key, String yaml) {
      lbcs.put(key, spec(yaml));
      return this;
    }

    Store tgc(String key, String yaml) {
      tgcs.put(key, spec(yaml));
      return this;
    }

    LoadBalancerConfigs.Resolved resolve(Optional<GatewayClass> gc, Gateway gw) {
      return LoadBalancerConfigs.resolve(gc, gw, k -> Optional.ofNullable(lbcs.get(k)), k -> Optional.ofNullable(tgcs.get(k)));
    }

    List<ConfigSpec> specs() {
      return tgcs.entrySet().stream().map(e -> new ConfigSpec(e.getKey().split("/")[0], e.getKey().split("/")[1], e.getValue())).toList();
    }
  }

  static GatewayBuild build(Store store, String serviceExtra) {
    Gateway gw = GatewayFixtures.parameterizedGateway();
    var in = new GatewayInputs(gw, List.of(route("web", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /web}}]
          backendRefs: [{name: web, port: 80}]
        """), route("api", "2025-01-01T00:00:01Z", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /api}}]
          backendRefs: [{name: web, port: 80}]
        """)), List.of(service("web", serviceExtra)), Map.of(), List.of(), store.resolve(Optional.empty(), gw),
        new GatewayExtensions(store.specs(), List.of()));
    return new GatewayStackBuilder().build(GatewayStackBuilderTest.ID, in, GatewayLoadBalancerConfigTest.FACTS);
  }

  static TargetGroup tgOf(GatewayBuild b, String route) {
    return b.stack().targetGroups().stream().filter(t -> t.resourceId().startsWith("shop/" + route + ":")).findFirst().orElseThrow();
  }

  @Test
  void theParserReadsTheReferenceByNameOnly() {
    assertThat(LoadBalancerConfigParser.parse(spec("defaultTargetGroupConfiguration: {name: tgc}\n")).value()
        .defaultTargetGroupConfiguration()).contains("tgc");
    assertThat(fields(LoadBalancerConfigParser.parse(spec("defaultTargetGroupConfiguration: {}\n"))))
        .containsExactly("spec.defaultTargetGroupConfiguration.name");
    assertThat(fields(LoadBalancerConfigParser.parse(spec("defaultTargetGroupConfiguration: {name: a, namespace: b}\n"))))
        .containsExactly("spec.defaultTargetGroupConfiguration.namespace");
    assertThat(fields(LoadBalancerConfigParser.parse(spec("defaultTargetGroupConfiguration: tgc\n"))))
        .containsExactly("spec.defaultTargetGroupConfiguration");
    // a TargetGroupConfiguration without targetReference is a default one: no warning any more
    assertThat(GatewayConfigAdmission.targetGroupConfig(spec(DEFAULTS)).warnings()).isEmpty();
    assertThat(GatewayConfigAdmission.targetGroupConfig(spec(DEFAULTS)).denials()).isEmpty();
  }

  @Test
  void everyTargetGroupTakesTheDefaultsWithTheDefaultsRouteEntry() {
    GatewayBuild b = build(Store.of().lbc("shop/public", "defaultTargetGroupConfiguration: {name: defaults}\n").tgc("shop/defaults", DEFAULTS), "");
    assertThat(b.notProgrammed()).isEmpty();
    TargetGroup web = tgOf(b, "web");
    assertThat(web.targetType()).isEqualTo(TargetType.IP);
    assertThat(web.healthCheck().path()).isEqualTo("/default-health");
    assertThat(web.healthCheck().intervalSeconds()).isEqualTo(20);
    assertThat(web.attributes()).containsEntry("deregistration_delay.timeout_seconds", "10");
    assertThat(web.tags()).containsEntry("owner", "platform");
    assertThat(web.protocolVersion().wireName()).isEqualTo("HTTP1");
    assertThat(tgOf(b, "api").protocolVersion().wireName()).isEqualTo("HTTP2"); // the default's routeConfigurations entry for shop/api
  }

  @Test
  void theServicesConfigurationWinsFieldByFieldAndItsAnnotationsWinOverTheDefault() {
    Store store = Store.of().lbc("shop/public", "defaultTargetGroupConfiguration: {name: defaults}\n").tgc("shop/defaults", DEFAULTS)
        .tgc("shop/web-cfg", """
            targetReference: {name: web}
            defaultConfiguration:
              healthCheckConfig: {healthCheckPath: /web-health}
              targetGroupAttributes: [{key: slow_start.duration_seconds, value: "30"}]
              tags: {tier: web}
            """);
    TargetGroup web = tgOf(build(store, ""), "web");
    assertThat(web.targetType()).isEqualTo(TargetType.IP); // not said by the Service's configuration: the default's
    assertThat(web.healthCheck().path()).isEqualTo("/web-health");
    assertThat(web.healthCheck().intervalSeconds()).isEqualTo(15); // the Service's healthCheckConfig is taken whole, as the reference
    assertThat(web.attributes()).containsEntry("deregistration_delay.timeout_seconds", "10").containsEntry("slow_start.duration_seconds", "30");
    assertThat(web.tags()).containsEntry("owner", "platform").containsEntry("tier", "web");

    // a Service annotation is a Service-level statement: it wins over the Gateway-wide default, not over the Service's configuration
    TargetGroup annotated = tgOf(build(Store.of().lbc("shop/public", "defaultTargetGroupConfiguration: {name: defaults}\n")
        .tgc("shop/defaults", DEFAULTS), ", annotations: {alb.ingress.kubernetes.io/target-type: instance}"), "web");
    assertThat(annotated.targetType()).isEqualTo(TargetType.INSTANCE);
  }

  @Test
  void theClassesAndTheGatewaysDefaultsMergeAsTheirMergingModeSays() {
    Store store = Store.of().lbc("infra/base", "defaultTargetGroupConfiguration: {name: class-defaults}\n")
        .lbc("shop/public", "defaultTargetGroupConfiguration: {name: defaults}\n")
        .tgc("infra/class-defaults", "defaultConfiguration: {targetType: instance, protocolVersion: HTTP2}\n")
        .tgc("shop/defaults", DEFAULTS);
    var resolved = store.resolve(Optional.of(GatewayFixtures.parameterizedClass()), GatewayFixtures.parameterizedGateway());
    assertThat(resolved.problems()).isEmpty();
    var merged = resolved.defaults().orElseThrow();
    assertThat(merged.source()).contains("infra/class-defaults").contains("shop/defaults");
    assertThat(merged.config().defaults().targetType()).contains("instance"); // prefer-gateway-class: the class's wins
    assertThat(merged.config().defaults().protocolVersion()).contains("HTTP2");
    assertThat(merged.config().defaults().healthCheck()).isPresent(); // only the Gateway's says it
    assertThat(merged.config().routes()).isEmpty(); // the winner's routeConfigurations, as the reference's MergeDefaultTGCs

    store.lbc("infra/base", "mergingMode: prefer-gateway\ndefaultTargetGroupConfiguration: {name: class-defaults}\n");
    var preferGateway = store.resolve(Optional.of(GatewayFixtures.parameterizedClass()), GatewayFixtures.parameterizedGateway()).defaults().orElseThrow();
    assertThat(preferGateway.config().defaults().targetType()).contains("ip");
    assertThat(preferGateway.config().defaults().protocolVersion()).contains("HTTP2");
    assertThat(preferGateway.config().routes()).hasSize(1);

    // the class's own status sees its default too
    assertThat(LoadBalancerConfigs.classProblems(GatewayFixtures.parameterizedClass(), k -> Optional.ofNullable(store.lbcs().get(k)), k -> Optional.empty()))
        .containsExactly("LoadBalancerConfiguration infra/base spec.defaultTargetGroupConfiguration.name: TargetGroupConfiguration"
            + " infra/class-defaults not found");
  }

  @Test
  void aMissingOrUnusableDefaultRefusesTheGatewayInStatusAndBuildsNothing() {
    GatewayBuild missing = build(Store.of().lbc("shop/public", "defaultTargetGroupConfiguration: {name: nope}\n"), "");
    assertThat(missing.notProgrammed()).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(GatewayStackBuilder.INVALID_PARAMETERS);
      assertThat(r.message()).isEqualTo("LoadBalancerConfiguration shop/public spec.defaultTargetGroupConfiguration.name:"
          + " TargetGroupConfiguration shop/nope not found");
    });
    assertThat(missing.stack().empty()).isTrue();

    var targeted = Store.of().lbc("shop/public", "defaultTargetGroupConfiguration: {name: web-cfg}\n")
        .tgc("shop/web-cfg", "targetReference: {name: web}\n").resolve(Optional.empty(), GatewayFixtures.parameterizedGateway());
    assertThat(targeted.problems()).singleElement().satisfies(p -> assertThat(p).contains("has spec.targetReference")
        .contains("must not have one"));
    var bad = Store.of().lbc("shop/public", "defaultTargetGroupConfiguration: {name: d}\n")
        .tgc("shop/d", "defaultConfiguration: {protocol: UDP}\n").resolve(Optional.empty(), GatewayFixtures.parameterizedGateway());
    assertThat(bad.problems()).singleElement().satisfies(p -> assertThat(p).contains("TargetGroupConfiguration shop/d")
        .contains("spec.defaultConfiguration.protocol"));
    // in another namespace than the LoadBalancerConfiguration: not found
    var elsewhere = Store.of().lbc("shop/public", "defaultTargetGroupConfiguration: {name: d}\n").tgc("infra/d", DEFAULTS)
        .resolve(Optional.empty(), GatewayFixtures.parameterizedGateway());
    assertThat(elsewhere.problems()).singleElement().satisfies(p -> assertThat(p).endsWith("TargetGroupConfiguration shop/d not found"));
  }

  @Test
  void aProblemRevealedByTheMergeNamesTheDefaultConfiguration() {
    GatewayBuild b = build(Store.of().lbc("shop/public", "defaultTargetGroupConfiguration: {name: d}\n")
        .tgc("shop/d", "defaultConfiguration: {healthCheckConfig: {matcher: {grpcCode: \"0-99\"}}}\n"), "");
    assertThat(b.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message())
        .contains("default TargetGroupConfiguration shop/d (of LoadBalancerConfiguration shop/public)"
            + " spec.defaultConfiguration.healthCheckConfig.matcher.grpcCode"));
  }
}
