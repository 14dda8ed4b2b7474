package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestCerts;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * Two "clusters" share one AWS account (moto), both with an IngressGroup called "shared": neither
 * controller modifies or deletes what carries the other's cluster tag.
 */
@ExtendWith(TestEnvironment.class)
class OwnershipIT {
  private static final Path JAR = Path.of(System.getProperty("project.basedir", "."), "target", "alb-ingress-controller.jar");

  @Test
  void aSecondClusterNeverTouchesOurResources(Env env, TestNamespace ns) throws Exception {
    String other = ns.name() + "-other";
    assertThat(env.kubectl(null, "create", "namespace", other).exit()).isZero();
    ControllerApp ours = Controllers.start(env, ns);
    Process theirs = startOtherCluster(env, other);
    try (MotoElbv2 moto = new MotoElbv2(env)) {
      apply(env, ReconcilerIT.services(ns.name()) + "---\n" + ReconcilerIT.shop(ns.name(), "shop", "shared", "", "/api"));
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !env.kubectl(null, "get", "ingress", "shop", "-n", ns.name(),
          "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}").stdout().isBlank());
      LoadBalancer mine = ofCluster(env, moto, env.clusterName()).get(0);
      List<String> myRules = rules(moto, mine);

      // the seeded subnets are tagged for our cluster only, so the other one names them explicitly
      String subnets = env.seed().getJsonArray("subnets").stream().map(s -> (io.vertx.core.json.JsonObject) s)
          .filter(s -> s.getString("role").equals("public")).map(s -> s.getString("id")).collect(java.util.stream.Collectors.joining(","));
      apply(env, ReconcilerIT.services(other) + "---\n" + ReconcilerIT.shop(other, "shop", "shared", "", "/other").replace(
          "    alb.ingress.kubernetes.io/scheme: internet-facing\n",
          "    alb.ingress.kubernetes.io/scheme: internet-facing\n    alb.ingress.kubernetes.io/subnets: " + subnets + "\n"));
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> ofCluster(env, moto, "other-cluster").size() == 1);
      assertThat(env.kubectl(null, "delete", "ingress", "shop", "-n", other, "--wait=false").exit()).isZero();
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> ofCluster(env, moto, "other-cluster").isEmpty()
          && env.kubectl(null, "get", "ingress", "shop", "-n", other).exit() != 0);

      assertThat(ofCluster(env, moto, env.clusterName())).extracting(LoadBalancer::loadBalancerArn).containsExactly(mine.loadBalancerArn());
      assertThat(rules(moto, mine)).isEqualTo(myRules);
      assertThat(moto.tags(mine.loadBalancerArn())).containsEntry("elbv2.k8s.aws/cluster", env.clusterName());
    } finally {
      theirs.destroy();
      theirs.waitFor(20, TimeUnit.SECONDS);
      ours.stop();
    }
  }

  private static List<String> rules(MotoElbv2 moto, LoadBalancer lb) {
    return moto.listeners(lb.loadBalancerArn()).stream().flatMap(l -> moto.rules(l.listenerArn()).stream())
        .map(r -> r.ruleArn() + r.conditions()).sorted().toList();
  }

  private static List<LoadBalancer> ofCluster(Env env, MotoElbv2 moto, String cluster) {
    return moto.loadBalancers().stream().filter(lb -> cluster.equals(moto.tags(lb.loadBalancerArn()).get("elbv2.k8s.aws/cluster"))).toList();
  }

  private static Process startOtherCluster(Env env, String namespace) throws Exception {
    Path certs = Files.createTempDirectory("other-certs");
    TestCerts.write(certs, "127.0.0.1");
    ProcessBuilder pb = new ProcessBuilder("java", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "controller",
        "--cluster-name", "other-cluster", "--kubeconfig", env.kubeconfig().toString(), "--aws-region", env.region(),
        "--aws-vpc-id", env.vpcId(), "--watch-namespace", namespace, "--bind-address", "127.0.0.1",
        "--webhook-port", String.valueOf(freePort()), "--webhook-cert-dir", certs.toString(),
        "--metrics-port", String.valueOf(freePort()), "--health-port", String.valueOf(freePort()))
        .redirectErrorStream(true).redirectOutput(Files.createTempFile("other-cluster", ".log").toFile());
    pb.environment().putAll(Map.of("AWS_ENDPOINT_URL", env.awsEndpoint(), "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
    return pb.start();
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
