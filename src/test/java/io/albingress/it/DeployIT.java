package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.aws.CallMetrics;
import io.albingress.testing.Controllers;
import io.albingress.testing.IamPolicy;
import io.albingress.testing.Meters;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestCerts;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import io.albingress.testing.TestEnvironment.TestNamespace;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/ and webhook-config/ against the real apiserver: they pass a server-side dry run, and the
 * controller works with exactly the ServiceAccount's permissions, which are no more than needed.
 */
@ExtendWith(TestEnvironment.class)
class DeployIT {
  static final String NAMESPACE = "alb-ingress-controller";
  static final String SERVICE_ACCOUNT = "alb-ingress-controller";
  static final String AS = "--as=system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;
  static final String LEASE = "alb-ingress-controller-leader";
  private static final Set<String> RBAC_KINDS = Set.of("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  private static Result ok(Result r) {
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    return r;
  }

  private static <T> T await(Supplier<T> value, Predicate<T> done) {
    List<T> last = new ArrayList<>(List.of());
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      last.clear();
      last.add(value.get());
      return done.test(last.get(0));
    });
    return last.get(0);
  }

  /** The RBAC objects exactly as kustomize renders deploy/, applied for real. */
  static void applyRbac(Env env) {
    String rendered = ok(env.kubectl(null, "kustomize", env.repo().resolve("deploy").toString())).stdout();
    List<String> rbac = Arrays.stream(rendered.split("(?m)^---$"))
        .filter(doc -> RBAC_KINDS.stream().anyMatch(kind -> doc.contains("\nkind: " + kind + "\n"))).toList();
    assertThat(rbac).hasSize(RBAC_KINDS.size());
    ok(env.kubectl(String.join("---\n", rbac), "apply", "-f", "-"));
  }

  /** A kubeconfig holding a fresh token of the ServiceAccount, and the apiserver's CA. */
  static File serviceAccountKubeconfig(Env env) throws IOException {
    String token = ok(env.kubectl(null, "create", "token", SERVICE_ACCOUNT, "-n", NAMESPACE, "--duration=1h")).stdout().trim();
    Path file = Files.createTempFile("sa-kubeconfig", ".yaml");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: testenv
            cluster: {server: "%s", certificate-authority: "%s"}
        users:
          - name: %s
            user: {token: "%s"}
        contexts:
          - name: controller
            context: {cluster: testenv, user: %s}
        current-context: controller
        """.formatted(env.var("TESTENV_KUBE_APISERVER_URL"), env.var("TESTENV_KUBE_CA"), SERVICE_ACCOUNT, token, SERVICE_ACCOUNT));
    Result whoami = ok(env.kubectl(null, "--kubeconfig", file.toString(), "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"));
    assertThat(whoami.stdout()).isEqualTo("system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT);
    return file.toFile();
  }

  @Test
  void manifestsPassAServerSideDryRun(Env env) {
    // hack/testenv installs cert-manager's CRDs (from its Go module) and the ServiceMonitor CRD
    ok(env.kubectl(null, "get", "crd", "certificates.cert-manager.io", "issuers.cert-manager.io", "servicemonitors.monitoring.coreos.com"));
    // a dry run creates no Namespace, and namespaced objects need theirs
    ok(env.kubectl(null, "apply", "-f", env.repo().resolve("deploy/namespace.yaml").toString()));

    Result deploy = ok(env.kubectl(null, "apply", "--dry-run=server", "-k", env.repo().resolve("deploy").toString()));
    assertThat(deploy.stdout()).contains("deployment.apps/alb-ingress-controller", "certificate.cert-manager.io/alb-ingress-controller-webhook",
        "issuer.cert-manager.io/alb-ingress-controller-ca", "ingressclass.networking.k8s.io/alb", "service/alb-ingress-controller-webhook");
    // the namespace warns about Pod Security "restricted" violations, and the apiserver about anything deprecated;
    // kustomize's own notice about `vars` (the IAM policy's cluster name, README "IAM role") is not the cluster's
    String warnings = deploy.stderr().lines().filter(l -> !l.startsWith("# Warning: 'vars' is deprecated")).collect(Collectors.joining("\n"));
    assertThat(warnings).doesNotContain("Warning");

    Result webhooks = ok(env.kubectl(null, "apply", "--dry-run=server", "-f", env.repo().resolve("webhook-config").toString()));
    assertThat(webhooks.stdout()).contains("validatingwebhookconfiguration.admissionregistration.k8s.io/alb-ingress-controller",
        "mutatingwebhookconfiguration.admissionregistration.k8s.io/alb-ingress-controller");
    assertThat(webhooks.stderr()).doesNotContain("Warning");

    Result serviceMonitor = ok(env.kubectl(null, "apply", "--dry-run=server", "-f", env.repo().resolve("deploy/servicemonitor.yaml").toString()));
    assertThat(serviceMonitor.stdout()).contains("servicemonitor.monitoring.coreos.com/alb-ingress-controller");
  }

  @Test
  void theServiceAccountsPermissionsAreEnoughForTheControllerAndTheAwsCallsAreInTheIamPolicy(Env env, TestNamespace ns) throws Exception {
    applyRbac(env);
    ControllerApp app = Controllers.start(env, ns, serviceAccountKubeconfig(env));
    try (MotoElbv2 moto = new MotoElbv2(env)) {
      String certificate = env.seed().getString("certificateArn");
      ok(env.kubectl(ReconcilerIT.services(ns.name()), "apply", "-f", "-"));
      ok(env.kubectl(ReconcilerIT.shop(ns.name(), "shop", "", certificate, "/api"), "apply", "-f", "-"));
      // list/watch (informers), patch (finalizer), status, then events
      String dns = await(() -> env.kubectl(null, "get", "ingress", "shop", "-n", ns.name(),
          "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}").stdout().trim(), h -> !h.isEmpty());
      assertThat(moto.loadBalancers()).extracting(lb -> lb.dnsName()).containsExactly(dns);
      assertThat(env.kubectl(null, "get", "ingress", "shop", "-n", ns.name(), "-o", "jsonpath={.metadata.finalizers}").stdout())
          .contains("ingress.k8s.aws/resources");
      await(() -> env.kubectl(null, "get", "events", "-n", ns.name(), "--field-selector", "reason=SuccessfullyReconciled",
          "-o", "jsonpath={.items[*].involvedObject.name}").stdout(), names -> names.contains("shop"));

      ok(env.kubectl(ReconcilerIT.shop(ns.name(), "shop", "", certificate, "/v2"), "apply", "-f", "-"));
      await(() -> moto.listeners(moto.loadBalancers().get(0).loadBalancerArn()).stream()
          .flatMap(l -> moto.rules(l.listenerArn()).stream()).anyMatch(r -> r.conditions().toString().contains("/v2")), changed -> changed);

      ok(env.kubectl(null, "delete", "ingress", "shop", "-n", ns.name(), "--wait=false"));
      await(() -> env.kubectl(null, "get", "ingress", "shop", "-n", ns.name()).exit(), exit -> exit != 0);
      assertThat(moto.loadBalancers()).isEmpty();
      assertThat(moto.targetGroups()).isEmpty();

      Set<String> observed = new TreeSet<>();
      Meters.series(app.registry(), CallMetrics.CALLS).keySet().forEach(k -> observed.add(IamPolicy.action(k.get("service"), k.get("operation"))));
      assertThat(observed).contains("elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyRule",
          "elasticloadbalancing:DeleteLoadBalancer", "ec2:DescribeSubnets", "acm:ListCertificates");
      assertThat(IamPolicy.read(env.repo()).actions()).as("deploy/iam-policy.json").containsAll(observed);
    } finally {
      app.stop();
    }
  }

  /** The Deployment as kustomize renders deploy/. */
  static Deployment deployment(Env env) {
    String rendered = ok(env.kubectl(null, "kustomize", env.repo().resolve("deploy").toString())).stdout();
    String doc = Arrays.stream(rendered.split("(?m)^---$")).filter(d -> d.contains("\nkind: Deployment\n")).findFirst().orElseThrow();
    return new KubernetesSerialization().unmarshal(doc, Deployment.class);
  }

  /**
   * The packaged controller, with the Deployment's arguments and JVM options, takes and renews the
   * Lease with the Role (the namespace from POD_NAMESPACE, as the downward API sets it).
   */
  @Test
  void theServiceAccountCanLeadThroughTheLease(Env env, TestNamespace ns) throws Exception {
    applyRbac(env);
    File kubeconfig = serviceAccountKubeconfig(env);
    env.kubectl(null, "delete", "lease", LEASE, "-n", NAMESPACE, "--ignore-not-found");
    Container container = deployment(env).getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, EnvVar> deploymentEnv = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(deploymentEnv.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    assertThat(deploymentEnv.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(container.getArgs()).contains("--leader-elect");

    Path certs = Files.createTempDirectory("deploy-it-certs");
    TestCerts.write(certs, "127.0.0.1");
    Path log = Files.createTempFile("leader", ".log");
    List<String> command = new ArrayList<>(List.of("java", "-jar", env.repo().resolve("target/alb-ingress-controller.jar").toString(), "controller"));
    container.getArgs().stream().filter(a -> !a.startsWith("--webhook-cert-dir")).forEach(command::add);
    command.addAll(List.of("--dry-run", "--watch-namespace", ns.name(), "--bind-address", "127.0.0.1",
        "--webhook-port", String.valueOf(freePort()), "--metrics-port", String.valueOf(freePort()),
        "--health-port", String.valueOf(freePort()), "--webhook-cert-dir", certs.toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(Map.of("KUBECONFIG", kubeconfig.toString(), "ALB_CLUSTER_NAME", env.clusterName(),
        "ALB_AWS_VPC_ID", env.vpcId(), "POD_NAMESPACE", NAMESPACE, "POD_NAME", "leader-it",
        "JAVA_TOOL_OPTIONS", deploymentEnv.get("JAVA_TOOL_OPTIONS").getValue(),
        "AWS_ENDPOINT_URL", env.awsEndpoint(), "AWS_REGION", env.region(),
        "AWS_ACCESS_KEY_ID", env.var("AWS_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY", env.var("AWS_SECRET_ACCESS_KEY")));
    Process controller = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Supplier<String> lease = () -> env.kubectl(null, "get", "lease", LEASE, "-n", NAMESPACE,
          "-o", "jsonpath={.spec.holderIdentity} {.spec.renewTime}").stdout();
      String first = await(lease, l -> l.startsWith("leader-it-"));
      // renewals patch the Lease
      await(lease, l -> l.startsWith("leader-it-") && !l.equals(first));
      assertThat(Files.readString(log)).contains("Picked up JAVA_TOOL_OPTIONS", "became leader").doesNotContainIgnoringCase("forbidden");
    } finally {
      controller.destroy();
      assertThat(controller.waitFor(20, TimeUnit.SECONDS)).isTrue();
      env.kubectl(null, "delete", "lease", LEASE, "-n", NAMESPACE, "--ignore-not-found");
    }
  }

  @Test
  void theServiceAccountCanDoNoMoreThanTheControllerNeeds(Env env) {
    applyRbac(env);
    for (String[] denied : new String[][] {
        {"create", "secrets", "-n", "default"}, {"update", "secrets", "-n", "default"}, {"get", "secrets", "-n", NAMESPACE},
        {"watch", "configmaps", "-A"}, {"update", "ingressclassparams.elbv2.k8s.aws"}, {"delete", "gateways.gateway.networking.k8s.io", "-A"},
        {"delete", "nodes"}, {"delete", "ingresses.networking.k8s.io", "-A"}, {"update", "ingresses.networking.k8s.io", "-n", "default"}, {"create", "ingresses.networking.k8s.io", "-n", "default"},
        {"create", "pods", "-n", "default"}, {"update", "pods", "-n", "default"}, {"patch", "services", "-n", "default"},
        {"delete", "events", "-n", "default"}, {"create", "leases.coordination.k8s.io", "-n", "kube-system"},
        {"update", "leases.coordination.k8s.io/kube-controller-manager", "-n", "kube-system"},
        {"update", "leases.coordination.k8s.io/someone-else", "-n", NAMESPACE}, {"delete", "leases.coordination.k8s.io", "-n", NAMESPACE},
        {"create", "clusterrolebindings.rbac.authorization.k8s.io"}, {"create", "serviceaccounts/token", "-n", NAMESPACE},
        {"delete", "targetgroupbindings.elbv2.k8s.aws", "-n", "default"}, {"create", "targetgroupbindings.elbv2.k8s.aws", "-n", "default"},
        {"get", "customresourcedefinitions.apiextensions.k8s.io/ingresses.example.com"},
        // the configuration CRDs: patched for their finalizers only, never updated or deleted; TargetGroupConfigurations: no
        // status (the reference writes none)
        {"update", "listenerruleconfigurations.gateway.k8s.aws", "-n", "default"},
        {"delete", "targetgroupconfigurations.gateway.k8s.aws", "-n", "default"},
        {"patch", "targetgroupconfigurations.gateway.k8s.aws", "--subresource=status", "-n", "default"},
        {"patch", "listenersets.gateway.networking.k8s.io", "-n", "default"}}) {
      Result r = env.kubectl(null, canI(denied));
      assertThat(r.stdout().trim()).as("kubectl auth can-i %s", String.join(" ", denied)).isEqualTo("no");
      assertThat(r.exit()).isEqualTo(1);
    }
    // the same question answered yes: the denials above are not a broken binding
    for (String[] allowed : new String[][] {
        {"watch", "ingresses.networking.k8s.io", "-A"}, {"patch", "ingresses.networking.k8s.io", "-n", "default"},
        {"patch", "ingresses.networking.k8s.io", "--subresource=status", "-n", "default"}, {"list", "ingressclasses.networking.k8s.io"},
        {"list", "services", "-A"}, {"list", "endpointslices.discovery.k8s.io", "-A"}, {"list", "nodes"}, {"list", "pods", "-A"},
        {"patch", "pods", "--subresource=status", "-n", "default"}, {"create", "events", "-n", "default"},
        {"create", "leases.coordination.k8s.io", "-n", NAMESPACE}, {"patch", "leases.coordination.k8s.io/" + LEASE, "-n", NAMESPACE},
        {"watch", "targetgroupbindings.elbv2.k8s.aws", "-A"}, {"patch", "targetgroupbindings.elbv2.k8s.aws", "-n", "default"},
        {"patch", "targetgroupbindings.elbv2.k8s.aws", "--subresource=status", "-n", "default"},
        {"get", "customresourcedefinitions.apiextensions.k8s.io/targetgroupbindings.elbv2.k8s.aws"},
        // OIDC client secrets (auth-idp-oidc): listed and watched, the cache keeps only the client keys
        {"list", "secrets", "-A"}, {"watch", "ingressclassparams.elbv2.k8s.aws"},
        {"list", "gateways.gateway.networking.k8s.io", "-A"}, {"patch", "httproutes.gateway.networking.k8s.io", "--subresource=status", "-n", "default"},
        {"patch", "listenerruleconfigurations.gateway.k8s.aws", "--subresource=status", "-n", "default"},
        // the reference's finalizers on the configuration CRDs
        {"patch", "listenerruleconfigurations.gateway.k8s.aws", "-n", "default"}, {"patch", "targetgroupconfigurations.gateway.k8s.aws", "-n", "default"},
        {"patch", "loadbalancerconfigurations.gateway.k8s.aws", "-n", "default"},
        {"watch", "listenersets.gateway.networking.k8s.io", "-A"},
        {"patch", "listenersets.gateway.networking.k8s.io", "--subresource=status", "-n", "default"}}) {
      Result r = env.kubectl(null, canI(allowed));
      assertThat(r.stdout().trim()).as("kubectl auth can-i %s", String.join(" ", allowed)).isEqualTo("yes");
    }
  }

  private static String[] canI(String[] question) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i"));
    args.addAll(Arrays.asList(question));
    args.add(AS);
    return args.toArray(String[]::new);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
