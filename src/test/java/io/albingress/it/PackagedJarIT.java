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

  @Test
  void controllerGetsReadyAndStopsOnSigterm(Env env) throws Exception {
    Path certs = Files.createTempDirectory("jar-it-certs");
    TestCerts.write(certs, "127.0.0.1");
    int health = freePort();
    Process p = new ProcessBuilder("java", "-jar", JAR.toString(), "controller", "--cluster-name", env.clusterName(),
        "--kubeconfig", env.kubeconfig().toString(), "--aws-region", env.region(), "--aws-vpc-id", env.vpcId(),
        "--bind-address", "127.0.0.1", "--webhook-port", String.valueOf(freePort()), "--webhook-cert-dir", certs.toString(),
        "--metrics-port", String.valueOf(freePort()), "--health-port", String.valueOf(health))
        .redirectErrorStream(true).redirectOutput(Files.createTempFile("controller", ".log").toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
          http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    } finally {
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits within 20 s of SIGTERM").isTrue();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
