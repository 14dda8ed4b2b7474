package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.TestCerts;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Helm chart with the real helm (built by hack/testenv): lint, template for the value sets in
 * its ci/ folder, the schema's refusals, the same objects as deploy/ and webhook-config/, and a
 * server-side dry run on the test apiserver (with cert-manager's and the ServiceMonitor CRDs).
 */
@ExtendWith(TestEnvironment.class)
class ChartIT {
  static final String RELEASE = "alb-ingress-controller";
  static final String NAMESPACE = "alb-ingress-controller";
  private static final YAMLMapper YAML = new YAMLMapper();
  /** Labels the chart adds to every object beside kustomize's. */
  private static final List<String> HELM_LABELS = List.of("app.kubernetes.io/instance", "app.kubernetes.io/version",
      "app.kubernetes.io/managed-by", "helm.sh/chart");
  /** deploy/controller.env's variables as chart values; a variable missing here is a flag the chart lacks. */
  private static final Map<String, String> ENV_TO_VALUE = Map.of("ALB_CLUSTER_NAME", "clusterName", "ALB_AWS_VPC_ID", "vpcId",
      "ALB_AWS_REGION", "region", "ALB_INGRESS_CLASS", "ingressClass", "ALB_MAX_CONCURRENT_RECONCILES", "maxConcurrentReconciles",
      "ALB_SYNC_PERIOD", "syncPeriod", "ALB_WATCH_NAMESPACE", "watchNamespace");

  private static Path chart(Env env) {
    return env.repo().resolve("charts/alb-ingress-controller");
  }

  private static Result helm(Env env, String... args) {
    List<String> command = new ArrayList<>(List.of(env.var("TESTENV_HELM")));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("helm-out", ".txt");
      Path err = Files.createTempFile("helm-err", ".txt");
      Process p = new ProcessBuilder(command).directory(env.repo().toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("helm did not finish in 2 minutes: " + command);
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Result ok(Result r) {
    assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
    return r;
  }

  private static String template(Env env, String... args) {
    List<String> all = new ArrayList<>(List.of("template", RELEASE, chart(env).toString(), "--namespace", NAMESPACE));
    all.addAll(List.of(args));
    return ok(helm(env, all.toArray(String[]::new))).stdout();
  }

  private static String values(Env env, String set) {
    return chart(env).resolve("ci/" + set + "-values.yaml").toString();
  }

  /** Rendered objects by kind/namespace/name. */
  static Map<String, ObjectNode> objects(String rendered) {
    Map<String, ObjectNode> out = new TreeMap<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(doc);
      if (node == null || !node.isObject() || node.isEmpty()) {
        continue;
      }
      JsonNode meta = node.path("metadata");
      out.put(node.path("kind").asString() + "/" + meta.path("namespace").asString("") + "/" + meta.path("name").asString(), (ObjectNode) node);
    }
    return out;
  }

  private static ObjectNode only(Map<String, ObjectNode> objects, String kind) {
    List<ObjectNode> found = objects.values().stream().filter(o -> o.path("kind").asString().equals(kind)).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  private static List<String> kinds(Map<String, ObjectNode> objects) {
    return objects.values().stream().map(o -> o.path("kind").asString()).sorted().toList();
  }

  @Test
  void lintPassesForEveryValueSet(Env env) throws IOException {
    try (Stream<Path> sets = Files.list(chart(env).resolve("ci"))) {
      List<Path> files = sets.sorted().toList();
      assertThat(files).extracting(f -> f.getFileName().toString())
          .containsExactly("default-values.yaml", "irsa-values.yaml", "provided-certificate-values.yaml");
      for (Path f : files) {
        Result lint = ok(helm(env, "lint", "--strict", chart(env).toString(), "-f", f.toString()));
        assertThat(lint.stdout()).as(f.toString()).contains("1 chart(s) linted, 0 chart(s) failed").doesNotContain("[WARNING]");
      }
    }
  }

  @Test
  void defaultsRenderTheCertManagerChainAndTheWebhooksWithCaInjection(Env env) {
    Map<String, ObjectNode> objects = objects(template(env, "-f", values(env, "default")));
    assertThat(kinds(objects)).containsExactly("Certificate", "Certificate", "ClusterRole", "ClusterRoleBinding", "ConfigMap",
        "CustomResourceDefinition", "Deployment",
        "IngressClass", "Issuer", "Issuer", "MutatingWebhookConfiguration", "PodDisruptionBudget", "Role", "RoleBinding", "Service",
        "ServiceAccount", "ValidatingWebhookConfiguration");
    ObjectNode deployment = only(objects, "Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(deployment.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("alb-ingress-controller:0.1.0");
    assertThat(deployment.at("/spec/template/spec/volumes/0/secret/secretName").asString()).isEqualTo("alb-ingress-controller-webhook-tls");
    assertThat(only(objects, "ConfigMap").get("data").propertyNames())
        .containsExactlyInAnyOrder("ALB_CLUSTER_NAME", "ALB_AWS_VPC_ID", "ALB_INGRESS_CLASS", "ALB_MAX_CONCURRENT_RECONCILES", "ALB_SYNC_PERIOD");
    for (String kind : List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")) {
      ObjectNode webhook = only(objects, kind);
      assertThat(webhook.at("/metadata/annotations/cert-manager.io~1inject-ca-from").asString())
          .isEqualTo(NAMESPACE + "/alb-ingress-controller-webhook");
      assertThat(webhook.at("/webhooks/0/clientConfig/caBundle").isMissingNode()).isTrue();
    }
    assertThat(objects.get("Certificate/" + NAMESPACE + "/alb-ingress-controller-webhook").at("/spec/dnsNames/0").asString())
        .isEqualTo("alb-ingress-controller-webhook.alb-ingress-controller.svc");
  }

  @Test
  void irsaTwoReplicasTagsAndAServiceMonitor(Env env) {
    Map<String, ObjectNode> objects = objects(template(env, "-f", values(env, "irsa")));
    assertThat(only(objects, "ServiceAccount").at("/metadata/annotations/eks.amazonaws.com~1role-arn").asString())
        .isEqualTo("arn:aws:iam::111122223333:role/alb-ingress-controller");
    ObjectNode deployment = only(objects, "Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(deployment.at("/spec/template/spec/containers/0/resources/limits/memory").asString()).isEqualTo("768Mi");
    // Helm merges maps: the default CPU limit stays
    assertThat(deployment.at("/spec/template/spec/containers/0/resources/limits/cpu").asString()).isEqualTo("1");
    JsonNode data = only(objects, "ConfigMap").get("data");
    assertThat(data.get("ALB_DEFAULT_TAGS").asString()).isEqualTo("cost-center=1234,team=platform");
    assertThat(data.get("ALB_AWS_REGION").asString()).isEqualTo("eu-west-1");
    assertThat(data.get("ALB_WATCH_NAMESPACE").asString()).isEqualTo("shop");
    assertThat(data.get("ALB_MAX_CONCURRENT_RECONCILES").asString()).isEqualTo("5");
    assertThat(data.get("ALB_SYNC_PERIOD").asString()).isEqualTo("30m");
    assertThat(only(objects, "ServiceMonitor").at("/metadata/labels/release").asString()).isEqualTo("prometheus");
    assertThat(only(objects, "IngressClass").at("/metadata/annotations/ingressclass.kubernetes.io~1is-default-class").asString()).isEqualTo("true");
  }

  @Test
  void aProvidedCertificateNeedsNoCertManager(Env env) {
    Map<String, ObjectNode> objects = objects(template(env, "-f", values(env, "provided-certificate")));
    assertThat(kinds(objects)).doesNotContain("Certificate", "Issuer", "IngressClass", "PodDisruptionBudget");
    assertThat(only(objects, "Deployment").at("/spec/template/spec/volumes/0/secret/secretName").asString()).isEqualTo("my-webhook-tls");
    for (String kind : List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")) {
      ObjectNode webhook = only(objects, kind);
      assertThat(webhook.at("/metadata/annotations").isMissingNode()).isTrue();
      assertThat(webhook.at("/webhooks/0/clientConfig/caBundle").asString()).startsWith("LS0tLS1CRUdJTi");
    }
  }

  @Test
  void theSchemaAndTheTemplatesRefuseWrongValuesWithTheirName(Env env) {
    String defaults = values(env, "default");
    Map<List<String>, String> refusals = Map.of(
        List.of("--set", "replicaCount=two"), "replicaCount",
        List.of("--set", "replicas=3"), "replicas",
        List.of("--set", "webhook.certificate.sorce=secret"), "sorce",
        List.of("--set", "leaderElect=maybe"), "leaderElect",
        List.of("--set", "syncPeriod=an hour"), "syncPeriod",
        List.of("--set", "webhook.certificate.source=vault"), "source",
        List.of("--set", "webhook.certificate.source=secret"), "secretName",
        List.of("--set", "vpcId=my-vpc"), "vpcId");
    refusals.forEach((args, field) -> {
      List<String> all = new ArrayList<>(List.of("template", RELEASE, chart(env).toString(), "-f", defaults));
      all.addAll(args);
      Result r = helm(env, all.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", args)).isNotZero();
      assertThat(r.stderr()).as(String.join(" ", args)).contains(field);
    });
    Result noCluster = helm(env, "template", RELEASE, chart(env).toString());
    assertThat(noCluster.exit()).isNotZero();
    assertThat(noCluster.stderr()).contains("clusterName is required");
  }

  /** deploy/controller.env as chart arguments. */
  private static List<String> deploySettings(Env env) throws IOException {
    List<String> args = new ArrayList<>();
    for (String line : Files.readAllLines(env.repo().resolve("deploy/controller.env"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String key = line.substring(0, line.indexOf('='));
      String value = line.substring(line.indexOf('=') + 1);
      assertThat(ENV_TO_VALUE).as("deploy/controller.env sets %s: give the chart a value for it", key).containsKey(key);
      boolean number = value.matches("\\d+");
      args.addAll(List.of(number ? "--set" : "--set-string", ENV_TO_VALUE.get(key) + "=" + value));
    }
    return args;
  }

  /** Drops the chart's own labels and checksum annotation, and kustomize's ConfigMap hash, everywhere. */
  private static JsonNode normalized(JsonNode node, String configMapName) {
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).deepCopy();
      JsonNode labels = copy.path("metadata").path("labels");
      if (labels.isObject()) {
        HELM_LABELS.forEach(((ObjectNode) labels)::remove);
      }
      JsonNode annotations = copy.path("metadata").path("annotations");
      if (annotations.isObject()) {
        ((ObjectNode) annotations).remove("checksum/config");
        if (annotations.isEmpty()) {
          ((ObjectNode) copy.get("metadata")).remove("annotations");
        }
      }
      for (String field : copy.propertyNames().stream().toList()) {
        copy.set(field, normalized(copy.get(field), configMapName));
      }
      return copy;
    }
    if (node.isArray()) {
      var copy = YAML.createArrayNode();
      node.forEach(n -> copy.add(normalized(n, configMapName)));
      return copy;
    }
    if (node.isString() && configMapName != null && node.asString().equals(configMapName)) {
      return YAML.getNodeFactory().stringNode("alb-ingress-controller");
    }
    return node;
  }

  @Test
  void withDeploysSettingsTheChartRendersExactlyDeployAndWebhookConfig(Env env) throws IOException {
    List<String> args = new ArrayList<>(deploySettings(env));
    args.addAll(List.of("--set", "serviceMonitor.enabled=true", "--include-crds"));
    Map<String, ObjectNode> chart = objects(template(env, args.toArray(String[]::new)));

    Map<String, ObjectNode> deploy = objects(ok(env.kubectl(null, "kustomize", env.repo().resolve("deploy").toString())).stdout());
    deploy.remove("Namespace//" + NAMESPACE); // helm install --create-namespace, or the user's own
    // the rendered IAM policy is for the AWS side (README "IAM role"); the chart does not install it
    deploy.remove("ConfigMap/" + NAMESPACE + "/alb-ingress-controller-iam-policy");
    String configMap = only(deploy, "ConfigMap").at("/metadata/name").asString();
    assertThat(configMap).startsWith("alb-ingress-controller-");
    Map<String, ObjectNode> expected = new TreeMap<>();
    deploy.values().forEach(o -> {
      ObjectNode n = (ObjectNode) normalized(o, configMap);
      expected.put(n.path("kind").asString() + "/" + n.at("/metadata/namespace").asString("") + "/" + n.at("/metadata/name").asString(), n);
    });
    for (String extra : List.of("webhook-config/validating-webhook.yaml", "webhook-config/mutating-webhook.yaml", "deploy/servicemonitor.yaml")) {
      objects(Files.readString(env.repo().resolve(extra), StandardCharsets.UTF_8)).forEach(expected::put);
    }
    Map<String, JsonNode> actual = new TreeMap<>();
    chart.forEach((k, v) -> actual.put(k, normalized(v, null)));
    // webhook-config/ carries no labels
    for (String k : actual.keySet()) {
      if (k.contains("WebhookConfiguration/")) {
        ((ObjectNode) actual.get(k).get("metadata")).remove("labels");
      }
    }
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void theIngressClassParamsCrdIsDeployAsAndCanBeLeftOut(Env env) throws Exception {
    Map<String, ObjectNode> withCrd = objects(template(env, "-f", values(env, "default")));
    ObjectNode crd = only(withCrd, "CustomResourceDefinition");
    assertThat(crd.path("metadata").path("name").asString()).isEqualTo("ingressclassparams.elbv2.k8s.aws");
    assertThat(crd.path("spec")).isEqualTo(YAML.readTree(Files.readString(
        env.repo().resolve("deploy/crds/elbv2.k8s.aws_ingressclassparams.yaml"))).path("spec"));
    assertThat(kinds(objects(template(env, "-f", values(env, "default"), "--set", "crds.create=false"))))
        .doesNotContain("CustomResourceDefinition");
  }

  @Test
  void theGatewayApiCrdsAreInstalledOnlyOnRequestUnchangedAndKeptOnUninstall(Env env) throws Exception {
    assertThat(kinds(objects(template(env, "-f", values(env, "default"))))).filteredOn("CustomResourceDefinition"::equals).hasSize(1);
    List<ObjectNode> gatewayApi = objects(template(env, "-f", values(env, "default"), "--set", "gatewayApi.installCrds=true")).values()
        .stream().filter(o -> o.path("spec").path("group").asString().equals("gateway.networking.k8s.io")).toList();
    assertThat(gatewayApi).extracting(o -> o.path("spec").path("names").path("kind").asString())
        .containsExactlyInAnyOrder("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "ListenerSet");
    for (ObjectNode crd : gatewayApi) {
      String name = crd.path("metadata").path("name").asString();
      // deleting a CRD deletes every object of its kind: helm uninstall must leave them
      assertThat(crd.path("metadata").path("annotations").path("helm.sh/resource-policy").asString()).as(name).isEqualTo("keep");
      Path vendored = chart(env).resolve("files/gateway-api/gateway.networking.k8s.io_" + name.substring(0, name.indexOf('.')) + ".yaml");
      assertThat(crd.path("spec")).as(name).isEqualTo(YAML.readTree(Files.readString(vendored)).path("spec"));
    }
  }

  @Test
  void everyValueSetPassesAServerSideDryRun(Env env) throws Exception {
    ok(env.kubectl(null, "apply", "-f", env.repo().resolve("deploy/namespace.yaml").toString()));
    Path certs = Files.createTempDirectory("chart-it-ca");
    TestCerts.write(certs, "alb-ingress-controller-webhook.alb-ingress-controller.svc");
    String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(certs.resolve("tls.crt")));
    for (String set : List.of("default", "irsa", "provided-certificate")) {
      String rendered = template(env, "-f", values(env, set), "--set", "webhook.certificate.caBundle=" + caBundle);
      Result dryRun = ok(env.kubectl(rendered, "apply", "--dry-run=server", "-f", "-"));
      List<String> applied = Arrays.stream(dryRun.stdout().split("\n")).filter(l -> !l.isBlank()).toList();
      assertThat(applied).as(set).hasSize(objects(rendered).size()).allSatisfy(l -> assertThat(l).endsWith("(server dry run)"));
      // Pod Security "restricted" and deprecations would show as warnings
      assertThat(dryRun.stderr()).as(set).doesNotContain("Warning");
    }
  }
}
