package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer of one resource whose CRD may be installed after the controller started: until it lists, it is
 * stopped and started again every {@code retry}, so the CRD is picked up without a restart. The one copy of that
 * start-and-retry loop: LoadBalancerConfigurations, TargetGroupConfigurations and ListenerRuleConfigurations
 * ({@link #generic}), GRPCRoutes and ListenerSets ({@link #typed}). Reads never call the apiserver and are empty until
 * the cache has listed.
 */
public final class LateCrdInformer<T extends HasMetadata> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LateCrdInformer.class);

  private final Vertx vertx;
  private final Duration retry;
  private final String what;
  private final Supplier<SharedIndexInformer<T>> create;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile SharedIndexInformer<T> informer;
  private volatile boolean available;

  private LateCrdInformer(Vertx vertx, Duration retry, String what, Supplier<SharedIndexInformer<T>> create) {
    this.vertx = vertx;
    this.retry = retry;
    this.what = what;
    this.create = create;
  }

  /** A custom resource read as GenericKubernetesResource through an explicit context (no API discovery, which blocks and throws without the CRD). */
  public static LateCrdInformer<GenericKubernetesResource> generic(Vertx vertx, KubernetesClient client, Optional<String> namespace,
      long resyncMillis, Duration retry, ResourceDefinitionContext context) {
    return new LateCrdInformer<>(vertx, retry, context.getKind() + " (" + context.getGroup() + "/" + context.getVersion() + ")", () -> {
      var op = client.genericKubernetesResources(context);
      return (namespace.isPresent() ? op.inNamespace(namespace.get()) : op.inAnyNamespace()).runnableInformer(resyncMillis);
    });
  }

  /** A namespaced resource with a model class. */
  public static <R extends HasMetadata> LateCrdInformer<R> typed(Vertx vertx, KubernetesClient client, Optional<String> namespace,
      long resyncMillis, Duration retry, Class<R> type) {
    return new LateCrdInformer<>(vertx, retry, type.getSimpleName() + " (" + HasMetadata.getApiVersion(type) + ")", () -> {
      var op = client.resources(type);
      return (namespace.isPresent() ? op.inNamespace(namespace.get()) : op.inAnyNamespace()).runnableInformer(resyncMillis);
    });
  }

  /** {@code handler} hears every change; {@code synced} runs once the cache has listed. */
  public void start(ResourceEventHandler<T> handler, Runnable synced) {
    if (closed.get()) {
      return;
    }
    SharedIndexInformer<T> inf = create.get();
    inf.addEventHandler(handler);
    informer = inf;
    inf.start().toCompletableFuture().orTimeout(Math.max(5, retry.toSeconds()), TimeUnit.SECONDS).whenComplete((v, e) -> {
      if (e == null) {
        available = true;
        LOG.info("{} informer synced", what);
        synced.run();
        return;
      }
      LOG.info("{} not served yet ({}); trying again in {}s", what, rootMessage(e), retry.toSeconds());
      inf.stop();
      if (!closed.get()) {
        vertx.setTimer(retry.toMillis(), id -> start(handler, synced));
      }
    });
  }

  public boolean available() {
    return available;
  }

  /** Every object; empty until the CRD is served and listed. */
  public List<T> list() {
    return available ? informer.getStore().list() : List.of();
  }

  /** One object by "namespace/name"; empty until the CRD is served and listed. */
  public Optional<T> get(String key) {
    return available ? Optional.ofNullable(informer.getStore().getByKey(key)) : Optional.empty();
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public void close() {
    closed.set(true);
    available = false;
    if (informer != null) {
      informer.stop();
    }
  }
}
