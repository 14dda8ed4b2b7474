package io.albingress.aws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One value fetched asynchronously on the cache's own context, shared by concurrent callers (one
 * fetch in flight at a time), kept for {@code ttl}; a failure is kept only for {@code failureTtl}, so
 * an outage is not hammered. A value past its ttl is still answered while a fresh one is fetched.
 *
 * <p>Callers never wait on another verticle's event loop: a stored value is answered at once, and a
 * fetch's result is handed to each caller on the caller's own context.
 */
public final class AsyncCache<T> {
  private record Entry<T>(T value, Throwable failure, long fetchedAt) {}

  private final Context home;
  private final Supplier<Future<T>> fetch;
  private final long ttlNanos;
  private final long failureTtlNanos;
  private final LongSupplier clock;
  private volatile Entry<T> entry;
  private Promise<T> inflight;

  public AsyncCache(Context home, Supplier<Future<T>> fetch, Duration ttl, Duration failureTtl, LongSupplier clock) {
    this.home = home;
    this.fetch = fetch;
    this.ttlNanos = ttl.toNanos();
    this.failureTtlNanos = failureTtl.toNanos();
    this.clock = clock;
  }

  public AsyncCache(Context home, Supplier<Future<T>> fetch, Duration ttl, Duration failureTtl) {
    this(home, fetch, ttl, failureTtl, System::nanoTime);
  }

  public Future<T> get() {
    Entry<T> e = entry;
    if (e != null) {
      long age = clock.getAsLong() - e.fetchedAt();
      if (e.failure() == null) {
        if (age >= ttlNanos) {
          refresh();
        }
        return Future.succeededFuture(e.value());
      }
      if (age < failureTtlNanos) {
        return Future.failedFuture(e.failure());
      }
    }
    return onCallersContext(refresh());
  }

  /** Changes the stored value in place (an item looked up on its own joins the list); no-op while nothing is stored. */
  public void update(UnaryOperator<T> change) {
    synchronized (this) {
      Entry<T> e = entry;
      if (e != null && e.failure() == null) {
        entry = new Entry<>(change.apply(e.value()), null, e.fetchedAt());
      }
    }
  }

  public void invalidate() {
    entry = null;
  }

  private synchronized Future<T> refresh() {
    if (inflight == null) {
      Promise<T> promise = Promise.promise();
      inflight = promise;
      home.runOnContext(v -> fetchSafely().onComplete(ar -> {
        synchronized (this) {
          entry = new Entry<>(ar.result(), ar.cause(), clock.getAsLong());
          inflight = null;
        }
        promise.handle(ar);
      }));
    }
    return inflight.future();
  }

  private Future<T> fetchSafely() {
    try {
      return fetch.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The shared result, completed on the calling verticle's context (or where it completes, off any context). */
  static <T> Future<T> onCallersContext(Future<T> shared) {
    Context caller = io.vertx.core.Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<T> own = Promise.promise();
    shared.onComplete(ar -> caller.runOnContext(v -> own.handle(ar)));
    return own.future();
  }
}
