package io.albingress.controller;

import io.albingress.deploy.AwsFailure;
import io.albingress.metrics.LatencyBuckets;
import io.albingress.model.StackId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Consumes stack keys from the event bus and reconciles them through a {@link KeyedLoop}: one run
 * per stack at a time, events coalesced, a bounded number in flight, backoff per stack. Drift checks
 * (deep compares) are spread over the sync period.
 */
public final class ReconcilerVerticle extends VerticleBase implements Leader {
  /** Event-bus address: the body is a stack key, `namespace/name` or a group name. */
  public static final String ADDRESS = "alb.reconcile";
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  private final StackReconciler reconciler;
  private final MeterRegistry registry;
  private final int maxConcurrent;
  private final Duration syncPeriod;
  /** When each stack's next drift check is due; on the loop's context. */
  private final Map<StackId, Long> nextDeepCheck = new HashMap<>();
  /** Whether each running stack's run is a drift check; on the loop's context. */
  private final Map<StackId, Boolean> deepRuns = new HashMap<>();
  private KeyedLoop<StackId> loop;
  private final java.util.function.Supplier<Future<java.util.Set<String>>> owningStacks;
  private final java.util.Optional<String> watchNamespace;
  private boolean leading;
  private MessageConsumer<String> consumer;

  public ReconcilerVerticle(StackReconciler reconciler, MeterRegistry registry, int maxConcurrent, Duration syncPeriod) {
    this(reconciler, registry, maxConcurrent, syncPeriod, () -> Future.succeededFuture(java.util.Set.of()), java.util.Optional.empty());
  }

  /** @param owningStacks lists AWS again and answers the stacks owning our resources (the orphan sweep, once a sync period) */
  public ReconcilerVerticle(StackReconciler reconciler, MeterRegistry registry, int maxConcurrent, Duration syncPeriod,
      java.util.function.Supplier<Future<java.util.Set<String>>> owningStacks, java.util.Optional<String> watchNamespace) {
    this.owningStacks = owningStacks;
    this.watchNamespace = watchNamespace;
    this.reconciler = reconciler;
    this.registry = registry;
    this.maxConcurrent = maxConcurrent;
    this.syncPeriod = syncPeriod;
  }

  @Override
  public Future<?> start() {
    // AWS validation errors wait the longest delay: a retry cannot help until something changes
    loop = new KeyedLoop<>(vertx, context, KeyedLoop.Settings.of(maxConcurrent, RUN_TIMEOUT), this::run,
        ReconcilerVerticle::isValidationError, this::finished);
    consumer = vertx.eventBus().<String>consumer(ADDRESS, msg -> loop.add(StackId.parse(msg.body())));
    // a quarter of the sync period: each stack's drift check comes due at its own time
    vertx.setPeriodic(Math.max(1000, syncPeriod.toMillis() / 4), id -> resync());
    vertx.setPeriodic(Math.max(1000, syncPeriod.toMillis()), id -> sweepOrphans());
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
      loop.lead(reconciler.knownStacks());
    });
  }

  /** Stops at once; drift-check times are forgotten with the runs (the next leader may have changed AWS). */
  @Override
  public void stopLeading() {
    loop.stopLeading();
    context.runOnContext(v -> {
      leading = false;
      nextDeepCheck.clear();
      deepRuns.clear();
    });
  }

  public boolean idle() {
    return loop != null && loop.idle();
  }

  private void resync() {
    long now = System.currentTimeMillis();
    reconciler.knownStacks().stream().filter(id -> nextDeepCheck.containsKey(id) && nextDeepCheck.get(id) <= now).forEach(loop::add);
  }

  /** Only the leader sweeps; a stack deleted meanwhile is reconciled as empty, which deletes what it owns. */
  private void sweepOrphans() {
    if (!leading) {
      return;
    }
    owningStacks.get().onSuccess(owning -> context.runOnContext(v -> {
      java.util.Set<StackId> orphans = OrphanSweep.orphans(owning, reconciler.knownStacks(), watchNamespace);
      if (leading && !orphans.isEmpty()) {
        org.slf4j.LoggerFactory.getLogger(ReconcilerVerticle.class).info("orphan sweep: stacks {} own AWS resources but no Ingress; deleting them", orphans);
        orphans.forEach(loop::add);
      }
    })).onFailure(e -> org.slf4j.LoggerFactory.getLogger(ReconcilerVerticle.class).warn("orphan sweep: listing AWS failed: {}", e.getMessage()));
  }

  private Future<Void> run(StackId id, java.util.function.BooleanSupplier cancelled, Runnable release) {
    assert loop.onContext();
    long now = System.currentTimeMillis();
    // the first time a stack is seen its drift check is put at a random point of the period, so a
    // restart does not deep-check everything at once
    long due = nextDeepCheck.computeIfAbsent(id, k -> now + (long) (ThreadLocalRandom.current().nextDouble() * syncPeriod.toMillis()));
    boolean deep = due <= now;
    deepRuns.put(id, deep);
    return reconciler.reconcile(id, deep, cancelled, release);
  }

  private void finished(KeyedLoop.Outcome<StackId> outcome) {
    String result = outcome.result().succeeded() ? "success" : "error";
    Timer.builder("alb_reconcile_duration_seconds").description("Stack reconciliation time.").tag("result", result)
        .serviceLevelObjectives(LatencyBuckets.seconds()).register(registry).record(outcome.took());
    Counter.builder("alb_reconciles_total").description("Stack reconciliations by result.").tag("result", result).register(registry).increment();
    boolean deep = Boolean.TRUE.equals(deepRuns.remove(outcome.key()));
    if (outcome.result().succeeded() && deep) {
      nextDeepCheck.put(outcome.key(), System.currentTimeMillis() + syncPeriod.toMillis());
    }
  }

  /** AWS refused the request itself (not throttling, not a fault): retrying soon cannot help. */
  public static boolean isValidationError(Throwable e) {
    // something was deleted out of band, or a listing was stale: the run that failed dropped the inventory, the next one repairs
    if (io.albingress.deploy.StackDeployer.staleView(e)) {
      return false;
    }
    Throwable unclassified = e instanceof AwsFailure f ? f.getCause() : e;
    Throwable cause = unclassified instanceof CompletionException && unclassified.getCause() != null
        ? unclassified.getCause() : unclassified;
    return cause instanceof AwsServiceException a && a.statusCode() >= 400 && a.statusCode() < 500 && !a.isThrottlingException();
  }
}
