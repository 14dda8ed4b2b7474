package io.albingress.aws;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One value fetched asynchronously, shared by concurrent callers (one fetch in flight at a time),
 * kept for {@code ttl}; a failure is kept only for {@code failureTtl}, so an outage is not hammered.
 */
public final class AsyncCache<T> {
  private final Supplier<Future<T>> fetch;
  private final long ttlNanos;
  private final long failureTtlNanos;
  private final LongSupplier clock;
  private Future<T> current;
  private long fetchedAt;

  public AsyncCache(Supplier<Future<T>> fetch, Duration ttl, Duration failureTtl, LongSupplier clock) {
    this.fetch = fetch;
    this.ttlNanos = ttl.toNanos();
    this.failureTtlNanos = failureTtl.toNanos();
    this.clock = clock;
  }

  public AsyncCache(Supplier<Future<T>> fetch, Duration ttl, Duration failureTtl) {
    this(fetch, ttl, failureTtl, System::nanoTime);
  }

  public synchronized Future<T> get() {
    long now = clock.getAsLong();
    if (current == null || expired(now)) {
      fetchedAt = now;
      current = fetch.get();
    }
    return current;
  }

  public synchronized void invalidate() {
    current = null;
  }

  private boolean expired(long now) {
    if (!current.isComplete()) {
      return false;
    }
    long age = now - fetchedAt;
    return current.failed() ? age >= failureTtlNanos : age >= ttlNanos;
  }
}
