package io.albingress.bench;

import io.albingress.app.ControllerApp;
import io.albingress.testing.MotoElbv2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * Benchmark 2: AWS calls per change, counted from alb_aws_api_calls_total of a warm controller (its
 * inventory and AWS facts loaded by an unrelated Ingress first), against the minimum the APIs need.
 */
final class CallsBench {
  static final String NAME = "2 AWS calls per change";
  static final double GOAL = 1.2;
  private final BenchContext ctx;
  private ControllerApp app;
  private MotoElbv2 moto;
  private String ns;

  CallsBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  /** The fewest calls a change needs; {@code why} says where each comes from. */
  record Minimum(Map<String, Long> calls, String why) {
    long total() {
      return calls.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  static Minimum min(String why, Object... opCounts) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < opCounts.length; i += 2) {
      m.put((String) opCounts[i], ((Number) opCounts[i + 1]).longValue());
    }
    return new Minimum(m, why);
  }

  private List<Manifests.Path> shopPaths(boolean extra) {
    List<Manifests.Path> paths = new ArrayList<>(List.of(new Manifests.Path("/api", "Prefix", "api", 8080),
        new Manifests.Path("/login", "Exact", "web", 80)));
    if (extra) {
      // shorter than /api, longer than /: it goes between them
      paths.add(new Manifests.Path("/v2", "Prefix", "api", 8080));
    }
    paths.add(new Manifests.Path("/", "Prefix", "web", 80));
    return paths;
  }

  private String shop(boolean extraPath) {
    String cert = ctx.env.seed().getString("certificateArn");
    return Manifests.ingress(ns, "shop", List.of("alb.ingress.kubernetes.io/scheme", "internet-facing",
        "alb.ingress.kubernetes.io/listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]",
        "alb.ingress.kubernetes.io/certificate-arn", cert), shopPaths(extraPath));
  }

  private String member(String name, String prefix) {
    return Manifests.ingress(ns, name, List.of("alb.ingress.kubernetes.io/scheme", "internet-facing",
        "alb.ingress.kubernetes.io/group.name", "bench-group"), List.of(new Manifests.Path("/" + prefix + "-a", "Prefix", "api", 8080),
        new Manifests.Path("/" + prefix + "-b", "Exact", "web", 80), new Manifests.Path("/" + prefix, "Prefix", "web", 80)));
  }

  void run() throws Exception {
    ctx.resetAws();
    ns = ctx.namespace("bench-calls");
    ctx.apply(Manifests.service(ns, "web", 80) + Manifests.service(ns, "api", 8080) + Manifests.service(ns, "warm", 80));
    app = ctx.startController(ns);
    moto = ctx.moto();
    ctx.results.note(NAME, "Counts are the deltas of the controller's alb_aws_api_calls_total over each change (successes and "
        + "errors, no retries), waiting each time until the change is in moto, the reconciler is idle and no call came for "
        + "1.5 s (the status and finalizer updates that follow a change cause reconciles that must cost nothing). The "
        + "controller is warm: an unrelated Ingress was reconciled first, so the one-time listing of load balancers, target "
        + "groups and their tags and the subnet and certificate facts are not charged to a change. The minimum assumes "
        + "what this design keeps: load balancers and target groups (with their tags and health checks) are known from "
        + "that inventory; listeners, rules and listener certificates are not cached, so a change that touches them must "
        + "read them.");
    try {
      // warm-up, not counted: loads the inventory (DescribeLoadBalancers/TargetGroups + tags) and the subnet/certificate facts
      ctx.apply(Manifests.ingress(ns, "warm", List.of("alb.ingress.kubernetes.io/scheme", "internet-facing"),
          List.of(new Manifests.Path("/", "Prefix", "warm", 80))));
      settle(() -> !hostname("warm").isEmpty());

      scenario("create one Ingress (2 services, 3 paths, HTTP+HTTPS)",
          min("one create per resource: 2 target groups, 1 load balancer, 2 listeners (the certificate goes in CreateListener), "
              + "3 rules on each listener; tags go in the create calls; the inventory already says the stack has no ELBv2 resources. "
              + "Security groups (what the reference does too): the load balancer's managed group (CreateSecurityGroup) and its "
              + "listen ports (1 AuthorizeSecurityGroupIngress), and the backend group admitted on the NodePorts in the node's "
              + "group, which must be found (DescribeInstances) and read for the rules it has (DescribeSecurityGroups) before 1 "
              + "AuthorizeSecurityGroupIngress; the shared backend group exists already (the warm-up made it). Targets: one "
              + "RegisterTargets per target group (a new target group is known to be empty)",
              "CreateTargetGroup", 2, "CreateLoadBalancer", 1, "CreateListener", 2, "CreateRule", 6, "CreateSecurityGroup", 1,
              "AuthorizeSecurityGroupIngress", 2, "DescribeInstances", 1, "DescribeSecurityGroups", 1, "RegisterTargets", 2),
          () -> ctx.apply(shop(false)), () -> !hostname("shop").isEmpty() && rulesOf(ns + "/shop") == 6);

      scenario("add a path",
          min("the new rule goes between /api and / on both listeners: per listener one rule moves (ModifyRule, or SetRulePriorities) "
              + "and one is created; to find the rules and the listener's certificates a controller that keeps no listener/rule state "
              + "reads the listeners (1), the HTTPS listener's certificates (1) and each listener's rules (2)",
              "DescribeListeners", 1, "DescribeListenerCertificates", 1, "DescribeRules", 2, "ModifyRule", 2, "CreateRule", 2),
          () -> ctx.apply(shop(true)), () -> rulesOf(ns + "/shop") == 8);

      scenario("change a health check",
          min("one ModifyTargetGroup; the target group's current health check is known from the inventory",
              "ModifyTargetGroup", 1),
          () -> ctx.apply(Manifests.service(ns, "web", 80, "alb.ingress.kubernetes.io/healthcheck-path", "/healthz")),
          () -> moto.targetGroups().stream().anyMatch(tg -> "/healthz".equals(tg.healthCheckPath())));

      ctx.apply(member("one", "one"));
      settle(() -> !hostname("one").isEmpty() && rulesOf("bench-group") == 3);
      scenario("add an Ingress to an existing group",
          min("3 new rules after the first member's (priorities 4-6); the target groups are shared; reads: the listener (1) and its rules (1)",
              "DescribeListeners", 1, "DescribeRules", 1, "CreateRule", 3),
          () -> ctx.apply(member("two", "two")), () -> !hostname("two").isEmpty() && rulesOf("bench-group") == 6);

      scenario("delete",
          min("DeleteLoadBalancer takes its listeners and rules along; then the 2 target groups, then the load balancer's managed "
              + "security group; the backend rules stay (the group's members use the same Services, so their NodePorts are still needed)",
              "DeleteLoadBalancer", 1, "DeleteTargetGroup", 2, "DeleteSecurityGroup", 1),
          () -> ctx.kubectl(null, "delete", "ingress", "shop", "-n", ns, "--wait=false"),
          () -> stackLoadBalancers(ns + "/shop").isEmpty() && moto.targetGroups().size() == 3);
    } finally {
      app.stop();
      moto.close();
    }
  }

