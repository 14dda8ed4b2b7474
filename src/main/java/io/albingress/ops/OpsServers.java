package io.albingress.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.Optional;
import java.util.function.Supplier;

/** Plain-HTTP endpoints for operators: Prometheus metrics, and liveness/readiness probes. */
public final class OpsServers {
  private OpsServers() {}

  public static Future<HttpServer> metrics(Vertx vertx, String host, int port, PrometheusMeterRegistry registry) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(router).listen();
  }

  /** @param notReady why the process should not get traffic yet, or empty when it is ready */
  public static Future<HttpServer> health(Vertx vertx, String host, int port, Supplier<Optional<String>> notReady) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> ctx.response().end("ok\n"));
    router.get("/readyz").handler(ctx -> notReady.get().ifPresentOrElse(
        reason -> ctx.response().setStatusCode(503).end("not ready: " + reason + "\n"),
        () -> ctx.response().end("ok\n")));
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(router).listen();
  }
}
