package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer of one custom resource whose CRD may be installed after the controller started: until it lists, it is
 * stopped and started again every {@code retry}, so the CRD is picked up without a restart (as the
 * LoadBalancerConfiguration informer of {@link GatewayInformers}). Reads never call the apiserver and are empty until
 * the cache has listed.
 */
public final class LateCrdInformer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LateCrdInformer.class);

  private final Vertx vertx;
  private final KubernetesClient client;
  private final Optional<String> namespace;
  private final long resyncMillis;
  private final Duration retry;
  private final ResourceDefinitionContext context;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile SharedIndexInformer<GenericKubernetesResource> informer;
  private volatile boolean available;

  public LateCrdInformer(Vertx vertx, KubernetesClient client, Optional<String> namespace, long resyncMillis, Duration retry,
      ResourceDefinitionContext context) {
    this.vertx = vertx;
    this.client = client;
    this.namespace = namespace;
    this.resyncMillis = resyncMillis;
    this.retry = retry;
    this.context = context;
  }

  /** {@code handler} hears every change; {@code synced} runs once the cache has listed. */
  public void start(ResourceEventHandler<GenericKubernetesResource> handler, Runnable synced) {
    if (closed.get()) {
      return;
    }
    // an explicit context: genericKubernetesResources(apiVersion, kind) would run API discovery, blocking, and throw without the CRD
    var op = client.genericKubernetesResources(context);
    var inf = (namespace.isPresent() ? op.inNamespace(namespace.get()) : op.inAnyNamespace()).runnableInformer(resyncMillis);
    inf.addEventHandler(handler);
    informer = inf;
    inf.start().toCompletableFuture().orTimeout(Math.max(5, retry.toSeconds()), TimeUnit.SECONDS).whenComplete((v, e) -> {
      if (e == null) {
        available = true;
        LOG.info("{} informer synced", context.getKind());
        synced.run();
        return;
      }
      LOG.info("{} ({}/{}) not served yet ({}); trying again in {}s", context.getKind(), context.getGroup(), context.getVersion(),
          rootMessage(e), retry.toSeconds());
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
  public List<GenericKubernetesResource> list() {
    return available ? informer.getStore().list() : List.of();
  }

  private static String rootMessage(Throwable e) {
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
