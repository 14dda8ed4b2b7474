package io.albingress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** `plan` run in-process, as `java -jar ... plan` would run it: exit codes, standard output and error. */
class PlanCommandTest {
  private static final String[] CLUSTER = {"--cluster-name", "prod", "--region", "us-west-2"};

  record Result(int exit, String out, String err) {}

  static Result planWithStdin(String stdin, String... args) {
    CommandLine cmd = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    PlanCommand plan = cmd.getSubcommands().get("plan").getCommand();
    plan.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    List<String> all = new ArrayList<>(List.of("plan"));
    all.addAll(List.of(args));
    all.addAll(List.of(CLUSTER));
    int exit = cmd.execute(all.toArray(String[]::new));
    return new Result(exit, out.toString(), err.toString());
  }

  static Result plan(String... args) {
    return planWithStdin("", args);
  }

  @Test
  void examplesAreValidAndShowTheStacks() {
    Result r = plan("-f", "examples/");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains("Ingress shop/shop: valid", "Ingress shop/checkout: valid")
        .contains("Stack shop/shop (members: shop/shop)")
        .contains("LoadBalancer  k8s-shop-shop-f9b2ef5a1a  internet-facing")
        .contains("Stack storefront (members: shop/checkout)")
        .contains("LoadBalancer  k8s-storefront-6ae9f125d1  internal")
        .contains("Listener      HTTP:80  default: fixed-response 404")
        .contains("Listener      HTTPS:443")
        .contains("certificates <discovered for shop.example.test>  policy ELBSecurityPolicy-2016-08")
        .containsPattern("TargetGroup   shop/api:8080  k8s-shop-api-[0-9a-f]{10}  instance HTTP/HTTP1 port 30081")
        .contains("health HTTP traffic-port /healthz every 15s timeout 5s healthy 2 unhealthy 2 codes 200")
        .containsPattern("TargetGroup   shop/checkout:80  k8s-shop-checkout-[0-9a-f]{10}  ip HTTP/HTTP1 port 80")
        .contains("health HTTP traffic-port /ready every 15s");
    // rules in priority order: Exact /login, then the longer prefix /api, then /
    String shop = r.out().substring(r.out().indexOf("Stack shop/shop"));
    String http = shop.substring(0, shop.indexOf("Listener      HTTPS:443"));
    assertThat(http).containsSubsequence(
        "  1  host-header=shop.example.test path-pattern=/login ", "-> forward shop/web:80",
        "  2  host-header=shop.example.test path-pattern=/api,/api/* ", "-> forward shop/api:8080",
        "  3  host-header=shop.example.test path-pattern=/* ", "-> forward shop/web:80");
  }

  @Test
  void invalidExampleExitsOneAndPrintsEachProblem() {
    Result r = plan("-f", "examples/invalid");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("Ingress shop/blog: INVALID")
        .contains("error:        alb.ingress.kubernetes.io/scheme: \"public\" is not valid")
        .contains("error:        spec.rules[0].http.paths[0].backend: Service shop/blog is of type ClusterIP")
        .doesNotContain("Stack ");
    assertThat(r.out().lines().filter(l -> l.startsWith("  error:"))).hasSize(2);
  }

  @Test
  void anInvalidIngressDoesNotHideTheValidOnes() {
    Result r = plan("-f", "examples", "-f", "examples/invalid");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("Ingress shop/blog: INVALID", "Ingress shop/shop: valid", "Stack shop/shop", "Stack storefront");
  }

