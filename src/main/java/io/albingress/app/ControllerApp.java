package io.albingress.app;

import io.albingress.aws.AwsClients;
import io.albingress.aws.CachedAwsFacts;
import io.albingress.k8s.Informers;
import io.albingress.k8s.KubernetesClients;
import io.albingress.metrics.Metrics;
import io.albingress.model.IngressClassMatcher;
import io.albingress.ops.OpsServers;
import io.albingress.validation.IngressValidator;
import io.albingress.webhook.AdmissionCodec;
import io.albingress.webhook.IngressAdmission;
import io.albingress.webhook.PodAdmission;
import io.albingress.webhook.PodMutator;
import io.albingress.webhook.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the controller process together: informers, AWS clients, webhook, probes and metrics. */
public final class ControllerApp {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerApp.class);
  static final Duration AWS_FACTS_TTL = Duration.ofMinutes(5);
  static final Duration AWS_FACTS_DEADLINE = Duration.ofSeconds(3);

  private final Vertx vertx;
  private final KubernetesClient kube;
  private final Informers informers;
  private final AwsClients aws;
  private WebhookServer webhook;

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

  public static Future<ControllerApp> start(ControllerSettings settings) {
    Vertx vertx = Vertx.vertx();
    Metrics metrics = new Metrics();
    KubernetesClient kube = KubernetesClients.create(vertx, settings.kubeconfig());
    Informers informers = new Informers(kube, settings.watchNamespace(), settings.syncPeriod().toMillis());
    AwsClients aws = AwsClients.create(vertx, settings.awsRegion(), metrics);
    ControllerApp app = new ControllerApp(vertx, kube, informers, aws);

    KubernetesSerialization serialization = kube.getKubernetesSerialization();
    AdmissionCodec codec = new AdmissionCodec(serialization);
    IngressClassMatcher classes = new IngressClassMatcher(settings.ingressClass(), informers::ingressClass);
    IngressValidator validator = new IngressValidator(classes, aws.region(), settings.awsVpcId());
    CachedAwsFacts facts = new CachedAwsFacts(vertx, aws, settings.awsVpcId(), AWS_FACTS_TTL, AWS_FACTS_DEADLINE);
    app.webhook = new WebhookServer(vertx,
        new WebhookServer.Config(settings.bindAddress(), settings.webhookPort(), settings.webhookCertDir(), 10_000),
        codec, new IngressAdmission(codec, validator, informers, facts), new PodAdmission(codec, serialization, PodMutator.NONE), metrics);

    informers.start().whenComplete((v, e) -> {
      if (e != null) {
        LOG.error("informers failed to start: {}", e.getMessage());
      } else {
        LOG.info("informer caches synced");
      }
    });
    return app.webhook.start()
        .compose(w -> OpsServers.metrics(vertx, settings.bindAddress(), settings.metricsPort(), metrics))
        .compose(m -> OpsServers.health(vertx, settings.bindAddress(), settings.healthPort(), app::notReadyReason))
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

  Optional<String> notReadyReason() {
    return informers.synced() ? Optional.empty() : Optional.of("informer caches are not synced yet");
  }

  public int webhookPort() {
    return webhook.actualPort();
  }

  public void stop() {
    LOG.info("stopping");
    informers.close();
    if (webhook != null) {
      webhook.stop();
    }
    kube.close();
    aws.close();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
  }
}
