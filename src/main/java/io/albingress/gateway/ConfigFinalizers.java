package io.albingress.gateway;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finalizers on the reference's configuration CRDs, as its {@code controllers/gateway/*_configuration_controller.go}:
 * every LoadBalancerConfiguration, TargetGroupConfiguration and ListenerRuleConfiguration gets its kind's finalizer
 * (the reference's names, so objects it finalized are released by us too) when it is seen; a deleted one keeps it while
 * something uses it and loses it once nothing does. What uses one (the reference's checks):
 * <ul>
 *   <li>LoadBalancerConfiguration: a GatewayClass of ours naming it in {@code spec.parametersRef}, or a Gateway of ours
 *       naming it in {@code spec.infrastructure.parametersRef} ({@link #loadBalancerConfigUsers});</li>
 *   <li>TargetGroupConfiguration with a {@code targetReference}: a Gateway of ours with a route forwarding to that
 *       Service, unless the Service is gone; without one (a default): a LoadBalancerConfiguration of its namespace that
 *       names it as {@code defaultTargetGroupConfiguration} and is itself in use;</li>
 *   <li>ListenerRuleConfiguration: an HTTPRoute or GRPCRoute whose rules name it in an ExtensionRef filter
 *       ({@link #listenerRuleConfigUsers}).</li>
 * </ul>
 * Pure.
 */
public final class ConfigFinalizers {
  private ConfigFinalizers() {}

  /** The three kinds, each with the reference's finalizer. */
  public enum Kind {
    LOAD_BALANCER("LoadBalancerConfiguration", "gateway.k8s.aws/loadbalancerconfigurations"),
    TARGET_GROUP("TargetGroupConfiguration", "gateway.k8s.aws/targetgroupconfigurations"),
    LISTENER_RULE("ListenerRuleConfiguration", "gateway.k8s.aws/listenerruleconfigurations");

    private final String kind;
    private final String finalizer;

    Kind(String kind, String finalizer) {
      this.kind = kind;
      this.finalizer = finalizer;
    }

    public String kind() {
      return kind;
    }

    public String finalizer() {
      return finalizer;
    }

    public static java.util.Optional<Kind> of(String kind) {
      return java.util.Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
    }
  }

  /** What to do with one object's finalizer. */
  public sealed interface Step {
    /** A live object without the finalizer: add it. */
    record Add() implements Step {}

    /** A deleted object nothing uses any more: remove the finalizer. */
    record Remove() implements Step {}

    /** A deleted object still in use: the finalizer stays; {@code users} says by what. */
    record Wait(List<String> users) implements Step {}

    /** Nothing to do. */
    record None() implements Step {}
  }

  /** The step for one object; {@code users} is asked only for a deleted object holding the finalizer. */
  public static Step step(HasMetadata o, Kind kind, Supplier<List<String>> users) {
    List<String> finalizers = o.getMetadata().getFinalizers() == null ? List.of() : o.getMetadata().getFinalizers();
    boolean has = finalizers.contains(kind.finalizer());
    if (o.getMetadata().getDeletionTimestamp() == null) {
      return has ? new Step.None() : new Step.Add();
    }
    if (!has) {
      return new Step.None();
    }
    List<String> using = users.get();
    return using.isEmpty() ? new Step.Remove() : new Step.Wait(List.copyOf(using));
  }

  /**
   * What uses a LoadBalancerConfiguration: {@code classes} (ours) naming it in spec.parametersRef, and {@code gateways}
   * (ours) of its namespace naming it in spec.infrastructure.parametersRef; as "GatewayClass name" and "Gateway ns/name".
   */
  public static List<String> loadBalancerConfigUsers(String namespace, String name, List<GatewayClass> classes, List<Gateway> gateways) {
    List<String> out = new ArrayList<>();
    classes.stream().filter(gc -> gc.getSpec() != null && gc.getSpec().getParametersRef() != null
            && LoadBalancerConfigs.KIND.equals(gc.getSpec().getParametersRef().getKind())
            && namespace.equals(gc.getSpec().getParametersRef().getNamespace()) && name.equals(gc.getSpec().getParametersRef().getName()))
        .forEach(gc -> out.add("GatewayClass " + gc.getMetadata().getName()));
    gateways.stream().filter(g -> namespace.equals(g.getMetadata().getNamespace()) && g.getSpec() != null
            && g.getSpec().getInfrastructure() != null && g.getSpec().getInfrastructure().getParametersRef() != null
            && LoadBalancerConfigs.KIND.equals(g.getSpec().getInfrastructure().getParametersRef().getKind())
            && name.equals(g.getSpec().getInfrastructure().getParametersRef().getName()))
        .forEach(g -> out.add("Gateway " + namespace + "/" + g.getMetadata().getName()));
    return out;
  }

  /** The routes (HTTPRoutes, and GRPCRoutes as their views) whose rules name the ListenerRuleConfiguration. */
  public static List<String> listenerRuleConfigUsers(String namespace, String name, List<HTTPRoute> routes) {
    String key = namespace + "/" + name;
    return routes.stream().filter(r -> ListenerRuleConfigs.namedBy(r).contains(key))
        .map(r -> GrpcRoutes.kind(r) + " " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()).sorted().toList();
  }

  /**
   * What uses a TargetGroupConfiguration with a targetReference: the Gateways ({@code serviceUsers}, "namespace/name")
   * with a route forwarding to the Service, when the Service exists; a default one: {@code defaultUsers}, the users of
   * the LoadBalancerConfigurations naming it.
   */
  public static List<String> targetGroupConfigUsers(boolean targetsService, boolean serviceExists, Set<String> serviceUsers,
      List<String> defaultUsers) {
    if (!targetsService) {
      return defaultUsers;
    }
    return serviceExists ? serviceUsers.stream().filter(Objects::nonNull).sorted().map(g -> "Gateway " + g).toList() : List.of();
  }
}
