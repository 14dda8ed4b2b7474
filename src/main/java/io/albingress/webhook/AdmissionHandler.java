package io.albingress.webhook;

import io.albingress.metrics.LatencyBuckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the admission paths: reads the body (at most {@link WebhookServer#MAX_BODY_BYTES}), decodes
 * the review, runs the webhook and writes its answer. Stateless and thread-safe: every verticle
 * instance shares one.
 */
final class AdmissionHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain; charset=utf-8");
  private static final String INTERNAL_ERROR_WARNING =
      "the ALB controller could not validate this object (internal error, see the controller log); it was allowed unchecked";

  /** One webhook: its path, its metrics label, how its reviews are read and who answers them. */
  record Webhook<T>(String path, String label, AdmissionCodec.Reader<T> reader, Function<AdmissionRequestView<T>, Future<AdmissionReply>> reviewer) {}

  /** How long an oversized request's connection stays open for the client to finish sending and read the 413. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("too large", null, false, false);
    }
  }

  private final AdmissionCodec codec;
  private final List<Webhook<?>> webhooks;
  private final java.util.Map<String, Webhook<?>> byPath;
  private final MeterRegistry registry;
  /**
   * The meters of each webhook and verdict (by webhook label, then verdict), registered once: a registry lookup per
   * review costs more than the review's checks, and two lookups by constant strings cost less than building a key.
   */
  private final java.util.concurrent.ConcurrentMap<String, java.util.concurrent.ConcurrentMap<String, Meters>> meters =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Meters(Counter requests, Timer duration) {}

  AdmissionHandler(AdmissionCodec codec, List<Webhook<?>> webhooks, MeterRegistry registry) {
    this.codec = codec;
    this.webhooks = webhooks;
    this.byPath = webhooks.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Webhook::path, w -> w, (a, b) -> a));
    this.registry = registry;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && tooLarge(length)) {
      tooLarge(req);
      return;
    }
    readBody(req, length).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof TooLarge) {
          tooLarge(req);
        }
        return; // the connection broke; nobody to answer
      }
      Webhook<?> webhook = byPath.get(req.path());
      if (webhook == null) {
        text(req, 404, "no webhook at " + req.path() + "; use " + WebhookServer.VALIDATE_INGRESS_PATH + ", " + WebhookServer.VALIDATE_SERVICE_PATH
            + " or " + WebhookServer.MUTATE_POD_PATH);
        return;
      }
      // the HTTP server metrics' route label, as Vert.x Web's router would set it (never an unknown path: cardinality)
      req.routed(webhook.path());
      if (req.method() != HttpMethod.POST) {
        text(req, 405, "use POST");
      } else {
        serve(req, webhook, ar.result());
      }
    });
  }

  private <T> void serve(HttpServerRequest req, Webhook<T> webhook, Buffer body) {
    long start = System.nanoTime();
    AdmissionRequestView<T> request;
    try {
      request = webhook.reader().decode(body);
    } catch (BadAdmissionRequest e) {
      badRequest(req, webhook, e, start);
      return;
    }
    safely(webhook, request).onComplete(ar -> {
      if (ar.failed()) {
        badRequest(req, webhook, ar.cause(), start);
        return;
      }
      AdmissionReply reply = ar.result();
      record(webhook.label(), reply.outcome(), start);
      req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(codec.encode(request.uid(), reply));
    });
  }

  /** Our own bugs allow the object with a warning: the webhook never blocks a cluster because of us. */
  private static <T> Future<AdmissionReply> safely(Webhook<T> webhook, AdmissionRequestView<T> request) {
    Future<AdmissionReply> reply;
    try {
      reply = webhook.reviewer().apply(request);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    return reply.recover(e -> {
      if (e instanceof BadAdmissionRequest) {
        return Future.failedFuture(e);
      }
      LOG.error("admission review {} failed; allowing it", request.uid(), e);
      return Future.succeededFuture(new AdmissionReply(true, "", List.of(INTERNAL_ERROR_WARNING), Optional.empty()));
    });
  }

  private void badRequest(HttpServerRequest req, Webhook<?> webhook, Throwable e, long start) {
    record(webhook.label(), "bad-request", start);
    text(req, 400, "bad AdmissionReview: " + e.getMessage());
  }

  private void record(String webhook, String verdict, long startNanos) {
    var byVerdict = meters.get(webhook);
    if (byVerdict == null) {
      byVerdict = meters.computeIfAbsent(webhook, w -> new java.util.concurrent.ConcurrentHashMap<>());
    }
    Meters m = byVerdict.get(verdict);
    if (m == null) {
      m = byVerdict.computeIfAbsent(verdict, k -> new Meters(
          Counter.builder("alb_webhook_requests_total").description("Admission requests by webhook and verdict.")
              .tag("webhook", webhook).tag("verdict", verdict).register(registry),
          Timer.builder("alb_webhook_request_duration_seconds").description("Admission request latency.")
              .tag("webhook", webhook).tag("verdict", verdict).serviceLevelObjectives(LatencyBuckets.seconds()).register(registry)));
    }
    m.requests().increment();
    m.duration().record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** The whole body, or a TooLarge failure as soon as it passes the limit. */
  private static Future<Buffer> readBody(HttpServerRequest req, String length) {
    Promise<Buffer> body = Promise.promise();
    // sized from Content-Length (already checked against the limit), never negative
    Buffer all = Buffer.buffer(length == null ? 4096 : (int) Math.max(0, Long.parseLong(length.trim())));
    req.handler(chunk -> {
      if (all.length() + chunk.length() > WebhookServer.MAX_BODY_BYTES) {
        req.handler(null);
        body.tryFail(new TooLarge());
      } else {
        all.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> body.tryComplete(all));
    req.exceptionHandler(body::tryFail);
    return body.future();
  }

  private static boolean tooLarge(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > WebhookServer.MAX_BODY_BYTES;
    } catch (NumberFormatException e) {
      return true; // no server can read a body of unknown length; the codec would refuse it anyway
    }
  }

  /**
   * Answers 413 and closes the connection once the client has sent the rest of the body (read and
   * dropped) or {@link #LINGER} later, whichever comes first: closing on unread bytes makes TCP reset
   * the connection, and a client still sending would lose the answer.
   */
  private static void tooLarge(HttpServerRequest req) {
    Vertx vertx = Vertx.currentContext().owner();
    long closer = vertx.setTimer(LINGER.toMillis(), t -> req.connection().close());
    req.handler(chunk -> {});
    req.endHandler(v -> {
      vertx.cancelTimer(closer);
      req.connection().close();
    });
    req.resume();
    req.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, TEXT).putHeader(HttpHeaders.CONNECTION, "close")
        .end("request body is larger than " + WebhookServer.MAX_BODY_BYTES / (1024 * 1024) + " MiB\n");
  }

  private static void text(HttpServerRequest req, int status, String message) {
    req.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(message + "\n");
  }
}
