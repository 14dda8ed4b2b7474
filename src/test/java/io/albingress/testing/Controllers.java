package io.albingress.testing;

import io.albingress.app.ControllerApp;
import io.albingress.app.ControllerSettings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starts the real controller process in-process against the test environment, on free ports. */
public final class Controllers {
  private Controllers() {}

  /** A controller watching only the test's namespace, so objects of earlier tests stay out of its way. */
  public static ControllerApp start(TestEnvironment.Env env, TestEnvironment.TestNamespace namespace) throws Exception {
    return start(env, namespace, false);
  }

  public static ControllerApp start(TestEnvironment.Env env, TestEnvironment.TestNamespace namespace, boolean dryRun) throws Exception {
    return start(env, namespace, dryRun, env.kubeconfig(), Duration.ofHours(1));
  }

  /** A controller talking to the apiserver as someone else than the admin, e.g. a ServiceAccount. */
  public static ControllerApp start(TestEnvironment.Env env, TestEnvironment.TestNamespace namespace, File kubeconfig) throws Exception {
    return start(env, namespace, false, kubeconfig, Duration.ofHours(1));
  }

  /** With a short sync period, to watch periodic resyncs. */
  public static ControllerApp start(TestEnvironment.Env env, TestEnvironment.TestNamespace namespace, Duration syncPeriod) throws Exception {
    return start(env, namespace, false, env.kubeconfig(), syncPeriod);
  }

  /**
   * With --leader-elect: the Lease is alb-ingress-controller-leader in namespace default (POD_NAMESPACE
   * is not set in-process), so a test holding that Lease keeps this replica a follower.
   */
  public static ControllerApp startElecting(TestEnvironment.Env env, TestEnvironment.TestNamespace namespace) throws Exception {
    return start(env, namespace, false, env.kubeconfig(), Duration.ofHours(1), true);
  }

  private static ControllerApp start(TestEnvironment.Env env, TestEnvironment.TestNamespace namespace, boolean dryRun, File kubeconfig,
      Duration syncPeriod)
      throws Exception {
    return start(env, namespace, dryRun, kubeconfig, syncPeriod, false);
  }

  private static ControllerApp start(TestEnvironment.Env env, TestEnvironment.TestNamespace namespace, boolean dryRun, File kubeconfig,
      Duration syncPeriod, boolean leaderElect)
      throws Exception {
    Path certDir = Files.createTempDirectory("controller-certs");
    TestCerts.write(certDir, "127.0.0.1");
    ControllerSettings settings = new ControllerSettings(env.clusterName(), Optional.of(kubeconfig), "alb",
        Optional.of(env.region()), env.vpcId(), "127.0.0.1", 0, certDir, 0, 0, Optional.of(namespace.name()), leaderElect, 3,
        syncPeriod, Map.of("owner", "it"), dryRun);
    return ControllerApp.start(settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
