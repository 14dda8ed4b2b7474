package io.albingress.bench;

import io.albingress.app.ControllerApp;
import io.albingress.testing.MotoElbv2;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * Benchmark 6: single-path edits of one Ingress, one at a time: from `kubectl apply` returning to
 * the controller's ModifyRule having succeeded (the rule is changed in AWS then), next to the time
 * moto itself takes for the calls on that path (DescribeListeners, DescribeRules, ModifyRule) issued
 * by a plain client right after.
 */
final class LatencyBench {
  static final String NAME = "6 change latency";
  private final BenchContext ctx;
  private String ns;

  LatencyBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  private String ingress(String path) {
    return Manifests.ingress(ns, "edit", List.of("alb.ingress.kubernetes.io/scheme", "internet-facing"), List.of(
        new Manifests.Path("/login", "Exact", "web", 80), new Manifests.Path(path, "Prefix", "api", 8080),
        new Manifests.Path("/", "Prefix", "web", 80)));
  }

  void run() throws Exception {
    int edits = ctx.smoke ? 3 : 100;
    ctx.resetAws();
    ns = ctx.namespace("bench-latency");
    ctx.apply(Manifests.service(ns, "web", 80) + Manifests.service(ns, "api", 8080));
    ControllerApp app = ctx.startController(ns);
    try (MotoElbv2 moto = ctx.moto()) {
      ctx.apply(ingress("/a-000"));
      BenchContext.await(Duration.ofSeconds(120), 100, () -> moto.loadBalancers().size() == 1
          && !moto.listeners(moto.loadBalancers().get(0).loadBalancerArn()).isEmpty()
          && moto.rules(moto.listeners(moto.loadBalancers().get(0).loadBalancerArn()).get(0).listenerArn()).size() == 3, "the stack");
      settle(app);
      String lbArn = moto.loadBalancers().get(0).loadBalancerArn();
      String listenerArn = moto.listeners(lbArn).get(0).listenerArn();
      long[] controller = new long[edits];
      long[] chain = new long[edits];
      long[] over = new long[edits];
      for (int i = 0; i < edits; i++) {
        String path = String.format("/a-%03d", i + 1);
        long before = modifyRules(app);
        ctx.apply(ingress(path));
        long t0 = System.nanoTime();
        while (modifyRules(app) == before) {
          if (System.nanoTime() - t0 > 60_000_000_000L) {
            throw new IllegalStateException("edit " + i + " did not reach AWS in 60 s");
          }
          Thread.sleep(0, 200_000);
        }
        controller[i] = (System.nanoTime() - t0) / 1000;
        settle(app);
        Rule rule = moto.rules(listenerArn).stream().filter(r -> r.priority().equals("2")).findFirst().orElseThrow();
        if (!rule.conditions().get(0).pathPatternConfig().values().contains(path)) {
          throw new IllegalStateException("rule 2 is " + rule.conditions() + ", expected " + path);
        }
        // moto's own time for the same call chain, from a plain client
        long c0 = System.nanoTime();
        moto.client().describeListeners(b -> b.loadBalancerArn(lbArn)).join();
        Rule r2 = moto.client().describeRules(b -> b.listenerArn(listenerArn)).join().rules().stream()
            .filter(r -> r.priority().equals("2")).findFirst().orElseThrow();
        moto.client().modifyRule(b -> b.ruleArn(r2.ruleArn()).conditions(r2.conditions()).actions(r2.actions())).join();
        chain[i] = (System.nanoTime() - c0) / 1000;
        over[i] = controller[i] - chain[i];
      }
      long[] c = sorted(controller);
      long[] m = sorted(chain);
      long[] o = sorted(over);
      ctx.results.figure(NAME, edits + " path edits: apply returned -> rule changed, p50 / p99",
          ms(LoadGen.pct(c, 0.5)) + " / " + ms(LoadGen.pct(c, 0.99)) + " ms (" + BenchResults.fmt((double) LoadGen.pct(c, 0.5) / LoadGen.pct(m, 0.5), 1)
              + "x moto's own p50)");
      ctx.results.figure(NAME, "moto's own time for that call chain, p50 / p99", ms(LoadGen.pct(m, 0.5)) + " / " + ms(LoadGen.pct(m, 0.99)) + " ms");
      ctx.results.figure(NAME, "controller's share (edit minus moto chain), p50 / p99", ms(LoadGen.pct(o, 0.5)) + " / " + ms(LoadGen.pct(o, 0.99)) + " ms");
      Map<String, Long> calls = BenchContext.calls(app.registry());
      ctx.results.note(NAME, edits + " edits of one path of a 3-path HTTP Ingress, one at a time, each waiting for the controller to "
          + "settle. The end of an edit is when the controller's ModifyRule call returned (read from its in-process "
          + "alb_aws_api_calls_total, polled every 0.2 ms; moto is then checked to hold the new path). On the critical path the "
          + "controller makes DescribeListeners, DescribeRules and ModifyRule one after the other; right after each edit a plain "
          + "client makes the same three calls against moto, and that time is subtracted edit by edit. The rest is the informer "
          + "event, the event bus, the model build and the controller's own scheduling. Controller calls over the whole run: "
          + BenchContext.format(calls) + ".");
    } finally {
      app.stop();
    }
  }

  private static long[] sorted(long[] a) {
    long[] s = a.clone();
    Arrays.sort(s);
    return s;
  }

  private static String ms(long micros) {
    return BenchResults.fmt(micros / 1000.0, 1);
  }

  private static long modifyRules(ControllerApp app) {
    return BenchContext.calls(app.registry()).getOrDefault("ModifyRule", 0L);
  }

  private static void settle(ControllerApp app) {
    long[] last = {-1, System.nanoTime()};
    BenchContext.await(Duration.ofSeconds(60), 20, () -> {
      long now = BenchContext.calls(app.registry()).values().stream().mapToLong(Long::longValue).sum();
      if (now != last[0] || !app.reconcilerIdle()) {
        last[0] = now;
        last[1] = System.nanoTime();
        return false;
      }
      return System.nanoTime() - last[1] > 500_000_000L;
    }, "the controller to settle");
  }
}