  @Test
  void jsonOutputHasRefsThatResolveWithinTheirStack() {
    Result r = plan("-f", "examples", "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode report = JsonMapper.builder().build().readTree(r.out());
    assertThat(report.path("ingresses")).hasSize(2);
    assertThat(report.path("stacks")).hasSize(2);
    int refs = 0;
    for (JsonNode stack : report.path("stacks")) {
      Set<String> ids = new HashSet<>();
      ids.add("LoadBalancer/" + stack.path("loadBalancer").path("resourceId").asString());
      stack.path("listeners").forEach(l -> ids.add("Listener/" + l.path("resourceId").asString()));
      stack.path("targetGroups").forEach(t -> ids.add("TargetGroup/" + t.path("resourceId").asString()));
      List<String> found = new ArrayList<>();
      collectRefs(stack, found);
      assertThat(ids).containsAll(found);
      refs += found.size();
    }
    assertThat(refs).isGreaterThan(5);
    JsonNode shop = report.path("stacks").get(1);
    assertThat(shop.path("listeners").get(0).path("loadBalancer").path("$ref").asString()).isEqualTo("LoadBalancer/LoadBalancer");
    assertThat(shop.path("rules").get(0).path("listener").path("$ref").asString()).isEqualTo("Listener/80");
    assertThat(shop.path("rules").get(0).path("action").path("type").asString()).isEqualTo("forward");
  }

  @Test
  void jsonAndYamlSpeakAwsWordsNotJavaConstantNames() {
    for (String format : List.of("json", "yaml")) {
      Result r = plan("-f", "examples", "-o", format);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).as(format).contains("internet-facing", "ipv4")
          .doesNotContain("INTERNET_FACING", "IPV4", "INSTANCE", "DUALSTACK");
    }
    JsonNode stack = JsonMapper.builder().build().readTree(plan("-f", "examples", "-o", "json").out()).path("stacks").get(1);
    assertThat(stack.path("loadBalancer").path("scheme").asString()).isEqualTo("internet-facing");
    assertThat(stack.path("loadBalancer").path("ipAddressType").asString()).isEqualTo("ipv4");
    assertThat(stack.path("targetGroups").findValues("targetType")).isNotEmpty().extracting(JsonNode::asString)
        .allMatch(t -> t.equals("ip") || t.equals("instance"));
  }

  @Test
  void yamlOutputParsesToTheSameReportAsJson() {
    Result yaml = plan("-f", "examples", "-o", "yaml");
    Result json = plan("-f", "examples", "-o", "json");
    assertThat(yaml.exit()).isZero();
    JsonNode fromYaml = new YAMLMapper().readTree(yaml.out());
    assertThat(fromYaml).isEqualTo(JsonMapper.builder().build().readTree(json.out()));
  }

  @Test
  void standardInput() throws Exception {
    Result r = planWithStdin(Files.readString(Path.of("examples/shop.yaml")), "-f", "-");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Ingress shop/shop: valid", "Stack shop/shop");
  }

  @Test
  void unreadableFileIsAUsageErrorOnOneLine(@TempDir Path dir) {
    Result r = plan("-f", dir.resolve("missing.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).doesNotContain("\n").startsWith("error: cannot read ").contains("missing.yaml: no such file or directory");
  }

  @Test
  void badYamlIsAUsageErrorOnOneLine(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "kind: Ingress\nmetadata: {name: x\n  bad: [\n");
    Result r = plan("-f", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).doesNotContain("\n").startsWith("error: " + bad + ": not valid YAML at line 3");
  }

  @Test
  void badYamlOnStandardInput() {
    Result r = planWithStdin("a: b\n c: d\n", "-f", "-");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").startsWith("error: <stdin>: not valid YAML at line 2, column 3: mapping values are not allowed here");
  }

  @Test
  void anObjectOfTheWrongShapeNamesTheField() {
    Result r = planWithStdin("apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: eighty}]}\n", "-f", "-");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").startsWith("error: <stdin> document 1: not a valid Service: ").contains("(at spec.ports[0].port)");
  }

  @Test
  void usageErrors() {
    Result noFile = plan();
    assertThat(noFile.exit()).isEqualTo(2);
    assertThat(noFile.err()).contains("--filename");
    Result badOutput = plan("-f", "examples", "-o", "xml");
    assertThat(badOutput.exit()).isEqualTo(2);
    assertThat(badOutput.err()).contains("xml");
  }

  @Test
  void ingressesOfOtherClassesAreNotOurs() {
    String yaml = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: other, namespace: shop}
        spec:
          ingressClassName: nginx
          defaultBackend: {service: {name: web, port: {number: 80}}}
        """;
    Result r = planWithStdin(yaml, "-f", "-");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("No Ingress for this controller was found.\n");
  }

  private static void collectRefs(JsonNode node, List<String> into) {
    if (node.isObject()) {
      if (node.has("$ref")) {
        into.add(node.get("$ref").asString());
      }
      node.forEach(child -> collectRefs(child, into));
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, into));
    }
  }

  @Test
  void toGatewayPrintsTheObjectsAndTheProofAndExitsOneWhenTheyDiffer() {
    Result r = plan("--to-gateway", "-f", "src/test/resources/plan/to-gateway/shop.yaml");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith("---\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n")
        .contains("kind: LoadBalancerConfiguration").contains("#   difference: listener HTTPS:443 order: the Ingress matches");
    Result json = plan("--to-gateway", "-o", "json", "-f", "src/test/resources/plan/to-gateway/shop.yaml");
    assertThat(json.out()).contains("\"groups\"").contains("\"differences\"");
  }
}
