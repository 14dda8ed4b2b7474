package io.albingress.bench;

import io.albingress.app.ControllerApp;
import io.albingress.testing.MotoElbv2;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * Benchmark 9: one Gateway with N HTTPRoutes (default 100, ALB's rule limit per load balancer) converges on the real
 * apiserver and moto; then removing one route from the middle of the precedence order and adding one route cost
 * AWS calls counted from alb_aws_api_calls_total against the minimum, as benchmark 2 counts them.
 */
final class RoutesBench {
  static final String NAME = "9 Gateway routes";
  static final double GOAL = 1.2;
  private final BenchContext ctx;
  private final int n;
  private ControllerApp app;
  private MotoElbv2 moto;
  private String ns;

  RoutesBench(BenchContext ctx) {
    this.ctx = ctx;
    this.n = ctx.smoke ? 5 : Integer.getInteger("bench.routes.n", 100);
  }

  /** Same path length for every route, so precedence falls to creation time (then name): a new route sorts last. */
  private String route(int i) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r%1$04d, namespace: %2$s}
        spec:
          parentRefs: [{name: gw}]
          rules:
            - matches: [{path: {type: PathPrefix, value: /r%1$04d}}]
              backendRefs: [{name: web, port: 80}]
        ---
        """.formatted(i, ns);
  }

  void run() throws Exception {
    ctx.resetAws();
    ns = ctx.namespace("bench-routes");
    String cls = "alb-" + ns;
    ctx.apply(Manifests.service(ns, "web", 80));
    app = ctx.startController(ns);
    moto = ctx.moto();
    ctx.results.note(NAME, "One Gateway (one HTTP listener) with " + n + " HTTPRoutes of one rule each, every route forwarding to the "
        + "same Service (one target group per route, as the reference builds them). All paths have the same length, so the Gateway "
        + "API precedence orders them by creation time: a new route sorts last. Counts are the deltas of "
        + "alb_aws_api_calls_total over each change, waiting until the change is in moto, the reconciler is idle and no call came "
        + "for 1.5 s (status writes cause reconciles that must cost nothing), as benchmark 2. **The true minimum** assumes what "
        + "this design keeps (load balancers and target groups known from the inventory, listeners and rules read when a change "
        + "touches them: DescribeListeners 1 and DescribeRules 1) and what ALB allows: priorities need not be contiguous, only "
        + "their order matters. Removing a rule is then one DeleteRule, whatever its place: the rules after it keep their "
        + "priorities (a gap is harmless); its target group goes with it (DeleteTargetGroup). Adding a rule is one CreateRule at "
        + "a free priority between its neighbours; only without a free priority there (rules packed 1..n and the new rule in "
        + "the middle) one SetRulePriorities call (it takes every moved rule at once) comes on top. Its target group is one "
        + "CreateTargetGroup (tags in the call) and one RegisterTargets for the test environment's nodes (a new target group has "
        + "no targets to read first).");
    try {
      ctx.apply("""
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gateway.k8s.aws/alb}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %s}
          spec:
            gatewayClassName: %s
            listeners: [{name: http, port: 80, protocol: HTTP}]
          ---
          """.formatted(cls, ns, cls));
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < n; i++) {
        all.append(route(i));
      }
      Map<String, Long> before = BenchContext.calls(app.registry());
      long start = System.nanoTime();
      ctx.apply(all.toString());
      settle(() -> rules() == n);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Long> made = BenchContext.delta(BenchContext.calls(app.registry()), before);
      long total = made.values().stream().mapToLong(Long::longValue).sum();
      ctx.results.add(NAME, "converge 1 Gateway + " + n + " HTTPRoutes", BenchResults.fmt(seconds, 1) + " s, " + total + " calls",
          "converges", rules() == n);
      ctx.results.note(NAME, "**converge**: " + n + " rules in " + BenchResults.fmt(seconds, 1) + " s with " + BenchContext.format(made) + ".");

      int middle = n / 2;
      scenario("remove one route (from the middle of " + n + ")",
          CallsBench.min("DeleteRule for its rule and DeleteTargetGroup for its target group; the rules after it keep their priorities; "
              + "reads: the listener (1) and its rules (1)", "DescribeListeners", 1, "DescribeRules", 1, "DeleteRule", 1, "DeleteTargetGroup", 1),
          () -> ctx.kubectl(null, "delete", "httproute", String.format("r%04d", middle), "-n", ns, "--wait=false"),
          () -> rules() == n - 1);

      scenario("add one route (sorts last)",
          CallsBench.min("CreateTargetGroup, RegisterTargets (the nodes) and CreateRule at the next priority; reads: the listener (1) "
              + "and its rules (1)", "DescribeListeners", 1, "DescribeRules", 1, "CreateTargetGroup", 1, "RegisterTargets", 1, "CreateRule", 1),
          () -> ctx.apply(route(n)), () -> rules() == n);
    } finally {
      app.stop();
      moto.close();
      ctx.env.kubectl(null, "delete", "gateway", "gw", "-n", ns, "--wait=false");
      ctx.env.kubectl(null, "delete", "gatewayclass", cls, "--wait=false");
    }
  }

  private void scenario(String name, CallsBench.Minimum minimum, Runnable change, BooleanSupplier done) {
    Map<String, Long> before = BenchContext.calls(app.registry());
    change.run();
    settle(done);
    Map<String, Long> made = BenchContext.delta(BenchContext.calls(app.registry()), before);
    long total = made.values().stream().mapToLong(Long::longValue).sum();
    double ratio = (double) total / minimum.total();
    ctx.results.add(NAME, name, total + " calls / minimum " + minimum.total() + " = " + BenchResults.fmt(ratio, 2) + "x",
        "<= " + GOAL + "x", ratio <= GOAL + 1e-9);
    Map<String, Long> extra = new LinkedHashMap<>();
    made.forEach((op, k) -> {
      long d = k - minimum.calls().getOrDefault(op, 0L);
      if (d > 0) {
        extra.put(op, d);
      }
    });
    ctx.results.note(NAME, "**" + name + "**: made " + BenchContext.format(made) + ". Minimum " + minimum.total() + ": "
        + BenchContext.format(new java.util.TreeMap<>(minimum.calls())) + " — " + minimum.why() + "."
        + (extra.isEmpty() ? "" : " Above the minimum: " + BenchContext.format(extra) + "."));
    BenchContext.log("%s: %s (minimum %d)", name, BenchContext.format(made), minimum.total());
  }

  private void settle(BooleanSupplier done) {
    BenchContext.settle(app, Duration.ofSeconds(ctx.smoke ? 60 : 300), done);
  }

  private List<LoadBalancer> ours() {
    return moto.loadBalancers().stream().filter(lb -> (ns + "/gw").equals(moto.tags(lb.loadBalancerArn()).get("gateway.k8s.aws.alb/stack")))
        .toList();
  }

  /** Rules of the Gateway's ALB, without the listeners' default rules. */
  private int rules() {
    int count = 0;
    for (LoadBalancer lb : ours()) {
      for (var l : moto.listeners(lb.loadBalancerArn())) {
        String marker = null;
        do { // DescribeRules pages (moto's page is smaller than 100 rules)
          String from = marker;
          var page = moto.client().describeRules(b -> b.listenerArn(l.listenerArn()).marker(from)).join();
          count += (int) page.rules().stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).count();
          marker = page.nextMarker();
        } while (marker != null && !marker.isEmpty());
      }
    }
    return count;
  }
}
