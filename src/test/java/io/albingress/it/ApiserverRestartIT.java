package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.Reviews;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import io.albingress.webhook.WebhookServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kube-apiserver stops mid-run (etcd keeps the data) and comes back: the webhook keeps answering
 * from its caches meanwhile, the informers resume, and no change made just before the stop or
 * right after the restart is lost.
 */
@ExtendWith(TestEnvironment.class)
class ApiserverRestartIT {

  @Test
  void survivesAnApiserverRestart(Env env, TestNamespace ns) throws Exception {
    String n = ns.name();
    ControllerApp app = Controllers.start(env, ns);
    Vertx vertx = Vertx.vertx();
    WebClient webhook = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    try (MotoElbv2 moto = new MotoElbv2(env)) {
      apply(env, ReconcilerIT.services(n));
      apply(env, ReconcilerIT.shop(n, "before", "", "", "/api"));
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !hostname(env, n, "before").isEmpty());

      apply(env, ReconcilerIT.shop(n, "before", "", "", "/changed-before-stop"));
      env.testenv("stop-apiserver");
      long stoppedAt = System.nanoTime();
      // the webhook answers from its caches while the apiserver is away: web is a NodePort Service
      JsonObject review = Reviews.ingressReview("during-outage", "CREATE", Reviews.ingress(n, "x", new JsonObject(), "web", 80));
      var response = webhook.post(app.webhookPort(), "127.0.0.1", WebhookServer.VALIDATE_INGRESS_PATH).sendJsonObject(review)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getJsonObject("response").getBoolean("allowed")).isTrue();
      assertThat(response.bodyAsJsonObject().getJsonObject("response").encode()).doesNotContain("does not exist yet");
      Thread.sleep(Math.max(0, 8000 - (System.nanoTime() - stoppedAt) / 1_000_000));
      env.testenv("start-apiserver");
      apply(env, ReconcilerIT.shop(n, "after", "", "", "/api"));

      Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
          !hostname(env, n, "after").isEmpty() && rulesOf(env, moto, n + "/before").contains("/changed-before-stop"));
    } finally {
      app.stop();
      vertx.close();
    }
  }

  private static String rulesOf(Env env, MotoElbv2 moto, String stack) {
    return moto.loadBalancers().stream().filter(lb -> stack.equals(moto.tags(lb.loadBalancerArn()).get("ingress.k8s.aws/stack")))
        .flatMap(lb -> moto.listeners(lb.loadBalancerArn()).stream()).flatMap(l -> moto.rules(l.listenerArn()).stream())
        .map(r -> r.conditions().toString()).reduce("", String::concat);
  }

  private static String hostname(Env env, String ns, String name) {
    return env.kubectl(null, "get", "ingress", name, "-n", ns, "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}").stdout().trim();
  }

  private static void apply(Env env, String manifest) {
    var r = env.kubectl(manifest, "apply", "-f", "-");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }
}
