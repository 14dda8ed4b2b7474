package io.albingress.controller;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One keyed work loop on one Vert.x context: a {@link WorkQueue} (one run per key, coalescing, a
 * bounded number in flight, per-key backoff), a bound on each run, and a leadership gate. All its
 * state lives on its context: callers from other threads are handed over with runOnContext, and run
 * completions (which may arrive on SDK or Netty threads) too. With assertions on (tests), touching
 * the state from another thread fails at once.
 *
 * <p>Losing leadership stops the loop at once: nothing waiting or backing off runs, and runs still
 * in flight are forgotten (their outcome is dropped, a new leader's loop starts clean).
 */
public final class KeyedLoop<K> {
  /** How a run ended, handed to the owner on the loop's context (not for runs of a lost leadership). */
  public record Outcome<K>(K key, AsyncResult<Void> result, Duration took) {}

  /** Sizes and delays. */
  public record Settings(int maxConcurrent, Duration runBound, Duration baseDelay, Duration maxDelay) {
    public static Settings of(int maxConcurrent, Duration runBound) {
      return new Settings(maxConcurrent, runBound, Duration.ofSeconds(1), Duration.ofMinutes(2));
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final Settings settings;
  private final Work<K> work;

  /** One run of a key. */
  @FunctionalInterface
  public interface Work<K> {
    /**
     * @param cancelled true once the run is past its bound (then it stops issuing calls between its steps)
     * @param release frees the run's slot for the next key once its AWS part is done (any thread; see {@link WorkQueue#release})
     */
    Future<Void> run(K key, java.util.function.BooleanSupplier cancelled, Runnable release);
  }
  private final Predicate<Throwable> slowRetry;
  private final Consumer<Outcome<K>> finished;
  private WorkQueue<K> queue;
  private boolean leading;
  /** Bumped when leadership is lost: completions and timers of an older generation are ignored. */
  private long generation;
  private final Set<Long> timers = new HashSet<>();
  private volatile boolean idle = true;

  /**
   * @param context the owner's context; every callback runs on it
   * @param work one run of a key; it may complete on any thread
   * @param slowRetry failures that wait the longest backoff (a retry soon cannot help)
   * @param finished told about each run's outcome, on the context
   */
  public KeyedLoop(Vertx vertx, Context context, Settings settings, Function<K, Future<Void>> work, Predicate<Throwable> slowRetry,
      Consumer<Outcome<K>> finished) {
    this(vertx, context, settings, (Work<K>) (key, cancelled, release) -> work.apply(key), slowRetry, finished);
  }

  /** @param work one run of a key, told whether it is past its bound and able to free its slot early; it may complete on any thread */
  public KeyedLoop(Vertx vertx, Context context, Settings settings, Work<K> work, Predicate<Throwable> slowRetry,
      Consumer<Outcome<K>> finished) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.work = work;
    this.slowRetry = slowRetry;
    this.finished = finished;
    this.queue = newQueue();
  }

  /** Asks for a run of each key (ignored while not leading). Any thread. */
  public void add(K key) {
    onLoop(() -> {
      if (leading) {
        queue.add(key);
        pump();
      }
    });
  }

  /** Leads from now on and runs these keys. Any thread. */
  public void lead(Collection<K> keys) {
    onLoop(() -> {
      leading = true;
      keys.forEach(queue::add);
      pump();
    });
  }

  /** Stops at once: forgets every waiting, backing-off and running key. Any thread. */
  public void stopLeading() {
    onLoop(() -> {
      leading = false;
      generation++;
      timers.forEach(vertx::cancelTimer);
      timers.clear();
      queue = newQueue();
      idle = true;
    });
  }

  /** No key waits or runs. Any thread (a snapshot). */
  public boolean idle() {
    return idle;
  }

  /** The owner's own state check, for state it keeps next to the loop: true on the loop's context. */
  public boolean onContext() {
    return Vertx.currentContext() == context;
  }

  private WorkQueue<K> newQueue() {
    return new WorkQueue<>(settings.maxConcurrent(), settings.baseDelay(), settings.maxDelay(), Math::random);
  }

  private void onLoop(Runnable action) {
    if (onContext()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** The debug guard (assertions on): the loop's state is touched on its context only. */
  void checkOnContext() {
    assert onContext() : "keyed loop state touched off its context, on " + Thread.currentThread().getName();
  }

  private void pump() {
    checkOnContext();
    for (var next = queue.next(); next.isPresent(); next = queue.next()) {
      run(next.get());
    }
    idle = queue.idle();
  }

  private void run(K key) {
    long gen = generation;
    long start = System.nanoTime();
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    Future<Void> run;
    try {
      // always a task of its own: a run that reaches its release at once (all from the caches) must not start the next
      // key inside its own call stack (after a restart that would nest every stack's run in one stack)
      run = work.run(key, cancelled::get, () -> context.runOnContext(v -> {
        if (gen == generation && queue.release(key)) {
          pump();
        }
      }));
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    Future<Void> started = run;
    long bound = settings.runBound().toMillis();
    // a lost answer must not wedge the key: give up after a bound and retry. The run given up is told
    // to stop; the key stays busy until it has stopped (or one more bound passed), so two runs of one
    // key never overlap
    run.timeout(bound, TimeUnit.MILLISECONDS).onComplete(ar -> {
      if (ar.failed() && !started.isComplete()) {
        cancelled.set(true);
        started.timeout(bound, TimeUnit.MILLISECONDS)
            .onComplete(x -> context.runOnContext(v -> completed(gen, key, ar, Duration.ofNanos(System.nanoTime() - start))));
      } else {
        context.runOnContext(v -> completed(gen, key, ar, Duration.ofNanos(System.nanoTime() - start)));
      }
    });
  }

  private void completed(long gen, K key, AsyncResult<Void> result, Duration took) {
    checkOnContext();
    if (gen != generation) {
      return;
    }
    if (result.succeeded()) {
      queue.succeeded(key);
    } else {
      Duration delay = queue.failed(key, slowRetry.test(result.cause()));
      long[] id = new long[1];
      id[0] = vertx.setTimer(Math.max(1, delay.toMillis()), t -> {
        timers.remove(id[0]);
        if (gen == generation) {
          queue.retry(key);
          pump();
        }
      });
      timers.add(id[0]);
    }
    finished.accept(new Outcome<>(key, result, took));
    pump();
  }
}
