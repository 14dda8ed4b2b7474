package io.albingress.bench;

import io.albingress.testing.TestEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code hack/bench [all|webhook|calls|scale|restart|memory|latency|throttle|churn|routes]... [--smoke] [--out FILE]}: runs the
 * benchmarks on the local test environment and writes bench/RESULTS.md (smoke mode:
 * target/bench/RESULTS-smoke.md unless --out is given).
 */
public final class Bench {
  static final List<String> ALL = List.of("webhook", "calls", "scale", "restart", "memory", "latency", "throttle", "churn", "routes");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    TestEnvironment.Env env = TestEnvironment.standalone();
    int code;
    try {
      code = run(env, args).isEmpty() ? 1 : 0;
    } finally {
      env.close();
    }
    System.exit(code);
  }

  /** Runs what args ask for and returns the rows written (empty on a usage error). */
  public static List<BenchResults.Row> run(TestEnvironment.Env env, String... args) throws Exception {
    boolean smoke = false;
    Path out = null;
    Set<String> which = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> smoke = true;
        case "--out" -> out = Path.of(args[++i]);
        case "all" -> which.addAll(ALL);
        default -> {
          if (!ALL.contains(args[i])) {
            System.err.println("usage: hack/bench [all|" + String.join("|", ALL) + "]... [--smoke] [--out FILE]");
            return List.of();
          }
          which.add(args[i]);
        }
      }
    }
    if (which.isEmpty()) {
      which.addAll(ALL);
    }
    if (out == null) {
      out = env.repo().resolve(smoke ? "target/bench/RESULTS-smoke.md" : "bench/RESULTS.md");
    }
    BenchResults results = new BenchResults();
    BenchContext ctx = new BenchContext(env, results, smoke);
    List<String> failures = new ArrayList<>();
    ctx.deleteBenchNamespaces();
    // restart and memory need converged stacks: scale leaves them, or they make their own
    ScaleBench.Converged converged = null;
    for (String name : ALL) {
      if (!which.contains(name)) {
        continue;
      }
      BenchContext.log("=== %s%s", name, smoke ? " (smoke)" : "");
      try {
        switch (name) {
          case "webhook" -> new WebhookBench(ctx).run();
          case "calls" -> new CallsBench(ctx).run();
          case "scale" -> converged = new ScaleBench(ctx).run();
          case "restart", "memory" -> {
            if (converged == null) {
              converged = new ScaleBench(ctx).converge();
            }
            new RestartBench(ctx, converged).run(name.equals("restart"), name.equals("memory"));
          }
          case "latency" -> new LatencyBench(ctx).run();
          case "throttle" -> new ThrottleBench(ctx).run();
          case "churn" -> new ChurnBench(ctx).run();
          case "routes" -> new RoutesBench(ctx).run();
          default -> throw new IllegalStateException(name);
        }
      } catch (Exception | AssertionError e) {
        BenchContext.log("%s failed: %s", name, e);
        e.printStackTrace(System.out);
        failures.add(name);
        results.add(name, "run", "failed: " + String.valueOf(e.getMessage()).replace('|', '/').replace('\n', ' '), "", false);
      }
    }
    ctx.deleteBenchNamespaces();
    StringBuilder command = new StringBuilder("hack/bench");
    for (String a : args) {
      command.append(' ').append(a);
    }
    results.write(out, command.toString(), smoke);
    BenchContext.log("wrote %s", out);
    System.out.print(results.table());
    if (!failures.isEmpty()) {
      throw new IllegalStateException("benchmarks failed to run: " + failures);
    }
    return results.rows();
  }
}
