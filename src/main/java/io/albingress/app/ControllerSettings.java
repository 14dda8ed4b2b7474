package io.albingress.app;

import io.albingress.aws.ApiThrottleConfig;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The controller command's settings, after parsing and checking. {@code externalManagedTags}: tag
 * keys other tools own on our AWS resources; the deployer must neither set nor remove them.
 */
public record ControllerSettings(
    String clusterName,
    Optional<File> kubeconfig,
    String ingressClass,
    Optional<String> awsRegion,
    String awsVpcId,
    String bindAddress,
    int webhookPort,
    Path webhookCertDir,
    int metricsPort,
    int healthPort,
    Optional<String> watchNamespace,
    boolean leaderElect,
    int maxConcurrentReconciles,
    Duration syncPeriod,
    Map<String, String> defaultTags,
    boolean dryRun,
    Set<String> externalManagedTags,
    Optional<String> backendSecurityGroup,
    ApiThrottleConfig awsApiThrottle) {

  public ControllerSettings {
    externalManagedTags = Set.copyOf(externalManagedTags);
  }

  /** Without tags managed elsewhere and without `--backend-security-group` (tests, benchmarks). */
  public ControllerSettings(String clusterName, Optional<File> kubeconfig, String ingressClass, Optional<String> awsRegion,
      String awsVpcId, String bindAddress, int webhookPort, Path webhookCertDir, int metricsPort, int healthPort,
      Optional<String> watchNamespace, boolean leaderElect, int maxConcurrentReconciles, Duration syncPeriod,
      Map<String, String> defaultTags, boolean dryRun) {
    this(clusterName, kubeconfig, ingressClass, awsRegion, awsVpcId, bindAddress, webhookPort, webhookCertDir, metricsPort,
        healthPort, watchNamespace, leaderElect, maxConcurrentReconciles, syncPeriod, defaultTags, dryRun, Set.of(), Optional.empty(),
        ApiThrottleConfig.defaults());
  }

  public ControllerSettings withBackendSecurityGroup(String groupId) {
    return new ControllerSettings(clusterName, kubeconfig, ingressClass, awsRegion, awsVpcId, bindAddress, webhookPort,
        webhookCertDir, metricsPort, healthPort, watchNamespace, leaderElect, maxConcurrentReconciles, syncPeriod, defaultTags,
        dryRun, externalManagedTags, Optional.of(groupId), awsApiThrottle);
  }
}
