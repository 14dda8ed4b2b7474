package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.gateway.ConfigFinalizers.Kind;
import io.albingress.gateway.ConfigFinalizers.Step;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The reference's finalizers on LoadBalancer-, TargetGroup- and ListenerRuleConfigurations. */
class ConfigFinalizersTest {
  static GenericKubernetesResource config(String kind, boolean deleting, String... finalizers) {
    return new GenericKubernetesResourceBuilder().withApiVersion("gateway.k8s.aws/v1").withKind(kind).withNewMetadata()
        .withNamespace("shop").withName("cfg").withFinalizers(finalizers)
        .withDeletionTimestamp(deleting ? "2025-01-01T00:00:00Z" : null).endMetadata().build();
  }

  @Test
  void aLiveObjectGetsItsKindsFinalizerOnceAndADeletedOneLosesItOnlyWhenNothingUsesIt() {
    AtomicInteger asked = new AtomicInteger();
    var users = (java.util.function.Supplier<List<String>>) () -> {
      asked.incrementAndGet();
      return List.of("HTTPRoute shop/app");
    };
    assertThat(ConfigFinalizers.step(config("ListenerRuleConfiguration", false), Kind.LISTENER_RULE, users)).isEqualTo(new Step.Add());
    assertThat(ConfigFinalizers.step(config("ListenerRuleConfiguration", false, "gateway.k8s.aws/listenerruleconfigurations"),
        Kind.LISTENER_RULE, users)).isEqualTo(new Step.None());
    // another kind's finalizer is not ours
    assertThat(ConfigFinalizers.step(config("TargetGroupConfiguration", false, "gateway.k8s.aws/listenerruleconfigurations"),
        Kind.TARGET_GROUP, users)).isEqualTo(new Step.Add());
    assertThat(asked).hasValue(0);
    assertThat(ConfigFinalizers.step(config("LoadBalancerConfiguration", true, "gateway.k8s.aws/loadbalancerconfigurations"),
        Kind.LOAD_BALANCER, users)).isEqualTo(new Step.Wait(List.of("HTTPRoute shop/app")));
    assertThat(ConfigFinalizers.step(config("LoadBalancerConfiguration", true, "gateway.k8s.aws/loadbalancerconfigurations"),
        Kind.LOAD_BALANCER, List::of)).isEqualTo(new Step.Remove());
    // deleted without ours (another controller's finalizer holds it): nothing
    assertThat(ConfigFinalizers.step(config("LoadBalancerConfiguration", true, "example.com/other"), Kind.LOAD_BALANCER, users))
        .isEqualTo(new Step.None());
    assertThat(Kind.TARGET_GROUP.finalizer()).isEqualTo("gateway.k8s.aws/targetgroupconfigurations");
    assertThat(Kind.LOAD_BALANCER.finalizer()).isEqualTo("gateway.k8s.aws/loadbalancerconfigurations");
  }

  @Test
  void aLoadBalancerConfigurationIsUsedByClassesNamingItAndByGatewaysOfItsNamespaceNamingIt() {
    GatewayClass cls = yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: alb}
        spec:
          controllerName: gateway.k8s.aws/alb
          parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: cfg, namespace: shop}
        """, GatewayClass.class);
    Gateway gw = yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: shop}
        spec:
          gatewayClassName: other
          infrastructure: {parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: cfg}}
          listeners: [{name: http, port: 80, protocol: HTTP}]
        """, Gateway.class);
    Gateway elsewhere = yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: team-a}
        spec:
          gatewayClassName: other
          infrastructure: {parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: cfg}}
          listeners: [{name: http, port: 80, protocol: HTTP}]
        """, Gateway.class);
    assertThat(ConfigFinalizers.loadBalancerConfigUsers("shop", "cfg", List.of(cls), List.of(gw, elsewhere)))
        .containsExactly("GatewayClass alb", "Gateway shop/gw");
    assertThat(ConfigFinalizers.loadBalancerConfigUsers("shop", "other", List.of(cls), List.of(gw, elsewhere))).isEmpty();
    assertThat(ConfigFinalizers.loadBalancerConfigUsers("team-a", "cfg", List.of(cls), List.of(gw, elsewhere)))
        .containsExactly("Gateway team-a/gw");
  }

  @Test
  void aListenerRuleConfigurationIsUsedByTheRoutesOfItsNamespaceWhoseRulesNameIt() {
    var uses = route("app", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules:
        - filters: [{type: ExtensionRef, extensionRef: {group: gateway.k8s.aws, kind: ListenerRuleConfiguration, name: cfg}}]
          backendRefs: [{name: web, port: 80}]
        """);
    var other = route("plain", "2025-01-01T00:00:00Z", "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: web, port: 80}]}]\n");
    assertThat(ConfigFinalizers.listenerRuleConfigUsers("shop", "cfg", List.of(uses, other))).containsExactly("HTTPRoute shop/app");
    assertThat(ConfigFinalizers.listenerRuleConfigUsers("team-a", "cfg", List.of(uses, other))).isEmpty();
  }

  @Test
  void aTargetGroupConfigurationIsUsedWhileItsServiceExistsAndAGatewayRoutesToItOrWhileItsLoadBalancerConfigurationIsUsed() {
    assertThat(ConfigFinalizers.targetGroupConfigUsers(true, true, Set.of("shop/gw"), List.of())).containsExactly("Gateway shop/gw");
    assertThat(ConfigFinalizers.targetGroupConfigUsers(true, false, Set.of("shop/gw"), List.of())).isEmpty();
    assertThat(ConfigFinalizers.targetGroupConfigUsers(true, true, Set.of(), List.of("LoadBalancerConfiguration shop/x"))).isEmpty();
    assertThat(ConfigFinalizers.targetGroupConfigUsers(false, false, Set.of(), List.of("LoadBalancerConfiguration shop/lbc")))
        .containsExactly("LoadBalancerConfiguration shop/lbc");
  }
}
