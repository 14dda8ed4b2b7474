package io.albingress.k8s;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.validation.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The informer caches every component reads: Ingresses (indexed by group), IngressClasses and
 * Services. Reads never call the apiserver, so they are safe on an event loop.
 */
public final class Informers implements ClusterView, AutoCloseable {
  static final String GROUP_INDEX = "group";

  private final SharedIndexInformer<Ingress> ingresses;
  private final SharedIndexInformer<IngressClass> ingressClasses;
  private final SharedIndexInformer<Service> services;

  /** @param namespace limits namespaced informers; empty watches all namespaces */
  public Informers(KubernetesClient client, Optional<String> namespace, long resyncMillis) {
    var ing = client.network().v1().ingresses();
    var svc = client.services();
    this.ingresses = (namespace.isPresent() ? ing.inNamespace(namespace.get()) : ing.inAnyNamespace()).runnableInformer(resyncMillis);
    this.services = (namespace.isPresent() ? svc.inNamespace(namespace.get()) : svc.inAnyNamespace()).runnableInformer(resyncMillis);
    this.ingressClasses = client.network().v1().ingressClasses().runnableInformer(resyncMillis);
    ingresses.addIndexers(Map.of(GROUP_INDEX, i -> groupOf(i).map(List::of).orElse(List.of())));
  }

  /** Completes once every cache holds a full list. */
  public CompletionStage<Void> start() {
    return CompletableFuture.allOf(all().map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new));
  }

  public boolean synced() {
    return all().allMatch(SharedIndexInformer::hasSynced);
  }

  public SharedIndexInformer<Ingress> ingresses() {
    return ingresses;
  }

  public SharedIndexInformer<Service> services() {
    return services;
  }

  public SharedIndexInformer<IngressClass> ingressClasses() {
    return ingressClasses;
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(services.getStore().getByKey(namespace + "/" + name));
  }

  @Override
  public Optional<IngressClass> ingressClass(String name) {
    return Optional.ofNullable(ingressClasses.getStore().getByKey(name));
  }

  @Override
  public List<Ingress> groupMembers(String groupName) {
    return ingresses.getIndexer().byIndex(GROUP_INDEX, groupName);
  }

  @Override
  public void close() {
    all().forEach(SharedIndexInformer::stop);
  }

  static Optional<String> groupOf(HasMetadata object) {
    Map<String, String> a = object.getMetadata().getAnnotations();
    return Optional.ofNullable(a == null ? null : a.get(AnnotationCatalog.key("group.name"))).map(String::trim).filter(s -> !s.isEmpty());
  }

  private Stream<SharedIndexInformer<?>> all() {
    return Stream.of(ingresses, ingressClasses, services);
  }
}
