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
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * TargetGroupBinding against the real apiserver (our CRD and webhooks, through kubectl),
 * kube-controller-manager and moto: a target group the user created gets the Service's targets in
 * instance and IP mode, follows scaling, and is kept (emptied) when the binding is deleted.
 */
@ExtendWith(TestEnvironment.class)
class TargetGroupBindingIT {
  private ControllerApp app;
  private MotoElbv2 moto;
  private Env env;
  private String namespace;
  private final List<String[]> undo = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = undo.size() - 1; i >= 0; i--) {
      env.kubectl(null, undo.get(i));
    }
    env.kubectl(null, "delete", "mutatingwebhookconfiguration,validatingwebhookconfiguration", "alb-ingress-controller", "--ignore-not-found");
    if (namespace != null) {
      // a binding left behind must not hold its namespace's deletion
      String names = env.kubectl(null, "get", "targetgroupbindings", "-n", namespace, "-o", "jsonpath={.items[*].metadata.name}").stdout().trim();
      for (String name : names.isEmpty() ? new String[0] : names.split(" ")) {
        env.kubectl(null, "patch", "targetgroupbinding", name, "-n", namespace, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
      }
    }
    if (app != null) {
      app.stop();
    }
    if (moto != null) {
      moto.close();
    }
  }

  private void start(Env env, TestNamespace ns) throws Exception {
    this.env = env;
    this.namespace = ns.name();
    app = Controllers.start(env, ns);
    moto = new MotoElbv2(env);
    kubectl(WebhookRegistration.manifests(env.repo(), app.webhookPort(), app.webhookCertDir().resolve("tls.crt")), "apply", "-f", "-");
  }

  private TargetGroup userTargetGroup(String name, TargetTypeEnum type) {
    return moto.client().createTargetGroup(b -> b.name(name).protocol("HTTP").port(80).vpcId(env.vpcId()).targetType(type))
        .join().targetGroups().get(0);
  }

  static String service(String ns, String type) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %s}
        spec: {type: %s, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
        """.formatted(ns, type);
  }

  static String binding(String ns, String name, String spec) {
    return """
        apiVersion: elbv2.k8s.aws/v1beta1
        kind: TargetGroupBinding
        metadata: {name: %s, namespace: %s}
        spec:
          serviceRef: {name: web, port: 80}
        %s
        """.formatted(name, ns, spec.indent(2).stripTrailing());
  }

  private void createPod(String ns, String name) {
    kubectl("""
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "namespace": "%s", "labels": {"app": "web"}},
         "spec": {"nodeName": "%s", "containers": [{"name": "web", "image": "example.test/web:1", "ports": [{"containerPort": 8080}]}]}}
        """.formatted(name, ns, instances().get(0).getString("nodeName")), "create", "-f", "-");
  }

  private void readyPods(String ns, List<String> ips) {
    for (String ip : ips) {
      String name = "web-" + ip.substring(ip.lastIndexOf('.') + 1);
      createPod(ns, name);
      kubectl(null, "patch", "pod", name, "-n", ns, "--subresource=status", "-p", """
          {"status": {"phase": "Running", "podIP": "%s", "podIPs": [{"ip": "%s"}], "conditions": [
            {"type": "ContainersReady", "status": "True"}, {"type": "Ready", "status": "True"}]}}""".formatted(ip, ip));
    }
  }

  private void deletePods(String ns, List<String> ips) {
    for (String ip : ips) {
      kubectl(null, "delete", "pod", "web-" + ip.substring(ip.lastIndexOf('.') + 1), "-n", ns, "--force", "--grace-period=0");
    }
  }

  private List<JsonObject> instances() {
    return env.seed().getJsonArray("instances").stream().map(o -> (JsonObject) o).toList();
  }

  private void kubectl(String stdin, String... args) {
    Result r = env.kubectl(stdin, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.stderr()).isZero();
  }

  private String get(String name, String jsonpath) {
    return env.kubectl(null, "get", "targetgroupbinding", name, "-n", namespace, "-o", "jsonpath=" + jsonpath).stdout().trim();
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

  private Set<String> awaitTargets(TargetGroup tg, Set<String> expected) {
    return await(() -> moto.targets(tg.targetGroupArn()).keySet(), expected::equals);
  }

  @Test
  void ipModeFollowsThePodsAndDeletingTheBindingDeregistersThemAndKeepsTheGroup(Env env, TestNamespace ns) throws Exception {
    start(env, ns);
    TargetGroup tg = userTargetGroup("tgb-ip-" + Math.abs(ns.name().hashCode() % 100000), TargetTypeEnum.IP);
    kubectl(service(ns.name(), "ClusterIP"), "apply", "-f", "-");
    readyPods(ns.name(), List.of("10.0.21.1", "10.0.21.2"));
    // by name: the mutating webhook resolves the ARN and takes the target type from the group
    kubectl(binding(ns.name(), "web", "targetGroupName: " + tg.targetGroupName()), "apply", "-f", "-");
    assertThat(get("web", "{.spec.targetGroupARN} {.spec.targetType} {.spec.ipAddressType}"))
        .isEqualTo(tg.targetGroupArn() + " ip ipv4");
    awaitTargets(tg, Set.of("10.0.21.1:8080", "10.0.21.2:8080"));
    await(() -> get("web", "{.metadata.finalizers[*]} {.status.observedGeneration}"), "elbv2.k8s.aws/resources 1"::equals);

    readyPods(ns.name(), List.of("10.0.21.3"));
    awaitTargets(tg, Set.of("10.0.21.1:8080", "10.0.21.2:8080", "10.0.21.3:8080"));
    deletePods(ns.name(), List.of("10.0.21.1", "10.0.21.2"));
    awaitTargets(tg, Set.of("10.0.21.3:8080"));

    kubectl(null, "delete", "targetgroupbinding", "web", "-n", ns.name(), "--wait=false");
    awaitTargets(tg, Set.of());
    await(() -> env.kubectl(null, "get", "targetgroupbinding", "web", "-n", ns.name(), "--ignore-not-found", "-o", "name").stdout().trim(),
        String::isEmpty);
    assertThat(moto.targetGroups().stream().map(TargetGroup::targetGroupArn)).as("the user's target group is kept").contains(tg.targetGroupArn());
  }

  @Test
  void instanceModeRegistersTheNodesOnTheNodePortAndDeletingTheBindingKeepsTheGroup(Env env, TestNamespace ns) throws Exception {
    start(env, ns);
    TargetGroup tg = userTargetGroup("tgb-inst-" + Math.abs(ns.name().hashCode() % 100000), TargetTypeEnum.INSTANCE);
    kubectl(service(ns.name(), "NodePort"), "apply", "-f", "-");
    String nodePort = env.kubectl(null, "get", "service", "web", "-n", ns.name(), "-o", "jsonpath={.spec.ports[0].nodePort}").stdout().trim();
    kubectl(binding(ns.name(), "web", "targetGroupARN: " + tg.targetGroupArn()), "apply", "-f", "-");
    assertThat(get("web", "{.spec.targetType}")).isEqualTo("instance");
    List<JsonObject> seeded = instances();
    Set<String> all = seeded.stream().map(i -> i.getString("id") + ":" + nodePort).collect(Collectors.toSet());
    awaitTargets(tg, all);

    // scale down: a node labelled out of load balancers leaves; back in, it returns
    String third = seeded.get(2).getString("nodeName");
    String thirdTarget = seeded.get(2).getString("id") + ":" + nodePort;
    undo.add(new String[] {"label", "node", third, "node.kubernetes.io/exclude-from-external-load-balancers-"});
    kubectl(null, "label", "node", third, "node.kubernetes.io/exclude-from-external-load-balancers=true");
    awaitTargets(tg, all.stream().filter(t -> !t.equals(thirdTarget)).collect(Collectors.toSet()));
    kubectl(null, "label", "node", third, "node.kubernetes.io/exclude-from-external-load-balancers-");
    awaitTargets(tg, all);

    kubectl(null, "delete", "targetgroupbinding", "web", "-n", ns.name(), "--wait=false");
    awaitTargets(tg, Set.of());
    assertThat(moto.targetGroups().stream().map(TargetGroup::targetGroupArn)).contains(tg.targetGroupArn());
  }

  @Test
  void theWebhooksDenyThroughKubectlApply(Env env, TestNamespace ns) throws Exception {
    start(env, ns);
    TargetGroup tg = userTargetGroup("tgb-deny-" + Math.abs(ns.name().hashCode() % 100000), TargetTypeEnum.IP);
    kubectl(service(ns.name(), "ClusterIP"), "apply", "-f", "-");

    Result selector = env.kubectl(binding(ns.name(), "a", "targetGroupARN: " + tg.targetGroupArn() + "\nnodeSelector: {matchLabels: {pool: web}}"),
        "apply", "-f", "-");
    assertThat(selector.exit()).isNotZero();
    assertThat(selector.stderr()).contains("spec.nodeSelector cannot be set when spec.targetType is ip");

    Result unknown = env.kubectl(binding(ns.name(), "b", "targetGroupName: no-such-group"), "apply", "-f", "-");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.stderr()).contains("spec.targetGroupName \"no-such-group\": no target group of that name");

    Result unsupported = env.kubectl(binding(ns.name(), "c", "targetGroupARN: " + tg.targetGroupArn() + "\nmultiClusterTargetGroup: true"),
        "apply", "-f", "-");
    assertThat(unsupported.exit()).isNotZero();
    assertThat(unsupported.stderr()).contains("spec.multiClusterTargetGroup is not supported");

    kubectl(binding(ns.name(), "first", "targetGroupARN: " + tg.targetGroupArn()), "apply", "-f", "-");
    await(() -> app.webhookPort() > 0 && !get("first", "{.metadata.uid}").isEmpty(), ok -> ok);
    Result twice = await(() -> env.kubectl(binding(ns.name(), "second", "targetGroupARN: " + tg.targetGroupArn()), "apply", "-f", "-"),
        r -> r.exit() != 0);
    assertThat(twice.stderr()).contains("is already bound by TargetGroupBinding " + ns.name() + "/first");

    Result immutable = env.kubectl(binding(ns.name(), "first", "targetGroupARN: " + tg.targetGroupArn() + "\ntargetType: instance"),
        "apply", "-f", "-");
    assertThat(immutable.exit()).isNotZero();
    assertThat(immutable.stderr()).contains("spec.targetType is immutable (was ip)");
    kubectl(null, "delete", "targetgroupbinding", "first", "-n", ns.name(), "--wait=false");
  }
}
