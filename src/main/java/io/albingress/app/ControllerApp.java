package io.albingress.app;

import io.albingress.aws.AwsClients;
import io.albingress.aws.SdkEc2SecurityGroups;
import io.albingress.deploy.SecurityGroupSynthesizer;
import io.albingress.aws.CachedAwsFacts;
import io.albingress.aws.SdkShieldPort;
import io.albingress.aws.SdkWafRegionalPort;
import io.albingress.aws.SdkWafv2Port;
import io.albingress.aws.SdkAcmPort;
import io.albingress.aws.SdkElbv2;
import io.albingress.aws.SdkTargetGroupLookup;
import io.albingress.aws.LeadershipGate;
import io.albingress.controller.GatewayEvents;
import io.albingress.controller.GatewayReconciler;
import io.albingress.controller.Leader;
import io.albingress.controller.ReconcilerVerticle;
import io.albingress.controller.StackEvents;
import io.albingress.controller.StackReconciler;
import io.albingress.deploy.Elbv2;
import io.albingress.deploy.ImportedCertificates;
import io.albingress.deploy.Inventory;
import io.albingress.deploy.LoadBalancerAddOns;
import io.albingress.deploy.ShieldProtection;
import io.albingress.deploy.WafClassicAssociation;
import io.albingress.deploy.Wafv2Association;
import io.albingress.deploy.StackDeployer;
import io.albingress.k8s.EventRecorder;
import io.albingress.k8s.GatewayInformers;
import io.albingress.k8s.GatewayWriter;
import io.albingress.k8s.Informers;
import io.albingress.k8s.IngressWriter;
import io.albingress.k8s.KubernetesClients;
import io.albingress.k8s.PodConditionWriter;
import io.albingress.k8s.TargetGroupBindings;
import io.albingress.metrics.JvmMeters;
import io.albingress.model.IngressClassMatcher;
import io.albingress.ops.OpsServers;
import io.albingress.targets.ReadinessGateInjector;
import io.albingress.targets.ReadinessGateTargets;
import io.albingress.targets.ReadinessGates;
import io.albingress.targets.TargetEndpoints;
import io.albingress.targets.TargetsVerticle;
import io.albingress.validation.IngressValidator;
import io.albingress.webhook.AdmissionCodec;
import io.albingress.webhook.GatewayAdmission;
import io.albingress.webhook.IngressAdmission;
import io.albingress.webhook.PodAdmission;
import io.albingress.webhook.PodMutator;
import io.albingress.webhook.TargetGroupBindingAdmission;
import io.albingress.webhook.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the controller process together: informers, AWS clients, webhook, probes and metrics. */
public final class ControllerApp {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerApp.class);
  static final Duration AWS_FACTS_TTL = Duration.ofMinutes(5);
  static final Duration AWS_FACTS_DEADLINE = Duration.ofSeconds(3);
  /** How soon an unhealthy target that a readiness gate waits on is looked at again. */
  static final Duration TARGET_HEALTH_RECHECK = Duration.ofSeconds(10);
  /** How often Gateway API informers try again while the CRDs are not served. */
  static final Duration GATEWAY_CRD_RETRY = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final KubernetesClient kube;
  private final Informers informers;
  private final AwsClients aws;
  private TargetGroupBindings tgbs;
  private WebhookServer webhook;
  private Vertx webhookVertx;
  private ReconcilerVerticle reconciler;
  private TargetsVerticle targets;
  private Inventory inventory;
  private PrometheusMeterRegistry registry;
  private JvmMeters jvmMeters;
  private HttpServer metricsServer;
  private Leadership leadership;
  private GatewayInformers gatewayInformers;
  private ControllerSettings settings;

  private ControllerApp(Vertx vertx, KubernetesClient kube, Informers informers, AwsClients aws) {
    this.vertx = vertx;
    this.kube = kube;
    this.informers = informers;
    this.aws = aws;
  }

  /** Runs until the process is told to stop; returns the exit code. */
  public static int run(ControllerSettings settings) throws InterruptedException {
    ControllerApp app = start(settings).toCompletionStage().toCompletableFuture().exceptionally(e -> null).join();
    if (app == null) {
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.stop();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The JDK's PKCS12 key stores protect each key with 10,000 rounds of PBKDF2 when it is put in and
   * again when it is read; the Kubernetes client (a kubeconfig's client key) and the webhook's TLS
   * (tls.key) put their keys in key stores that live only in this process's memory, next to the key
   * itself, so the rounds protect nothing and cost a noticeable share of start-up CPU. Set unless the
   * user chose a count ({@code -Dkeystore.pkcs12.keyPbeIterationCount}).
   */
  static final String KEY_PBE_ITERATIONS = "keystore.pkcs12.keyPbeIterationCount";

  public static Future<ControllerApp> start(ControllerSettings settings) {
    if (System.getProperty(KEY_PBE_ITERATIONS) == null) {
      System.setProperty(KEY_PBE_ITERATIONS, "1");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JvmMeters jvmMeters = JvmMeters.bindTo(registry);
    Vertx vertx = vertx(registry);
    // with leader election, ELBv2 stays closed until this replica leads
    LeadershipGate gate = settings.leaderElect() ? LeadershipGate.closed() : LeadershipGate.alwaysOpen();
    // the AWS clients (mostly loading and initializing SDK classes) are built on a thread of their own while
    // this one builds the Kubernetes client and the informers: independent steps, both on the way to ready
    CompletableFuture<AwsClients> awsClients = new CompletableFuture<>();
    Thread awsStart = new Thread(() -> {
      try {
        awsClients.complete(AwsClients.create(vertx, settings.awsRegion(), registry, gate, settings.awsApiThrottle()));
      } catch (RuntimeException | Error e) {
        awsClients.completeExceptionally(e);
      }
    }, "aws-clients-start");
    awsStart.setDaemon(true);
    awsStart.start();
    KubernetesClient kube = KubernetesClients.create(vertx, settings.kubeconfig());
    Informers informers = new Informers(kube, settings.watchNamespace(), settings.syncPeriod().toMillis());
    AwsClients aws = joined(awsClients);
    ControllerApp app = new ControllerApp(vertx, kube, informers, aws);
    app.settings = settings;

    KubernetesSerialization serialization = kube.getKubernetesSerialization();
    AdmissionCodec codec = new AdmissionCodec();
    IngressClassMatcher classes = new IngressClassMatcher(settings.ingressClass(), informers::ingressClass, informers);
    informers.useClasses(classes);
    IngressValidator validator = new IngressValidator(classes, aws.region(), settings.awsVpcId());
    TargetGroupBindings tgbs = new TargetGroupBindings(vertx, kube, settings.watchNamespace(), settings.syncPeriod().toMillis());
    app.tgbs = tgbs;
    ReadinessGateTargets gateTargets = new ReadinessGateTargets(informers, tgbs::all, classes, settings.clusterName(), aws.region());
    CachedAwsFacts facts = new CachedAwsFacts(vertx, aws, settings.awsVpcId(), AWS_FACTS_TTL, AWS_FACTS_DEADLINE);
    app.gatewayInformers = new GatewayInformers(vertx, kube, settings.watchNamespace(), settings.syncPeriod().toMillis(), GATEWAY_CRD_RETRY);
    GatewayInformers gatewayCaches = app.gatewayInformers;
    int webhookLoops = WebhookServer.Config.defaultInstances();
    // the webhook serves on a Vert.x of its own, never sharing an event loop with the reconciler, informers or probes, so
    // a burst of watch events or reconciles never queues reviews; -Dalb.webhook.ownVertx=false puts it on the main one.
    // hack/bench measures no CPU difference between the two (44-48 us per review either way)
    app.webhookVertx = Boolean.parseBoolean(System.getProperty("alb.webhook.ownVertx", "true")) ? webhookVertx(registry, webhookLoops) : null;
    app.webhook = new WebhookServer(app.webhookVertx != null ? app.webhookVertx : vertx,
        new WebhookServer.Config(settings.bindAddress(), settings.webhookPort(), settings.webhookCertDir(), 10_000, webhookLoops),
        codec, new IngressAdmission(validator, informers, facts), new PodAdmission(serialization, readinessGates(informers, gateTargets)),
        Optional.of(new TargetGroupBindingAdmission(serialization, new SdkTargetGroupLookup(aws), tgbs::all, settings.awsVpcId())),
        Optional.of(new GatewayAdmission(gatewayCaches::gatewayClass, gatewayCaches::gateway)), registry);

    Elbv2 elb = new SdkElbv2(aws);
    Inventory inventory = new Inventory(elb, settings.clusterName());
    EventRecorder events = new EventRecorder(vertx, kube, Duration.ofMinutes(30));
    app.targets = new TargetsVerticle(informers, tgbs, inventory, elb, events, new PodConditionWriter(vertx, kube),
        gateTargets::expectedGates, settings.maxConcurrentReconciles(), TARGET_HEALTH_RECHECK);
    StackDeployer deployer = new StackDeployer(elb, inventory, settings.awsVpcId(), registry, addOns(aws),
        Optional.of(securityGroups(vertx, aws, settings)), settings.externalManagedTags(), new StackDeployer.Hooks(app.targets::registerNow,
            d -> vertx.timer(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).mapEmpty(), app.targets));
    StackReconciler.Settings reconcileSettings = new StackReconciler.Settings(settings.clusterName(), aws.region(), settings.awsVpcId(),
        settings.defaultTags(), settings.dryRun());
    StackReconciler reconciler = new StackReconciler(informers, classes, facts, deployer, new IngressWriter(vertx, kube), events,
        reconcileSettings, app.targets::deployed, stack -> TargetEndpoints.of(informers, stack));
    // Gateway API: the same deployer, target sync and reconcile loop; informers retry until the CRDs are served
    GatewayReconciler gatewayReconciler = new GatewayReconciler(app.gatewayInformers, informers, facts, deployer,
        new GatewayWriter(vertx, kube), events, reconcileSettings, app.targets::deployed, stack -> TargetEndpoints.of(informers, stack));
    // Gateway listeners' tls.certificateRefs: their Secrets imported into ACM
    ImportedCertificates importedCertificates = new ImportedCertificates(new SdkAcmPort(aws), settings.clusterName(), settings.defaultTags(),
        d -> vertx.timer(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).mapEmpty(), ImportedCertificates.defaultInUseDelays());
    gatewayReconciler.certificates(importedCertificates);
    reconciler.gateways(gatewayReconciler);
    gateTargets.gateways(gatewayReconciler::targetGroupsOf);
    app.reconciler = new ReconcilerVerticle(reconciler, registry, settings.maxConcurrentReconciles(), settings.syncPeriod(),
        settings.dryRun() ? () -> Future.succeededFuture(java.util.Set.of()) : inventory::relistStacks, settings.watchNamespace());
    app.inventory = inventory;
    app.registry = registry;
    app.jvmMeters = jvmMeters;
    new StackEvents(vertx.eventBus(), informers, reconciler).register();
    GatewayEvents gatewayEvents = new GatewayEvents(vertx.eventBus(), app.gatewayInformers, gatewayReconciler);

    io.vertx.core.Context startContext = vertx.getOrCreateContext();
    FirstListings firstListings = new FirstListings(facts, inventory, settings.leaderElect());
    startContext.runOnContext(v -> firstListings.duringSync());
    Future<Void> synced = Future.fromCompletionStage(informers.start(), startContext)
        .compose(v -> tgbs.start())
        .onSuccess(v -> LOG.info("informer caches synced"))
        .onSuccess(v -> gatewayEvents.register(informers))
        .onFailure(e -> LOG.error("informers failed to start: {}", e.getMessage()));
    synced.compose(v -> vertx.deployVerticle(app.targets))
        .compose(v -> vertx.deployVerticle(app.reconciler))
        .onSuccess(id -> app.leadership = Leadership.start(kube, settings.leaderElect(), gate, List.of(inventoryCache(firstListings, inventory,
            importedCertificates, deployer), app.targets, app.reconciler)))
        .onFailure(e -> LOG.error("reconciler failed to start: {}", e.getMessage()));
    return app.webhook.start()
        .compose(w -> OpsServers.metrics(vertx, settings.bindAddress(), settings.metricsPort(), registry))
        .compose(m -> {
          app.metricsServer = m;
          return OpsServers.health(vertx, settings.bindAddress(), settings.healthPort(), app::notReadyReason);
        })
        .map(h -> {
          LOG.info("controller started for cluster {} (ingress class {}, region {})", settings.clusterName(),
              settings.ingressClass(), aws.region());
          return app;
        })
        .onFailure(e -> {
          System.err.println("error: " + e.getMessage());
          app.stop();
        });
  }

  /** The value of a future built at start-up, or its failure thrown as it was. */
  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /**
   * Vert.x with its HTTP server (webhook, probes), HTTP client (Kubernetes API), pool and event-bus
   * meters in the controller's registry. Labels stay low-cardinality: no paths or remote addresses.
   */
  private static Vertx vertx(PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
        .setLabels(EnumSet.of(Label.LOCAL, Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME));
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  /**
   * The webhook's own Vert.x: event loops that serve admission only, never shared with the reconciler,
   * the informers' HTTP client or the probes, so a review never queues behind them (and they never
   * behind a burst of reviews). Its HTTP server meters go to the same registry, told apart by their
   * local address.
   */
  private static Vertx webhookVertx(PrometheusMeterRegistry registry, int loops) {
    // only its HTTP server's meters: the pool and event-bus gauges are the main Vert.x's (the same names would collide)
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
        .setLabels(EnumSet.of(Label.LOCAL, Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE));
    for (io.vertx.micrometer.MetricsDomain d : io.vertx.micrometer.MetricsDomain.values()) {
      if (d != io.vertx.micrometer.MetricsDomain.HTTP_SERVER) {
        options.addDisabledMetricsCategory(d);
      }
    }
    return Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(2).setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  private static SecurityGroupSynthesizer securityGroups(Vertx vertx, AwsClients aws, ControllerSettings settings) {
    return new SecurityGroupSynthesizer(new SdkEc2SecurityGroups(aws), new SecurityGroupSynthesizer.Settings(settings.clusterName(),
        settings.awsVpcId(), settings.backendSecurityGroup(), settings.defaultTags(), SecurityGroupSynthesizer.defaultDeleteDelays()),
        delay -> vertx.timer(delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).mapEmpty());
  }

  /**
   * The read-only listings every first run needs, each started once and as early as it may be, so the first
   * of them (on clients still cold) is off the way from ready to the first runs: the AWS facts (subnets,
   * certificates) while the informers sync, and the ELBv2 inventory (load balancers with their tags, target
   * groups' names) then too without leader election, on taking the lead with it.
   */
  private record FirstListings(CachedAwsFacts facts, Inventory inventory, boolean leaderElect) {
    void duringSync() {
      facts.subnets();
      facts.certificates();
      // EC2 and ACM need no lease; ELBv2 waits for it (the gate) and the inventory is dropped with it
      if (!leaderElect) {
        listInventory();
      }
    }

    void lead() {
      if (leaderElect) {
        listInventory();
      }
    }

    /** Failures are the runs' to report (each listing is tried again by its next caller). */
    private void listInventory() {
      inventory.loadBalancersLoaded();
      inventory.targetGroupArnsListed();
    }
  }

  /**
   * The inventory of our AWS resources is dropped with the lease: the next leader may change them. On
   * taking the lead, the listings the first runs need start at once, side by side, instead of one after
   * the other inside the first runs: after a restart every stack waits for them.
   */
  private static Leader inventoryCache(FirstListings firstListings, Inventory inventory, ImportedCertificates importedCertificates,
      StackDeployer deployer) {
    return new Leader() {
      @Override
      public void lead() {
        firstListings.lead();
      }

      @Override
      public void stopLeading() {
        inventory.invalidate();
        importedCertificates.invalidate();
        deployer.forgetAll();
      }
    };
  }

  /** Pod readiness gates for the IP-mode target groups of our Ingresses, from the informer caches (any replica). */
  private static PodMutator readinessGates(Informers informers, ReadinessGateTargets gateTargets) {
    return new ReadinessGateInjector(ns -> informers.namespace(ns).map(ReadinessGates::injectionEnabled).orElse(false),
        informers::services, gateTargets::ipTargetGroups);
  }

  Optional<String> notReadyReason() {
    return informers.synced() && (tgbs == null || tgbs.synced()) ? Optional.empty() : Optional.of("informer caches are not synced yet");
  }

  public int webhookPort() {
    return webhook.actualPort();
  }

  public java.nio.file.Path webhookCertDir() {
    return settings.webhookCertDir();
  }

  /** The reconciler verticle's context, for tests that block it. */
  public io.vertx.core.Context reconcilerContext() {
    return reconciler.context();
  }

  /** The port of GET /metrics (useful when --metrics-port is 0). */
  public int metricsPort() {
    return metricsServer.actualPort();
  }

  /** The registry behind GET /metrics (tests read counters from it). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** True when no stack and no target group waits or runs (tests and benchmarks use it to detect convergence). */
  public boolean reconcilerIdle() {
    return reconciler.idle() && targets.idle();
  }

  public void stop() {
    LOG.info("stopping");
    // first, while informers and AWS still answer: no new connections, reviews in flight finish
    if (webhook != null) {
      webhook.stop().toCompletionStage().toCompletableFuture().orTimeout(15, java.util.concurrent.TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }
    if (webhookVertx != null) {
      webhookVertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }
    if (leadership != null) {
      leadership.close();
    }
    if (gatewayInformers != null) {
      gatewayInformers.close();
    }
    informers.close();
    if (tgbs != null) {
      tgbs.close();
    }
    kube.close();
    aws.close();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
    if (jvmMeters != null) {
      jvmMeters.close();
    }
  }

  private static LoadBalancerAddOns addOns(AwsClients aws) {
    return new LoadBalancerAddOns(new Wafv2Association(new SdkWafv2Port(aws)),
        new WafClassicAssociation(new SdkWafRegionalPort(aws)), new ShieldProtection(new SdkShieldPort(aws)));
  }
}
