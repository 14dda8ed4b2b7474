package io.albingress.controller;

import io.albingress.gateway.GatewayExtensions.ConfigSpec;
import io.albingress.gateway.ListenerRuleConfigs;
import io.albingress.gateway.LoadBalancerConfigParser;
import io.albingress.gateway.LoadBalancerConfigs;
import io.albingress.gateway.TargetGroupConfigParser;
import io.albingress.k8s.GatewayInformers;
import io.albingress.model.StackId;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which Gateways a TargetGroupConfiguration, a ListenerRuleConfiguration or an OIDC client Secret named by one
 * affects, so a change re-reconciles exactly those: the Gateways of the routes using the Service the configuration
 * targets, of the routes whose rules name the ListenerRuleConfiguration, of the routes naming a
 * ListenerRuleConfiguration that reads the Secret.
 */
final class GatewayConfigUsers {
  private final GatewayInformers gateways;
  private final GatewayReconciler reconciler;

  GatewayConfigUsers(GatewayInformers gateways, GatewayReconciler reconciler) {
    this.gateways = gateways;
    this.reconciler = reconciler;
  }

  /**
   * The Gateways using the Service a TargetGroupConfiguration (before or after a change) targets, and those (with their
   * GatewayClasses, for the class's status) whose LoadBalancerConfigurations name it as defaultTargetGroupConfiguration.
   */
  Set<StackId> ofTargetGroupConfig(GenericKubernetesResource config) {
    String ns = config.getMetadata().getNamespace();
    Set<StackId> out = new LinkedHashSet<>(TargetGroupConfigParser.parse(spec(config)).value().service().map(svc -> usersOfService(ns, svc))
        .orElse(Set.of()));
    out.addAll(ofDefaultTargetGroupConfig(ns, config.getMetadata().getName()));
    return out;
  }

  /** The Gateways and GatewayClass keys whose LoadBalancerConfigurations (of namespace {@code ns}) name this default TargetGroupConfiguration. */
  Set<StackId> ofDefaultTargetGroupConfig(String ns, String name) {
    Set<String> configs = new java.util.TreeSet<>();
    gateways.gatewayClasses().stream().map(gc -> gc.getSpec() == null ? null : gc.getSpec().getParametersRef())
        .filter(r -> r != null && LoadBalancerConfigs.KIND.equals(r.getKind()) && ns.equals(r.getNamespace()))
        .forEach(r -> configs.add(r.getName()));
    gateways.gateways().stream().filter(g -> ns.equals(g.getMetadata().getNamespace()) && g.getSpec().getInfrastructure() != null)
        .map(g -> g.getSpec().getInfrastructure().getParametersRef())
        .filter(r -> r != null && LoadBalancerConfigs.KIND.equals(r.getKind())).forEach(r -> configs.add(r.getName()));
    Set<StackId> out = new LinkedHashSet<>();
    for (String lbc : configs) {
      boolean names = gateways.loadBalancerConfigSpec(ns + "/" + lbc)
          .flatMap(spec -> LoadBalancerConfigParser.parse(spec).value().defaultTargetGroupConfiguration()).filter(name::equals).isPresent();
      if (names) {
        reconciler.classesOfLoadBalancerConfig(ns, lbc).forEach(c -> out.add(GatewayReconciler.classKey(c)));
        out.addAll(reconciler.usersOfLoadBalancerConfig(ns, lbc));
      }
    }
    return out;
  }

  Set<StackId> usersOfService(String ns, String name) {
    return reconciler.usersOf(ns, name);
  }

  /** The Gateways of the routes (HTTPRoutes and GRPCRoutes) whose rules name this ListenerRuleConfiguration. */
  Set<StackId> ofListenerRuleConfig(String ns, String name) {
    Set<StackId> out = new LinkedHashSet<>();
    String key = ns + "/" + name;
    reconciler.routes().stream().filter(r -> ListenerRuleConfigs.namedBy(r).contains(key)).forEach(r -> out.addAll(reconciler.stacksOf(r)));
    return out;
  }

  /** The Gateways using a ListenerRuleConfiguration of the Secret's namespace whose authenticate-oidc reads it. */
  Set<StackId> ofSecret(String ns, String name) {
    Set<StackId> out = new LinkedHashSet<>();
    for (ConfigSpec c : specs(gateways.listenerRuleConfigs().list())) {
      if (c.namespace().equals(ns) && oidcSecrets(c.spec()).contains(name)) {
        out.addAll(ofListenerRuleConfig(ns, c.name()));
      }
    }
    return out;
  }

  /** The status keys of the ListenerRuleConfigurations of the Secret's namespace whose authenticate-oidc reads it. */
  Set<StackId> listenerRuleConfigsReading(String ns, String name) {
    Set<StackId> out = new LinkedHashSet<>();
    specs(gateways.listenerRuleConfigs().list()).stream().filter(c -> c.namespace().equals(ns) && oidcSecrets(c.spec()).contains(name))
        .forEach(c -> out.add(GatewayReconciler.listenerRuleConfigKey(ns, c.name())));
    return out;
  }

  private static List<String> oidcSecrets(Map<String, Object> spec) {
    return spec.get("actions") instanceof List<?> actions ? actions.stream()
        .map(a -> a instanceof Map<?, ?> m && m.get("authenticateOIDCConfig") instanceof Map<?, ?> c && c.get("secret") instanceof Map<?, ?> s
            ? s.get("name") : null)
        .filter(Objects::nonNull).map(String::valueOf).toList() : List.of();
  }

  /** Each object's namespace, name and spec, as the pure builder reads them. */
  static List<ConfigSpec> specs(List<GenericKubernetesResource> objects) {
    return objects.stream().map(r -> new ConfigSpec(r.getMetadata().getNamespace(), r.getMetadata().getName(), spec(r))).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return r.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
