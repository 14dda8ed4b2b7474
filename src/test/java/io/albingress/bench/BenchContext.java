package io.albingress.bench;

import io.albingress.app.ControllerApp;
import io.albingress.app.ControllerSettings;
import io.albingress.aws.CallMetrics;
import io.albingress.testing.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestCerts;
import io.albingress.testing.TestEnvironment;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What every benchmark shares: the test environment, the result table, sizes, and process helpers. */
final class BenchContext {
  final TestEnvironment.Env env;
  final BenchResults results;
  final boolean smoke;
  final Path repo;
  final Path work;
  // HTTP/1.1: the JDK client's h2c upgrade attempt can leave a request hanging past its timeout (JDK 17)
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  BenchContext(TestEnvironment.Env env, BenchResults results, boolean smoke) throws IOException {
    this.env = env;
    this.results = results;
    this.smoke = smoke;
    this.repo = env.repo();
    this.work = Files.createDirectories(repo.resolve("target/bench"));
  }

  static void log(String format, Object... args) {
    System.out.printf("bench: " + format + "%n", args);
    System.out.flush();
  }

  // ---- Kubernetes and moto

  void kubectl(String stdin, String... args) {
    TestEnvironment.Result r = env.kubectl(stdin, args);
    if (r.exit() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + r.stderr());
    }
  }

  void apply(String manifest) {
    kubectl(manifest, "apply", "-f", "-");
  }

  /** A fresh namespace with a unique name (older ones keep their objects; controllers watch one namespace). */
  String namespace(String prefix) {
    String ns = prefix + "-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    kubectl(null, "create", "namespace", ns);
    return ns;
  }

  /**
   * Deletes the Services and namespaces of benchmark runs (bench-*), this one's included, without
   * waiting, which frees the test apiserver's 254 cluster IPs. Ingresses stay (nothing removes their
   * finalizers once the controller stopped) in terminating namespaces that no controller watches.
   */
  void deleteBenchNamespaces() {
    TestEnvironment.Result r = env.kubectl(null, "get", "namespaces", "-o", "jsonpath={.items[*].metadata.name}");
    for (String ns : r.stdout().trim().split("\\s+")) {
      if (ns.startsWith("bench-")) {
        // no kube-controller-manager runs here, so a namespace's deletion never removes what it holds
        env.kubectl(null, "delete", "services", "--all", "-n", ns, "--wait=false");
        env.kubectl(null, "delete", "namespace", ns, "--wait=false");
      }
    }
  }

  /** Resets moto and seeds it again (a new VPC each time). */
  void resetAws() {
    env.reseed();
  }

  MotoElbv2 moto() {
    return new MotoElbv2(env);
  }

  /** The controller in this JVM, watching one namespace, as the integration tests run it. */
  ControllerApp startController(String namespace) throws Exception {
    Path certDir = Files.createTempDirectory(work, "certs");
    TestCerts.write(certDir, "127.0.0.1");
    ControllerSettings settings = new ControllerSettings(env.clusterName(), Optional.of(env.kubeconfig()), "alb",
        Optional.of(env.region()), env.vpcId(), "127.0.0.1", 0, certDir, 0, 0, Optional.of(namespace), false, 3,
        Duration.ofHours(1), Map.of(), false);
    return ControllerApp.start(settings).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static Map<String, Long> calls(MeterRegistry registry) {
    Map<String, Long> out = new TreeMap<>();
    Meters.series(registry, CallMetrics.CALLS).forEach((labels, n) -> out.merge(labels.get("operation"), n, Long::sum));
    return out;
  }

  static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((op, n) -> {
      long d = n - before.getOrDefault(op, 0L);
      if (d != 0) {
        out.put(op, d);
      }
    });
    return out;
  }

  static boolean mutating(String operation) {
    return !operation.startsWith("Describe") && !operation.startsWith("List") && !operation.startsWith("Get");
  }

  static String format(Map<String, Long> calls) {
    StringBuilder b = new StringBuilder();
    calls.forEach((op, n) -> b.append(b.length() == 0 ? "" : ", ").append(op).append(" ").append(n));
    return b.length() == 0 ? "none" : b.toString();
  }

  // ---- processes (the controller from the jar, the baseline webhook server)

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  Path jar() {
    Path jar = repo.resolve("target/alb-ingress-controller.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn -B -DskipTests package (hack/bench does)");
    }
    return jar;
  }

  /** A child JVM; its output goes to target/bench/NAME.log. */
  Process java(String name, List<String> jvmFlags, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    // e.g. a profiler for one run: BENCH_CHILD_JVM_OPTS='-XX:StartFlightRecording=filename=target/bench/{name}.jfr'
    String extra = System.getenv().getOrDefault("BENCH_CHILD_JVM_OPTS", "").trim().replace("{name}", name);
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
    pb.environment().putAll(Map.of("AWS_ENDPOINT_URL", env.awsEndpoint(), "AWS_REGION", env.region(),
        "AWS_ACCESS_KEY_ID", env.var("AWS_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY", env.var("AWS_SECRET_ACCESS_KEY"),
        "AWS_EC2_METADATA_DISABLED", "true"));
    Path log = work.resolve(name + ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  /** The jar's controller command on free ports, watching one namespace. */
  ControllerProcess controllerProcess(String name, List<String> jvmFlags, String namespace) throws Exception {
    Path certDir = Files.createTempDirectory(work, "certs");
    TestCerts.write(certDir, "127.0.0.1");
    int webhook = freePort();
    int metrics = freePort();
    int health = freePort();
    long start = System.nanoTime();
    Process p = java(name, jvmFlags, List.of("-jar", jar().toString(), "controller", "--cluster-name", env.clusterName(),
        "--kubeconfig", env.kubeconfig().toString(), "--aws-region", env.region(), "--aws-vpc-id", env.vpcId(),
        "--bind-address", "127.0.0.1", "--webhook-port", String.valueOf(webhook), "--webhook-cert-dir", certDir.toString(),
        "--metrics-port", String.valueOf(metrics), "--health-port", String.valueOf(health), "--watch-namespace", namespace));
    return new ControllerProcess(p, start, webhook, metrics, health);
  }

  final class ControllerProcess implements AutoCloseable {
    final Process process;
    final long startNanos;
    final int webhookPort;
    final int metricsPort;
    final int healthPort;

    ControllerProcess(Process process, long startNanos, int webhookPort, int metricsPort, int healthPort) {
      this.process = process;
      this.startNanos = startNanos;
      this.webhookPort = webhookPort;
      this.metricsPort = metricsPort;
      this.healthPort = healthPort;
    }

    /** Seconds from process start to the first 200 from /readyz. */
    double awaitReady(Duration timeout) {
      await(timeout, 10, () -> get(healthPort, "/readyz").filter(b -> b.startsWith("ok")).isPresent(), "controller /readyz");
      return (System.nanoTime() - startNanos) / 1e9;
    }

    String metrics() {
      return get(metricsPort, "/metrics").orElse("");
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      // an AppCDS training start writes its archive at exit: on a loaded 2-core machine that takes more than 20 s
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  Optional<String> get(int port, String path) {
    try {
      // a hard bound on the whole exchange, body included: the request timeout covers only the headers
      HttpResponse<String> r = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sum of a Prometheus counter in text format, over the label sets that contain every given label. */
  static Map<String, Long> promCalls(String text) {
    Map<String, Long> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(CallMetrics.CALLS + "{")) {
        var m = java.util.regex.Pattern.compile("operation=\"([^\"]+)\"").matcher(line);
        if (m.find()) {
          out.merge(m.group(1), (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Long::sum);
        }
      }
    }
    return out;
  }

  static long promCounter(String text, String seriesPrefix) {
    long sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(seriesPrefix)) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /**
   * Waits until {@code done} holds (at most {@code reach}), then until the controller is idle and made
   * no AWS call for 1.5 s (the status update and finalizer events that follow a change cause reconciles
   * that must cost nothing): the end of a measured change.
   */
  static void settle(ControllerApp app, Duration reach, BooleanSupplier done) {
    await(reach, 200, done, "the change to reach AWS");
    long[] last = {totalCalls(app), System.nanoTime()};
    await(Duration.ofSeconds(120), 100, () -> {
      long now = totalCalls(app);
      if (now != last[0] || !app.reconcilerIdle()) {
        last[0] = now;
        last[1] = System.nanoTime();
        return false;
      }
      return System.nanoTime() - last[1] > 1_500_000_000L;
    }, "the controller to settle");
  }

  /** Every AWS call the controller made so far. */
  static long totalCalls(ControllerApp app) {
    return calls(app.registry()).values().stream().mapToLong(Long::longValue).sum();
  }

  static void await(Duration timeout, long pollMillis, BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      sleep(pollMillis);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** The heap in KiB from jcmd GC.heap_info (the JDK's own tool): used and committed, -1 each when unknown. */
  record Heap(long usedKb, long committedKb) {}

  static long heapUsedKb(long pid, boolean afterFullGc) {
    return heap(pid, afterFullGc).usedKb();
  }

  static Heap heap(long pid, boolean afterFullGc) {
    try {
      if (afterFullGc) {
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
      }
      Process p = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      // "garbage-first heap   total 258048K, used 23456K" / "def new generation   total 4928K, used 2344K": first line is the heap total
      long used = 0;
      long committed = 0;
      var m = java.util.regex.Pattern.compile("(?m)^\\s*(garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen)\\s+total (\\d+)K, used (\\d+)K").matcher(out);
      while (m.find()) {
        committed += Long.parseLong(m.group(2));
        used += Long.parseLong(m.group(3));
      }
      return used == 0 ? new Heap(-1, -1) : new Heap(used, committed);
    } catch (IOException | InterruptedException e) {
      return new Heap(-1, -1);
    }
  }

  /** Resident anonymous memory in KiB (/proc/PID/smaps_rollup): RSS minus it is file pages (the AppCDS archive, libjvm, jars). */
  static long anonymousKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
        if (line.startsWith("Anonymous:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

}
