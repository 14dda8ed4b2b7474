package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
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
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Gateway API on kube-apiserver, kube-controller-manager and moto: a pod of an IP-mode Service behind an
 * HTTPRoute gets the readiness gate of its target group at creation (the real webhook) and the gate opens
 * once its target is registered and healthy; a GatewayClass of ours is Accepted (or InvalidParameters)
 * before any Gateway uses it, written by the leader only. There is no kubelet: the tests write Pod status
 * as a kubelet would.
 */
@ExtendWith(TestEnvironment.class)
class GatewayReadinessGatesIT {
  private ControllerApp app;
  private MotoElbv2 moto;
  private Env env;
  /** Cluster-scoped changes to undo, newest first. */
  private final List<String[]> undo = new ArrayList<>();

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

  @Test
  void aPodOfAnIpServiceBehindAnHttpRouteGetsTheGateAndBecomesReadyOnceHealthy(Env env, TestNamespace ns) throws Exception {
    this.env = env;
    String n = ns.name();
    String cls = "alb-gates-" + n;
    app = Controllers.start(env, ns);
    moto = new MotoElbv2(env);
    kubectl(WebhookRegistration.manifests(env.repo(), app.webhookPort(), app.webhookCertDir().resolve("tls.crt")), "apply", "-f", "-");
    kubectl(null, "label", "namespace", n, "elbv2.k8s.aws/pod-readiness-gate-inject=enabled");
    gatewayClass(cls, "");
    kubectl("""
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: %1$s
          annotations: {alb.ingress.kubernetes.io/target-type: ip}
        spec: {type: ClusterIP, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: %1$s}
        spec:
          gatewayClassName: %2$s
          listeners: [{name: http, port: 80, protocol: HTTP}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop, namespace: %1$s}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{name: web, port: 80}]
        """.formatted(n, cls), "apply", "-f", "-");
    TargetGroup tg = await(() -> moto.targetGroups().stream()
        .filter(t -> (n + "/gw").equals(moto.tags(t.targetGroupArn()).get("gateway.k8s.aws.alb/stack"))).toList(), l -> l.size() == 1).get(0);
    assertThat(tg.targetTypeAsString()).isEqualTo("ip");
    String gate = "target-health.elbv2.k8s.aws/" + tg.targetGroupName();

    createPod(n, "web-1");
    assertThat(env.kubectl(null, "get", "pod", "web-1", "-n", n, "-o", "jsonpath={.spec.readinessGates[*].conditionType}").stdout())
        .isEqualTo(gate);
    // the kubelet: an IP, containers ready, the pod not Ready (its gate is closed); the EndpointSlice
    // controller then publishes the endpoint as ready: false, serving: false
    kubectl(null, "patch", "pod", "web-1", "-n", n, "--subresource=status", "-p", """
        {"status": {"phase": "Running", "podIP": "10.0.11.41", "podIPs": [{"ip": "10.0.11.41"}], "conditions": [
          {"type": "ContainersReady", "status": "True"}, {"type": "Ready", "status": "False", "reason": "ReadinessGatesNotReady"}]}}""");
    await(() -> moto.targets(tg.targetGroupArn()).keySet(), java.util.Set.of("10.0.11.41:8080")::equals);
    String condition = await(() -> env.kubectl(null, "get", "pod", "web-1", "-n", n, "-o",
        "jsonpath={.status.conditions[?(@.type==\"" + gate + "\")].status}").stdout().trim(), "True"::equals);
    assertThat(condition).isEqualTo("True");

    // a pod of a Service no route uses gets no gate
    kubectl("""
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "other", "namespace": "%s", "labels": {"app": "other"}},
         "spec": {"nodeName": "%s", "containers": [{"name": "web", "image": "example.test/web:1"}]}}
        """.formatted(n, nodeName()), "create", "-f", "-");
    assertThat(env.kubectl(null, "get", "pod", "other", "-n", n, "-o", "jsonpath={.spec.readinessGates}").stdout()).isBlank();
  }

