package io.albingress.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The keyed loop on a real Vert.x context: coalescing, backoff, run bound, leadership loss, and its thread guard. */
@ExtendWith(VertxExtension.class)
class KeyedLoopTest {
  /** Runs in start order; each waits on its promise unless the script completes it. */
  private final List<String> runs = new CopyOnWriteArrayList<>();
  private final Map<Integer, Promise<Void>> pending = new ConcurrentHashMap<>();
  private final List<KeyedLoop.Outcome<String>> outcomes = new CopyOnWriteArrayList<>();
  private Context context;

  private KeyedLoop<String> loop(Vertx vertx, KeyedLoop.Settings settings, Function<Integer, Future<Void>> script) {
    context = vertx.getOrCreateContext();
    return new KeyedLoop<>(vertx, context, settings, key -> {
      assertThat(Vertx.currentContext()).as("runs start on the loop's context").isSameAs(context);
      runs.add(key);
      return script.apply(runs.size());
    }, e -> false, outcomes::add);
  }

  /** Waits until everything handed to the context so far has run. */
  private void flush() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> done.complete(null));
    done.get(10, TimeUnit.SECONDS);
  }

  private Future<Void> held(int run) {
    Promise<Void> p = Promise.promise();
    pending.put(run, p);
    return p.future();
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(condition);
  }

  @Test
  void eventsDuringARunCoalesceIntoOneMoreRun(Vertx vertx) throws Exception {
    KeyedLoop<String> loop = loop(vertx, KeyedLoop.Settings.of(2, Duration.ofMinutes(1)), this::held);
    loop.lead(List.of("a"));
    loop.add("a");
    loop.add("a");
    loop.add("a");
    flush();
    assertThat(runs).containsExactly("a");
    assertThat(loop.idle()).isFalse();

    pending.get(1).complete();
    await(() -> runs.size() == 2);
    pending.get(2).complete();
    await(() -> outcomes.size() == 2);
    flush();
    assertThat(runs).containsExactly("a", "a");
    assertThat(loop.idle()).isTrue();
  }

  @Test
  void aFailedKeyBacksOffAndEventsMeanwhileDoNotCutItShort(Vertx vertx) throws Exception {
    KeyedLoop.Settings settings = new KeyedLoop.Settings(2, Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(20));
    KeyedLoop<String> loop = loop(vertx, settings, run -> Future.failedFuture("AWS said no"));
    loop.lead(List.of("a"));
    await(() -> outcomes.size() == 1);
    loop.add("a");
    loop.add("b");
    await(() -> outcomes.size() == 2);
    flush();
    assertThat(runs).as("b runs, a waits for its backoff").containsExactly("a", "b");
  }

  @Test
  void aFailedKeyIsRetriedAfterItsBackoff(Vertx vertx) {
    KeyedLoop.Settings settings = new KeyedLoop.Settings(1, Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofMillis(20));
    KeyedLoop<String> loop = loop(vertx, settings, run -> run == 1 ? Future.failedFuture("throttled") : Future.succeededFuture());
    loop.lead(List.of("a"));
    await(() -> outcomes.size() == 2);
    assertThat(outcomes.get(0).result().failed()).isTrue();
    assertThat(outcomes.get(1).result().succeeded()).isTrue();
    assertThat(runs).containsExactly("a", "a");
  }

  @Test
  void aRunThatNeverAnswersIsGivenUpAfterItsBoundAndRetried(Vertx vertx) {
    KeyedLoop.Settings settings = new KeyedLoop.Settings(1, Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(20));
    // the first run's answer is lost: its promise is never completed
    KeyedLoop<String> loop = loop(vertx, settings, run -> run == 1 ? held(run) : Future.succeededFuture());
    loop.lead(List.of("a"));
    await(() -> outcomes.size() == 2);
    assertThat(outcomes.get(0).result().cause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(runs).containsExactly("a", "a");
  }

  @Test
  void aRunPastItsBoundIsToldToStopAndTheNextRunWaitsUntilItHasStopped(Vertx vertx) throws Exception {
    context = vertx.getOrCreateContext();
    List<java.util.function.BooleanSupplier> tokens = new CopyOnWriteArrayList<>();
    KeyedLoop.Settings settings = new KeyedLoop.Settings(1, Duration.ofMillis(200), Duration.ofMillis(10), Duration.ofMillis(20));
    KeyedLoop<String> loop = new KeyedLoop<>(vertx, context, settings, (String key, java.util.function.BooleanSupplier cancelled, Runnable release) -> {
      runs.add(key);
      tokens.add(cancelled);
      return runs.size() == 1 ? held(1) : Future.succeededFuture();
    }, e -> false, outcomes::add);
    loop.lead(List.of("a"));
    await(() -> tokens.size() == 1 && tokens.get(0).getAsBoolean());
    loop.add("a");
    Thread.sleep(100);
    flush();
    assertThat(runs).as("no second run while the first one still runs").containsExactly("a");

    pending.get(1).complete();
    await(() -> runs.size() == 2);
    assertThat(outcomes.get(0).result().cause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
  }

  @Test
  void losingLeadershipStopsEverythingAtOnceAndDropsRunsInFlight(Vertx vertx) throws Exception {
    KeyedLoop.Settings settings = new KeyedLoop.Settings(1, Duration.ofMinutes(1), Duration.ofMillis(50), Duration.ofMillis(100));
    KeyedLoop<String> loop = loop(vertx, settings, this::held);
    loop.lead(List.of("a", "b"));
    flush();
    assertThat(runs).as("one in flight, b waits").containsExactly("a");

    loop.stopLeading();
    flush();
    assertThat(loop.idle()).isTrue();
    pending.get(1).fail("answer after the loss");
    loop.add("c");
    flush();
    Thread.sleep(200); // longer than any backoff here: a retry of a, had it been scheduled, would have run
    flush();
    assertThat(runs).as("no waiting key, no retry, no new key runs").containsExactly("a");
    assertThat(outcomes).as("the old run's outcome is dropped").isEmpty();

    loop.lead(List.of("d"));
    await(() -> runs.size() == 2);
    assertThat(runs).containsExactly("a", "d");
  }

  @Test
  void touchingTheStateOffItsContextFails(Vertx vertx) throws Exception {
    KeyedLoop<String> loop = loop(vertx, KeyedLoop.Settings.of(1, Duration.ofMinutes(1)), this::held);
    assertThat(loop.onContext()).isFalse();
    assertThatThrownBy(loop::checkOnContext).isInstanceOf(AssertionError.class).hasMessageContaining("off its context");
    CompletableFuture<Boolean> inside = new CompletableFuture<>();
    context.runOnContext(v -> {
      loop.checkOnContext();
      inside.complete(loop.onContext());
    });
    assertThat(inside.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aRunThatReleasesItsSlotLetsTheNextKeyStartAndStillCountsUntilItEnds(Vertx vertx) throws Exception {
    context = vertx.getOrCreateContext();
    Map<String, Runnable> releases = new ConcurrentHashMap<>();
    Map<String, Promise<Void>> held = new ConcurrentHashMap<>();
    KeyedLoop<String> loop = new KeyedLoop<>(vertx, context, KeyedLoop.Settings.of(1, Duration.ofMinutes(1)),
        (String key, java.util.function.BooleanSupplier cancelled, Runnable release) -> {
          runs.add(key);
          releases.put(key, release);
          Promise<Void> p = Promise.promise();
          held.put(key, p);
          return p.future();
        }, e -> false, outcomes::add);
    loop.lead(List.of("a", "b"));
    flush();
    assertThat(runs).containsExactly("a");

    // from another thread, as a run's AWS part ends on an SDK thread
    new Thread(releases.get("a")).start();
    await(() -> runs.size() == 2);
    assertThat(runs).containsExactly("a", "b");
    loop.add("a");
    held.get("b").complete();
    await(() -> outcomes.size() == 1);
    flush();
    assertThat(runs).as("a still runs: its event waits").containsExactly("a", "b");
    assertThat(loop.idle()).isFalse();

    held.get("a").complete();
    await(() -> runs.size() == 3);
    held.get("a").complete();
    held.values().forEach(p -> p.tryComplete());
    await(() -> outcomes.size() == 3);
    flush();
    assertThat(runs).containsExactly("a", "b", "a");
  }

  @Test
  void runsThatReleaseAtOnceDoNotNestTheNextKeysInTheirCallStack(Vertx vertx) throws Exception {
    context = vertx.getOrCreateContext();
    int keys = 20_000;
    java.util.concurrent.atomic.AtomicInteger depth = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger deepest = new java.util.concurrent.atomic.AtomicInteger();
    KeyedLoop<String> loop = new KeyedLoop<>(vertx, context, KeyedLoop.Settings.of(3, Duration.ofMinutes(1)),
        (String key, java.util.function.BooleanSupplier cancelled, Runnable release) -> {
          // after a restart every stack is verified from the caches: its run reaches its release synchronously
          deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
          try {
            release.run();
          } finally {
            depth.decrementAndGet();
          }
          return Future.succeededFuture();
        }, e -> false, outcomes::add);
    loop.lead(java.util.stream.IntStream.range(0, keys).mapToObj(i -> "k" + i).toList());
    await(() -> outcomes.size() == keys);
    assertThat(outcomes).allMatch(o -> o.result().succeeded());
    assertThat(deepest.get()).as("no run starts inside another").isEqualTo(1);
  }
}
