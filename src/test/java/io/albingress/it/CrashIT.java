package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Stack;
import io.albingress.plan.Manifests;
import io.albingress.plan.Planner;
import io.albingress.testing.AwsContent;
import io.albingress.testing.FaultProxy;
import io.albingress.testing.Golden;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.StrictElbv2;
import io.albingress.testing.TestCerts;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * Crash at any point: a seeded scenario creates, updates and deletes Ingresses across groups and
 * both target types while the controller (the packaged jar, a real process) is killed with SIGKILL
 * at random points and restarted. After convergence moto must hold exactly what `plan` computes
 * for the surviving Ingresses: 0 leaked, 0 duplicated, 0 missing; deleted Ingresses are gone.
 * Then a fixed final scenario whose kills are timed against AWS calls in flight (the fault proxy
 * holds a CreateLoadBalancer, a CreateRule and a DeleteLoadBalancer, the controller is killed while
 * each is held, and the call then lands in AWS after its caller died); the result must equal
 * golden/aws/alpha-and-group.json in full content. AWS is moto behind the strict ELBv2 layer.
 * Sizes: -Dcrash.ingresses (8) -Dcrash.kills (3) -Dcrash.seed.
 */
@ExtendWith(TestEnvironment.class)
class CrashIT {
  static final int INGRESSES = Integer.getInteger("crash.ingresses", 8);
  static final int KILLS = Integer.getInteger("crash.kills", 3);
  static final long SEED = Long.getLong("crash.seed", System.nanoTime());
  private static final Path JAR = Path.of(System.getProperty("project.basedir", "."), "target", "alb-ingress-controller.jar");

  private static final Path GOLDEN = Path.of(System.getProperty("project.basedir", "."), "src/test/resources/golden/aws");

  private Process controller;
  private Path certs;
  private FaultProxy proxy;

  @Test
  void convergesExactlyAfterRepeatedSigkills(Env env, TestNamespace ns) throws Exception {
    System.out.printf("CrashIT: %d ingresses, %d kills, seed %d (replay with -Dcrash.seed=%d)%n", INGRESSES, KILLS, SEED, SEED);
    Random random = new Random(SEED);
    certs = Files.createTempDirectory("crash-certs");
    TestCerts.write(certs, "127.0.0.1");
    String n = ns.name();
    Vertx vertx = Vertx.vertx();
    proxy = new FaultProxy(vertx, URI.create(env.awsEndpoint()), 0, 0, SEED).strict(new StrictElbv2(StrictElbv2.Settings.fromSystemProperties(SEED)))
        .start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    apply(env, ReconcilerIT.services(n));
    Map<String, String> live = new LinkedHashMap<>();
    int steps = INGRESSES * 3;
    Set<Integer> killAt = new TreeSet<>();
    while (killAt.size() < Math.min(KILLS, steps)) {
      killAt.add(random.nextInt(steps));
    }
    start(env, n);
    for (int step = 0; step < steps; step++) {
      String name = "i" + random.nextInt(INGRESSES);
      if (live.containsKey(name) && random.nextInt(3) == 0) {
        env.kubectl(null, "delete", "ingress", name, "-n", n, "--wait=false");
        live.remove(name);
      } else {
        String manifest = ingress(n, name, random);
        if (!live.containsKey(name)) {
          // an apply to an Ingress still being deleted (finalizer pending) is lost with it: wait until it is gone
          env.kubectl(null, "wait", "--for=delete", "ingress/" + name, "-n", n, "--timeout=120s");
        }
        apply(env, manifest);
        live.put(name, manifest);
      }
      if (killAt.contains(step)) {
        Thread.sleep(random.nextInt(2000));
        controller.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        start(env, n);
      } else {
        Thread.sleep(random.nextInt(400));
      }
    }

    try (MotoElbv2 moto = new MotoElbv2(env)) {
      Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
          .until(() -> live.keySet().stream().allMatch(name -> !hostname(env, n, name).isEmpty())
              && env.kubectl(null, "get", "ingress", "-n", n, "-o", "name").stdout().lines().count() == live.size());
      Map<String, Integer> expected = expected(env, n);
      Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
          .until(() -> actual(env, moto, n).equals(expected));
      Map<String, Integer> actual = actual(env, moto, n);
      System.out.printf("CrashIT: %d live ingresses, expected %d resources, found %d%n", live.size(), expected.size(), actual.size());
      assertThat(actual).isEqualTo(expected);

      finalScenarioWithKillsDuringCalls(env, moto, n, live.keySet());
    } finally {
      controller.destroy();
      controller.waitFor(20, TimeUnit.SECONDS);
      proxy.close();
      vertx.close();
    }
  }

