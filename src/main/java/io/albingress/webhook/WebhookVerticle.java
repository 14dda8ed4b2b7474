package io.albingress.webhook;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the webhook server: an HTTPS server on the shared port (Vert.x spreads
 * connections over the instances). It touches nothing of the reconciler's; the handler is shared
 * and stateless.
 */
final class WebhookVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final WebhookServer.KeyPair keyPair;
  private final AdmissionHandler handler;
  private final Duration grace;
  private HttpServer server;

  WebhookVerticle(String host, int port, WebhookServer.KeyPair keyPair, AdmissionHandler handler, Duration grace) {
    this.host = host;
    this.port = port;
    this.keyPair = keyPair;
    this.handler = handler;
    this.grace = grace;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setSsl(true)
        .setKeyCertOptions(keyPair.options()).setEnabledSecureTransportProtocols(WebhookServer.TLS_PROTOCOLS);
    server = vertx.createHttpServer(options).requestHandler(handler);
    return server.listen();
  }

  /** Graceful: no new connections; requests in flight finish within the grace period. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  int actualPort() {
    return server.actualPort();
  }

  /** Swaps the serving certificate for new connections. */
  Future<Boolean> updateSsl(WebhookServer.KeyPair pair) {
    return server.updateSSLOptions(pair.ssl(), true);
  }
}
