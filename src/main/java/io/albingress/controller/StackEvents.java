package io.albingress.controller;

import io.albingress.k8s.ChangeHandler;
import io.albingress.k8s.Informers;
import io.albingress.k8s.OidcSecretStore;
import io.albingress.model.StackId;
import io.albingress.annotations.AuthAnnotations;
import io.albingress.model.ParsedIngress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.vertx.core.eventbus.EventBus;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Maps informer events to the stacks they affect and sends those on the event bus. */
public final class StackEvents {
  private final EventBus bus;
  private final Informers informers;
  private final StackReconciler reconciler;

  public StackEvents(EventBus bus, Informers informers, StackReconciler reconciler) {
    this.bus = bus;
    this.informers = informers;
    this.reconciler = reconciler;
  }

  public void register() {
    informers.ingresses().addEventHandler(handler((Ingress old, Ingress now) -> {
      Set<StackId> stacks = new LinkedHashSet<>();
      if (old != null) {
        stacks.addAll(reconciler.stacksOf(old));
      }
      if (now != null) {
        stacks.addAll(reconciler.stacksOf(now));
      }
      return stacks;
    }));
    informers.services().addEventHandler(handler((Service old, Service now) -> usersOf(now != null ? now : old)));
    informers.oidcSecrets().informer().addEventHandler(handler((Secret old, Secret now) ->
        // a resync, or a change of keys OIDC does not read, affects no stack
        old != null && now != null && OidcSecretStore.decoded(old).equals(OidcSecretStore.decoded(now)) ? Set.of()
            : usersOf(now != null ? now : old)));
    informers.ingressClasses().addEventHandler(handler((IngressClass old, IngressClass now) -> reconciler.knownStacks()));
    // params and namespace labels decide settings and which namespaces may use a class
    informers.classParams().addEventHandler(handler((GenericKubernetesResource old, GenericKubernetesResource now) -> reconciler.knownStacks()));
    informers.namespaces().addEventHandler(handler((Namespace old, Namespace now) ->
        old == null || now == null || java.util.Objects.equals(old.getMetadata().getLabels(), now.getMetadata().getLabels())
            ? java.util.List.of() : reconciler.knownStacks()));
  }

  /** Stacks of the Ingresses that route to the Service, looked up in the informer's index. */
  Set<StackId> usersOf(Service service) {
    Set<StackId> stacks = new LinkedHashSet<>();
    for (Ingress ingress : informers.ingressesUsing(service.getMetadata().getNamespace(), service.getMetadata().getName())) {
      stacks.addAll(reconciler.stacksOf(ingress));
    }
    return stacks;
  }

  /** Stacks of the Ingresses of the Secret's namespace whose auth-idp-oidc (on the Ingress or a backend Service) names it. */
  Set<StackId> usersOf(Secret secret) {
    String ns = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    Set<StackId> stacks = new LinkedHashSet<>();
    for (Ingress ingress : informers.ingresses(ns)) {
      Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? Map.of() : ingress.getMetadata().getAnnotations();
      boolean uses = names(annotations, Map.of()).contains(name) || ParsedIngress.of(ingress).services().stream()
          .map(svc -> informers.service(ns, svc)).flatMap(java.util.Optional::stream)
          .anyMatch(svc -> names(annotations, svc.getMetadata().getAnnotations()).contains(name));
      if (uses) {
        stacks.addAll(reconciler.stacksOf(ingress));
      }
    }
    return stacks;
  }

  private static Set<String> names(Map<String, String> ingress, Map<String, String> service) {
    return AuthAnnotations.parse(ingress, service, "").value().oidc().map(o -> Set.of(o.secretName())).orElse(Set.of());
  }

  private interface Affected<T> {
    Collection<StackId> stacks(T old, T now);
  }

  private <T> ResourceEventHandler<T> handler(Affected<T> affected) {
    return ChangeHandler.of((old, now) -> send(affected.stacks(old, now)));
  }

  private void send(Collection<StackId> stacks) {
    stacks.forEach(id -> bus.send(ReconcilerVerticle.ADDRESS, id.key()));
  }
}
