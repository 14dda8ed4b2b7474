package io.albingress.app;

import io.albingress.controller.Leader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Only the leader reconciles; every replica serves the webhooks. Without --leader-elect this replica leads. */
final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
  static final String LEASE = "alb-ingress-controller-leader";

  private final Optional<CompletableFuture<?>> election;

  private Leadership(Optional<CompletableFuture<?>> election) {
    this.election = election;
  }

  static Leadership start(KubernetesClient kube, boolean elect, List<Leader> leaders) {
    if (!elect) {
      leaders.forEach(Leader::lead);
      return new Leadership(Optional.empty());
    }
    String namespace = Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElse("default");
    String identity = Optional.ofNullable(System.getenv("POD_NAME")).orElse("alb-ingress-controller") + "-" + UUID.randomUUID().toString().substring(0, 8);
    var config = new LeaderElectionConfigBuilder()
        .withName(LEASE)
        .withLock(new LeaseLock(namespace, LEASE, identity))
        .withLeaseDuration(Duration.ofSeconds(15))
        .withRenewDeadline(Duration.ofSeconds(10))
        .withRetryPeriod(Duration.ofSeconds(2))
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              LOG.info("{} became leader of {}/{}", identity, namespace, LEASE);
              leaders.forEach(Leader::lead);
            },
            () -> {
              LOG.info("{} stopped leading", identity);
              leaders.forEach(Leader::stopLeading);
            },
            leader -> LOG.info("leader is {}", leader)))
        .build();
    return new Leadership(Optional.of(kube.leaderElector().withConfig(config).build().start()));
  }

  @Override
  public void close() {
    election.ifPresent(e -> e.cancel(true));
  }
}
