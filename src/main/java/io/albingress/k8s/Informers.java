package io.albingress.k8s;

import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.params.ParamsLookup;
import io.albingress.model.params.ParamsSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.function.Function;
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
public final class Informers implements ClusterView, ParamsSource, AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Informers.class);
  public static final String PARAMS_API_VERSION = "elbv2.k8s.aws/v1beta1";
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
  private final SharedIndexInformer<GenericKubernetesResource> classParams;
  private volatile boolean paramsWatched = true;
  /** How an Ingress's group is found: by annotation until {@link #useClasses} adds the class params' group. */
  private volatile Function<Ingress, Optional<String>> groupOf = IngressGroup::groupName;
  private volatile Function<Ingress, ParsedIngress> parser = ParsedIngress::of;

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
    this.classParams = client.genericKubernetesResources(PARAMS_API_VERSION, ParamsLookup.KIND).runnableInformer(resyncMillis);
    ingresses.addIndexers(Map.of(GROUP_INDEX, i -> groupOf.apply(i).map(List::of).orElse(List.of()),
        BACKEND_INDEX, ParsedIngress::serviceKeys));
    // only the fields read are kept: whole Pods, Nodes and EndpointSlices are most of a large cluster's cache
    endpointSlices.itemStore(new SlimStore<>(SlimStore::endpointSlice));
    pods.itemStore(new SlimStore<>(SlimStore::pod));
    nodes.itemStore(new SlimStore<>(SlimStore::node));
    endpointSlices.addIndexers(Map.of(SERVICE_INDEX, Informers::serviceOf));
    pods.addIndexers(Map.of(GATE_INDEX, Informers::readinessGates));
  }

  /**
   * Completes once every cache holds a full list. Without the IngressClassParams CRD the controller still runs: no
   * params are known, so a class that names params keeps its Ingresses out with that reason.
   */
  public CompletionStage<Void> start() {
    CompletableFuture<Void> params = classParams.start().toCompletableFuture().exceptionally(e -> {
      paramsWatched = false;
      LOG.warn("IngressClassParams ({}) cannot be watched, is the CRD installed? {}", PARAMS_API_VERSION, e.toString());
      return null;
    });
    return CompletableFuture.allOf(Stream.concat(all().map(i -> i.start().toCompletableFuture()), Stream.of(params))
        .toArray(CompletableFuture[]::new));
  }

  public boolean synced() {
    return all().allMatch(SharedIndexInformer::hasSynced) && (!paramsWatched || classParams.hasSynced());
  }

  /**
   * Indexes groups and parses group members as the classes say, with their IngressClassParams (a params group wins
   * over group.name). Call before {@link #start}.
   */
  public void useClasses(IngressClassMatcher classes) {
    this.groupOf = classes::groupName;
    this.parser = classes::parse;
  }

  public SharedIndexInformer<GenericKubernetesResource> classParams() {
    return classParams;
  }

  public SharedIndexInformer<Namespace> namespaces() {
    return namespaces;
  }

  @Override
  public List<ParsedIngress> parsedGroupMembers(String groupName) {
    return groupMembers(groupName).stream().map(parser).toList();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> spec(String name) {
    GenericKubernetesResource r = classParams.getStore().getByKey(name);
    if (r == null) {
      return Optional.empty();
    }
    Object spec = r.getAdditionalProperties().get("spec");
    return Optional.of(spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
  }

  @Override
  public List<String> names() {
    return classParams.getStore().listKeys().stream().sorted().toList();
  }

  @Override
  public Optional<Map<String, String>> namespaceLabels(String name) {
    return namespace(name).map(n -> n.getMetadata().getLabels() == null ? Map.<String, String>of() : n.getMetadata().getLabels());
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
    classParams.stop();
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
