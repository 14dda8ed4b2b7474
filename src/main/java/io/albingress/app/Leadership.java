package io.albingress.app;

import io.albingress.aws.LeadershipGate;
import io.albingress.controller.Leader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only the leader reconciles; every replica serves the webhooks. Without --leader-elect this replica
 * leads. fabric8's LeaderElector is single use (its future completes when the lease is lost), so a
 * replica that loses the lease stops every loop at once, closes the AWS gate, and enters a new
 * election: it leads again if the lease comes back to it, or follows whoever holds it.
 */
final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
  static final String LEASE = "alb-ingress-controller-leader";
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  private final KubernetesClient kube;
  private final LeadershipGate gate;
  private final List<Leader> leaders;
  private final String namespace;
  private final String identity;
  private final AtomicBoolean leading = new AtomicBoolean();
  private volatile boolean closed;
  private volatile CompletableFuture<?> election = CompletableFuture.completedFuture(null);

  private Leadership(KubernetesClient kube, LeadershipGate gate, List<Leader> leaders, String namespace, String identity) {
    this.kube = kube;
    this.gate = gate;
    this.leaders = leaders;
    this.namespace = namespace;
    this.identity = identity;
  }

  static Leadership start(KubernetesClient kube, boolean elect, LeadershipGate gate, List<Leader> leaders) {
    String namespace = Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElse("default");
    String identity = Optional.ofNullable(System.getenv("POD_NAME")).orElse("alb-ingress-controller") + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    Leadership leadership = new Leadership(kube, gate, leaders, namespace, identity);
    if (elect) {
      leadership.elect();
    } else {
      leadership.started();
    }
    return leadership;
  }

  /** One election: the returned future completes when this replica loses the lease (or on close). */
  private void elect() {
    if (closed) {
      return;
    }
    election = kube.leaderElector().withConfig(config()).build().start();
    election.whenComplete((v, e) -> {
      // the callback may not have run (an election cancelled before acquiring, a failure): stop anyway
      stopped();
      if (!closed) {
        LOG.info("{} enters the leader election again{}", identity, e == null ? "" : " (" + e.getMessage() + ")");
        // after a pause: an election that ends at once (e.g. forbidden) must not spin
        CompletableFuture.delayedExecutor(RETRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS).execute(this::elect);
      }
    });
  }

  private LeaderElectionConfig config() {
    return new LeaderElectionConfigBuilder()
        .withName(LEASE)
        .withLock(new LeaseLock(namespace, LEASE, identity))
        .withLeaseDuration(LEASE_DURATION)
        .withRenewDeadline(RENEW_DEADLINE)
        .withRetryPeriod(RETRY_PERIOD)
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, leader -> LOG.info("leader is {}", leader)))
        .build();
  }

  private void started() {
    if (!closed && leading.compareAndSet(false, true)) {
      LOG.info("{} became leader of {}/{}", identity, namespace, LEASE);
      gate.open();
      leaders.forEach(Leader::lead);
    }
  }

  /** The gate closes first: a run still in flight makes no further ELBv2 call. */
  private void stopped() {
    if (leading.compareAndSet(true, false)) {
      gate.close();
      LOG.info("{} stopped leading: every loop stops, caches of AWS state are dropped", identity);
      leaders.forEach(Leader::stopLeading);
    }
  }

  boolean leading() {
    return leading.get();
  }

  @Override
  public void close() {
    closed = true;
    election.cancel(true);
    stopped();
  }
}
