package io.albingress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.albingress.model.IngressClassMatcher;
import io.albingress.testing.Reviews;
import io.albingress.testing.TestCerts;
import io.albingress.validation.ClusterView;
import io.albingress.validation.IngressValidator;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: 10,000 generated AdmissionReviews (mutations of valid ones, wrong types, missing
 * fields, huge strings, deep nesting, invalid UTF-8, huge annotations) over HTTPS with keep-alive,
 * while the serving certificate is rotated. No 5xx, no hang, every answer a valid AdmissionReview or
 * a 4xx, and no request falls into the internal-error path.
 */
class WebhookFuzzTest {
  static final int REQUESTS = 10_000;
  static final int CONCURRENCY = 16;
  static final long SEED = 20261124L;

  private static final ClusterView CLUSTER = new ClusterView() {
    private final Service web = new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata()
        .withNewSpec().withType("NodePort").addNewPort().withName("http").withPort(80).endPort().endSpec().build();

    @Override
    public Optional<Service> service(String namespace, String name) {
      return "shop".equals(namespace) && "web".equals(name) ? Optional.of(web) : Optional.empty();
    }

    @Override
    public Optional<IngressClass> ingressClass(String name) {
      return Optional.empty();
    }

    @Override
    public List<Ingress> groupMembers(String groupName) {
      return List.of();
    }
  };