  @Test
  void aGatewayClassOfOursIsAcceptedBeforeAnyGatewayUsesItAndOnlyByTheLeader(Env env, TestNamespace ns) throws Exception {
    this.env = env;
    String n = ns.name();
    String good = "alb-ok-" + n;
    String bad = "alb-bad-" + n;
    // someone else holds the lease: this replica does not lead, so it writes no status
    kubectl("""
        {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "alb-ingress-controller-leader", "namespace": "default"},
         "spec": {"holderIdentity": "someone-else", "leaseDurationSeconds": 3600, "renewTime": "%s", "acquireTime": "%s"}}
        """.formatted(microNow(), microNow()), "apply", "-f", "-");
    undo.add(new String[] {"delete", "lease", "alb-ingress-controller-leader", "-n", "default", "--ignore-not-found"});
    app = Controllers.startElecting(env, ns);
    gatewayClass(good, "");
    gatewayClass(bad, "parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, namespace: " + n + ", name: missing}\n");
    Thread.sleep(4000);
    // the CRD's default status (Accepted Unknown, Pending) stays: a follower writes none
    assertThat(classCondition(good, "status")).as("a follower writes no status").isEqualTo("Unknown");
    assertThat(classCondition(good, "reason")).isEqualTo("Pending");

    // the lease is free: this replica leads and writes both classes' status, no Gateway needed
    kubectl(null, "delete", "lease", "alb-ingress-controller-leader", "-n", "default");
    assertThat(await(() -> classCondition(good, "status"), "True"::equals)).isEqualTo("True");
    assertThat(await(() -> classCondition(bad, "reason"), "InvalidParameters"::equals)).isEqualTo("InvalidParameters");
    assertThat(classCondition(bad, "status")).isEqualTo("False");
    assertThat(classCondition(bad, "message")).contains(n + "/missing");
    // nothing changed: no more writes (the resource version stays)
    String version = env.kubectl(null, "get", "gatewayclass", good, "-o", "jsonpath={.metadata.resourceVersion}").stdout();
    Thread.sleep(3000);
    assertThat(env.kubectl(null, "get", "gatewayclass", good, "-o", "jsonpath={.metadata.resourceVersion}").stdout()).isEqualTo(version);
    // a class without a Gateway gets no finalizer
    assertThat(env.kubectl(null, "get", "gatewayclass", good, "-o", "jsonpath={.metadata.finalizers}").stdout()).isBlank();
  }

  private void gatewayClass(String name, String extraSpec) {
    kubectl("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: %s}
        spec:
          controllerName: gateway.k8s.aws/alb
        """.formatted(name) + extraSpec.indent(2), "apply", "-f", "-");
    undo.add(new String[] {"delete", "gatewayclass", name, "--ignore-not-found", "--wait=false"});
  }

  private String classCondition(String cls, String field) {
    return env.kubectl(null, "get", "gatewayclass", cls, "-o", "jsonpath={.status.conditions[?(@.type==\"Accepted\")]." + field + "}")
        .stdout().trim();
  }

  private String nodeName() {
    return env.seed().getJsonArray("instances").stream().map(o -> (JsonObject) o).toList().get(0).getString("nodeName");
  }

  private void createPod(String ns, String name) {
    kubectl("""
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "namespace": "%s", "labels": {"app": "web"}},
         "spec": {"nodeName": "%s", "containers": [{"name": "web", "image": "example.test/web:1", "ports": [{"containerPort": 8080}]}]}}
        """.formatted(name, ns, nodeName()), "create", "-f", "-");
  }

  private void kubectl(String stdin, String... args) {
    Result r = env.kubectl(stdin, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.stderr()).isZero();
  }

  private static <T> T await(Supplier<T> value, Predicate<T> done) {
    List<T> last = new ArrayList<>();
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
      T now = value.get();
      last.add(0, now);
      return done.test(now);
    });
    return last.get(0);
  }

  private static String microNow() {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.now());
  }
}
