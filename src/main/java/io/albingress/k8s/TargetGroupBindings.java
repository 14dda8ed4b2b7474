package io.albingress.k8s;

import io.albingress.binding.TargetGroupBinding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TargetGroupBindings (elbv2.k8s.aws/v1beta1): their informer cache, and the writes the controller
 * makes to them (finalizer, status.observedGeneration). When the CRD is not installed, the cache stays
 * empty and a warning says so: Ingresses work without it. Writes run on workers (fabric8 blocks).
 */
public final class TargetGroupBindings implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TargetGroupBindings.class);
  public static final String CRD_NAME = TargetGroupBinding.PLURAL + "." + TargetGroupBinding.GROUP;
  /** Spelled out: no discovery call (which would block) to find the resource. */
  static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder().withGroup(TargetGroupBinding.GROUP)
      .withVersion(TargetGroupBinding.VERSION).withKind(TargetGroupBinding.KIND).withPlural(TargetGroupBinding.PLURAL).withNamespaced(true).build();

  private final Vertx vertx;
  private final KubernetesClient client;
  private final ObjectEdits edits;
  private final Optional<String> namespace;
  private final long resyncMillis;
  private final List<ResourceEventHandler<GenericKubernetesResource>> handlers = new CopyOnWriteArrayList<>();
  private volatile SharedIndexInformer<GenericKubernetesResource> informer;
  private volatile boolean absent;

  public TargetGroupBindings(Vertx vertx, KubernetesClient client, Optional<String> namespace, long resyncMillis) {
    this.vertx = vertx;
    this.client = client;
    this.edits = new ObjectEdits(vertx, client);
    this.namespace = namespace;
    this.resyncMillis = resyncMillis;
  }

  /** Handlers added before {@link #start()} see every binding as an add. */
  public void addEventHandler(ResourceEventHandler<GenericKubernetesResource> handler) {
    handlers.add(handler);
    if (informer != null) {
      informer.addEventHandler(handler);
    }
  }

  /** Completes once the cache holds a full list, or at once when the CRD is not installed. */
  public Future<Void> start() {
    return vertx.executeBlocking(() -> client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get() != null, false)
        .recover(e -> {
          LOG.warn("could not look up the {} CRD ({}); assuming it is installed", CRD_NAME, e.getMessage());
          return Future.succeededFuture(true);
        })
        .compose(installed -> {
          if (!installed) {
            absent = true;
            LOG.warn("the TargetGroupBinding CRD ({}) is not installed: TargetGroupBindings are not served; install deploy/crds/", CRD_NAME);
            return Future.succeededFuture();
          }
          var resources = client.genericKubernetesResources(CONTEXT);
          SharedIndexInformer<GenericKubernetesResource> inf = (namespace.isPresent() ? resources.inNamespace(namespace.get())
              : resources.inAnyNamespace()).runnableInformer(resyncMillis);
          handlers.forEach(inf::addEventHandler);
          informer = inf;
          return Future.fromCompletionStage(inf.start(), vertx.getOrCreateContext()).<Void>mapEmpty();
        });
  }

  public boolean synced() {
    return absent || (informer != null && informer.hasSynced());
  }

  /** Every binding in the cache. */
  public List<TargetGroupBinding> all() {
    SharedIndexInformer<GenericKubernetesResource> inf = informer;
    return inf == null ? List.of() : inf.getStore().list().stream().map(TargetGroupBindings::read).toList();
  }

  public Optional<GenericKubernetesResource> get(String key) {
    SharedIndexInformer<GenericKubernetesResource> inf = informer;
    return inf == null ? Optional.empty() : Optional.ofNullable(inf.getStore().getByKey(key));
  }

  public static TargetGroupBinding read(GenericKubernetesResource r) {
    return TargetGroupBinding.of(r, r.getMetadata().getNamespace());
  }

  public static boolean hasFinalizer(GenericKubernetesResource r) {
    return ObjectEdits.hasFinalizer(r, TargetGroupBinding.FINALIZER);
  }

  @SuppressWarnings("unchecked")
  public static long observedGeneration(GenericKubernetesResource r) {
    Object status = r.getAdditionalProperties().get("status");
    Object g = status instanceof Map<?, ?> s ? ((Map<String, Object>) s).get("observedGeneration") : null;
    return g instanceof Number n ? n.longValue() : -1;
  }

  public Future<Void> addFinalizer(GenericKubernetesResource r) {
    if (hasFinalizer(r)) {
      return Future.succeededFuture();
    }
    List<String> f = r.getMetadata().getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(r.getMetadata().getFinalizers());
    f.add(TargetGroupBinding.FINALIZER);
    return patchFinalizers(r, f);
  }

  public Future<Void> removeFinalizer(GenericKubernetesResource r) {
    if (!hasFinalizer(r)) {
      return Future.succeededFuture();
    }
    List<String> f = new ArrayList<>(r.getMetadata().getFinalizers());
    f.remove(TargetGroupBinding.FINALIZER);
    return patchFinalizers(r, f);
  }

  /** status.observedGeneration, only when it differs. */
  public Future<Void> writeObservedGeneration(GenericKubernetesResource r) {
    long generation = r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
    if (observedGeneration(r) == generation) {
      return Future.succeededFuture();
    }
    String patch = client.getKubernetesSerialization().asJson(Map.of("status", Map.of("observedGeneration", generation)));
    return blocking(() -> resource(r).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  /** With the resourceVersion: a concurrent change fails the write (409) instead of being overwritten. */
  private Future<Void> patchFinalizers(GenericKubernetesResource r, List<String> finalizers) {
    String patch = client.getKubernetesSerialization().asJson(Map.of("metadata",
        Map.of("finalizers", finalizers, "resourceVersion", r.getMetadata().getResourceVersion())));
    return blocking(() -> resource(r).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  private io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource(GenericKubernetesResource r) {
    return client.genericKubernetesResources(CONTEXT)
        .inNamespace(r.getMetadata().getNamespace()).withName(r.getMetadata().getName());
  }

  private Future<Void> blocking(Runnable call) {
    return edits.blocking(call);
  }

  @Override
  public void close() {
    SharedIndexInformer<GenericKubernetesResource> inf = informer;
    if (inf != null) {
      inf.stop();
    }
  }
}
