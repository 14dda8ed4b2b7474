package io.albingress.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS admission webhook server: TLS 1.2+ only, certificate reload, strict request handling.
 * It runs as several {@link WebhookVerticle} instances sharing one port, each on its own event
 * loop, so it uses every core (the controller hands it a Vert.x of its own; -Dalb.webhook.ownVertx=false shares the main one).
 */
public final class WebhookServer {
  public static final String VALIDATE_INGRESS_PATH = "/validate-networking-v1-ingress";
  public static final String MUTATE_POD_PATH = "/mutate-v1-pod";
  public static final String VALIDATE_SERVICE_PATH = "/validate-v1-service";
  public static final String VALIDATE_CLASS_PARAMS_PATH = "/validate-elbv2-k8s-aws-v1beta1-ingressclassparams";
  public static final long MAX_BODY_BYTES = 3L * 1024 * 1024;
  static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  /** How long a stopping server lets reviews in flight finish. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_GROUPS = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Where the server listens, how often it looks for renewed certificate files, and how many
   * verticle instances (event loops) serve it.
   */
  public record Config(String host, int port, Path certDir, long reloadIntervalMillis, int instances) {
    public Config(String host, int port, Path certDir, long reloadIntervalMillis) {
      this(host, port, certDir, reloadIntervalMillis, defaultInstances());
    }

    /** One per core: the event-loop pool has twice as many threads, the rest serve the reconciler and clients. */
    public static int defaultInstances() {
      return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    Path certFile() {
      return certDir.resolve("tls.crt");
    }

    Path keyFile() {
      return certDir.resolve("tls.key");
    }
  }

  record KeyPair(Buffer cert, Buffer key) {
    PemKeyCertOptions options() {
      return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    }

    ServerSSLOptions ssl() {
      return new ServerSSLOptions().setKeyCertOptions(options()).setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
    }
  }

  private final Vertx vertx;
  private final Config config;
  private final AdmissionHandler handler;
  private final List<WebhookVerticle> instances = new CopyOnWriteArrayList<>();
  private volatile String deployment;
  private volatile int actualPort = -1;
  private KeyPair current;
  private long reloadTimer = -1;

  public WebhookServer(Vertx vertx, Config config, AdmissionCodec codec, IngressAdmission ingresses, PodAdmission pods, MeterRegistry registry) {
    this(vertx, config, codec, ingresses, pods, Optional.empty(), registry);
  }

  /** With the TargetGroupBinding webhooks too. */
  public WebhookServer(Vertx vertx, Config config, AdmissionCodec codec, IngressAdmission ingresses, PodAdmission pods,
      Optional<TargetGroupBindingAdmission> bindings, MeterRegistry registry) {
    this(vertx, config, codec, ingresses, pods, bindings, Optional.empty(), registry);
  }

