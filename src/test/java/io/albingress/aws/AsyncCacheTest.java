package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fact caches' threading and single-flight rules, on real Vert.x contexts (no AWS). */
class AsyncCacheTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context home = ((VertxInternal) vertx).createEventLoopContext();
  private final Context caller = ((VertxInternal) vertx).createEventLoopContext();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Runs {@code work} on the caller's context and returns the thread its result was handed to. */
  private <T> CompletableFuture<Thread> threadOfResult(java.util.function.Supplier<Future<T>> work) {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    caller.runOnContext(v -> work.get().onComplete(ar -> thread.complete(Thread.currentThread())));
    return thread;
  }

  private static Thread threadOf(Context context) throws Exception {
    CompletableFuture<Thread> t = new CompletableFuture<>();
    context.runOnContext(v -> t.complete(Thread.currentThread()));
    return t.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aFetchRunsOnTheHomeContextAndItsResultReachesTheCallerOnItsOwnContext() throws Exception {
    CompletableFuture<Thread> fetchedOn = new CompletableFuture<>();
    AsyncCache<String> cache = new AsyncCache<>(home, () -> {
      fetchedOn.complete(Thread.currentThread());
      return Future.succeededFuture("subnets");
    }, Duration.ofMinutes(5), Duration.ofSeconds(10));
    Thread answeredOn = threadOfResult(cache::get).get(5, TimeUnit.SECONDS);
    assertThat(fetchedOn.get(5, TimeUnit.SECONDS)).isEqualTo(threadOf(home));
    assertThat(answeredOn).isEqualTo(threadOf(caller));
  }

  @Test
  void aStoredValueIsAnsweredWhileTheHomeContextIsBlocked() throws Exception {
    AsyncCache<String> cache = new AsyncCache<>(home, () -> Future.succeededFuture("certificates"), Duration.ofMinutes(5),
        Duration.ofSeconds(10));
    threadOfResult(cache::get).get(5, TimeUnit.SECONDS);
    CountDownLatch release = new CountDownLatch(1);
    home.runOnContext(v -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      // the home thread is held until release: an answer before that proves nobody waited on it
      assertThat(threadOfResult(cache::get).get(5, TimeUnit.SECONDS)).isEqualTo(threadOf(caller));
    } finally {
      release.countDown();
    }
  }

  @Test
  void concurrentCallersShareOneFetchAndAStaleValueIsAnsweredWhileItIsRefreshed() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    AtomicLong now = new AtomicLong();
    Promise<String> first = Promise.promise();
    AsyncCache<String> cache = new AsyncCache<>(home, () -> fetches.incrementAndGet() == 1 ? first.future()
        : Future.succeededFuture("second"), Duration.ofSeconds(60), Duration.ofSeconds(10), now::get);
    CompletableFuture<String> a = new CompletableFuture<>();
    CompletableFuture<String> b = new CompletableFuture<>();
    caller.runOnContext(v -> {
      cache.get().onSuccess(a::complete);
      cache.get().onSuccess(b::complete);
    });
    Thread.sleep(100);
    home.runOnContext(v -> first.complete("first"));
    assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(fetches).hasValue(1);

    now.addAndGet(Duration.ofSeconds(61).toNanos());
    assertThat(cache.get().result()).isEqualTo("first");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "second".equals(cache.get().result()));
    assertThat(fetches).hasValue(2);
  }

  @Test
  void anItemFoundOnItsOwnJoinsTheStoredList() throws Exception {
    AsyncCache<List<String>> cache = new AsyncCache<>(home, () -> Future.succeededFuture(List.of("a")), Duration.ofMinutes(5),
        Duration.ofSeconds(10));
    threadOfResult(cache::get).get(5, TimeUnit.SECONDS);
    cache.update(list -> List.of("a", "b"));
    assertThat(cache.get().result()).containsExactly("a", "b");
  }

  @Test
  void singleFlightRunsOneLookupPerKeyAtATime() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    Promise<Optional<String>> pending = Promise.promise();
    SingleFlight<String, Optional<String>> flight = new SingleFlight<>(home, key -> {
      lookups.incrementAndGet();
      return pending.future();
    });
    CompletableFuture<Optional<String>> a = new CompletableFuture<>();
    CompletableFuture<Optional<String>> b = new CompletableFuture<>();
    CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
    caller.runOnContext(v -> {
      flight.get("arn:1").onSuccess(a::complete);
      flight.get("arn:1").onSuccess(r -> {
        answeredOn.complete(Thread.currentThread());
        b.complete(r);
      });
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lookups.get() == 1);
    home.runOnContext(v -> pending.complete(Optional.of("found")));
    assertThat(a.get(5, TimeUnit.SECONDS)).contains("found");
    assertThat(b.get(5, TimeUnit.SECONDS)).contains("found");
    assertThat(answeredOn.get()).isEqualTo(threadOf(caller));
    assertThat(lookups).hasValue(1);
    assertThat(flight.inFlight()).isZero();
  }
}
