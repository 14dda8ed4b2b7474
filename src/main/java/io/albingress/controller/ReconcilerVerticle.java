package io.albingress.controller;

import io.albingress.deploy.AwsFailure;
import io.albingress.metrics.Metrics;
import io.albingress.model.StackId;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Consumes stack keys from the event bus and reconciles them through the {@link WorkQueue}: one run
 * per stack at a time, events coalesced, a bounded number in flight, backoff per stack. Drift checks
 * (deep compares) are spread over the sync period.
 */
public final class ReconcilerVerticle extends VerticleBase implements Leader {
  /** Event-bus address: the body is a stack key, `namespace/name` or a group name. */
  public static final String ADDRESS = "alb.reconcile";
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  private final StackReconciler reconciler;
  private final Metrics metrics;
  private final int maxConcurrent;
  private final Duration syncPeriod;
  private final Map<StackId, Long> nextDeepCheck = new HashMap<>();
  private WorkQueue<StackId> queue;
  private MessageConsumer<String> consumer;
  private boolean leading;

  public ReconcilerVerticle(StackReconciler reconciler, Metrics metrics, int maxConcurrent, Duration syncPeriod) {
    this.reconciler = reconciler;
    this.metrics = metrics;
    this.maxConcurrent = maxConcurrent;
    this.syncPeriod = syncPeriod;
  }

  @Override
  public Future<?> start() {
    // AWS validation errors wait the longest delay: a retry cannot help until something changes
    queue = new WorkQueue<>(maxConcurrent, Duration.ofSeconds(1), Duration.ofMinutes(2), Math::random);
    consumer = vertx.eventBus().<String>consumer(ADDRESS, msg -> enqueue(StackId.parse(msg.body())));
    // a quarter of the sync period: each stack's drift check comes due at its own time
    vertx.setPeriodic(Math.max(1000, syncPeriod.toMillis() / 4), id -> resync());
    return consumer.completion();
  }

  /** The verticle's own context (tests block it to show that nothing else waits on it). */
  public io.vertx.core.Context context() {
    return context;
  }

  /** Called when this replica becomes leader (or at once without leader election). */
  @Override
  public void lead() {
    context.runOnContext(v -> {
      leading = true;
      reconciler.knownStacks().forEach(this::enqueue);
    });
  }

  @Override
  public void stopLeading() {
    context.runOnContext(v -> leading = false);
  }

  public boolean idle() {
    return queue != null && queue.idle();
  }

  private void enqueue(StackId id) {
    if (!leading) {
      return;
    }
    queue.add(id);
    pump();
  }

  private void retry(StackId id) {
    queue.retry(id);
    pump();
  }

  private void resync() {
    long now = System.currentTimeMillis();
    reconciler.knownStacks().stream().filter(id -> nextDeepCheck.getOrDefault(id, 0L) <= now && nextDeepCheck.containsKey(id))
        .forEach(this::enqueue);
  }

  private void pump() {
    for (var next = queue.next(); next.isPresent(); next = queue.next()) {
      run(next.get());
    }
  }

  private void run(StackId id) {
    long now = System.currentTimeMillis();
    // the first time a stack is seen its drift check is put at a random point of the period, so a
    // restart does not deep-check everything at once
    long due = nextDeepCheck.computeIfAbsent(id, k -> now + (long) (ThreadLocalRandom.current().nextDouble() * syncPeriod.toMillis()));
    boolean deep = due <= now;
    long start = System.nanoTime();
    // a lost answer must not wedge the stack: give up on a run after a bound and retry
    // the queue belongs to this verticle's context: a run may complete on any thread (Future.all has
    // no context), so its outcome is handed back before the queue is touched
    reconciler.reconcile(id, deep).timeout(RUN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(ar -> context.runOnContext(v -> finished(id, deep, start, ar)));
  }

  private void finished(StackId id, boolean deep, long start, io.vertx.core.AsyncResult<Void> ar) {
    metrics.observeSeconds("alb_reconcile_duration_seconds", "Stack reconciliation time.", (System.nanoTime() - start) / 1e9,
        "result", ar.succeeded() ? "success" : "error");
    metrics.increment("alb_reconciles_total", "Stack reconciliations by result.", "result", ar.succeeded() ? "success" : "error");
    if (ar.succeeded()) {
      if (deep) {
        nextDeepCheck.put(id, System.currentTimeMillis() + syncPeriod.toMillis());
      }
      queue.succeeded(id);
    } else {
      Duration delay = queue.failed(id, isValidationError(ar.cause()));
      vertx.setTimer(delay.toMillis(), t -> retry(id));
    }
    pump();
  }

  /** AWS refused the request itself (not throttling, not a fault): retrying soon cannot help. */
  public static boolean isValidationError(Throwable e) {
    Throwable unclassified = e instanceof AwsFailure f ? f.getCause() : e;
    Throwable cause = unclassified instanceof java.util.concurrent.CompletionException && unclassified.getCause() != null
        ? unclassified.getCause() : unclassified;
    return cause instanceof AwsServiceException a && a.statusCode() >= 400 && a.statusCode() < 500 && !a.isThrottlingException();
  }
}