  /** Kills timed against held calls, then the whole content against the golden file. */
  private void finalScenarioWithKillsDuringCalls(Env env, MotoElbv2 moto, String n, Set<String> random) throws Exception {
    String certificate = env.seed().getString("certificateArn");
    String group = "g" + Integer.toHexString(n.hashCode() & 0xfffff);
    killDuring(env, n, "CreateLoadBalancer", () -> apply(env, ReconcilerIT.shop(n, "alpha", "", certificate, "/v2")));
    killDuring(env, n, "CreateRule", () -> {
      apply(env, ReconcilerIT.shop(n, "one", group, "", "/one"));
      apply(env, ReconcilerIT.shop(n, "two", group, "", "/two"));
    });
    if (!random.isEmpty()) {
      killDuring(env, n, "DeleteLoadBalancer", () -> random.forEach(name ->
          env.kubectl(null, "delete", "ingress", name, "-n", n, "--wait=false")));
    }
    JsonObject expected = AwsContent.golden(GOLDEN.resolve("alpha-and-group.json"), Golden.values(env, n, Map.of("group", group)));
    try {
      Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
          .until(() -> AwsContent.read(moto, env.clusterName()).equals(expected)
              && env.kubectl(null, "get", "ingress", "-n", n, "-o", "name").stdout().lines().count() == 3);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      assertThat(AwsContent.read(moto, env.clusterName()).encodePrettily()).as("AWS content against golden/aws/alpha-and-group.json")
          .isEqualTo(expected.encodePrettily());
      throw e;
    }
    System.out.printf("CrashIT: final scenario matches golden/aws/alpha-and-group.json; strict ELBv2 layer applied %s%n", proxy.strict().applied());
  }

  /** Holds the next call of an action, does what causes it, SIGKILLs the controller while the call is held, lets the call land, restarts. */
  private void killDuring(Env env, String ns, String action, Runnable cause) throws Exception {
    FaultProxy.Hold hold = proxy.hold(action);
    cause.run();
    hold.arrived().toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
    controller.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL while the call is in flight
    hold.release();
    System.out.printf("CrashIT: killed the controller during %s%n", action);
    start(env, ns);
  }

  /** Resources moto should hold, by name, from `plan` over the live objects (names are deterministic). */
  private static Map<String, Integer> expected(Env env, String ns) throws Exception {
    String yaml = env.kubectl(null, "get", "ingress,service", "-n", ns, "-o", "yaml").stdout()
        + "\n---\n" + env.kubectl(null, "get", "ingressclass", "alb", "-o", "yaml").stdout();
    Manifests manifests = new Manifests(new KubernetesSerialization())
        .read("-", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    Map<String, Integer> expected = new TreeMap<>();
    for (Stack stack : new Planner(env.clusterName(), "alb", env.region(), manifests).plan().stacks()) {
      expected.merge("lb " + stack.loadBalancer().name(), 1, Integer::sum);
      stack.targetGroups().forEach(tg -> expected.merge("tg " + tg.name(), 1, Integer::sum));
      stack.listeners().forEach(l -> expected.merge("rules " + stack.loadBalancer().name() + ":" + l.port(),
          (int) stack.rules().stream().filter(r -> r.listener().resourceId().equals(l.resourceId())).count(), Integer::sum));
    }
    return expected;
  }

  /** What moto holds that is ours; a duplicate shows as a count of 2. */
  private static Map<String, Integer> actual(Env env, MotoElbv2 moto, String ns) {
    Map<String, Integer> actual = new TreeMap<>();
    for (LoadBalancer lb : moto.loadBalancers()) {
      Map<String, String> tags = moto.tags(lb.loadBalancerArn());
      if (!env.clusterName().equals(tags.get("elbv2.k8s.aws/cluster"))) {
        continue;
      }
      actual.merge("lb " + lb.loadBalancerName(), 1, Integer::sum);
      moto.listeners(lb.loadBalancerArn()).forEach(l -> actual.merge("rules " + lb.loadBalancerName() + ":" + l.port(),
          moto.rules(l.listenerArn()).size(), Integer::sum));
    }
    moto.targetGroups().forEach(tg -> actual.merge("tg " + tg.targetGroupName(), 1, Integer::sum));
    return actual;
  }

  private static String ingress(String ns, String name, Random random) {
    String group = switch (random.nextInt(3)) {
      case 0 -> "";
      case 1 -> "crash-a";
      default -> "crash-b";
    };
    String manifest = ReconcilerIT.shop(ns, name, group, "", "/p" + random.nextInt(5));
    String type = random.nextBoolean() ? "ip" : "instance";
    return manifest.replace("    alb.ingress.kubernetes.io/scheme: internet-facing\n",
        "    alb.ingress.kubernetes.io/scheme: internet-facing\n    alb.ingress.kubernetes.io/target-type: " + type + "\n");
  }

  private void start(Env env, String ns) throws Exception {
    Map<String, String> environment = new HashMap<>(Map.of("AWS_ENDPOINT_URL", proxy.url(), "AWS_REGION", env.region(),
        "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
    List<String> command = new ArrayList<>(List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
        "controller", "--cluster-name", env.clusterName(), "--kubeconfig", env.kubeconfig().toString(),
        "--aws-vpc-id", env.vpcId(), "--watch-namespace", ns, "--bind-address", "127.0.0.1", "--default-tags", "owner=it",
        "--webhook-port", String.valueOf(freePort()), "--webhook-cert-dir", certs.toString(),
        "--metrics-port", String.valueOf(freePort()), "--health-port", String.valueOf(freePort())));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("project.basedir", "."), "target", "crash-it-controller.log").toFile()));
    pb.environment().putAll(environment);
    controller = pb.start();
  }

  private static String hostname(Env env, String ns, String name) {
    return env.kubectl(null, "get", "ingress", name, "-n", ns, "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}").stdout().trim();
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
