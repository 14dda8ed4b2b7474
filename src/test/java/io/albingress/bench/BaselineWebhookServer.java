package io.albingress.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.util.Set;

/**
 * The webhook benchmark's baseline: a minimal Vert.x HTTPS server (same TLS set-up as WebhookServer)
 * that parses the AdmissionReview body and answers a fixed allowed review. Run in its own JVM:
 * {@code BaselineWebhookServer PORT CERT_DIR}.
 */
public final class BaselineWebhookServer {
  static final String LISTENING = "baseline webhook listening";

  private BaselineWebhookServer() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Path certs = Path.of(args[1]);
    Vertx vertx = Vertx.vertx();
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.resolve("tls.crt").toString())
            .setKeyPath(certs.resolve("tls.key").toString()))
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
    vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject review = body.toJsonObject();
      String uid = review.getJsonObject("request").getString("uid");
      JsonObject reply = new JsonObject().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview")
          .put("response", new JsonObject().put("uid", uid).put("allowed", true));
      req.response().putHeader("content-type", "application/json").end(reply.toBuffer());
    })).listen().onSuccess(s -> System.out.println(LISTENING + " on " + s.actualPort())).onFailure(e -> {
      e.printStackTrace();
      System.exit(1);
    });
  }
}
