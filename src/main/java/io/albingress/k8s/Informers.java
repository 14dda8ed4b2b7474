package io.albingress.k8s;

import io.albingress.model.IngressGroup;
import io.albingress.model.ParsedIngress;
import io.albingress.validation.ClusterView;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The informer caches every component reads: Ingresses (indexed by group and by the Services they use), IngressClasses,
 * Services, EndpointSlices (by Service), Pods (by readiness gate), Nodes and Namespaces. With a
 * watched namespace, namespaced caches and the Namespace cache hold only that namespace. Reads never
 * call the apiserver, so they are safe on an event loop.
 */
public final class Informers implements ClusterView, AutoCloseable {
  static final String GROUP_INDEX = "group";
  static final String SERVICE_INDEX = "service";
  static final String BACKEND_INDEX = "backend-service";
  static final String GATE_INDEX = "readiness-gate";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final SharedIndexInformer<Ingress> ingresses;
  private final SharedIndexInformer<IngressClass> ingressClasses;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<EndpointSlice> endpointSlices;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Namespace> namespaces;
  private final OidcSecretStore oidcSecrets;

  /** @param namespace limits namespaced informers; empty watches all namespaces */
  public Informers(KubernetesClient client, Optional<String> namespace, long resyncMillis) {
    var ing = client.network().v1().ingresses();
    var svc = client.services();
    this.ingresses = (namespace.isPresent() ? ing.inNamespace(namespace.get()) : ing.inAnyNamespace()).runnableInformer(resyncMillis);
    this.services = (namespace.isPresent() ? svc.inNamespace(namespace.get()) : svc.inAnyNamespace()).runnableInformer(resyncMillis);
    var slices = client.discovery().v1().endpointSlices();
    this.endpointSlices = (namespace.isPresent() ? slices.inNamespace(namespace.get()) : slices.inAnyNamespace())
        .withLabel(SERVICE_NAME_LABEL).runnableInformer(resyncMillis);
    var pod = client.pods();
    this.pods = (namespace.isPresent() ? pod.inNamespace(namespace.get()) : pod.inAnyNamespace()).runnableInformer(resyncMillis);
    this.ingressClasses = client.network().v1().ingressClasses().runnableInformer(resyncMillis);
    this.nodes = client.nodes().runnableInformer(resyncMillis);
    this.namespaces = namespace.isPresent()
        ? client.namespaces().withField("metadata.name", namespace.get()).runnableInformer(resyncMillis)
        : client.namespaces().runnableInformer(resyncMillis);
    this.oidcSecrets = new OidcSecretStore(client, namespace, resyncMillis);
    ingresses.addIndexers(Map.of(GROUP_INDEX, i -> IngressGroup.groupName(i).map(List::of).orElse(List.of()),
        BACKEND_INDEX, ParsedIngress::serviceKeys));
    endpointSlices.addIndexers(Map.of(SERVICE_INDEX, Informers::serviceOf));
    pods.addIndexers(Map.of(GATE_INDEX, Informers::readinessGates));
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

  public SharedIndexInformer<EndpointSlice> endpointSlices() {
    return endpointSlices;
  }

  public SharedIndexInformer<Pod> pods() {
    return pods;
  }

  public SharedIndexInformer<Node> nodes() {
    return nodes;
  }

  /** The Ingresses of a namespace. */
  public List<Ingress> ingresses(String namespace) {
    return ingresses.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  /** The Ingresses whose paths, default backend or forward actions reach this Service. */
  public List<Ingress> ingressesUsing(String namespace, String service) {
    return ingresses.getIndexer().byIndex(BACKEND_INDEX, namespace + "/" + service);
  }

  /** The Services of a namespace. */
  public List<Service> services(String namespace) {
    return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  /** The EndpointSlices of a Service (by their kubernetes.io/service-name label). */
  public List<EndpointSlice> endpointSlices(String namespace, String service) {
    return endpointSlices.getIndexer().byIndex(SERVICE_INDEX, namespace + "/" + service);
  }

  /** The pods with a readiness gate of this condition type. */
  public List<Pod> podsGatedBy(String conditionType) {
    return pods.getIndexer().byIndex(GATE_INDEX, conditionType);
  }

  public Optional<Namespace> namespace(String name) {
    return Optional.ofNullable(namespaces.getStore().getByKey(name));
  }

  /** OIDC client credentials of the Secrets (the auth-idp-oidc secretName). */
  @Override
  public OidcSecretStore oidcSecrets() {
    return oidcSecrets;
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

  static List<String> serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    return service == null ? List.of() : List.of(slice.getMetadata().getNamespace() + "/" + service);
  }

  static List<String> readinessGates(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getReadinessGates() == null) {
      return List.of();
    }
    return pod.getSpec().getReadinessGates().stream().map(PodReadinessGate::getConditionType).filter(t -> t != null).toList();
  }

  private Stream<SharedIndexInformer<?>> all() {
    return Stream.of(ingresses, ingressClasses, services, endpointSlices, pods, nodes, namespaces, oidcSecrets.informer());
  }
}