  @Test
  void survivesTenThousandHostileReviewsWhileCertificatesRotate() throws Exception {
    Path certDir = Files.createTempDirectory("fuzz-certs");
    TestCerts.write(certDir, "first");
    Vertx vertx = Vertx.vertx();
    KubernetesSerialization serialization = new KubernetesSerialization();
    AdmissionCodec codec = new AdmissionCodec();
    IngressValidator validator = new IngressValidator(new IngressClassMatcher("alb", n -> Optional.empty()), "us-west-2", "");
    WebhookServer server = new WebhookServer(vertx, new WebhookServer.Config("127.0.0.1", 0, certDir, 3_600_000), codec,
        new IngressAdmission(validator, CLUSTER, AwsFactsSource.unavailable("fuzz test has no AWS")),
        new PodAdmission(serialization, PodMutator.NONE), new SimpleMeterRegistry());
    server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    var client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONCURRENCY));

    Random random = new Random(SEED);
    List<Buffer> bodies = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      bodies.add(hostile(random, i));
    }
    AtomicInteger next = new AtomicInteger();
    ConcurrentHashMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<String> bad = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < CONCURRENCY; w++) {
      workers.add(drive(client, server, bodies, next, outcomes, bad));
    }
    // rotate the certificate three times while the load runs
    for (int r = 0; r < 3; r++) {
      Thread.sleep(300);
      TestCerts.write(certDir, "rotation-" + r);
      server.reloadIfChanged().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    Future.all(workers).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    server.stop();
    vertx.close();

    int total = outcomes.values().stream().mapToInt(AtomicInteger::get).sum();
    System.out.printf("WebhookFuzzTest: %d reviews by HTTP status %s, %d bad, seed %d%n", total, outcomes, bad.size(), SEED);
    assertThat(total).isEqualTo(REQUESTS);
    assertThat(bad).as("invalid answers (5xx, hangs, malformed responses, internal errors)").isEmpty();
    assertThat(outcomes.keySet()).allMatch(k -> k.equals("200") || k.equals("400") || k.equals("413"));
    assertThat(outcomes.get("200").get()).isGreaterThan(REQUESTS / 4);
    assertThat(outcomes.get("400").get()).isGreaterThan(REQUESTS / 4);
  }

  private static Future<Void> drive(io.vertx.core.http.HttpClient client, WebhookServer server, List<Buffer> bodies,
      AtomicInteger next, ConcurrentHashMap<String, AtomicInteger> outcomes, List<String> bad) {
    int i = next.getAndIncrement();
    if (i >= bodies.size()) {
      return Future.succeededFuture();
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(server.actualPort())
        .setURI(WebhookServer.VALIDATE_INGRESS_PATH).setIdleTimeout(10_000).putHeader("content-type", "application/json");
    return client.request(options)
        .compose(req -> req.send(bodies.get(i)))
        .compose(resp -> resp.body().map(body -> {
          outcomes.computeIfAbsent(String.valueOf(resp.statusCode()), k -> new AtomicInteger()).incrementAndGet();
          check(i, resp.statusCode(), body, bad);
          return (Void) null;
        }))
        .recover(e -> {
          outcomes.computeIfAbsent("failed", k -> new AtomicInteger()).incrementAndGet();
          bad.add("request " + i + " failed: " + e);
          return Future.succeededFuture();
        })
        .compose(v -> drive(client, server, bodies, next, outcomes, bad));
  }

  private static void check(int i, int status, Buffer body, List<String> bad) {
    if (status >= 500) {
      bad.add("request " + i + ": HTTP " + status);
    } else if (status == 200) {
      try {
        JsonObject response = body.toJsonObject().getJsonObject("response");
        if (response.getString("uid") == null || response.getBoolean("allowed") == null) {
          bad.add("request " + i + ": malformed AdmissionReview " + body);
        } else if (response.getJsonArray("warnings", new JsonArray()).encode().contains("internal error")) {
          bad.add("request " + i + ": fell into the internal-error path");
        }
      } catch (RuntimeException e) {
        bad.add("request " + i + ": response is not JSON: " + body);
      }
    }
  }

  /** One generated review: a mutation of a valid one, or garbage, chosen by the seeded random. */
  static Buffer hostile(Random random, int i) {
    JsonObject annotations = new JsonObject();
    String[] keys = {"scheme", "listen-ports", "subnets", "certificate-arn", "healthcheck-interval-seconds", "group.name",
        "actions.web", "conditions.web", "tags", "inbound-cidrs", "target-type", "success-codes"};
    for (int k = 0; k < random.nextInt(6); k++) {
      annotations.put("alb.ingress.kubernetes.io/" + keys[random.nextInt(keys.length)], junkString(random));
    }
    JsonObject review = Reviews.ingressReview("uid-" + i, random.nextBoolean() ? "CREATE" : "UPDATE",
        Reviews.ingress("shop", "fuzz-" + i, annotations, random.nextBoolean() ? "web" : junkString(random), random.nextInt(70000)));
    switch (random.nextInt(10)) {
      case 0 -> review.getJsonObject("request").remove(random.nextBoolean() ? "uid" : "object");
      case 1 -> review.put("apiVersion", junkString(random));
      case 2 -> review.getJsonObject("request").put("object", junkValue(random, 0));
      case 3 -> review.getJsonObject("request").getJsonObject("object").put("spec", junkValue(random, 0));
      case 4 -> review.getJsonObject("request").getJsonObject("object").getJsonObject("metadata").put("annotations", junkValue(random, 0));
      case 5 -> {
        return deepNesting(random.nextInt(5000) + 100);
      }
      case 6 -> {
        byte[] raw = review.toBuffer().getBytes();
        for (int k = 0; k < 5; k++) {
          raw[random.nextInt(raw.length)] = (byte) (0x80 + random.nextInt(0x40)); // invalid UTF-8
        }
        return Buffer.buffer(raw);
      }
      case 7 -> review.getJsonObject("request").getJsonObject("object").getJsonObject("metadata").getJsonObject("annotations")
          .put("alb.ingress.kubernetes.io/tags", "k=" + "v".repeat(200_000 + random.nextInt(100_000)));
      case 8 -> {
        String text = review.encode();
        return Buffer.buffer(text.substring(0, random.nextInt(text.length())));
      }
      default -> { }
    }
    return review.toBuffer();
  }

  private static Object junkValue(Random random, int depth) {
    return switch (random.nextInt(depth > 3 ? 3 : 6)) {
      case 0 -> random.nextLong();
      case 1 -> junkString(random);
      case 2 -> random.nextBoolean();
      case 3 -> new JsonArray().add(junkValue(random, depth + 1)).add(junkValue(random, depth + 1));
      case 4 -> new JsonObject().put(junkString(random), junkValue(random, depth + 1)).put("spec", junkValue(random, depth + 1));
      default -> null;
    };
  }

  private static String junkString(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> "";
      case 1 -> "x".repeat(random.nextInt(70_000));
      case 2 -> new String(new int[] {0x1F600, 0xFFFD, 0x202E, 0x0000, 'a'}, 0, 5);
      case 3 -> "[{\"HTTPS\": " + random.nextInt() + "}, {\"HTTP\": \"80\"}, {]";
      case 4 -> "{\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":[{\"serviceName\":{}}]}}";
      default -> Long.toString(random.nextLong(), 36) + "\n\t\"";
    };
  }

  private static Buffer deepNesting(int depth) {
    StringBuilder b = new StringBuilder("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":");
    b.append("[".repeat(depth)).append("]".repeat(depth)).append('}');
    return Buffer.buffer(b.toString().getBytes(StandardCharsets.UTF_8));
  }
}