  private void scenario(String name, Minimum minimum, Runnable change, BooleanSupplier done) {
    Map<String, Long> before = BenchContext.calls(app.registry());
    change.run();
    settle(done);
    Map<String, Long> made = BenchContext.delta(BenchContext.calls(app.registry()), before);
    long total = made.values().stream().mapToLong(Long::longValue).sum();
    double ratio = (double) total / minimum.total();
    ctx.results.add(NAME, name, total + " calls / minimum " + minimum.total() + " = " + BenchResults.fmt(ratio, 2) + "x",
        "<= " + GOAL + "x", ratio <= GOAL + 1e-9);
    Map<String, Long> extra = new LinkedHashMap<>();
    made.forEach((op, n) -> {
      long d = n - minimum.calls().getOrDefault(op, 0L);
      if (d > 0) {
        extra.put(op, d);
      }
    });
    if (ratio > GOAL + 1e-9) {
      extra.forEach((op, k) -> ctx.results.note(NAME, "**" + name + " misses the goal** by " + k + " " + op
          + (op.equals("AddTags") ? ": bookkeeping, the model hash (`ingress.k8s.aws/model-hash`) written on the load balancer after "
              + "every change and, after new targets have been quiet for 5 s, the stack's targets hash (`ingress.k8s.aws/targets-hash`) "
              + "on the load balancer: the controller's own records that let a restart skip an unchanged stack and its "
              + "DescribeTargetHealth calls (benchmark 4)" : "")
          + (op.equals("DescribeTags") ? ": the adoption check after a run that created something (issue 17): a resource a "
              + "create returned is adopted only when its tags say it is this stack's" : "") + "."));
    }
    ctx.results.note(NAME, "**" + name + "**: made " + BenchContext.format(made) + ". Minimum " + minimum.total() + ": "
        + BenchContext.format(new java.util.TreeMap<>(minimum.calls())) + " — " + minimum.why() + "."
        + (extra.isEmpty() ? "" : " Above the minimum: " + BenchContext.format(extra) + "."));
    BenchContext.log("%s: %s (minimum %d)", name, BenchContext.format(made), minimum.total());
  }

  private void settle(BooleanSupplier done) {
    BenchContext.settle(app, Duration.ofSeconds(120), done);
  }

  private String hostname(String name) {
    var r = ctx.env.kubectl(null, "get", "ingress", name, "-n", ns, "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}");
    return r.exit() == 0 ? r.stdout().trim() : "";
  }

  private List<LoadBalancer> stackLoadBalancers(String stack) {
    return moto.loadBalancers().stream().filter(lb -> stack.equals(moto.tags(lb.loadBalancerArn()).get("ingress.k8s.aws/stack"))).toList();
  }

  private int rulesOf(String stack) {
    int n = 0;
    for (LoadBalancer lb : stackLoadBalancers(stack)) {
      for (var l : moto.listeners(lb.loadBalancerArn())) {
        n += moto.rules(l.listenerArn()).size();
      }
    }
    return n;
  }
}