  /** With the TargetGroupBinding and the Gateway API webhooks too. */
  public WebhookServer(Vertx vertx, Config config, AdmissionCodec codec, IngressAdmission ingresses, PodAdmission pods,
      Optional<TargetGroupBindingAdmission> bindings, Optional<GatewayAdmission> gateways, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    List<AdmissionHandler.Webhook<?>> webhooks = new ArrayList<>(List.of(
        new AdmissionHandler.Webhook<>(VALIDATE_INGRESS_PATH, "validate-ingress", AdmissionCodec.validationReader(Ingress.class), ingresses::review),
        new AdmissionHandler.Webhook<>(MUTATE_POD_PATH, "mutate-pod", AdmissionCodec.reader(Pod.class), pods::review),
        new AdmissionHandler.Webhook<>(VALIDATE_SERVICE_PATH, "validate-service", AdmissionCodec.validationReader(Service.class),
            new ServiceAdmission()::review),
        new AdmissionHandler.Webhook<>(VALIDATE_CLASS_PARAMS_PATH, "validate-ingressclassparams",
            AdmissionCodec.reader(GenericKubernetesResource.class), new ClassParamsAdmission()::review)));
    bindings.ifPresent(b -> {
      webhooks.add(new AdmissionHandler.Webhook<>(TargetGroupBindingAdmission.MUTATE_PATH, "mutate-targetgroupbinding",
          AdmissionCodec.reader(GenericKubernetesResource.class), b::mutate));
      webhooks.add(new AdmissionHandler.Webhook<>(TargetGroupBindingAdmission.VALIDATE_PATH, "validate-targetgroupbinding",
          AdmissionCodec.reader(GenericKubernetesResource.class), b::validate));
    });
    gateways.ifPresent(g -> {
      webhooks.add(new AdmissionHandler.Webhook<>(GatewayAdmission.VALIDATE_GATEWAY_CLASS_PATH, "validate-gatewayclass",
          AdmissionCodec.reader(GatewayClass.class), g::gatewayClass));
      webhooks.add(new AdmissionHandler.Webhook<>(GatewayAdmission.VALIDATE_GATEWAY_PATH, "validate-gateway",
          AdmissionCodec.reader(Gateway.class), g::gateway));
      webhooks.add(new AdmissionHandler.Webhook<>(GatewayAdmission.VALIDATE_HTTP_ROUTE_PATH, "validate-httproute",
          AdmissionCodec.reader(HTTPRoute.class), g::httpRoute));
      webhooks.add(new AdmissionHandler.Webhook<>(GatewayAdmission.VALIDATE_GRPC_ROUTE_PATH, "validate-grpcroute",
          AdmissionCodec.reader(io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute.class), g::grpcRoute));
      webhooks.add(new AdmissionHandler.Webhook<>(GatewayAdmission.VALIDATE_LISTENER_SET_PATH, "validate-listenerset",
          AdmissionCodec.reader(io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet.class), g::listenerSet));
      GatewayConfigAdmission configs = new GatewayConfigAdmission();
      webhooks.add(new AdmissionHandler.Webhook<>(GatewayConfigAdmission.VALIDATE_TARGET_GROUP_CONFIG_PATH, "validate-targetgroupconfiguration",
          AdmissionCodec.reader(GenericKubernetesResource.class), configs::targetGroupConfig));
      webhooks.add(new AdmissionHandler.Webhook<>(GatewayConfigAdmission.VALIDATE_LISTENER_RULE_CONFIG_PATH,
          "validate-listenerruleconfiguration", AdmissionCodec.reader(GenericKubernetesResource.class), configs::listenerRuleConfig));
    });
    this.handler = new AdmissionHandler(codec, List.copyOf(webhooks), registry);
  }

  /**
   * Deploys the instances; Vert.x binds the port once and spreads connections over them. Port 0
   * becomes a negative number of this server's own, Vert.x's "one random port shared by every
   * server listening on this negative port".
   */
  public Future<WebhookServer> start() {
    int port = config.port() == 0 ? -RANDOM_PORT_GROUPS.incrementAndGet() : config.port();
    return readKeyPair().compose(pair -> {
      current = pair;
      return vertx.deployVerticle(() -> {
        WebhookVerticle v = new WebhookVerticle(config.host(), port, pair, handler, SHUTDOWN_GRACE);
        instances.add(v);
        return v;
      }, new DeploymentOptions().setInstances(config.instances()));
    }).map(id -> {
      deployment = id;
      actualPort = instances.get(0).actualPort();
      reloadTimer = vertx.setPeriodic(config.reloadIntervalMillis(), t -> reloadIfChanged());
      LOG.info("webhook server listening on https://{}:{} ({} event loops)", config.host(), actualPort, config.instances());
      return this;
    });
  }

  public int actualPort() {
    return actualPort;
  }

  /**
   * Stops accepting connections and lets reviews in flight finish (up to {@link #SHUTDOWN_GRACE});
   * HTTP/1.1 connections are closed after their current request, so clients reconnect elsewhere.
   */
  public Future<Void> stop() {
    vertx.cancelTimer(reloadTimer);
    String id = deployment;
    deployment = null;
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
  }

  /** Re-reads tls.crt and tls.key, and swaps them in when they changed (cert-manager renewals). */
  Future<Boolean> reloadIfChanged() {
    return readKeyPair().compose(pair -> {
      if (pair.equals(current)) {
        return Future.succeededFuture(false);
      }
      return Future.all(instances.stream().map(v -> v.updateSsl(pair)).toList()).map(all -> {
        current = pair;
        LOG.info("webhook certificate reloaded from {}", config.certDir());
        return true;
      });
    }).recover(e -> {
      LOG.warn("webhook certificate not reloaded, keeping the current one: {}", e.getMessage());
      return Future.succeededFuture(false);
    });
  }

  private Future<KeyPair> readKeyPair() {
    var fs = vertx.fileSystem();
    return Future.all(fs.readFile(config.certFile().toString()), fs.readFile(config.keyFile().toString()))
        .map(all -> new KeyPair(all.resultAt(0), all.resultAt(1)));
  }
}
