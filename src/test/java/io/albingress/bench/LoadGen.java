package io.albingress.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTPS load generator on the Vert.x HTTP client (keep-alive, a fixed pool of connections), in
 * the benchmark's JVM, never the server's. Fixed-rate runs are open-loop: request i is due at
 * t0 + i/rate and its latency counts from then, so a stalled server is not hidden (coordinated
 * omission).
 */
final class LoadGen implements AutoCloseable {
  /** One run: rates in requests/s, latencies in microseconds. */
  record Result(double offered, double achieved, long count, long errors, long p50, long p99, long p999, long max) {
    String latencies() {
      return ms(p50) + " / " + ms(p99) + " / " + ms(p999) + " ms";
    }

    static String ms(long micros) {
      return BenchResults.fmt(micros / 1000.0, micros < 10_000 ? 2 : 1);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpClientAgent client;
  private final RequestOptions request;
  private final Buffer body;

  LoadGen(int port, String path, Buffer body, int connections) {
    this.body = body;
    this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setKeepAlive(true).setDefaultHost("127.0.0.1").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(connections));
    this.request = new RequestOptions().setMethod(HttpMethod.POST).setURI(path).putHeader("content-type", "application/json");
  }

  Future<Buffer> send() {
    return client.request(request).compose(req -> req.send(body)).compose(resp -> resp.statusCode() == 200 ? resp.body()
        : resp.body().compose(b -> Future.failedFuture("HTTP " + resp.statusCode() + ": " + b)));
  }

  /** One request, blocking: the reply body (to check the verdict). */
  String once() throws Exception {
    return send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).toString();
  }

  /** Closed loop: {@code inFlight} requests outstanding at all times, for {@code duration}. */
  Result saturate(Duration duration, int inFlight) throws Exception {
    long[] lat = new long[4_000_000];
    AtomicInteger n = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(inFlight);
    vertx.runOnContext(v -> {
      for (int i = 0; i < inFlight; i++) {
        loop(lat, n, errors, end, running, done);
      }
    });
    done.future().toCompletionStage().toCompletableFuture().get(duration.toSeconds() + 60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    return result(Double.NaN, lat, n.get(), errors.get(), seconds);
  }

  private void loop(long[] lat, AtomicInteger n, AtomicLong errors, long end, AtomicInteger running, Promise<Void> done) {
    long sent = System.nanoTime();
    send().onComplete(ar -> {
      long now = System.nanoTime();
      record(lat, n, errors, ar.succeeded(), now - sent);
      if (now < end) {
        loop(lat, n, errors, end, running, done);
      } else if (running.decrementAndGet() == 0) {
        done.complete();
      }
    });
  }

  /** Open loop at {@code rate} requests/s for {@code duration}. */
  Result fixedRate(int rate, Duration duration) throws Exception {
    int total = (int) (rate * duration.toMillis() / 1000);
    long[] lat = new long[total];
    AtomicInteger n = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    AtomicInteger completed = new AtomicInteger();
    double interval = 1e9 / rate;
    long t0 = System.nanoTime() + 5_000_000;
    int[] issued = {0};
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      while (issued[0] < total && t0 + (long) (issued[0] * interval) <= now) {
        long due = t0 + (long) (issued[0] * interval);
        issued[0]++;
        send().onComplete(ar -> {
          record(lat, n, errors, ar.succeeded(), System.nanoTime() - due);
          if (completed.incrementAndGet() == total) {
            done.complete();
          }
        });
      }
      if (issued[0] >= total) {
        vertx.cancelTimer(id);
      }
    }));
    done.future().toCompletionStage().toCompletableFuture().get(duration.toSeconds() + 120, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    return result(rate, lat, n.get(), errors.get(), seconds);
  }

  private static void record(long[] lat, AtomicInteger n, AtomicLong errors, boolean ok, long nanos) {
    if (!ok) {
      errors.incrementAndGet();
    }
    int i = n.getAndIncrement();
    if (i < lat.length) {
      lat[i] = nanos / 1000;
    }
  }

  private static Result result(double offered, long[] lat, int count, long errors, double seconds) {
    int k = Math.min(count, lat.length);
    long[] sorted = Arrays.copyOf(lat, k);
    Arrays.sort(sorted);
    return new Result(offered, count / seconds, count, errors, pct(sorted, 0.5), pct(sorted, 0.99), pct(sorted, 0.999),
        k == 0 ? 0 : sorted[k - 1]);
  }

  static long pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  @Override
  public void close() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
