package io.albingress.bench;

import io.albingress.app.ControllerApp;
import io.albingress.k8s.KubernetesClients;
import io.albingress.testing.MotoElbv2;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Benchmark 8: a rolling update of P pods in IP mode, in steps of B (new pods Ready, then as many
 * old ones deleted), as a Deployment with maxSurge = maxUnavailable = B does it. Pods get their
 * status the way a kubelet writes it; the EndpointSlices come from the real EndpointSlice
 * controller. Figures: RegisterTargets + DeregisterTargets calls against the batched minimum (one
 * of each per step), and how long after the EndpointSlice event each target change is in moto.
 */
final class ChurnBench {
  static final String NAME = "8 target churn";
  static final double GOAL = 1.2;
  static final double LATENCY_GOAL_MS = 2000;

  private final BenchContext ctx;
  private final int pods;
  private final int batch;
  /** Per pod IP: when it was first seen ready in a slice / first seen gone from the slices. */
  private final Map<String, Long> sliceReady = new ConcurrentHashMap<>();
  private final Map<String, Long> sliceGone = new ConcurrentHashMap<>();

  ChurnBench(BenchContext ctx) {
    this.ctx = ctx;
    this.pods = ctx.smoke ? 6 : Integer.getInteger("bench.churn.pods", 500);
    this.batch = ctx.smoke ? 3 : Integer.getInteger("bench.churn.batch", 25);
  }

