package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.aws.CallMetrics;
import io.albingress.testing.Controllers;
import io.albingress.testing.Meters;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import io.albingress.testing.TestEnvironment.TestNamespace;
import io.albingress.testing.WebhookRegistration;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Targets against the real apiserver, kube-controller-manager and moto: nodes in instance mode,
 * EndpointSlices (derived by the real EndpointSlice controller from Pods) in IP mode, pod readiness
 * gates through the real webhook, and no calls when nothing changes. There is no kubelet: the tests
 * write Node and Pod status as a kubelet would.
 */
@ExtendWith(TestEnvironment.class)
class TargetsIT {
  private ControllerApp app;
  private MotoElbv2 moto;
  /** Cluster-scoped changes to undo, newest first. */
  private final List<String[]> undo = new ArrayList<>();
  private Env env;

  @AfterEach
  void stop() {
    for (int i = undo.size() - 1; i >= 0; i--) {
      env.kubectl(null, undo.get(i));
    }
    env.kubectl(null, "delete", "mutatingwebhookconfiguration,validatingwebhookconfiguration", "alb-ingress-controller", "--ignore-not-found");
    if (app != null) {
      app.stop();
    }
    if (moto != null) {
      moto.close();
    }
  }

  private void start(Env env, TestNamespace ns, Duration syncPeriod) throws Exception {
    this.env = env;
    app = Controllers.start(env, ns, syncPeriod);
    moto = new MotoElbv2(env);
  }

