package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informer caches for GatewayClasses, Gateways, HTTPRoutes and ReferenceGrants (v1). The Gateway API CRDs may be installed
 * after the controller starts: until all three list, the informers are stopped and started again
 * every {@code retry}, so CRDs that arrive later are picked up without a restart. The Ingress side
 * never waits for these. Reads never call the apiserver.
 */
public final class GatewayInformers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayInformers.class);

  /**
   * Told about every change, as (old, now); registered on each new set of informers. {@code synced}
   * runs once the caches are readable: changes seen while they were listing could not be acted on yet.
   */
  public record Handlers(ResourceEventHandler<GatewayClass> classes, ResourceEventHandler<Gateway> gateways,
      ResourceEventHandler<HTTPRoute> routes, ResourceEventHandler<ReferenceGrant> grants, Runnable synced,
      ResourceEventHandler<GenericKubernetesResource> loadBalancerConfigs, Runnable loadBalancerConfigsSynced) {

    /** Without LoadBalancerConfigurations. */
    public Handlers(ResourceEventHandler<GatewayClass> classes, ResourceEventHandler<Gateway> gateways,
        ResourceEventHandler<HTTPRoute> routes, ResourceEventHandler<ReferenceGrant> grants, Runnable synced) {
      this(classes, gateways, routes, grants, synced, new ResourceEventHandler<>() {
        @Override
        public void onAdd(GenericKubernetesResource obj) {}

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {}

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {}
      }, () -> {});
    }
  }

  /** {@code gateway.k8s.aws/v1} LoadBalancerConfiguration (the reference's CRD; v1beta1 is served with the same schema). */
  public static final String LB_CONFIG_API_VERSION = "gateway.k8s.aws/v1";
  public static final String LB_CONFIG_KIND = "LoadBalancerConfiguration";
  static final ResourceDefinitionContext LB_CONFIG_CONTEXT = new ResourceDefinitionContext.Builder().withGroup("gateway.k8s.aws")
      .withVersion("v1").withKind(LB_CONFIG_KIND).withPlural("loadbalancerconfigurations").withNamespaced(true).build();

  /** {@code gateway.k8s.aws/v1} TargetGroupConfiguration and ListenerRuleConfiguration (the reference's CRDs; v1beta1 served too). */
  public static final ResourceDefinitionContext TG_CONFIG_CONTEXT = new ResourceDefinitionContext.Builder().withGroup("gateway.k8s.aws")
      .withVersion("v1").withKind("TargetGroupConfiguration").withPlural("targetgroupconfigurations").withNamespaced(true).build();
  public static final ResourceDefinitionContext LR_CONFIG_CONTEXT = new ResourceDefinitionContext.Builder().withGroup("gateway.k8s.aws")
      .withVersion("v1").withKind("ListenerRuleConfiguration").withPlural("listenerruleconfigurations").withNamespaced(true).build();

  private final LateCrdInformer<GenericKubernetesResource> targetGroupConfigs;
  private final LateCrdInformer<GenericKubernetesResource> listenerRuleConfigs;
  private final LateCrdInformer<GenericKubernetesResource> lbConfigs;
  private final LateCrdInformer<GRPCRoute> grpcRoutes;
  private final LateCrdInformer<ListenerSet> listenerSets;
  private final Vertx vertx;
  private final KubernetesClient client;
  private final Optional<String> namespace;
  private final long resyncMillis;
  private final Duration retry;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Handlers handlers;
  private volatile SharedIndexInformer<GatewayClass> classes;
  private volatile SharedIndexInformer<Gateway> gateways;
  private volatile SharedIndexInformer<HTTPRoute> routes;
  private volatile SharedIndexInformer<ReferenceGrant> grants;
  private volatile boolean available;

  public GatewayInformers(Vertx vertx, KubernetesClient client, Optional<String> namespace, long resyncMillis, Duration retry) {
    this.vertx = vertx;
    this.client = client;
    this.namespace = namespace;
    this.resyncMillis = resyncMillis;
    this.retry = retry;
    this.targetGroupConfigs = LateCrdInformer.generic(vertx, client, namespace, resyncMillis, retry, TG_CONFIG_CONTEXT);
    this.listenerRuleConfigs = LateCrdInformer.generic(vertx, client, namespace, resyncMillis, retry, LR_CONFIG_CONTEXT);
    this.lbConfigs = LateCrdInformer.generic(vertx, client, namespace, resyncMillis, retry, LB_CONFIG_CONTEXT);
    this.grpcRoutes = LateCrdInformer.typed(vertx, client, namespace, resyncMillis, retry, GRPCRoute.class);
    this.listenerSets = LateCrdInformer.typed(vertx, client, namespace, resyncMillis, retry, ListenerSet.class);
  }

  /** TargetGroupConfigurations, picked up when their CRD is installed (started by whoever registers the handlers). */
  public LateCrdInformer<GenericKubernetesResource> targetGroupConfigs() {
    return targetGroupConfigs;
  }

  /** ListenerRuleConfigurations, picked up when their CRD is installed. */
  public LateCrdInformer<GenericKubernetesResource> listenerRuleConfigs() {
    return listenerRuleConfigs;
  }

  /** LoadBalancerConfigurations, picked up when their CRD is installed (started with {@link #start}). */
  public LateCrdInformer<GenericKubernetesResource> loadBalancerConfigs() {
    return lbConfigs;
  }

  /** The resource of one of the reference's configuration kinds (LoadBalancer-, TargetGroup-, ListenerRuleConfiguration). */
  static ResourceDefinitionContext configContext(String kind) {
    return switch (kind) {
      case LB_CONFIG_KIND -> LB_CONFIG_CONTEXT;
      case "TargetGroupConfiguration" -> TG_CONFIG_CONTEXT;
      case "ListenerRuleConfiguration" -> LR_CONFIG_CONTEXT;
      default -> throw new IllegalArgumentException("not a configuration kind: " + kind);
    };
  }

  /** Starts trying; {@code handlers} hear every change once the caches list. */
  public void start(Handlers handlers) {
    this.handlers = handlers;
    tryStart();
    tryStartLoadBalancerConfigs();
  }

  /**
   * LoadBalancerConfigurations on their own informer and retry: the Gateway API works without this CRD, and
   * picks it up when it is installed later. Until then a Gateway that refers to one is told it is not found.
   */
  private void tryStartLoadBalancerConfigs() {
    lbConfigs.start(handlers.loadBalancerConfigs(), handlers.loadBalancerConfigsSynced());
  }

  /**
   * GRPCRoutes on their own informer and retry, like LoadBalancerConfigurations: HTTPRoutes work without the
   * GRPCRoute CRD, and GRPCRoutes are picked up when it is installed later. {@code synced} runs once they list.
   */
  public void startGrpcRoutes(ResourceEventHandler<GRPCRoute> handler, Runnable synced) {
    grpcRoutes.start(handler, synced);
  }

  /** ListenerSets (gateway.networking.k8s.io/v1), picked up when their CRD is installed; started by whoever registers the handlers. */
  public LateCrdInformer<ListenerSet> listenerSets() {
    return listenerSets;
  }

  /** The GRPCRoutes; empty until their CRD is served and listed. */
  public List<GRPCRoute> grpcRoutes() {
    return grpcRoutes.list();
  }

  /** The spec of a LoadBalancerConfiguration by "namespace/name"; empty when it does not exist or the CRD is not served. */
  @SuppressWarnings("unchecked")
  public Optional<java.util.Map<String, Object>> loadBalancerConfigSpec(String key) {
    Optional<GenericKubernetesResource> found = lbConfigs.get(key);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Object spec = found.get().getAdditionalProperties().get("spec");
    return Optional.of(spec instanceof java.util.Map<?, ?> m ? (java.util.Map<String, Object>) m : java.util.Map.of());
  }

  private void tryStart() {
    if (closed.get()) {
      return;
    }
    var gc = client.resources(GatewayClass.class).runnableInformer(resyncMillis);
    var gwOp = client.resources(Gateway.class);
    var rtOp = client.resources(HTTPRoute.class);
    var gw = (namespace.isPresent() ? gwOp.inNamespace(namespace.get()) : gwOp.inAnyNamespace()).runnableInformer(resyncMillis);
    var rt = (namespace.isPresent() ? rtOp.inNamespace(namespace.get()) : rtOp.inAnyNamespace()).runnableInformer(resyncMillis);
    var rgOp = client.resources(ReferenceGrant.class);
    var rg = (namespace.isPresent() ? rgOp.inNamespace(namespace.get()) : rgOp.inAnyNamespace()).runnableInformer(resyncMillis);
    gc.addEventHandler(handlers.classes());
    gw.addEventHandler(handlers.gateways());
    rt.addEventHandler(handlers.routes());
    rg.addEventHandler(handlers.grants());
    classes = gc;
    gateways = gw;
    routes = rt;
    grants = rg;
    CompletableFuture.allOf(gc.start().toCompletableFuture(), gw.start().toCompletableFuture(), rt.start().toCompletableFuture(),
            rg.start().toCompletableFuture())
        .orTimeout(Math.max(5, retry.toSeconds()), TimeUnit.SECONDS)
        .whenComplete((v, e) -> {
          if (e == null) {
            available = true;
            LOG.info("Gateway API informers synced (GatewayClass, Gateway, HTTPRoute, ReferenceGrant)");
            handlers.synced().run();
            return;
          }
          LOG.info("Gateway API resources not served yet ({}); trying again in {}s", LateCrdInformer.rootMessage(e), retry.toSeconds());
          List.of(gc, gw, rt, rg).forEach(SharedIndexInformer::stop);
          if (!closed.get()) {
            vertx.setTimer(retry.toMillis(), id -> tryStart());
          }
        });
  }

  /** The CRDs are served and the caches hold a full list. */
  public boolean available() {
    return available;
  }

  public List<GatewayClass> gatewayClasses() {
    return available ? classes.getStore().list() : List.of();
  }

  public Optional<GatewayClass> gatewayClass(String name) {
    return available ? Optional.ofNullable(classes.getStore().getByKey(name)) : Optional.empty();
  }

  public List<Gateway> gateways() {
    return available ? gateways.getStore().list() : List.of();
  }

  public Optional<Gateway> gateway(String namespace, String name) {
    return available ? Optional.ofNullable(gateways.getStore().getByKey(namespace + "/" + name)) : Optional.empty();
  }

  public List<HTTPRoute> httpRoutes() {
    return available ? routes.getStore().list() : List.of();
  }

  public List<ReferenceGrant> referenceGrants() {
    return available ? grants.getStore().list() : List.of();
  }

  @Override
  public void close() {
    closed.set(true);
    available = false;
    targetGroupConfigs.close();
    listenerRuleConfigs.close();
    lbConfigs.close();
    grpcRoutes.close();
    listenerSets.close();
    for (SharedIndexInformer<?> i : new SharedIndexInformer<?>[] {classes, gateways, routes, grants}) {
      if (i != null) {
        i.stop();
      }
    }
  }
}
