package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.TestCerts;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two controller processes (the packaged jar) with --leader-elect against the real apiserver: the
 * apiserver stops past the renew deadline twice, and each time a new Ingress is still reconciled
 * afterwards; SIGKILL of the leader hands the lease to the other within the lease duration; and at
 * no time do both processes send ELBv2 requests (sampled from each one's /metrics).
 */
@ExtendWith(TestEnvironment.class)
class LeaderElectionIT {
  private static final Path JAR = Path.of(System.getProperty("project.basedir", "."), "target", "alb-ingress-controller.jar");
  private static final String LEASE = "alb-ingress-controller-leader";
  /** Leadership.LEASE_DURATION and RENEW_DEADLINE of the controller. */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);

  private final Map<String, Replica> replicas = new LinkedHashMap<>();
  // HTTP/1.1: the JDK client's h2c upgrade attempt can leave a request hanging past its timeout (JDK 17)
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
  private final AtomicBoolean sampling = new AtomicBoolean(true);
  private final List<String> overlaps = new CopyOnWriteArrayList<>();
  private Thread sampler;

  record Replica(String name, Process process, int metricsPort) {}

  @AfterEach
  void stop() throws Exception {
    sampling.set(false);
    if (sampler != null) {
      sampler.join(5000);
    }
    for (Replica r : replicas.values()) {
      r.process().destroy();
      r.process().waitFor(20, TimeUnit.SECONDS);
      r.process().destroyForcibly();
    }
  }

  @Test
  void oneReplicaReconcilesThroughApiserverOutagesAndALeaderCrash(Env env, TestNamespace ns) throws Exception {
    String n = ns.name();
    Path certs = Files.createTempDirectory("leader-certs");
    TestCerts.write(certs, "127.0.0.1");
    start(env, n, "a", certs);
    start(env, n, "b", certs);
    sampler = new Thread(this::sample, "leader-it-sampler");
    sampler.setDaemon(true);
    sampler.start();
    apply(env, ReconcilerIT.services(n));
    awaitHolder(env, n, h -> !h.isEmpty());

    apply(env, ReconcilerIT.shop(n, "first", "", "", "/api"));
    awaitHostname(env, n, "first");

    // two outages past the renew deadline: the leader steps down each time; a single-use elector
    // would leave nobody leading after the second
    for (String name : List.of("second", "third")) {
      env.testenv("stop-apiserver");
      Thread.sleep(RENEW_DEADLINE.plusSeconds(5).toMillis());
      env.testenv("start-apiserver");
      apply(env, ReconcilerIT.shop(n, name, "", "", "/api"));
      awaitHostname(env, n, name);
    }

    // SIGKILL of the leader: the lease is not released, the other takes it once it expires
    String holder = awaitHolder(env, n, h -> !h.isEmpty());
    Replica leader = replicas.get(holder.substring(0, 1));
    String other = leader.name().equals("a") ? "b" : "a";
    long killedAt = System.nanoTime();
    leader.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    awaitHolder(env, n, h -> h.startsWith(other + "-"));
    Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf("LeaderElectionIT: %s took over %d ms after %s was killed%n", other, takeover.toMillis(), leader.name());
    // it may acquire once the lease expires, checking every retry period (2 s); slack for a loaded machine
    assertThat(takeover).isLessThan(LEASE_DURATION.plusSeconds(10));
    apply(env, ReconcilerIT.shop(n, "fourth", "", "", "/api"));
    awaitHostname(env, n, "fourth");

    sampling.set(false);
    sampler.join(5000);
    assertThat(overlaps).as("samples in which both replicas sent ELBv2 requests").isEmpty();
    assertThat(elbv2Attempts(replicas.get(other))).as("the survivor made calls").isPositive();
  }

  /** Every 250 ms: which replicas sent ELBv2 requests since the last sample; both at once is an overlap. */
  private void sample() {
    Map<String, Long> last = new LinkedHashMap<>();
    while (sampling.get()) {
      List<String> active = new ArrayList<>();
      for (Replica r : replicas.values()) {
        long now = elbv2Attempts(r);
        if (now > last.getOrDefault(r.name(), 0L) && last.containsKey(r.name())) {
          active.add(r.name());
        }
        last.merge(r.name(), now, Math::max);
      }
      if (active.size() > 1) {
        overlaps.add(java.time.Instant.now() + " " + active);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** ELBv2 HTTP attempts the replica sent so far, from its /metrics; 0 when it does not answer. */
  private long elbv2Attempts(Replica r) {
    try {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.metricsPort() + "/metrics"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return res.body().lines().filter(l -> l.startsWith("alb_aws_api_attempts_total{") && l.contains("Elastic"))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception e) {
      return 0;
    }
  }

  private void start(Env env, String ns, String name, Path certs) throws Exception {
    int metricsPort = freePort();
    List<String> command = new ArrayList<>(List.of("java", "-ea", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
        "controller", "--cluster-name", env.clusterName(), "--kubeconfig", env.kubeconfig().toString(),
        "--aws-vpc-id", env.vpcId(), "--watch-namespace", ns, "--bind-address", "127.0.0.1", "--leader-elect",
        "--webhook-port", String.valueOf(freePort()), "--webhook-cert-dir", certs.toString(),
        "--metrics-port", String.valueOf(metricsPort), "--health-port", String.valueOf(freePort())));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
        Path.of(System.getProperty("project.basedir", "."), "target", "leader-it-" + name + ".log").toFile()));
    pb.environment().putAll(Map.of("AWS_ENDPOINT_URL", env.awsEndpoint(), "AWS_REGION", env.region(), "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing", "POD_NAMESPACE", ns, "POD_NAME", name));
    replicas.put(name, new Replica(name, pb.start(), metricsPort));
  }

  private static String awaitHolder(Env env, String ns, java.util.function.Predicate<String> wanted) {
    String[] holder = {""};
    Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
      holder[0] = env.kubectl(null, "get", "lease", LEASE, "-n", ns, "-o", "jsonpath={.spec.holderIdentity}").stdout().trim();
      return wanted.test(holder[0]);
    });
    return holder[0];
  }

  private static void awaitHostname(Env env, String ns, String name) {
    Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
        !env.kubectl(null, "get", "ingress", name, "-n", ns, "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}")
            .stdout().trim().isEmpty());
  }

  private static void apply(Env env, String manifest) {
    var r = env.kubectl(manifest, "apply", "-f", "-");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
