package io.albingress.controller;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * The reconcile queue: at most one run per key, events during a run coalesce into one more run, at
 * most {@code maxConcurrent} keys in flight, and per-key exponential backoff with jitter on failure.
 * Not thread-safe: the reconciler verticle owns it on its event loop. No clocks, so it is testable.
 */
public final class WorkQueue<K> {
  private final int maxConcurrent;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final DoubleSupplier random;
  private final Deque<K> ready = new ArrayDeque<>();
  private final Set<K> queued = new HashSet<>();
  private final Set<K> running = new HashSet<>();
  /** Running keys past their AWS part (see {@link #release}): still running, no longer counted against the bound. */
  private final Set<K> released = new HashSet<>();
  private final Set<K> dirty = new HashSet<>();
  private final Map<K, Integer> failures = new HashMap<>();
  private final Set<K> backingOff = new HashSet<>();

  public WorkQueue(int maxConcurrent, Duration baseDelay, Duration maxDelay, DoubleSupplier random) {
    this.maxConcurrent = maxConcurrent;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.random = random;
  }

  /**
   * Asks for a run of {@code key}; a key already waiting or running is not queued twice, and a key
   * backing off after a failure waits for its {@link #retry}.
   */
  public void add(K key) {
    if (backingOff.contains(key)) {
      return;
    }
    if (running.contains(key) || released.contains(key)) {
      dirty.add(key);
    } else if (queued.add(key)) {
      ready.addLast(key);
    }
  }

  /** The next key to run, if one waits and a slot is free. */
  public Optional<K> next() {
    if (running.size() >= maxConcurrent || ready.isEmpty()) {
      return Optional.empty();
    }
    K key = ready.pollFirst();
    queued.remove(key);
    running.add(key);
    return Optional.of(key);
  }

  /**
   * The run of {@code key} is past the part the bound is for (its AWS calls): it stays running (one
   * run per key, events meanwhile coalesce) but frees its slot for the next key. False when it does
   * not run or was released already.
   */
  public boolean release(K key) {
    if (!running.remove(key)) {
      return false;
    }
    released.add(key);
    return true;
  }

  /** A run succeeded; the key runs again at once if events came in meanwhile. */
  public void succeeded(K key) {
    running.remove(key);
    released.remove(key);
    failures.remove(key);
    if (dirty.remove(key)) {
      add(key);
    }
  }

  /**
   * A run failed; returns how long to wait before calling {@link #retry}. Events that come in
   * meanwhile do not cut the backoff short, so a failing key cannot hot-loop.
   */
  public Duration failed(K key, boolean slow) {
    running.remove(key);
    released.remove(key);
    dirty.remove(key);
    backingOff.add(key);
    int n = failures.merge(key, 1, Integer::sum);
    double exponential = baseDelay.toMillis() * Math.pow(2, Math.min(n - 1, 20));
    double capped = Math.min(slow ? maxDelay.toMillis() : exponential, maxDelay.toMillis());
    // full jitter in the upper half, so retries of many keys spread out
    return Duration.ofMillis((long) (capped / 2 + random.getAsDouble() * capped / 2));
  }

  /** The backoff of a failed key is over: queue it again. */
  public void retry(K key) {
    backingOff.remove(key);
    add(key);
  }

  public int failures(K key) {
    return failures.getOrDefault(key, 0);
  }

  public int inFlight() {
    return running.size();
  }

  public int waiting() {
    return ready.size();
  }

  public boolean idle() {
    return running.isEmpty() && released.isEmpty() && ready.isEmpty();
  }
}
