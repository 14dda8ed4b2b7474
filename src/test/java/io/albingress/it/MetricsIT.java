package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.Meters;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import io.albingress.testing.TestEnvironment.TestNamespace;
import io.albingress.testing.WebhookRegistration;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /metrics of a controller that admitted and reconciled an Ingress: our series, the JVM's and
 * Vert.x's; and deploy/grafana-dashboard.json queries only metrics that are there.
 */
@ExtendWith(TestEnvironment.class)
class MetricsIT {
  private static final Pattern METRIC = Pattern.compile("\\b(alb|jvm|process|vertx)_[a-z0-9_]+");
  private ControllerApp app;
  private Env env;

  @AfterEach
  void stop() {
    if (env != null) {
      WebhookRegistration.unregister(env);
    }
    if (app != null) {
      app.stop();
    }
  }

  private static void ok(Result r) {
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
  }

  static String scrape(int port) throws Exception {
    // the request timeout covers the headers only; get(...) bounds the body too
    HttpResponse<String> r = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    return r.body();
  }

  /** The sample lines (not comments) of a scrape. */
  static List<String> samples(String text) {
    return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  @Test
  void aScrapeAfterAReconcileHasTheControllersTheJvmsAndVertxsSeries(Env env, TestNamespace ns) throws Exception {
    this.env = env;
    app = Controllers.start(env, ns);
    WebhookRegistration.register(env, app);
    ok(env.kubectl(ReconcilerIT.services(ns.name()), "apply", "-f", "-"));
    // the webhook is registered once the apiserver calls it: retry the first apply until it is
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> env.kubectl(ReconcilerIT.shop(ns.name(), "shop", "", "", "/api"), "apply", "-f", "-").exit() == 0);
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> Meters.count(app.registry(), "alb_reconciles_total", "result", "success") >= 1
            && Meters.count(app.registry(), "alb_webhook_requests_total", "webhook", "validate-ingress", "verdict", "allowed") >= 1);

    List<String> samples = samples(scrape(app.metricsPort()));
    assertThat(samples).anySatisfy(l -> assertThat(l).startsWith("alb_reconciles_total{result=\"success\"} "))
        .anySatisfy(l -> assertThat(l).startsWith("alb_reconcile_duration_seconds_bucket{result=\"success\",le=\"+Inf\"} "))
        .anySatisfy(l -> assertThat(l).startsWith("alb_aws_api_calls_total{").contains("operation=\"CreateLoadBalancer\"", "outcome=\"success\""))
        .anySatisfy(l -> assertThat(l).startsWith("alb_aws_api_attempts_total{").contains("operation=\"DescribeSubnets\""))
        .anySatisfy(l -> assertThat(l).startsWith("alb_webhook_requests_total{verdict=\"allowed\",webhook=\"validate-ingress\"} "))
        .anySatisfy(l -> assertThat(l).startsWith("alb_webhook_request_duration_seconds_count{verdict=\"allowed\",webhook=\"validate-ingress\"} "))
        .anySatisfy(l -> assertThat(l).startsWith("jvm_memory_used_bytes{area=\"heap\""))
        .anySatisfy(l -> assertThat(l).startsWith("jvm_gc_").isNotEmpty())
        .anySatisfy(l -> assertThat(l).startsWith("process_cpu_usage "))
        .anySatisfy(l -> assertThat(l).startsWith("process_files_open_files "))
        // the webhook's HTTPS server by route, and the Kubernetes API client
        .anySatisfy(l -> assertThat(l).startsWith("vertx_http_server_requests_total{").contains("route=\"/validate-networking-v1-ingress\"", "code=\"200\""))
        .anySatisfy(l -> assertThat(l).startsWith("vertx_http_server_response_time_seconds_count{").contains("route=\"/validate-networking-v1-ingress\""))
        .anySatisfy(l -> assertThat(l).startsWith("vertx_http_client_responses_total{").contains("method=\"GET\"", "code=\"200\""));

    // the Grafana dashboard in deploy/ queries only metrics that this scrape has
    Set<String> names = samples.stream().map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    JsonObject dashboard = new JsonObject(Files.readString(env.repo().resolve("deploy/grafana-dashboard.json")));
    List<String> queried = dashboard.getJsonArray("panels").stream().map(JsonObject.class::cast)
        .flatMap(p -> p.getJsonArray("targets").stream().map(JsonObject.class::cast))
        .flatMap(t -> METRIC.matcher(t.getString("expr")).results().map(m -> m.group())).distinct().toList();
    assertThat(queried).contains("alb_reconciles_total", "alb_aws_api_calls_total", "alb_webhook_request_duration_seconds_bucket", "jvm_memory_used_bytes");
    assertThat(names).containsAll(queried);
  }
}
