package io.albingress.bench;

import io.albingress.app.ControllerApp;
import io.albingress.aws.ApiThrottleConfig;
import io.albingress.aws.ThrottledClient;
import io.albingress.testing.FaultProxy;
import io.albingress.testing.MotoElbv2;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Benchmark 7: N Ingresses in G IngressGroups against an AWS that refuses ELBv2 calls past its
 * request rates (the fault proxy enforcing the reference's documented defaults: Describe* 50/s
 * burst 200, Modify* 3/s burst 20, Register/DeregisterTargets 4/s burst 20). The controller runs
 * with its default --aws-api-throttle. Figures: it converges, no call was refused for its rate,
 * no duplicate, and the time the client-side limiter made calls wait.
 */
final class ThrottleBench {
  static final String NAME = "7 throttled scale";

  private final BenchContext ctx;
  private final int n;
  private final int groups;

  ThrottleBench(BenchContext ctx) {
    this.ctx = ctx;
    this.n = ctx.smoke ? 12 : Integer.getInteger("bench.throttle.n", 1000);
    this.groups = ctx.smoke ? 3 : Integer.getInteger("bench.throttle.groups", 20);
  }

  void run() throws Exception {
    ctx.resetAws();
    String ns = ctx.namespace("bench-throttle");
    create(ns);
    Vertx vertx = Vertx.vertx();
    FaultProxy proxy = new FaultProxy(vertx, URI.create(ctx.env.awsEndpoint()), 0, 0, 1)
        .rateLimits(ApiThrottleConfig.defaults());
    proxy.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String endpoint = System.getProperty("aws.endpointUrl");
    System.setProperty("aws.endpointUrl", proxy.url());
    long start = System.nanoTime();
    ControllerApp app = null;
    try {
      app = ctx.startController(ns);
      awaitHostnames(ns);
      double seconds = (System.nanoTime() - start) / 1e9;
      String found = verify();
      Map<String, Long> calls = BenchContext.calls(app.registry());
      long total = calls.values().stream().mapToLong(Long::longValue).sum();
      double waited = app.registry().find(ThrottledClient.WAIT).timers().stream()
          .mapToDouble(t -> t.totalTime(TimeUnit.SECONDS)).sum();
      long waits = app.registry().find(ThrottledClient.WAIT).timers().stream().mapToLong(t -> t.count()).sum();
      long refused = proxy.refusedByRate();
      ctx.results.add(NAME, "N = " + n + " Ingresses in " + groups + " groups, AWS refusing calls past the ELBv2 rates: converges",
          "converged in " + BenchResults.fmt(seconds, 1) + " s (" + found + ")", "converges, 0 duplicates", true);
      ctx.results.add(NAME, "ELBv2 calls refused by AWS for their rate", refused + " of " + total + " calls", "0", refused == 0);
      ctx.results.add(NAME, "calls that waited for the client-side rate limit", waits + " calls, " + BenchResults.fmt(waited, 1)
          + " s in all", "", null);
      ctx.results.note(NAME, "N = " + n + (ctx.smoke ? " (smoke)" : "") + ", " + groups + " IngressGroups of " + n / groups
          + " Ingresses, one path and one IP-mode (headless) Service each. The fault proxy sits between the controller and moto "
          + "and answers `Throttling` to any ELBv2 call past the reference's documented rates (token buckets, no queue), the "
          + "way AWS does; the controller runs with its default `--aws-api-throttle` (the same rates), so it should wait "
          + "rather than be refused. Calls: " + BenchContext.format(calls) + ".");
    } finally {
      if (app != null) {
        app.stop();
      }
      if (endpoint == null) {
        System.clearProperty("aws.endpointUrl");
      } else {
        System.setProperty("aws.endpointUrl", endpoint);
      }
      proxy.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void create(String ns) {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      all.append(Manifests.headless(ns, "t" + i, 80));
      all.append(Manifests.ingress(ns, "ing" + i, List.of("alb.ingress.kubernetes.io/group.name", ns + "-g" + i % groups,
          "alb.ingress.kubernetes.io/target-type", "ip"), List.of(new Manifests.Path("/p" + i, "Prefix", "t" + i, 80))));
      if ((i + 1) % 200 == 0 || i == n - 1) {
        ctx.kubectl(all.toString(), "create", "-f", "-");
        all.setLength(0);
      }
    }
    BenchContext.log("created %d Ingresses in %d groups in %s", n, groups, ns);
  }

  private void awaitHostnames(String ns) {
    BenchContext.await(Duration.ofMinutes(30), 500, () -> {
      var r = ctx.env.kubectl(null, "get", "ingress", "-n", ns, "-o",
          "jsonpath={range .items[*]}{.status.loadBalancer.ingress[0].hostname}{\"\\n\"}{end}");
      return r.stdout().lines().filter(l -> !l.isBlank()).count() == n;
    }, n + " Ingress hostnames");
  }

  /** Exactly G load balancers, N target groups and N rules, no name twice. */
  private String verify() {
    try (MotoElbv2 moto = ctx.moto()) {
      var client = moto.client();
      List<LoadBalancer> lbs = new ArrayList<>();
      String marker = null;
      do {
        String m = marker;
        var page = client.describeLoadBalancers(b -> b.marker(m).pageSize(400)).join();
        lbs.addAll(page.loadBalancers());
        marker = page.nextMarker();
      } while (marker != null);
      List<TargetGroup> tgs = new ArrayList<>();
      marker = null;
      do {
        String m = marker;
        var page = client.describeTargetGroups(b -> b.marker(m).pageSize(400)).join();
        tgs.addAll(page.targetGroups());
        marker = page.nextMarker();
      } while (marker != null);
      int rules = 0;
      for (LoadBalancer lb : lbs) {
        for (var l : moto.listeners(lb.loadBalancerArn())) {
          rules += moto.rules(l.listenerArn()).size();
        }
      }
      Set<String> names = new HashSet<>();
      long duplicates = lbs.stream().filter(lb -> !names.add(lb.loadBalancerName())).count()
          + tgs.stream().filter(tg -> !names.add(tg.targetGroupName())).count();
      String found = lbs.size() + " load balancers, " + tgs.size() + " target groups, " + rules + " rules, " + duplicates + " duplicates";
      if (lbs.size() != groups || tgs.size() != n || rules != n || duplicates != 0) {
        throw new IllegalStateException("moto holds " + found + ", expected " + groups + ", " + n + ", " + n + ", 0");
      }
      return found;
    }
  }
}