  void run() throws Exception {
    ctx.resetAws();
    String ns = ctx.namespace("bench-churn");
    String node = ctx.env.seed().getJsonArray("instances").getJsonObject(0).getString("nodeName");
    ctx.apply(Manifests.headless(ns, "web", 80) + Manifests.ingress(ns, "web",
        List.of("alb.ingress.kubernetes.io/target-type", "ip"), List.of(new Manifests.Path("/", "Prefix", "web", 80))));
    Vertx vertx = Vertx.vertx();
    KubernetesClient kube = KubernetesClients.create(vertx, Optional.of(ctx.env.kubeconfig()));
    SharedIndexInformer<EndpointSlice> slices = null;
    ControllerApp app = null;
    try {
      for (int i = 0; i < pods; i++) {
        readyPod(kube, ns, node, i);
      }
      app = ctx.startController(ns);
      String tg = awaitTargetGroup();
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < pods; i++) {
        expected.add(ip(i));
      }
      awaitTargets(tg, expected);
      BenchContext.log("%d pods registered; rolling update in steps of %d", pods, batch);
      slices = kube.discovery().v1().endpointSlices().inNamespace(ns).inform(new SliceTimes());
      Map<String, Long> before = BenchContext.calls(app.registry());
      Map<String, Long> registered = new ConcurrentHashMap<>();
      Map<String, Long> deregistered = new ConcurrentHashMap<>();
      List<Double> motoRoundTrips = new ArrayList<>();
      int steps = pods / batch;
      for (int step = 0; step < steps; step++) {
        int first = step * batch;
        inParallel(batch, k -> readyPod(kube, ns, node, pods + first + k));
        inParallel(batch, k -> kube.pods().inNamespace(ns).withName("web-" + (first + k)).withGracePeriod(0).delete());
        for (int k = 0; k < batch; k++) {
          expected.add(ip(pods + first + k));
          expected.remove(ip(first + k));
        }
        watchTargets(tg, expected, registered, deregistered, motoRoundTrips);
      }
      Map<String, Long> calls = BenchContext.delta(BenchContext.calls(app.registry()), before);
      long made = calls.getOrDefault("RegisterTargets", 0L) + calls.getOrDefault("DeregisterTargets", 0L);
      long minimum = 2L * steps;
      double ratio = (double) made / minimum;
      List<Double> latencies = new ArrayList<>();
      registered.forEach((ip, at) -> Optional.ofNullable(sliceReady.get(ip)).ifPresent(s -> latencies.add((at - s) / 1e6)));
      deregistered.forEach((ip, at) -> Optional.ofNullable(sliceGone.get(ip)).ifPresent(s -> latencies.add((at - s) / 1e6)));
      latencies.sort(Double::compare);
      motoRoundTrips.sort(Double::compare);
      double p50 = percentile(latencies, 0.50);
      double p99 = percentile(latencies, 0.99);
      double max = latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1);
      double motoP50 = percentile(motoRoundTrips, 0.50);
      ctx.results.add(NAME, "rolling update of " + pods + " pods in steps of " + batch + ": RegisterTargets + DeregisterTargets calls",
          made + " / batched minimum " + minimum + " = " + BenchResults.fmt(ratio, 2) + "x", "<= " + GOAL + "x", ratio <= GOAL);
      ctx.results.add(NAME, "EndpointSlice event -> target change seen in moto, p50 / p99 / max (" + latencies.size() + " changes)",
          BenchResults.fmt(p50, 0) + " / " + BenchResults.fmt(p99, 0) + " / " + BenchResults.fmt(max, 0) + " ms (moto's "
              + "DescribeTargetHealth p50 " + BenchResults.fmt(motoP50, 0) + " ms, the observation's resolution)",
          "<= " + (long) LATENCY_GOAL_MS + " ms, moto time subtracted", max - motoP50 <= LATENCY_GOAL_MS);
      ctx.results.note(NAME, pods + " pods" + (ctx.smoke ? " (smoke)" : "") + " behind one IP-mode Ingress; each step creates "
          + batch + " pods and writes their status as a kubelet would (podIP, Ready), then deletes " + batch + " old pods (grace 0), "
          + "each group of writes made at once by " + batch + " writers (as the ReplicaSet controller and many kubelets make them), "
          + "and waits until moto holds exactly the ready pods. The EndpointSlices come from kube-controller-manager's "
          + "EndpointSlice controller. The minimum is one RegisterTargets and one DeregisterTargets per step. Latency: from the "
          + "moment this benchmark's own EndpointSlice informer saw a pod IP ready (or gone) to the moment a DescribeTargetHealth "
          + "poll (every 50 ms) saw it registered (or deregistered or draining); it includes the poll's round trip. Calls in the "
          + "update: " + BenchContext.format(calls) + ".");
    } finally {
      if (slices != null) {
        slices.close();
      }
      if (app != null) {
        app.stop();
      }
      kube.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private final class SliceTimes implements ResourceEventHandler<EndpointSlice> {
    private final Map<String, Set<String>> readyBySlice = new ConcurrentHashMap<>();

    @Override
    public void onAdd(EndpointSlice slice) {
      seen(slice);
    }

    @Override
    public void onUpdate(EndpointSlice old, EndpointSlice slice) {
      seen(slice);
    }

    @Override
    public void onDelete(EndpointSlice slice, boolean unknown) {
      Set<String> gone = readyBySlice.remove(slice.getMetadata().getName());
      if (gone != null) {
        long now = System.nanoTime();
        gone.forEach(ip -> sliceGone.putIfAbsent(ip, now));
      }
    }

    private synchronized void seen(EndpointSlice slice) {
      long now = System.nanoTime();
      Set<String> ready = new HashSet<>();
      for (Endpoint e : Optional.ofNullable(slice.getEndpoints()).orElse(List.of())) {
        if (e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady())) {
          ready.addAll(e.getAddresses());
        }
      }
      Set<String> before = readyBySlice.getOrDefault(slice.getMetadata().getName(), Set.of());
      ready.stream().filter(ip -> !before.contains(ip)).forEach(ip -> sliceReady.putIfAbsent(ip, now));
      before.stream().filter(ip -> !ready.contains(ip)).forEach(ip -> sliceGone.putIfAbsent(ip, now));
      readyBySlice.put(slice.getMetadata().getName(), ready);
    }
  }

  /** Polls moto every 50 ms until it holds exactly {@code expected}, noting when each IP came and went. */
  private void watchTargets(String tg, Set<String> expected, Map<String, Long> registered, Map<String, Long> deregistered,
      List<Double> roundTrips) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    try (MotoElbv2 moto = ctx.moto()) {
      while (true) {
        long sent = System.nanoTime();
        Set<String> present = present(moto.targets(tg));
        long now = System.nanoTime();
        roundTrips.add((now - sent) / 1e6);
        present.forEach(ip -> registered.putIfAbsent(ip, now));
        sliceReady.keySet().stream().filter(ip -> registered.containsKey(ip) && !present.contains(ip))
            .forEach(ip -> deregistered.putIfAbsent(ip, now));
        if (present.equals(expected)) {
          return;
        }
        if (now > deadline) {
          throw new IllegalStateException("moto holds " + present.size() + " targets, expected " + expected.size());
        }
        BenchContext.sleep(50);
      }
    }
  }

  private static Set<String> present(Map<String, String> targets) {
    Set<String> ips = new HashSet<>();
    targets.forEach((target, state) -> {
      if (!state.equals("draining") && !state.equals("unused")) {
        ips.add(target.substring(0, target.indexOf(':')));
      }
    });
    return ips;
  }

  private String awaitTargetGroup() {
    String[] arn = new String[1];
    BenchContext.await(Duration.ofMinutes(3), 200, () -> {
      try (MotoElbv2 moto = ctx.moto()) {
        var tgs = moto.targetGroups();
        if (tgs.isEmpty()) {
          return false;
        }
        arn[0] = tgs.get(0).targetGroupArn();
        return true;
      }
    }, "the target group");
    return arn[0];
  }

  private void awaitTargets(String tg, Set<String> expected) {
    BenchContext.await(Duration.ofMinutes(5), 200, () -> {
      try (MotoElbv2 moto = ctx.moto()) {
        return present(moto.targets(tg)).equals(expected);
      }
    }, expected.size() + " registered targets");
  }

  /** A pod on a seeded node, then its status as the kubelet writes it once it runs and is ready. */
  private static void readyPod(KubernetesClient kube, String ns, String node, int i) {
    Pod pod = kube.pods().inNamespace(ns).resource(new PodBuilder()
        .withNewMetadata().withName("web-" + i).withNamespace(ns).addToLabels("app", "web").endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("web").withImage("example.test/web:1")
        .addNewPort().withContainerPort(80).endPort().endContainer().endSpec().build()).create();
    String now = Instant.now().toString();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP(ip(i))
        .addNewPodIP().withIp(ip(i)).endPodIP()
        .addNewCondition().withType("ContainersReady").withStatus("True").withLastTransitionTime(now).endCondition()
        .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now).endCondition().build());
    kube.pods().inNamespace(ns).resource(pod).updateStatus();
  }

  /**
   * Runs a step's writes at once, as the ReplicaSet controller creates and deletes a step's pods and
   * the kubelets of many nodes report them: written one after another, a step of 25 takes seconds on
   * a busy machine and no batching could make it one call.
   */
  private static void inParallel(int n, IntConsumer write) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        int index = k;
        writes.add(pool.submit(() -> write.accept(index)));
      }
      for (Future<?> w : writes) {
        w.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String ip(int i) {
    return "10.0." + (128 + i / 250) + "." + (i % 250 + 2);
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