  static String service(String ns, String type) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %s}
        spec: {type: %s, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
        """.formatted(ns, type);
  }

  static String ingress(String ns, String targetType) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: shop
          namespace: %s
          annotations:
            alb.ingress.kubernetes.io/target-type: %s
        spec:
          ingressClassName: alb
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """.formatted(ns, targetType);
  }

  /** A pod of app {@code app} on a seeded node; deleted with the test's namespace. */
  private void createPod(String ns, String name, String app) {
    kubectl("""
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "namespace": "%s", "labels": {"app": "%s"}},
         "spec": {"nodeName": "%s", "containers": [{"name": "web", "image": "example.test/web:1", "ports": [{"containerPort": 8080}]}]}}
        """.formatted(name, ns, app, instances().get(0).getString("nodeName")), "create", "-f", "-");
  }

  /** What the kubelet writes once the pod runs: its IP and whether its containers and the pod are ready. */
  private void setPodStatus(String ns, String name, String ip, boolean containersReady, boolean ready) {
    kubectl(null, "patch", "pod", name, "-n", ns, "--subresource=status", "-p", """
        {"status": {"phase": "Running", "podIP": "%s", "podIPs": [{"ip": "%s"}], "conditions": [
          {"type": "ContainersReady", "status": "%s"}, {"type": "Ready", "status": "%s"}]}}""".formatted(ip, ip,
        containersReady ? "True" : "False", ready ? "True" : "False"));
  }

  /** Ready pods web-<last octet> of app {@code app} with these IPs. */
  private void readyPods(String ns, String app, List<String> ips) {
    for (String ip : ips) {
      String name = app + "-" + ip.substring(ip.lastIndexOf('.') + 1);
      createPod(ns, name, app);
      setPodStatus(ns, name, ip, true, true);
    }
  }

  private void deletePods(String ns, String app, List<String> ips) {
    for (String ip : ips) {
      // no kubelet confirms a graceful deletion
      kubectl(null, "delete", "pod", app + "-" + ip.substring(ip.lastIndexOf('.') + 1), "-n", ns, "--force", "--grace-period=0");
    }
  }

  private void kubectl(String stdin, String... args) {
    Result r = env.kubectl(stdin, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.stderr()).isZero();
  }

  private static <T> T await(Supplier<T> value, Predicate<T> done) {
    List<T> last = new ArrayList<>(List.of());
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
      T now = value.get();
      last.add(0, now);
      return done.test(now);
    });
    return last.get(0);
  }

  /** Waits until no stack reconciliation runs or comes (status updates trigger one more), returns their count. */
  private long settled() throws InterruptedException {
    long before;
    long after = reconciles();
    do {
      before = after;
      Thread.sleep(1500);
      after = reconciles();
    } while (after != before || !app.reconcilerIdle());
    return after;
  }

  private TargetGroup targetGroup() {
    return await(() -> moto.targetGroups(), l -> l.size() == 1).get(0);
  }

  private Set<String> targets(TargetGroup tg) {
    return moto.targets(tg.targetGroupArn()).keySet();
  }

  private Set<String> awaitTargets(TargetGroup tg, Set<String> expected) {
    return await(() -> targets(tg), expected::equals);
  }

  private long calls(String operation) {
    return Meters.series(app.registry(), CallMetrics.CALLS).entrySet().stream().filter(e -> operation.equals(e.getKey().get("operation")))
        .mapToLong(Map.Entry::getValue).sum();
  }

  private long reconciles() {
    return Meters.total(app.registry(), "alb_reconciles_total");
  }

  private List<JsonObject> instances() {
    return env.seed().getJsonArray("instances").stream().map(o -> (JsonObject) o).toList();
  }

  private void setReady(String node, String status) {
    kubectl(null, "patch", "node", node, "--subresource=status", "-p",
        new JsonObject().put("status", new JsonObject().put("conditions", List.of(new JsonObject().put("type", "Ready").put("status", status)
            .put("reason", "KubeletReady").put("message", "set by TargetsIT").put("lastHeartbeatTime", now())
            .put("lastTransitionTime", now())))).encode());
  }

  private static String now() {
    return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** A Ready Node of our own; deleted after the test. */
  private void createNode(String name, String providerId) {
    kubectl("""
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "%s"}, "spec": {"providerID": "%s"}}
        """.formatted(name, providerId), "create", "-f", "-");
    undo.add(new String[] {"delete", "node", name, "--ignore-not-found"});
    setReady(name, "True");
  }

  @Test
  void instanceModeRegistersNodesOnTheNodePortAndFollowsThem(Env env, TestNamespace ns) throws Exception {
    start(env, ns, Duration.ofHours(1));
    kubectl(service(ns.name(), "NodePort"), "apply", "-f", "-");
    kubectl(ingress(ns.name(), "instance"), "apply", "-f", "-");
    String nodePort = env.kubectl(null, "get", "service", "web", "-n", ns.name(), "-o", "jsonpath={.spec.ports[0].nodePort}").stdout().trim();
    List<JsonObject> seeded = instances();
    Set<String> all = seeded.stream().map(i -> i.getString("id") + ":" + nodePort).collect(Collectors.toSet());
    TargetGroup tg = targetGroup();
    assertThat(tg.targetTypeAsString()).isEqualTo("instance");
    assertThat(tg.port()).isEqualTo(Integer.parseInt(nodePort));
    awaitTargets(tg, all);
    long reconciles = settled();

    // a NotReady node stays registered (KEP-3458); a node the autoscaler is removing is deregistered:
    // one DeregisterTargets, nothing else
    String first = seeded.get(0).getString("nodeName");
    String second = seeded.get(1).getString("nodeName");
    String secondTarget = seeded.get(1).getString("id") + ":" + nodePort;
    undo.add(new String[] {"patch", "node", first, "--subresource=status", "-p",
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}]}}"});
    undo.add(new String[] {"taint", "node", second, "ToBeDeletedByClusterAutoscaler-"});
    long deregisters = calls("DeregisterTargets");
    long registers = calls("RegisterTargets");
    setReady(first, "False");
    kubectl(null, "taint", "node", second, "ToBeDeletedByClusterAutoscaler=1700000000:NoSchedule");
    Set<String> withoutSecond = all.stream().filter(t -> !t.equals(secondTarget)).collect(Collectors.toSet());
    awaitTargets(tg, withoutSecond);
    assertThat(calls("DeregisterTargets")).isEqualTo(deregisters + 1);
    assertThat(calls("RegisterTargets")).isEqualTo(registers);

    // a new node (our own Node object for the same instance) registers it again: one RegisterTargets
    createNode("extra-" + ns.name(), "aws:///" + seeded.get(1).getString("az") + "/" + seeded.get(1).getString("id"));
    awaitTargets(tg, all);
    assertThat(calls("RegisterTargets")).isEqualTo(registers + 1);

    // the exclude label deregisters
    String third = seeded.get(2).getString("nodeName");
    String thirdTarget = seeded.get(2).getString("id") + ":" + nodePort;
    undo.add(new String[] {"label", "node", third, "node.kubernetes.io/exclude-from-external-load-balancers-"});
    kubectl(null, "label", "node", third, "node.kubernetes.io/exclude-from-external-load-balancers=true");
    awaitTargets(tg, all.stream().filter(t -> !t.equals(thirdTarget)).collect(Collectors.toSet()));
    kubectl(null, "label", "node", third, "node.kubernetes.io/exclude-from-external-load-balancers-");
    awaitTargets(tg, all);

    // a node without an instance ID is left out, with an Event saying so
    String odd = "odd-" + ns.name();
    createNode(odd, "kind://docker/kind/" + odd);
    await(() -> env.kubectl(null, "get", "events", "-n", "default", "--field-selector", "reason=NodeNotRegistered,involvedObject.name=" + odd,
        "-o", "jsonpath={.items[*].message}").stdout(), m -> m.contains("names no EC2 instance"));
    assertThat(targets(tg)).isEqualTo(all);

    // node changes never rebuild the stack
    assertThat(reconciles()).isEqualTo(reconciles);
  }

  @Test
  void ipModeRegistersEndpointSliceAddressesAndExactlyTheDifferenceWhenScaled(Env env, TestNamespace ns) throws Exception {
    start(env, ns, Duration.ofHours(1));
    kubectl(service(ns.name(), "ClusterIP"), "apply", "-f", "-");
    kubectl(ingress(ns.name(), "ip"), "apply", "-f", "-");
    readyPods(ns.name(), "web", List.of("10.0.11.21", "10.0.11.22"));
    TargetGroup tg = targetGroup();
    assertThat(tg.targetTypeAsString()).isEqualTo("ip");
    awaitTargets(tg, Set.of("10.0.11.21:8080", "10.0.11.22:8080"));
    long reconciles = settled();
    long registers = calls("RegisterTargets");
    long deregisters = calls("DeregisterTargets");

    // the slice controller may publish the new pods one at a time: registrations only, no deregistration
    readyPods(ns.name(), "web", List.of("10.0.11.23", "10.0.11.24"));
    awaitTargets(tg, Set.of("10.0.11.21:8080", "10.0.11.22:8080", "10.0.11.23:8080", "10.0.11.24:8080"));
    assertThat(calls("RegisterTargets")).isBetween(registers + 1, registers + 2);
    assertThat(calls("DeregisterTargets")).isEqualTo(deregisters);
    long registered = calls("RegisterTargets");

    deletePods(ns.name(), "web", List.of("10.0.11.21", "10.0.11.22", "10.0.11.23"));
    awaitTargets(tg, Set.of("10.0.11.24:8080"));
    assertThat(calls("RegisterTargets")).isEqualTo(registered);
    assertThat(calls("DeregisterTargets")).isBetween(deregisters + 1, deregisters + 3);
    assertThat(reconciles()).isEqualTo(reconciles);
  }

  @Test
  void aPodBehindAnIpTargetGroupGetsAReadinessGateThatOpensWhenItsTargetIsHealthy(Env env, TestNamespace ns) throws Exception {
    start(env, ns, Duration.ofHours(1));
    kubectl(WebhookRegistration.manifests(env.repo(), app.webhookPort(), app.webhookCertDir().resolve("tls.crt")), "apply", "-f", "-");
    kubectl(null, "label", "namespace", ns.name(), "elbv2.k8s.aws/pod-readiness-gate-inject=enabled");
    kubectl(service(ns.name(), "ClusterIP"), "apply", "-f", "-");
    kubectl(ingress(ns.name(), "ip"), "apply", "-f", "-");
    TargetGroup tg = targetGroup();
    await(() -> env.kubectl(null, "get", "ingress", "shop", "-n", ns.name(), "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}")
        .stdout(), h -> !h.isBlank());
    String gate = "target-health.elbv2.k8s.aws/" + tg.targetGroupName();

    createPod(ns.name(), "web-1", "web");
    undo.add(new String[] {"delete", "pod", "web-1", "-n", ns.name(), "--force", "--grace-period=0", "--ignore-not-found"});
    assertThat(env.kubectl(null, "get", "pod", "web-1", "-n", ns.name(), "-o", "jsonpath={.spec.readinessGates[*].conditionType}").stdout())
        .isEqualTo(gate);

    // what the kubelet would do: an IP, containers ready, the pod not Ready (its gate is closed); the
    // real EndpointSlice controller then publishes the endpoint as ready: false, serving: false
    kubectl(null, "patch", "pod", "web-1", "-n", ns.name(), "--subresource=status", "-p", """
        {"status": {"phase": "Running", "podIP": "10.0.11.31", "podIPs": [{"ip": "10.0.11.31"}], "conditions": [
          {"type": "ContainersReady", "status": "True"}, {"type": "Ready", "status": "False", "reason": "ReadinessGatesNotReady"}]}}""");
    await(() -> sliceConditions(ns.name()), "10.0.11.31 ready=false serving=false"::equals);

    awaitTargets(tg, Set.of("10.0.11.31:8080"));
    String condition = await(() -> env.kubectl(null, "get", "pod", "web-1", "-n", ns.name(), "-o",
        "jsonpath={.status.conditions[?(@.type==\"" + gate + "\")].status}").stdout().trim(), "True"::equals);
    assertThat(condition).isEqualTo("True");
    // the kubelet's conditions stay
    assertThat(env.kubectl(null, "get", "pod", "web-1", "-n", ns.name(), "-o", "jsonpath={.status.conditions[*].type}").stdout())
        .contains("ContainersReady", "Ready", gate);

    // the gate is open: the kubelet marks the pod Ready, and the slice controller the endpoint
    kubectl(null, "patch", "pod", "web-1", "-n", ns.name(), "--subresource=status", "-p",
        "{\"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"True\"}]}}");
    await(() -> sliceConditions(ns.name()), "10.0.11.31 ready=true serving=true"::equals);
    assertThat(targets(tg)).containsExactly("10.0.11.31:8080");
  }

  @Test
  void aReplicaThatDoesNotLeadInjectsTheSameGatesFromItsCaches(Env env, TestNamespace ns) throws Exception {
    this.env = env;
    moto = new MotoElbv2(env);
    // someone else holds the lease for an hour: this replica never leads, never reconciles
    kubectl("""
        {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "alb-ingress-controller-leader", "namespace": "default"},
         "spec": {"holderIdentity": "someone-else", "leaseDurationSeconds": 3600, "renewTime": "%s", "acquireTime": "%s"}}
        """.formatted(microNow(), microNow()), "apply", "-f", "-");
    undo.add(new String[] {"delete", "lease", "alb-ingress-controller-leader", "-n", "default", "--ignore-not-found"});
    app = Controllers.startElecting(env, ns);
    kubectl(WebhookRegistration.manifests(env.repo(), app.webhookPort(), app.webhookCertDir().resolve("tls.crt")), "apply", "-f", "-");
    kubectl(null, "label", "namespace", ns.name(), "elbv2.k8s.aws/pod-readiness-gate-inject=enabled");
    kubectl(service(ns.name(), "ClusterIP"), "apply", "-f", "-");
    kubectl(ingress(ns.name(), "ip"), "apply", "-f", "-");
    // the name plan computes for the target group, from the same objects
    String expected = await(() -> planTargetGroup(ns.name()), name -> !name.isEmpty());
    // the informer must have seen the Ingress: retry the pod until the gate shows (a pod without one is deleted again)
    String gates = await(() -> {
      env.kubectl(null, "delete", "pod", "web-1", "-n", ns.name(), "--force", "--grace-period=0", "--ignore-not-found");
      createPod(ns.name(), "web-1", "web");
      return env.kubectl(null, "get", "pod", "web-1", "-n", ns.name(), "-o", "jsonpath={.spec.readinessGates[*].conditionType}").stdout();
    }, g -> !g.isEmpty());
    assertThat(gates).isEqualTo("target-health.elbv2.k8s.aws/" + expected);
    assertThat(moto.loadBalancers()).as("the follower made nothing").isEmpty();
  }

  @Test
  void aGateWhoseIngressWasDeletedIsOpenedSoThePodDoesNotHang(Env env, TestNamespace ns) throws Exception {
    start(env, ns, Duration.ofHours(1));
    kubectl(WebhookRegistration.manifests(env.repo(), app.webhookPort(), app.webhookCertDir().resolve("tls.crt")), "apply", "-f", "-");
    kubectl(null, "label", "namespace", ns.name(), "elbv2.k8s.aws/pod-readiness-gate-inject=enabled");
    kubectl(service(ns.name(), "ClusterIP"), "apply", "-f", "-");
    kubectl(ingress(ns.name(), "ip"), "apply", "-f", "-");
    TargetGroup tg = targetGroup();
    await(() -> env.kubectl(null, "get", "ingress", "shop", "-n", ns.name(), "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}")
        .stdout(), h -> !h.isBlank());
    String gate = "target-health.elbv2.k8s.aws/" + tg.targetGroupName();
    createPod(ns.name(), "web-1", "web");
    assertThat(env.kubectl(null, "get", "pod", "web-1", "-n", ns.name(), "-o", "jsonpath={.spec.readinessGates[*].conditionType}").stdout())
        .isEqualTo(gate);
    // still starting: its containers are not ready, so it is not registered and its gate stays closed
    setPodStatus(ns.name(), "web-1", "10.0.11.41", false, false);

    kubectl(null, "delete", "ingress", "shop", "-n", ns.name(), "--wait=false");
    String condition = await(() -> env.kubectl(null, "get", "pod", "web-1", "-n", ns.name(), "-o",
        "jsonpath={.status.conditions[?(@.type==\"" + gate + "\")].status}/{.status.conditions[?(@.type==\"" + gate + "\")].reason}")
        .stdout().trim(), "True/TargetGroupRemoved"::equals);
    assertThat(condition).isEqualTo("True/TargetGroupRemoved");
  }

  private String planTargetGroup(String ns) {
    try {
      String yaml = env.kubectl(null, "get", "ingress,service", "-n", ns, "-o", "yaml").stdout()
          + "\n---\n" + env.kubectl(null, "get", "ingressclass", "alb", "-o", "yaml").stdout();
      var manifests = new io.albingress.plan.Manifests(new io.fabric8.kubernetes.client.utils.KubernetesSerialization())
          .read("-", new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return new io.albingress.plan.Planner(env.clusterName(), "alb", env.region(), manifests).plan().stacks().stream()
          .flatMap(st -> st.targetGroups().stream()).map(t -> t.name()).findFirst().orElse("");
    } catch (Exception e) {
      return "";
    }
  }

  private static String microNow() {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.now());
  }

  /** The endpoints of Service web's slices, as "ip ready=.. serving=..". */
  private String sliceConditions(String ns) {
    return env.kubectl(null, "get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=web", "-o",
        "jsonpath={range .items[*].endpoints[*]}{.addresses[0]} ready={.conditions.ready} serving={.conditions.serving}{end}").stdout().trim();
  }

  @Test
  void anUnchangedClusterMakesNoTargetCallsOverResyncs(Env env, TestNamespace ns) throws Exception {
    start(env, ns, Duration.ofSeconds(2));
    kubectl(service(ns.name(), "NodePort"), "apply", "-f", "-");
    kubectl(ingress(ns.name(), "instance"), "apply", "-f", "-");
    kubectl(service(ns.name(), "NodePort").replace("name: web", "name: api").replace("app: web", "app: api"), "apply", "-f", "-");
    kubectl(ingress(ns.name(), "ip").replace("name: shop", "name: api").replace("name: web", "name: api"), "apply", "-f", "-");
    readyPods(ns.name(), "api", List.of("10.0.11.21", "10.0.11.22"));
    List<TargetGroup> tgs = await(() -> moto.targetGroups(), l -> l.size() == 2);
    for (TargetGroup tg : tgs) {
      await(() -> targets(tg), t -> t.size() == ("ip".equals(tg.targetTypeAsString()) ? 2 : 3));
    }
    await(() -> app.reconcilerIdle(), idle -> idle);
    long registers = calls("RegisterTargets");
    long deregisters = calls("DeregisterTargets");
    long describes = calls("DescribeTargetHealth");
    long reconciles = reconciles();

    // several sync periods: informer resyncs and the stacks' periodic deep checks
    await(() -> reconciles(), n -> n >= reconciles + 4);
    Thread.sleep(3000);
    assertThat(calls("RegisterTargets")).isEqualTo(registers);
    assertThat(calls("DeregisterTargets")).isEqualTo(deregisters);
    assertThat(calls("DescribeTargetHealth")).isEqualTo(describes);
  }
}
