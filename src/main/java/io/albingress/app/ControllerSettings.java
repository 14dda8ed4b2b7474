package io.albingress.app;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The controller command's settings, after parsing and checking. */
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
    Optional<String> backendSecurityGroup) {

  /** Without `--backend-security-group`: the cluster's shared backend group is found by tags or created. */
  public ControllerSettings(String clusterName, Optional<File> kubeconfig, String ingressClass, Optional<String> awsRegion,
      String awsVpcId, String bindAddress, int webhookPort, Path webhookCertDir, int metricsPort, int healthPort,
      Optional<String> watchNamespace, boolean leaderElect, int maxConcurrentReconciles, Duration syncPeriod,
      Map<String, String> defaultTags, boolean dryRun) {
    this(clusterName, kubeconfig, ingressClass, awsRegion, awsVpcId, bindAddress, webhookPort, webhookCertDir, metricsPort,
        healthPort, watchNamespace, leaderElect, maxConcurrentReconciles, syncPeriod, defaultTags, dryRun, Optional.empty());
  }

  public ControllerSettings withBackendSecurityGroup(String groupId) {
    return new ControllerSettings(clusterName, kubeconfig, ingressClass, awsRegion, awsVpcId, bindAddress, webhookPort,
        webhookCertDir, metricsPort, healthPort, watchNamespace, leaderElect, maxConcurrentReconciles, syncPeriod, defaultTags,
        dryRun, Optional.of(groupId));
  }
}
