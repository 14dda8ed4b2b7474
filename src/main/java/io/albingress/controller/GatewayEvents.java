package io.albingress.controller;

import io.albingress.gateway.ConfigFinalizers;
import io.albingress.gateway.GrpcRoutes;
import io.albingress.k8s.ChangeHandler;
import io.albingress.k8s.GatewayInformers;
import io.albingress.k8s.Informers;
import io.albingress.k8s.OidcSecretStore;
import io.albingress.model.StackId;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.vertx.core.eventbus.EventBus;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** Maps Gateway API (and Service) events to the Gateway stacks they affect and sends those on the event bus. */
public final class GatewayEvents {
  private final EventBus bus;
  private final GatewayInformers gateways;
  private final GatewayReconciler reconciler;

  public GatewayEvents(EventBus bus, GatewayInformers gateways, GatewayReconciler reconciler) {
    this.bus = bus;
    this.gateways = gateways;
    this.reconciler = reconciler;
  }

  /** Starts the Gateway API informers (retrying until the CRDs are served) with these handlers. */
  public void register(Informers informers) {
    gateways.start(new GatewayInformers.Handlers(
        ChangeHandler.of((GatewayClass old, GatewayClass now) -> {
          GatewayClass c = now != null ? now : old;
          // its own status (Accepted) first, whether or not a Gateway uses it
          send(Set.of(GatewayReconciler.classKey(c.getMetadata().getName())));
          send(gateways.gateways().stream().filter(g -> Objects.equals(g.getSpec().getGatewayClassName(), c.getMetadata().getName()))
              .map(GatewayReconciler::id).toList());
          send(reconciler.deletingConfigs());
        }),
        ChangeHandler.of((Gateway old, Gateway now) -> {
          send(Set.of(GatewayReconciler.id(now != null ? now : old)));
          send(reconciler.deletingConfigs());
        }),
        ChangeHandler.of((HTTPRoute old, HTTPRoute now) -> {
          Set<StackId> stacks = new LinkedHashSet<>();
          if (old != null) {
            stacks.addAll(reconciler.stacksOf(old));
          }
          if (now != null) {
            stacks.addAll(reconciler.stacksOf(now));
          }
          send(stacks);
          send(reconciler.deletingConfigs());
        }),
        // a grant may open or close a backend of any Gateway's routes
        ChangeHandler.of((ReferenceGrant old, ReferenceGrant now) -> send(reconciler.knownStacks())),
        () -> send(reconciler.knownStacks()),
        // a LoadBalancerConfiguration changes the Gateways that use it, directly or through their class
        ChangeHandler.of((GenericKubernetesResource old, GenericKubernetesResource now) -> {
          GenericKubernetesResource c = now != null ? now : old;
          // its own finalizer first, then (for a default TargetGroupConfiguration being deleted) those it may release
          send(Set.of(GatewayReconciler.configKey(ConfigFinalizers.Kind.LOAD_BALANCER, c.getMetadata().getNamespace(), c.getMetadata().getName())));
          send(reconciler.deletingConfigs());
          send(reconciler.classesOfLoadBalancerConfig(c.getMetadata().getNamespace(), c.getMetadata().getName()).stream()
              .map(GatewayReconciler::classKey).toList());
          send(reconciler.usersOfLoadBalancerConfig(c.getMetadata().getNamespace(), c.getMetadata().getName()));
        }),
        () -> send(reconciler.knownStacks())));
    gateways.startGrpcRoutes(ChangeHandler.of((GRPCRoute old, GRPCRoute now) -> {
      Set<StackId> stacks = new LinkedHashSet<>();
      if (old != null) {
        stacks.addAll(reconciler.stacksOf(GrpcRoutes.view(old)));
      }
      if (now != null) {
        stacks.addAll(reconciler.stacksOf(GrpcRoutes.view(now)));
      }
      send(stacks);
      send(reconciler.deletingConfigs());
    }), () -> send(reconciler.knownStacks()));
    // a ListenerSet changes the Gateway it names (before and after), and with it the routes attached to it
    gateways.listenerSets().start(ChangeHandler.of((ListenerSet old, ListenerSet now) -> {
      Set<StackId> stacks = new LinkedHashSet<>();
      if (old != null) {
        stacks.addAll(GatewayReconciler.stacksOf(old));
      }
      if (now != null) {
        stacks.addAll(GatewayReconciler.stacksOf(now));
      }
      send(stacks);
    }), () -> send(reconciler.knownStacks()));
    // TargetGroupConfigurations and ListenerRuleConfigurations (CRDs that may arrive later), and the OIDC Secrets the latter read
    GatewayConfigUsers users = new GatewayConfigUsers(gateways, reconciler);
    gateways.targetGroupConfigs().start(ChangeHandler.of((GenericKubernetesResource old, GenericKubernetesResource now) -> {
      GenericKubernetesResource c = now != null ? now : old;
      // its own finalizer first
      send(Set.of(GatewayReconciler.configKey(ConfigFinalizers.Kind.TARGET_GROUP, c.getMetadata().getNamespace(), c.getMetadata().getName())));
      Set<StackId> stacks = new LinkedHashSet<>();
      if (old != null) {
        stacks.addAll(users.ofTargetGroupConfig(old));
      }
      if (now != null) {
        stacks.addAll(users.ofTargetGroupConfig(now));
      }
      send(stacks);
    }), () -> send(reconciler.knownStacks()));
    gateways.listenerRuleConfigs().start(ChangeHandler.of((GenericKubernetesResource old, GenericKubernetesResource now) -> {
      GenericKubernetesResource c = now != null ? now : old;
      // its own finalizer and status (accepted) first, whether or not a route uses it
      send(Set.of(GatewayReconciler.listenerRuleConfigKey(c.getMetadata().getNamespace(), c.getMetadata().getName())));
      send(users.ofListenerRuleConfig(c.getMetadata().getNamespace(), c.getMetadata().getName()));
    }), () -> send(reconciler.knownStacks()));
    informers.oidcSecrets().informer().addEventHandler(ChangeHandler.of((Secret old, Secret now) -> {
      Secret s = now != null ? now : old;
      // a resync, or a change of keys OIDC does not read, affects no Gateway
      if (old == null || now == null || !OidcSecretStore.decoded(old).equals(OidcSecretStore.decoded(now))) {
        send(users.listenerRuleConfigsReading(s.getMetadata().getNamespace(), s.getMetadata().getName()));
        send(users.ofSecret(s.getMetadata().getNamespace(), s.getMetadata().getName()));
      }
    }));
    informers.services().addEventHandler(ChangeHandler.of((Service old, Service now) -> {
      send(reconciler.usersOf(now != null ? now : old));
      // a TargetGroupConfiguration being deleted is released when its Service goes
      if (now == null) {
        send(reconciler.deletingConfigs());
      }
    }));
    // a Secret that listeners' tls.certificateRefs name: re-imported when it changes (a resync changes nothing)
    informers.oidcSecrets().informer().addEventHandler(ChangeHandler.of((Secret old, Secret now) -> {
      if (old != null && now != null && Objects.equals(old.getMetadata().getResourceVersion(), now.getMetadata().getResourceVersion())) {
        return;
      }
      Secret s = now != null ? now : old;
      send(reconciler.usersOfSecret(s.getMetadata().getNamespace(), s.getMetadata().getName()));
    }));
  }

  private void send(Collection<StackId> stacks) {
    stacks.forEach(id -> bus.send(ReconcilerVerticle.ADDRESS, id.key()));
  }
}
