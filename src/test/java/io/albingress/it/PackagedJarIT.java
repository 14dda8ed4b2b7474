package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.TestCerts;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
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
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shaded jar as users run it: its commands, exit codes, and a controller that gets ready and stops on SIGTERM. */
@ExtendWith(TestEnvironment.class)
class PackagedJarIT {
  private static final Path JAR = Path.of(System.getProperty("project.basedir", "."), "target", "alb-ingress-controller.jar");

  private record Run(int exit, String out) {}

  private static Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void commandsAndExitCodes() throws Exception {
    assertThat(run("--version").out()).startsWith("alb-ingress-controller ");
    Run valid = run("plan", "-f", "examples/");
    assertThat(valid.exit()).as(valid.out()).isZero();
    assertThat(valid.out()).contains("Stack shop/shop").contains("TargetGroup   shop/api:8080");
    Run invalid = run("plan", "-f", "examples/invalid");
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.out()).contains("Ingress shop/blog: INVALID");
    Run missing = run("controller");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.out().strip()).isEqualTo("error: --cluster-name (or ALB_CLUSTER_NAME) is required (see --help)");
  }

  /**
   * Runs the jar at debug level against the test environment, reconciles an Ingress, stops on
   * SIGTERM, and checks the log: it logs, and no credential, token or private key appears in it.
   */
  @Test
  void controllerReconcilesStopsOnSigtermAndLogsNoSecrets(Env env, TestEnvironment.TestNamespace ns) throws Exception {
    Path log = Files.createTempFile("controller", ".log");
    String secret = "SeCrEt" + java.util.UUID.randomUUID().toString().replace("-", "");
    Started started = start(env, ns, List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"), log, secret);
    Process p = started.process();
    try {
      awaitReady(started.health());
      assertThat(env.kubectl(ReconcilerIT.services(ns.name()) + "---\n" + ReconcilerIT.shop(ns.name(), "shop", "", "", "/api"),
          "apply", "-f", "-").exit()).isZero();
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> !env.kubectl(null, "get",
          "ingress", "shop", "-n", ns.name(), "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}").stdout().isBlank());
    } finally {
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits within 20 s of SIGTERM").isTrue();
    }
    String output = Files.readString(log);
    assertThat(output).contains("controller started for cluster " + env.clusterName()).contains("stopping");
    String clientKey = Files.readString(env.kubeconfig().toPath()).lines().filter(l -> l.contains("client-key-data"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
    String keyBody = new String(java.util.Base64.getDecoder().decode(clientKey)).lines().filter(l -> !l.startsWith("-----"))
        .findFirst().orElseThrow();
    assertThat(output).doesNotContain(secret).doesNotContain(clientKey.substring(0, 40)).doesNotContain(keyBody)
        .doesNotContain("PRIVATE KEY").doesNotContainIgnoringCase("authorization: bearer");
  }

  /**
   * The image's AppCDS archive is dumped at build time from src/main/cds/classes.lst.gz (Dockerfile),
   * with no cluster to train against: dumped the same way here, it must serve most of what a controller
   * loads up to ready (regenerate the list with hack/cds-class-list when this fails).
   */
  @Test
  void theImagesClassListServesWhatTheControllerLoadsUpToReady(Env env, TestEnvironment.TestNamespace ns) throws Exception {
    Path dir = Files.createTempDirectory("jar-it-cds");
    Path list = dir.resolve("classes.lst");
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of(System.getProperty("project.basedir", "."),
        "src/main/cds/classes.lst.gz")))) {
      Files.write(list, in.readAllBytes());
    }
    Path archive = dir.resolve("alb-ingress-controller.jsa");
    Process dump = new ProcessBuilder("java", "-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + archive,
        "-cp", JAR.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("dump.log").toFile()).start();
    assertThat(dump.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(dump.exitValue()).as(Files.readString(dir.resolve("dump.log"))).isZero();
    Path classLog = dir.resolve("classes.log");
    // -Xshare:on: the JVM refuses to start when the archive does not fit the jar
    Started started = start(env, ns, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classLog),
        dir.resolve("controller.log"), "testing");
    try {
      awaitReady(started.health());
    } finally {
      started.process().destroy();
      assertThat(started.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains(" source: ")).toList();
    long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
    assertThat((double) shared / loaded.size()).as("%d of %d classes loaded up to ready came from the archive", shared, loaded.size())
        .isGreaterThan(0.85);
  }

  private record Started(Process process, int health) {}

  private static Started start(Env env, TestEnvironment.TestNamespace ns, List<String> jvmFlags, Path log, String awsSecret) throws Exception {
    Path certs = Files.createTempDirectory("jar-it-certs");
    TestCerts.write(certs, "127.0.0.1");
    int health = freePort();
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", JAR.toString(),
        "controller", "--cluster-name", env.clusterName(), "--kubeconfig", env.kubeconfig().toString(), "--aws-region", env.region(),
        "--aws-vpc-id", env.vpcId(), "--watch-namespace", ns.name(), "--bind-address", "127.0.0.1",
        "--webhook-port", String.valueOf(freePort()), "--webhook-cert-dir", certs.toString(),
        "--metrics-port", String.valueOf(freePort()), "--health-port", String.valueOf(health)));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(java.util.Map.of("AWS_ENDPOINT_URL", env.awsEndpoint(), "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", awsSecret));
    return new Started(pb.start(), health);
  }

  private static void awaitReady(int health) {
    HttpClient http = HttpClient.newHttpClient();
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
