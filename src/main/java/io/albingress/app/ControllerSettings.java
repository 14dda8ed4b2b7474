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
    boolean dryRun) {}
