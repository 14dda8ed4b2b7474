package io.albingress.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.gateway.ConfigFinalizers;
import io.albingress.model.StackId;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A GatewayClass goes through the reconcile loop under a key no Gateway or Ingress stack can have. */
class GatewayClassKeyTest {
  @Test
  void aClassKeySurvivesTheEventBusAndIsNeitherAGatewayNorAnIngressStack() {
    StackId key = GatewayReconciler.classKey("alb");
    StackId parsed = StackId.parse(key.key());
    assertThat(parsed).isEqualTo(key);
    assertThat(GatewayReconciler.isClassKey(parsed)).isTrue();
    assertThat(key.key()).isNotEqualTo(StackId.gatewayOf("default", "alb").key()).isNotEqualTo(StackId.group("alb").key());
    assertThat(GatewayReconciler.isClassKey(StackId.gatewayOf("default", "alb"))).isFalse();
    assertThat(GatewayReconciler.isClassKey(StackId.group("alb"))).isFalse();
    assertThat(GatewayReconciler.isClassKey(StackId.ingress("default", "alb"))).isFalse();
  }

  @Test
  void theOrphanSweepNeverTakesAClassForAnOrphanedStack() {
    // a class owns no AWS resource: being known changes nothing about what is swept
    Set<StackId> known = Set.of(GatewayReconciler.classKey("alb"), StackId.gatewayOf("shop", "gw"));
    assertThat(OrphanSweep.orphans(Set.of("gateway:shop/gw", "gateway:shop/gone"), known, java.util.Optional.empty()))
        .containsExactly(StackId.gatewayOf("shop", "gone"));
  }

  @Test
  void aListenerRuleConfigurationStatusKeySurvivesTheEventBusAndIsNoClassKey() {
    StackId key = GatewayReconciler.listenerRuleConfigKey("shop", "cfg");
    StackId parsed = StackId.parse(key.key());
    assertThat(parsed).isEqualTo(key);
    assertThat(GatewayReconciler.isListenerRuleConfigKey(parsed)).isTrue();
    assertThat(GatewayReconciler.isClassKey(parsed)).isFalse();
    assertThat(GatewayReconciler.isListenerRuleConfigKey(GatewayReconciler.classKey("alb"))).isFalse();
    assertThat(GatewayReconciler.isListenerRuleConfigKey(StackId.gatewayOf("shop", "ListenerRuleConfiguration:x"))).isFalse();
  }

  @Test
  void configurationKeysSurviveTheEventBusAndAreNoClassKeys() {
    for (ConfigFinalizers.Kind kind : ConfigFinalizers.Kind.values()) {
      StackId key = GatewayReconciler.configKey(kind, "shop", "cfg");
      StackId parsed = StackId.parse(key.key());
      assertThat(parsed).isEqualTo(key);
      assertThat(GatewayReconciler.isClassKey(parsed)).isFalse();
      assertThat(GatewayReconciler.isListenerRuleConfigKey(parsed)).isEqualTo(kind == ConfigFinalizers.Kind.LISTENER_RULE);
    }
    assertThat(GatewayReconciler.listenerRuleConfigKey("shop", "cfg")).isEqualTo(GatewayReconciler.configKey(ConfigFinalizers.Kind.LISTENER_RULE, "shop", "cfg"));
    assertThat(GatewayReconciler.isClassKey(GatewayReconciler.classKey("alb"))).isTrue();
  }
}
