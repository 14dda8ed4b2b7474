package io.albingress.webhook;

import io.albingress.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTPS admission webhook server: TLS 1.2+ only, certificate reload, strict request handling. */
public final class WebhookServer {
  public static final String VALIDATE_INGRESS_PATH = "/validate-networking-v1-ingress";
  public static final String MUTATE_POD_PATH = "/mutate-v1-pod";
  public static final long MAX_BODY_BYTES = 3L * 1024 * 1024;
  static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  /** Where the server listens and how often it looks for renewed certificate files. */
  public record Config(String host, int port, Path certDir, long reloadIntervalMillis) {
    Path certFile() {
      return certDir.resolve("tls.crt");
    }

    Path keyFile() {
      return certDir.resolve("tls.key");
    }
  }

  private record KeyPair(Buffer cert, Buffer key) {
    PemKeyCertOptions options() {
      return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    }
  }

  private final Vertx vertx;
  private final Config config;
  private final AdmissionCodec codec;
  private final IngressAdmission ingresses;
  private final PodAdmission pods;
  private final Metrics metrics;
  private HttpServer server;
  private KeyPair current;
  private long reloadTimer = -1;

  public WebhookServer(Vertx vertx, Config config, AdmissionCodec codec, IngressAdmission ingresses, PodAdmission pods, Metrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.codec = codec;
    this.ingresses = ingresses;
    this.pods = pods;
    this.metrics = metrics;
  }

  public Future<WebhookServer> start() {
    return readKeyPair().compose(pair -> {
      current = pair;
      HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port()).setSsl(true)
          .setKeyCertOptions(pair.options()).setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
      server = vertx.createHttpServer(options).requestHandler(router());
      return server.listen();
    }).map(s -> {
      reloadTimer = vertx.setPeriodic(config.reloadIntervalMillis(), id -> reloadIfChanged());
      LOG.info("webhook server listening on https://{}:{}", config.host(), s.actualPort());
      return this;
    });
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(reloadTimer);
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Re-reads tls.crt and tls.key, and swaps them in when they changed (cert-manager renewals). */
  Future<Boolean> reloadIfChanged() {
    return readKeyPair().compose(pair -> {
      if (pair.equals(current)) {
        return Future.succeededFuture(false);
      }
      ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(pair.options()).setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
      return server.updateSSLOptions(ssl, true).onSuccess(updated -> {
        current = pair;
        LOG.info("webhook certificate reloaded from {}", config.certDir());
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

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post(VALIDATE_INGRESS_PATH).handler(ctx -> handle(ctx, "validate-ingress", ingresses::review));
    router.post(MUTATE_POD_PATH).handler(ctx -> handle(ctx, "mutate-pod", pods::review));
    router.route().failureHandler(this::failure);
    return router;
  }

  private void handle(RoutingContext ctx, String webhook, Function<AdmissionRequestView, Future<AdmissionReply>> reviewer) {
    long start = System.nanoTime();
    Future<AdmissionRequestView> decoded;
    try {
      decoded = Future.succeededFuture(codec.decode(ctx.body().buffer()));
    } catch (BadAdmissionRequest e) {
      decoded = Future.failedFuture(e);
    }
    decoded.compose(request -> safely(reviewer, request)
            .onSuccess(reply -> record(webhook, reply.outcome(), start))
            .map(reply -> codec.encode(request.uid(), reply)))
        .onSuccess(body -> ctx.response().putHeader("content-type", "application/json").end(body))
        .onFailure(e -> {
          record(webhook, "bad-request", start);
          ctx.response().setStatusCode(400).putHeader("content-type", "text/plain; charset=utf-8")
              .end("bad AdmissionReview: " + e.getMessage() + "\n");
        });
  }

  /** Our own bugs allow the object with a warning: the webhook never blocks a cluster because of us. */
  private Future<AdmissionReply> safely(Function<AdmissionRequestView, Future<AdmissionReply>> reviewer, AdmissionRequestView request) {
    Future<AdmissionReply> reply;
    try {
      reply = reviewer.apply(request);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    return reply.recover(e -> {
      if (e instanceof BadAdmissionRequest) {
        return Future.failedFuture(e);
      }
      LOG.error("admission review {} failed; allowing it", request.uid(), e);
      return Future.succeededFuture(new AdmissionReply(true, "", java.util.List.of(
          "the ALB controller could not validate this object (internal error, see the controller log); it was allowed unchecked"),
          java.util.Optional.empty()));
    });
  }

  private void record(String webhook, String verdict, long startNanos) {
    metrics.increment("alb_webhook_requests_total", "Admission requests by webhook and verdict.", "webhook", webhook, "verdict", verdict);
    metrics.observeSeconds("alb_webhook_request_duration_seconds", "Admission request latency.",
        (System.nanoTime() - startNanos) / 1e9, "webhook", webhook, "verdict", verdict);
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    String message = switch (status) {
      case 413 -> "request body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MiB";
      case 404 -> "no webhook at " + ctx.request().path() + "; use " + VALIDATE_INGRESS_PATH + " or " + MUTATE_POD_PATH;
      case 405 -> "use POST";
      default -> "request failed";
    };
    if (status >= 500) {
      LOG.error("webhook request to {} failed", ctx.request().path(), ctx.failure());
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(message + "\n");
    }
  }
}
