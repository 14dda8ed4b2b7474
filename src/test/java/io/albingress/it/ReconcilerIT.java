package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.aws.CallMetrics;
import io.albingress.testing.Meters;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/** The reconciler against the real apiserver and moto: create, modify, groups, delete, restart, ownership. */
@ExtendWith(TestEnvironment.class)
class ReconcilerIT {
  private StartedController started;
  private MotoElbv2 moto;

  @BeforeEach
  void start(Env env, TestNamespace ns) throws Exception {
    started = StartedController.start(env, ns);
    moto = started.moto();
  }

  @AfterEach
  void stop() {
    if (started != null) {
      started.close();
    }
  }

  static String services(String ns) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %1$s}
        spec: {type: NodePort, selector: {app: web}, ports: [{name: http, port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: %1$s}
        spec: {type: NodePort, selector: {app: api}, ports: [{name: http, port: 8080}]}
        """.formatted(ns);
  }

  static String shop(String ns, String name, String group, String certificate, String apiPath) {
    StringBuilder annotations = new StringBuilder("    alb.ingress.kubernetes.io/scheme: internet-facing\n");
    if (!group.isEmpty()) {
      annotations.append("    alb.ingress.kubernetes.io/group.name: ").append(group).append('\n');
    }
    if (!certificate.isEmpty()) {
      annotations.append("    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]'\n");
      annotations.append("    alb.ingress.kubernetes.io/certificate-arn: ").append(certificate).append('\n');
    }
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: %s
          annotations:
        %s
        spec:
          ingressClassName: alb
          rules:
            - http:
                paths:
                  - {path: %s, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
                  - {path: /login, pathType: Exact, backend: {service: {name: web, port: {name: http}}}}
                  - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """.formatted(name, ns, annotations.toString().stripTrailing(), apiPath);
  }

  private static void apply(Env env, String manifest) {
    Result r = env.kubectl(manifest, "apply", "-f", "-");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }

  private static String hostname(Env env, String ns, String name) {
    Result r = env.kubectl(null, "get", "ingress", name, "-n", ns, "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}");
    return r.exit() == 0 ? r.stdout().trim() : "";
  }

  private <T> T await(Supplier<T> value, java.util.function.Predicate<T> done) {
    Object[] last = new Object[1];
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      last[0] = value.get();
      @SuppressWarnings("unchecked")
      T seen = (T) last[0];
      // test the value returned, not a second reading that may differ
      return done.test(seen);
    });
    @SuppressWarnings("unchecked")
    T t = (T) last[0];
    return t;
  }

  private List<LoadBalancer> ours(Env env) {
    return moto.loadBalancers().stream().filter(lb -> env.clusterName().equals(moto.tags(lb.loadBalancerArn()).get("elbv2.k8s.aws/cluster"))).toList();
  }

  private long mutatingCalls() {
    return Meters.series(started.app().registry(), CallMetrics.CALLS).entrySet().stream()
        .filter(e -> !e.getKey().get("operation").startsWith("Describe") && !e.getKey().get("operation").startsWith("List"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  @Test
  void createsModifiesAndDeletesTheAlbOfAnIngress(Env env, TestNamespace ns) {
    String certificate = env.seed().getString("certificateArn");
    apply(env, services(ns.name()));
    apply(env, shop(ns.name(), "shop", "", certificate, "/api"));
    String dns = await(() -> hostname(env, ns.name(), "shop"), h -> !h.isEmpty());

    List<LoadBalancer> lbs = ours(env);
    assertThat(lbs).hasSize(1);
    LoadBalancer lb = lbs.get(0);
    assertThat(lb.dnsName()).isEqualTo(dns);
    assertThat(lb.loadBalancerName()).matches("k8s-itcreate-shop-[0-9a-f]{10}");
    assertThat(moto.tags(lb.loadBalancerArn())).containsEntry("elbv2.k8s.aws/cluster", env.clusterName())
        .containsEntry("ingress.k8s.aws/stack", ns.name() + "/shop").containsEntry("ingress.k8s.aws/resource", "LoadBalancer")
        .containsEntry("owner", "it");
    assertThat(moto.targetGroups()).hasSize(2);
    var listeners = moto.listeners(lb.loadBalancerArn());
    assertThat(listeners).extracting(l -> l.port()).containsExactlyInAnyOrder(80, 443);
    for (var l : listeners) {
      List<Rule> rules = moto.rules(l.listenerArn());
      assertThat(rules).extracting(Rule::priority).containsExactlyInAnyOrder("1", "2", "3");
    }
    var https = listeners.stream().filter(l -> l.port() == 443).findFirst().orElseThrow();
    assertThat(https.certificates()).extracting(c -> c.certificateArn()).containsExactly(certificate);
    assertThat(env.kubectl(null, "get", "events", "-n", ns.name(), "--field-selector", "reason=SuccessfullyReconciled").stdout()).contains("shop");
    assertThat(env.kubectl(null, "get", "ingress", "shop", "-n", ns.name(), "-o", "jsonpath={.metadata.finalizers}").stdout())
        .contains("ingress.k8s.aws/resources");

    // modify one path: only that rule changes; ALB, target groups and listeners keep their ARNs
    List<String> tgArns = moto.targetGroups().stream().map(t -> t.targetGroupArn()).sorted().toList();
    List<String> listenerArns = listeners.stream().map(l -> l.listenerArn()).sorted().toList();
    // rules are ordered Exact first, then longer prefixes: 1 = /login, 2 = /api, 3 = /
    Rule loginBefore = moto.rules(https.listenerArn()).stream().filter(r -> r.priority().equals("1")).findFirst().orElseThrow();
    apply(env, shop(ns.name(), "shop", "", certificate, "/v2"));
    await(() -> moto.rules(https.listenerArn()).stream().filter(r -> r.priority().equals("2")).findFirst().orElseThrow()
        .conditions().get(0).pathPatternConfig().values(), v -> v.contains("/v2"));
    assertThat(ours(env)).extracting(LoadBalancer::loadBalancerArn).containsExactly(lb.loadBalancerArn());
    assertThat(moto.targetGroups().stream().map(t -> t.targetGroupArn()).sorted().toList()).isEqualTo(tgArns);
    assertThat(moto.listeners(lb.loadBalancerArn()).stream().map(l -> l.listenerArn()).sorted().toList()).isEqualTo(listenerArns);
    assertThat(moto.rules(https.listenerArn()).stream().filter(r -> r.priority().equals("1")).findFirst().orElseThrow())
        .isEqualTo(loginBefore);

    // delete: AWS resources go first, then the finalizer, then the object
    assertThat(env.kubectl(null, "delete", "ingress", "shop", "-n", ns.name(), "--wait=false").exit()).isZero();
    await(() -> env.kubectl(null, "get", "ingress", "shop", "-n", ns.name()).exit(), code -> code != 0);
    assertThat(ours(env)).isEmpty();
    assertThat(moto.targetGroups()).isEmpty();
  }

  @Test
  void ingressesOfAGroupShareOneAlb(Env env, TestNamespace ns) {
    apply(env, services(ns.name()));
    String group = ns.name().substring(0, Math.min(20, ns.name().length())).replaceAll("-$", "");
    apply(env, shop(ns.name(), "one", group, "", "/one"));
    apply(env, shop(ns.name(), "two", group, "", "/two"));
    await(() -> hostname(env, ns.name(), "one") + "|" + hostname(env, ns.name(), "two"), h -> !h.startsWith("|") && !h.endsWith("|"));
    await(() -> ours(env).size() == 1 ? moto.rules(moto.listeners(ours(env).get(0).loadBalancerArn()).get(0).listenerArn()).size() : 0,
        n -> n == 6);
    assertThat(hostname(env, ns.name(), "one")).isEqualTo(hostname(env, ns.name(), "two"));
    assertThat(moto.targetGroups()).hasSize(2);

    assertThat(env.kubectl(null, "delete", "ingress", "one", "-n", ns.name(), "--wait=false").exit()).isZero();
    String listener = moto.listeners(ours(env).get(0).loadBalancerArn()).get(0).listenerArn();
    await(() -> moto.rules(listener).size(), n -> n == 3);
    assertThat(moto.rules(listener)).allSatisfy(r -> assertThat(r.conditions().toString()).doesNotContain("/one"));
    assertThat(ours(env)).hasSize(1);

    assertThat(env.kubectl(null, "delete", "ingress", "two", "-n", ns.name(), "--wait=false").exit()).isZero();
    await(() -> ours(env).size() + moto.targetGroups().size(), n -> n == 0);
  }

  @Test
  void aRestartAgainstAnUnchangedClusterMakesNoMutatingCall(Env env, TestNamespace ns) throws Exception {
    apply(env, services(ns.name()));
    apply(env, shop(ns.name(), "shop", "", env.seed().getString("certificateArn"), "/api"));
    await(() -> hostname(env, ns.name(), "shop"), h -> !h.isEmpty());
    // converged means the targets too: the status is written before the target sync has finished
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(started.app()::reconcilerIdle);

    ControllerApp app = started.restart();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Meters.count(app.registry(), "alb_reconciles_total", "result", "success") >= 1
        && app.reconcilerIdle());
    assertThat(mutatingCalls()).isZero();
    var reads = assertThat(Meters.series(app.registry(), CallMetrics.CALLS).keySet()).extracting(k -> k.get("operation"));
    reads.contains("DescribeLoadBalancers", "DescribeTags", "DescribeSubnets", "ListCertificates", "DescribeCertificate",
        "DescribeTargetGroups");
    // a target group's targets are read after a start only when its targets-hash tag is missing (written 5 s after
    // its targets settle: the first controller may have stopped before) or stale
    reads.isSubsetOf("DescribeLoadBalancers", "DescribeTags", "DescribeSubnets", "ListCertificates", "DescribeCertificate",
        "DescribeTargetGroups", "DescribeTargetHealth");
  }

  @Test
  void neverTouchesAForeignLoadBalancerWithOurName(Env env, TestNamespace ns) {
    apply(env, services(ns.name()));
    apply(env, shop(ns.name(), "shop", "", "", "/api"));
    String name = await(() -> ours(env), l -> l.size() == 1).get(0).loadBalancerName();
    List<String> subnets = env.seed().getJsonArray("subnets").stream().map(s -> ((io.vertx.core.json.JsonObject) s))
        .filter(s -> s.getString("role").equals("public")).map(s -> s.getString("id")).toList();
    String foreign = moto.client().createLoadBalancer(b -> b.name(name).subnets(subnets)).join().loadBalancers().get(0).loadBalancerArn();

    assertThat(env.kubectl(null, "delete", "ingress", "shop", "-n", ns.name(), "--wait=false").exit()).isZero();
    await(() -> ours(env).size(), n -> n == 0);
    assertThat(moto.loadBalancers()).extracting(LoadBalancer::loadBalancerArn).containsExactly(foreign);
  }

  @Test
  void aDeployFailureIsReportedAndOtherStacksKeepReconciling(Env env, TestNamespace ns) {
    String certificate = env.seed().getString("certificateArn");
    apply(env, services(ns.name()));
    apply(env, shop(ns.name(), "first", "", certificate, "/api"));
    await(() -> hostname(env, ns.name(), "first"), h -> !h.isEmpty());
    // the certificate disappears after the controller cached it: only AWS can tell now
    moto.deleteCertificate(certificate);
    apply(env, shop(ns.name(), "second", "", certificate, "/api"));
    apply(env, shop(ns.name(), "third", "", "", "/api"));
    await(() -> env.kubectl(null, "get", "events", "-n", ns.name(), "--field-selector", "reason=FailedDeployModel",
        "-o", "jsonpath={.items[*].message}").stdout(), m -> m.contains("Failed deploy model due to"));
    await(() -> hostname(env, ns.name(), "third"), h -> !h.isEmpty());
    assertThat(hostname(env, ns.name(), "second")).isEmpty();
  }

  private static String forwardByName(String ns, String name, String action) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: %s
          annotations:
            alb.ingress.kubernetes.io/scheme: internet-facing
            alb.ingress.kubernetes.io/actions.legacy: '%s'
        spec:
          ingressClassName: alb
          rules:
            - http:
                paths:
                  - {path: /legacy, pathType: Prefix, backend: {service: {name: legacy, port: {name: use-annotation}}}}
                  - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """.formatted(name, ns, action);
  }

  @Test
  void aForwardByTargetGroupNameUsesItsArnAndAMissingNameIsReported(Env env, TestNamespace ns) {
    apply(env, services(ns.name()));
    String tgName = ("legacy-" + ns.name()).substring(0, Math.min(32, ("legacy-" + ns.name()).length())).replaceAll("-$", "");
    String legacy = moto.client().createTargetGroup(b -> b.name(tgName).protocol("HTTP").port(80).vpcId(env.vpcId()).targetType("ip"))
        .join().targetGroups().get(0).targetGroupArn();
    apply(env, forwardByName(ns.name(), "legacy", "{\"type\": \"forward\", \"targetGroupName\": \"" + tgName + "\"}"));
    String lb = await(() -> ours(env), l -> l.size() == 1).get(0).loadBalancerArn();
    String listener = await(() -> moto.listeners(lb), l -> l.size() == 1).get(0).listenerArn();
    await(() -> moto.rules(listener), rules -> rules.stream().anyMatch(r -> r.actions().stream()
        .anyMatch(a -> legacy.equals(a.targetGroupArn()) || a.forwardConfig() != null
            && a.forwardConfig().targetGroups().stream().anyMatch(t -> legacy.equals(t.targetGroupArn())))));

    // one name of two is missing: AWS fails the whole call, the message names only the missing one
    apply(env, forwardByName(ns.name(), "missing", "{\"type\": \"forward\", \"forwardConfig\": {\"targetGroups\": [{\"targetGroupName\": \""
        + tgName + "\", \"weight\": 1}, {\"targetGroupName\": \"no-such-tg\", \"weight\": 1}]}}"));
    await(() -> env.kubectl(null, "get", "events", "-n", ns.name(), "--field-selector", "reason=FailedDeployModel",
        "-o", "jsonpath={.items[*].message}").stdout(), m -> m.contains("target group no-such-tg, which does not exist"));
  }
}
