package io.albingress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.Meters;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class WebhookServerTest {
  @TempDir
  Path certDir;

  private WebhookServer server;
  private WebClient client;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Cluster state for the tests: a ClusterIP and a NodePort Service. */
  private static final ClusterView CLUSTER = new ClusterView() {
    private final Map<String, Service> services = Map.of(
        "shop/cart", serviceOfType("cart", "ClusterIP"),
        "shop/web", serviceOfType("web", "NodePort"));

    @Override
    public Optional<Service> service(String namespace, String name) {
      return Optional.ofNullable(services.get(namespace + "/" + name));
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

  private static Service serviceOfType(String name, String type) {
    return new ServiceBuilder().withNewMetadata().withNamespace("shop").withName(name).endMetadata()
        .withNewSpec().withType(type).addNewPort().withName("http").withPort(80).endPort().endSpec().build();
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws Exception {
    TestCerts.write(certDir, "first");
    KubernetesSerialization serialization = new KubernetesSerialization();
    AdmissionCodec codec = new AdmissionCodec();
    IngressValidator validator = new IngressValidator(new IngressClassMatcher("alb", n -> Optional.empty()), "us-west-2", "");
    PodMutator labeller = (pod, ns) -> {
      pod.getMetadata().getLabels().put("mutated", "yes");
      return pod;
    };
    server = new WebhookServer(vertx, new WebhookServer.Config("127.0.0.1", 0, certDir, 100), codec,
        new IngressAdmission(validator, CLUSTER, AwsFactsSource.unavailable("test has no AWS")),
        new PodAdmission(serialization, labeller), registry);
    client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    server.start().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    server.stop().onComplete(ctx.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> post(String path, Buffer body) {
    return client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", path)
        .putHeader("content-type", "application/json").sendBuffer(body);
  }

  private Future<JsonObject> review(JsonObject review) {
    return post(WebhookServer.VALIDATE_INGRESS_PATH, review.toBuffer()).map(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject body = r.bodyAsJsonObject();
      assertThat(body.getString("apiVersion")).isEqualTo("admission.k8s.io/v1");
      assertThat(body.getString("kind")).isEqualTo("AdmissionReview");
      return body.getJsonObject("response");
    });
  }

  private static JsonObject paramsReview(String uid, JsonObject spec) {
    JsonObject params = new JsonObject().put("apiVersion", "elbv2.k8s.aws/v1beta1").put("kind", "IngressClassParams")
        .put("metadata", new JsonObject().put("name", "shop")).put("spec", spec);
    return Reviews.review(uid, "CREATE", new JsonObject().put("group", "elbv2.k8s.aws").put("version", "v1beta1")
        .put("kind", "IngressClassParams"), "ingressclassparams", params);
  }

  @Test
  void deniesIngressClassParamsWithABadCidrAndAFieldNotApplied(VertxTestContext ctx) {
    JsonObject spec = new JsonObject().put("scheme", "internet-facing").put("inboundCIDRs", new JsonArray().add("10.0.0.1"))
        .put("ipamConfiguration", new JsonObject().put("ipv4IPAMPoolId", "ipam-pool-1"));
    post(WebhookServer.VALIDATE_CLASS_PARAMS_PATH, paramsReview("p-1", spec).toBuffer()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject response = r.bodyAsJsonObject().getJsonObject("response");
      assertThat(response.getString("uid")).isEqualTo("p-1");
      assertThat(response.getBoolean("allowed")).isFalse();
      String message = response.getJsonObject("status").getString("message");
      assertThat(message).startsWith("IngressClassParams shop has 2 problems").contains("spec.inboundCIDRs: ")
          .contains("spec.ipamConfiguration.ipv4IPAMPoolId: is not applied by this controller yet");
      ctx.completeNow();
    })));
  }

  @Test
  void allowsGoodIngressClassParams(VertxTestContext ctx) {
    JsonObject spec = new JsonObject().put("scheme", "internal").put("group", new JsonObject().put("name", "shop"))
        .put("namespaceSelector", new JsonObject().put("matchLabels", new JsonObject().put("team", "shop")));
    post(WebhookServer.VALIDATE_CLASS_PARAMS_PATH, paramsReview("p-2", spec).toBuffer()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject response = r.bodyAsJsonObject().getJsonObject("response");
      assertThat(response.getBoolean("allowed")).isTrue();
      assertThat(response.getJsonArray("warnings")).isNull();
      ctx.completeNow();
    })));
  }

  @Test
  void allowsAGoodIngressAndEchoesTheUid(VertxTestContext ctx) {
    JsonObject ingress = Reviews.ingress("shop", "web", new JsonObject(), "web", 80);
    review(Reviews.ingressReview("uid-1", "CREATE", ingress)).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.getString("uid")).isEqualTo("uid-1");
      assertThat(response.getBoolean("allowed")).isTrue();
      assertThat(response.containsKey("status")).isFalse();
      assertThat(Meters.count(registry, "alb_webhook_requests_total", "webhook", "validate-ingress", "verdict", "allowed")).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void servicesAreValidatedOnTheirOwnPath(VertxTestContext ctx) {
    JsonObject svc = new JsonObject().put("apiVersion", "v1").put("kind", "Service")
        .put("metadata", new JsonObject().put("namespace", "shop").put("name", "web").put("annotations", new JsonObject()
            .put("alb.ingress.kubernetes.io/healthcheck-path", "healthz").put("alb.ingress.kubernetes.io/scheme", "internal")))
        .put("spec", new JsonObject().put("type", "NodePort"));
    JsonObject kind = new JsonObject().put("group", "").put("version", "v1").put("kind", "Service");
    post(WebhookServer.VALIDATE_SERVICE_PATH, Reviews.review("uid-s", "CREATE", kind, "services", svc).toBuffer())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          JsonObject response = r.bodyAsJsonObject().getJsonObject("response");
          assertThat(response.getString("uid")).isEqualTo("uid-s");
          assertThat(response.getBoolean("allowed")).isFalse();
          assertThat(response.getJsonObject("status").getString("message")).isEqualTo("Service shop/web has 1 problem:\n"
              + "  - alb.ingress.kubernetes.io/healthcheck-path (on Service shop/web): \"healthz\" is not valid: expected a path"
              + " starting with '/' of at most 1024 characters");
          assertThat(response.getJsonArray("warnings").getList()).containsExactly(
              "alb.ingress.kubernetes.io/scheme has no effect on a Service; it is read from the Ingress only");
          assertThat(Meters.count(registry, "alb_webhook_requests_total", "webhook", "validate-service", "verdict", "denied")).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void deniesWithEveryProblemInTheMessage(VertxTestContext ctx) {
    JsonObject annotations = new JsonObject().put("alb.ingress.kubernetes.io/scheme", "public")
        .put("alb.ingress.kubernetes.io/healthcheck-interval-seconds", "1");
    JsonObject ingress = Reviews.ingress("shop", "cart", annotations, "cart", 80);
    review(Reviews.ingressReview("uid-2", "CREATE", ingress)).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.getString("uid")).isEqualTo("uid-2");
      assertThat(response.getBoolean("allowed")).isFalse();
      String message = response.getJsonObject("status").getString("message");
      assertThat(response.getJsonObject("status").getInteger("code")).isEqualTo(403);
      assertThat(message).contains("Ingress shop/cart has 3 problems")
          .contains("alb.ingress.kubernetes.io/scheme: \"public\" is not valid: expected one of internet-facing, internal")
          .contains("alb.ingress.kubernetes.io/healthcheck-interval-seconds: \"1\" is not valid: expected an integer from 5 to 300")
          .contains("Service shop/cart is of type ClusterIP")
          .contains("alb.ingress.kubernetes.io/target-type: ip");
      ctx.completeNow();
    })));
  }

  @Test
  void returnsWarningsForSoftProblems(VertxTestContext ctx) {
    JsonObject annotations = new JsonObject().put("alb.ingress.kubernetes.io/shceme", "internal");
    JsonObject ingress = Reviews.ingress("shop", "web", annotations, "missing", 80);
    review(Reviews.ingressReview("uid-3", "CREATE", ingress)).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.getBoolean("allowed")).isTrue();
      assertThat(response.getJsonArray("warnings").getList()).anySatisfy(w -> assertThat((String) w)
          .contains("alb.ingress.kubernetes.io/shceme is not a known annotation").contains("did you mean alb.ingress.kubernetes.io/scheme?"))
          .anySatisfy(w -> assertThat((String) w).contains("Service shop/missing does not exist yet"));
      ctx.completeNow();
    })));
  }

  @Test
  void ignoresIngressesOfOtherClasses(VertxTestContext ctx) {
    JsonObject ingress = Reviews.ingress("shop", "other", new JsonObject().put("alb.ingress.kubernetes.io/scheme", "bogus"), "cart", 80);
    ingress.getJsonObject("spec").put("ingressClassName", "nginx");
    review(Reviews.ingressReview("uid-4", "CREATE", ingress)).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.getBoolean("allowed")).isTrue();
      assertThat(response.containsKey("warnings")).isFalse();
      ctx.completeNow();
    })));
  }

  @Test
  void refusesAnUnexpectedKindWithAMessage(VertxTestContext ctx) {
    JsonObject review = Reviews.review("uid-5", "CREATE", new JsonObject().put("group", "apps").put("version", "v1").put("kind", "Deployment"),
        "deployments", new JsonObject().put("apiVersion", "apps/v1").put("kind", "Deployment").put("metadata", new JsonObject().put("name", "d")));
    review(review).onComplete(ctx.succeeding(response -> ctx.verify(() -> {
      assertThat(response.getBoolean("allowed")).isFalse();
      assertThat(response.getJsonObject("status").getString("message"))
          .isEqualTo("this webhook validates networking.k8s.io/v1 Ingress objects, not apps/v1 Deployment");
      ctx.completeNow();
    })));
  }

  @Test
  void answersBrokenRequestsWith400AndAMessage(VertxTestContext ctx) {
    JsonObject good = Reviews.ingressReview("u", "CREATE", Reviews.ingress("shop", "web", new JsonObject(), "web", 80));
    JsonObject noUid = good.copy();
    noUid.getJsonObject("request").remove("uid");
    JsonObject noObject = good.copy();
    noObject.getJsonObject("request").remove("object");
    JsonObject wrongVersion = good.copy().put("apiVersion", "admission.k8s.io/v1beta1");
    JsonObject badSpec = good.copy();
    badSpec.getJsonObject("request").getJsonObject("object").put("spec", "not an object");
    Map<Buffer, String> cases = Map.of(
        Buffer.buffer("{not json"), "the request body is not valid JSON",
        Buffer.buffer("[]"), "the body must be a JSON object",
        Buffer.buffer(""), "the request body is empty",
        noUid.toBuffer(), "request.uid is missing",
        noObject.toBuffer(), "request.object is missing for a CREATE",
        wrongVersion.toBuffer(), "expected apiVersion admission.k8s.io/v1 and kind AdmissionReview, got apiVersion \"admission.k8s.io/v1beta1\"",
        badSpec.toBuffer(), "request.object is not a valid Ingress");
    var checkpoint = ctx.checkpoint(cases.size());
    cases.forEach((body, fragment) -> post(WebhookServer.VALIDATE_INGRESS_PATH, body).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).as(fragment).isEqualTo(400);
      assertThat(r.bodyAsString()).contains(fragment);
      checkpoint.flag();
    }))));
  }

  @Test
  void refusesOversizedBodiesWith413(VertxTestContext ctx) {
    Buffer huge = Buffer.buffer(new byte[(int) WebhookServer.MAX_BODY_BYTES + 1]);
    post(WebhookServer.VALIDATE_INGRESS_PATH, huge).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.bodyAsString()).contains("larger than 3 MiB");
      ctx.completeNow();
    })));
  }

  @Test
  void mutatingWebhookAnswersWithAJsonPatch(VertxTestContext ctx) {
    JsonObject pod = new JsonObject().put("apiVersion", "v1").put("kind", "Pod")
        .put("metadata", new JsonObject().put("name", "p").put("namespace", "shop").put("labels", new JsonObject().put("app", "web")))
        .put("spec", new JsonObject().put("containers", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "c").put("image", "nginx"))));
    post(WebhookServer.MUTATE_POD_PATH, Reviews.podReview("pod-1", pod).toBuffer()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject response = r.bodyAsJsonObject().getJsonObject("response");
      assertThat(response.getString("uid")).isEqualTo("pod-1");
      assertThat(response.getBoolean("allowed")).isTrue();
      assertThat(response.getString("patchType")).isEqualTo("JSONPatch");
      String patch = new String(Base64.getDecoder().decode(response.getString("patch")), StandardCharsets.UTF_8);
      assertThat(new io.vertx.core.json.JsonArray(patch).getJsonObject(0).getMap())
          .containsEntry("op", "add").containsEntry("path", "/metadata/labels/mutated").containsEntry("value", "yes");
      ctx.completeNow();
    })));
  }

  @Test
  void reloadsTheCertificateWhenTheFilesChange(Vertx vertx, VertxTestContext ctx) throws Exception {
    peerCommonName(vertx).compose(first -> {
      ctx.verify(() -> assertThat(first).isEqualTo("CN=first"));
      try {
        TestCerts.write(certDir, "second");
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
      return server.reloadIfChanged();
    }).compose(reloaded -> {
      ctx.verify(() -> assertThat(reloaded).isTrue());
      return peerCommonName(vertx);
    }).onComplete(ctx.succeeding(second -> ctx.verify(() -> {
      assertThat(second).isEqualTo("CN=second");
      ctx.completeNow();
    })));
    assertThat(ctx.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void refusesPlainHttpAndOldTls(Vertx vertx, VertxTestContext ctx) {
    var plain = vertx.createHttpClient(new HttpClientOptions());
    var tls11 = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.1")));
    var checkpoint = ctx.checkpoint(2);
    plain.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", WebhookServer.VALIDATE_INGRESS_PATH)
        .compose(req -> req.send("{}")).onComplete(ar -> ctx.verify(() -> {
          assertThat(ar.succeeded() && ar.result().statusCode() == 200).isFalse();
          checkpoint.flag();
        }));
    tls11.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", WebhookServer.VALIDATE_INGRESS_PATH)
        .compose(req -> req.send("{}")).onComplete(ar -> ctx.verify(() -> {
          assertThat(ar.failed()).isTrue();
          checkpoint.flag();
        }));
  }

  @Test
  void stoppingLetsAReviewInFlightFinishAndRefusesNewConnections(Vertx vertx, VertxTestContext ctx) throws Exception {
    io.vertx.core.Promise<io.albingress.validation.AwsFacts> slowAws = io.vertx.core.Promise.promise();
    IngressValidator validator = new IngressValidator(new IngressClassMatcher("alb", n -> Optional.empty()), "us-west-2", "");
    WebhookServer slow = new WebhookServer(vertx, new WebhookServer.Config("127.0.0.1", 0, certDir, 60_000), new AdmissionCodec(),
        new IngressAdmission(validator, CLUSTER, needs -> slowAws.future()), new PodAdmission(new KubernetesSerialization(), PodMutator.NONE),
        new SimpleMeterRegistry());
    slow.start().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    int port = slow.actualPort();
    JsonObject tls = Reviews.ingress("shop", "web", new JsonObject().put("alb.ingress.kubernetes.io/certificate-arn",
        "arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555"), "web", 80);
    var inFlight = client.request(HttpMethod.POST, port, "127.0.0.1", WebhookServer.VALIDATE_INGRESS_PATH)
        .sendBuffer(Reviews.ingressReview("in-flight", "CREATE", tls).toBuffer());
    // the review waits on AWS; stop the server meanwhile, then let AWS answer
    vertx.setTimer(500, t -> {
      Future<Void> stopped = slow.stop();
      vertx.setTimer(300, t2 -> slowAws.complete(io.albingress.validation.AwsFacts.unknown("test")));
      stopped.compose(v -> inFlight).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getJsonObject("response").getString("uid")).isEqualTo("in-flight");
        WebClient fresh = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        fresh.request(HttpMethod.POST, port, "127.0.0.1", WebhookServer.VALIDATE_INGRESS_PATH)
            .sendBuffer(Reviews.ingressReview("late", "CREATE", tls).toBuffer())
            .onComplete(late -> ctx.verify(() -> {
              assertThat(late.failed()).as("a new connection after stop").isTrue();
              ctx.completeNow();
            }));
      })));
    });
    assertThat(ctx.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
  }

  /** Opens a fresh TLS connection and reads the server certificate's subject. */
  private Future<String> peerCommonName(Vertx vertx) {
    var netClient = vertx.createNetClient(new NetClientOptions().setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm(""));
    return netClient.connect(server.actualPort(), "127.0.0.1").map(socket -> {
      try {
        String name = ((X509Certificate) socket.sslSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        socket.close();
        return name;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).eventually(() -> netClient.close());
  }

}
