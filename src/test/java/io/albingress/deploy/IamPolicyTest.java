package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.IamPolicy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/iam-policy.json names exactly the AWS calls in src/main/java, and every mutating ELBv2
 * action is limited to resources tagged for a cluster. (DeployIT checks the calls observed at run time.)
 */
class IamPolicyTest {
  private static final Path REPO = Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));

  /** Source files and their text. */
  private static Map<Path, String> sources() throws IOException {
    try (Stream<Path> files = Files.walk(REPO.resolve("src/main/java"))) {
      return files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toMap(f -> f, f -> {
        try {
          return Files.readString(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
  }

  /** The operations of an async SDK client, as lowerCamel method names (describeSubnets, ...). */
  private static Set<String> operations(Class<?> client) {
    return Arrays.stream(client.getMethods())
        .filter(m -> m.getReturnType() == CompletableFuture.class && m.getParameterCount() == 1)
        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String lowerCamel(String operation) {
    return Character.toLowerCase(operation.charAt(0)) + operation.substring(1);
  }

  private static String upperCamel(String method) {
    return Character.toUpperCase(method.charAt(0)) + method.substring(1);
  }

  /**
   * The IAM actions of the SDK calls in the sources: `.op(` where op is an operation of a client we
   * use. An operation several clients share (describeTags) counts for the clients whose package the file imports.
   */
  static Set<String> calledActions(Map<Path, String> sources) {
    Set<String> actions = new TreeSet<>();
    IamPolicy.CLIENTS.forEach((prefix, client) -> {
      String sdkPackage = client.getPackageName() + ".";
      for (String op : operations(client)) {
        boolean shared = IamPolicy.CLIENTS.values().stream().filter(c -> c != client).anyMatch(c -> operations(c).contains(op));
        boolean called = sources.values().stream()
            .anyMatch(text -> text.contains("." + op + "(") && (!shared || text.contains("import " + sdkPackage)));
        if (called) {
          actions.add(prefix + ":" + upperCamel(op));
        }
      }
    });
    return actions;
  }

  @Test
  void namesEveryAwsCallOfTheCodeAndNothingElse() throws IOException {
    Set<String> called = calledActions(sources());
    assertThat(called).as("AWS calls found in src/main/java").contains("ec2:DescribeSubnets", "elasticloadbalancing:CreateLoadBalancer");
    Set<String> expected = new TreeSet<>(called);
    IamPolicy.IMPLIED.forEach((action, by) -> {
      if (by.stream().anyMatch(called::contains)) {
        expected.add(action);
      }
    });
    assertThat(IamPolicy.read(REPO).actions()).as("actions in deploy/iam-policy.json").containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyActionIsAnOperationOfTheSdk() throws IOException {
    for (String action : IamPolicy.read(REPO).actions()) {
      if (IamPolicy.IMPLIED.containsKey(action)) {
        continue;
      }
      String[] parts = action.split(":");
      assertThat(IamPolicy.CLIENTS).as(action).containsKey(parts[0]);
      assertThat(operations(IamPolicy.CLIENTS.get(parts[0]))).as(action).contains(lowerCamel(parts[1]));
    }
  }

  @Test
  void findsCallsOnlyWhereTheyAreMade() {
    Map<Path, String> code = Map.of(
        Path.of("A.java"), "import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;\n x.describeTags(b -> b); y.registerTargets(r);",
        Path.of("B.java"), "void describeSubnets(String s) {} // declared, not called");
    assertThat(calledActions(code)).containsExactly("elasticloadbalancing:DescribeTags", "elasticloadbalancing:RegisterTargets");
  }

  @Test
  void mutatingElbActionsArePinnedToThisClustersTag() throws IOException {
    for (Object o : IamPolicy.read(REPO).statements()) {
      JsonObject statement = (JsonObject) o;
      assertThat(statement.getString("Effect")).isEqualTo("Allow");
      List<String> actions = statement.getValue("Action") instanceof String s ? List.of(s)
          : statement.getJsonArray("Action").stream().map(String.class::cast).toList();
      boolean readOnly = actions.stream().allMatch(a -> a.matches("[a-z0-9]+:(Describe|List|Get)[A-Za-z]+"));
      boolean addOnsOnly = actions.stream().allMatch(a -> IamPolicy.ADD_ON_PREFIXES.contains(a.split(":")[0]));
      // the nodes' and pods' groups are not ours: our rules there are told apart by their description, which IAM cannot see
      boolean rulesOnTargetGroups = Set.of("ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress").containsAll(actions);
      // TargetGroupBinding: the user's target groups carry no tag of ours; targets only, and target groups only
      boolean targetsOfBoundGroups = Set.of("elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets").containsAll(actions)
          && "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*".equals(statement.getValue("Resource"));
      if (readOnly || addOnsOnly || rulesOnTargetGroups || targetsOfBoundGroups) {
        continue;
      }
      JsonObject equals = statement.getJsonObject("Condition", new JsonObject()).getJsonObject("StringEquals", new JsonObject());
      boolean ownedResource = IamPolicy.CLUSTER_PLACEHOLDER.equals(equals.getString("aws:ResourceTag/elbv2.k8s.aws/cluster"));
      boolean taggedRequest = IamPolicy.CLUSTER_PLACEHOLDER.equals(equals.getString("aws:RequestTag/elbv2.k8s.aws/cluster"));
      assertThat(ownedResource || taggedRequest).as("statement %s must pin the cluster tag of the resource or the request to this cluster",
          statement.getString("Sid")).isTrue();
      assertThat(actions).as(statement.getString("Sid")).allMatch(a -> a.startsWith("elasticloadbalancing:") || a.startsWith("ec2:") || a.startsWith("acm:"));
      if (actions.stream().anyMatch(a -> a.matches(".*:Create[A-Za-z]+") && !a.equals("ec2:CreateTags"))) {
        assertThat(taggedRequest).as("creation in %s needs this cluster's tag in the request", statement.getString("Sid")).isTrue();
      }
      if (actions.contains("ec2:CreateTags") && !ownedResource) {
        assertThat(statement.getJsonObject("Condition").getJsonObject("StringEquals").getValue("ec2:CreateAction"))
            .as("CreateTags on groups not yet tagged is for creation only").isNotNull();
      }
    }
  }

  @Test
  void kustomizeFillsInTheClusterNameFromControllerEnv() throws IOException {
    String kustomization = Files.readString(REPO.resolve("deploy/kustomization.yaml"));
    assertThat(Files.readString(REPO.resolve("deploy/iam-policy.json"))).contains(IamPolicy.CLUSTER_PLACEHOLDER);
    assertThat(Files.readString(REPO.resolve("deploy/controller.env"))).containsPattern("(?m)^ALB_CLUSTER_NAME=");
    assertThat(kustomization).contains("iam-policy.json").contains("name: ALB_CLUSTER_NAME").contains("fieldpath: data.ALB_CLUSTER_NAME");
    String rendered = IamPolicy.read(REPO).forCluster("prod-eu").text();
    assertThat(rendered).doesNotContain("$(").contains("\"prod-eu\"");
  }

  // --- each statement's conditions, evaluated for requests it must allow and requests it must refuse ---

  private static final String CLUSTER = "cluster-a";
  private static final String OTHER = "cluster-b";
  private static final String LB = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-shop-alpha-0123456789/50dc6c495c0c9188";
  private static final String TG = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-shop-web-0123456789/73e2d6bc24d8a067";
  private static final String LISTENER = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/k8s-shop-alpha-0123456789/50dc6c495c0c9188/f2f7dc8efc522ab2";
  private static final String RULE = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/k8s-shop-alpha-0123456789/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
  private static final String CLUSTER_TAG = "elbv2.k8s.aws/cluster";

  private static Map<String, String> ours() {
    return Map.of(CLUSTER_TAG, CLUSTER, "ingress.k8s.aws/stack", "shop/alpha");
  }

  private static Map<String, String> theirs() {
    return Map.of(CLUSTER_TAG, OTHER, "ingress.k8s.aws/stack", "shop/alpha");
  }

  private static IamPolicy.Request on(String action, String resource, Map<String, String> resourceTags) {
    return new IamPolicy.Request("elasticloadbalancing:" + action, resource, resourceTags, Map.of(), List.of(), Map.of());
  }

  private static IamPolicy.Request create(String action, String resource, Map<String, String> resourceTags, Map<String, String> requestTags) {
    return new IamPolicy.Request("elasticloadbalancing:" + action, resource, resourceTags, requestTags, List.of(), Map.of());
  }

  private static IamPolicy.Request tagOnCreate(String createAction, String resource, Map<String, String> requestTags) {
    return new IamPolicy.Request("elasticloadbalancing:AddTags", resource, Map.of(), requestTags, List.of(),
        Map.of("elasticloadbalancing:CreateAction", createAction));
  }

  private static IamPolicy.Request removeTags(String resource, Map<String, String> resourceTags, String... keys) {
    return new IamPolicy.Request("elasticloadbalancing:RemoveTags", resource, resourceTags, Map.of(), List.of(keys), Map.of());
  }

  private record Example(String why, IamPolicy.Request request) {}

  private static List<Example> allowed() {
    return List.of(
        new Example("read anything", on("DescribeLoadBalancers", "*", Map.of())),
        new Example("create an ALB tagged for this cluster", create("CreateLoadBalancer", LB, Map.of(), ours())),
        new Example("create a target group tagged for this cluster", create("CreateTargetGroup", TG, Map.of(), ours())),
        new Example("tags given at create", tagOnCreate("CreateLoadBalancer", LB, ours())),
        new Example("tags given at listener create", tagOnCreate("CreateListener", LISTENER, ours())),
        new Example("a listener on this cluster's ALB", create("CreateListener", LB, ours(), ours())),
        new Example("a rule on this cluster's listener", create("CreateRule", LISTENER, ours(), ours())),
        new Example("retag this cluster's ALB", create("AddTags", LB, ours(), Map.of("ingress.k8s.aws/model-hash", "ab12"))),
        new Example("untag this cluster's target group", removeTags(TG, ours(), "team")),
        new Example("delete this cluster's ALB", on("DeleteLoadBalancer", LB, ours())),
        new Example("register targets in this cluster's target group", on("RegisterTargets", TG, ours())),
        new Example("register targets in a user's target group bound by a TargetGroupBinding", on("RegisterTargets", TG, Map.of())),
        new Example("deregister targets from a user's target group", on("DeregisterTargets", TG, Map.of())),
        new Example("change this cluster's rule", on("ModifyRule", RULE, ours())),
        new Example("move this cluster's rule", on("SetRulePriorities", RULE, ours())),
        new Example("delete this cluster's listener", on("DeleteListener", LISTENER, ours())),
        new Example("attach a web ACL to this cluster's ALB", on("SetWebAcl", LB, ours())),
        new Example("associate a WAFv2 web ACL", new IamPolicy.Request("wafv2:AssociateWebACL", "*", Map.of(), Map.of(), List.of(), Map.of())),
        new Example("read security groups", ec2("DescribeSecurityGroups", "*", Map.of(), Map.of(), Map.of())),
        new Example("create a security group tagged for this cluster", ec2("CreateSecurityGroup", "*", Map.of(), ours(), Map.of())),
        new Example("tags given at security group create", ec2("CreateTags", SG, Map.of(), ours(), Map.of("ec2:CreateAction", "CreateSecurityGroup"))),
        new Example("retag this cluster's security group", ec2("CreateTags", SG, ours(), Map.of("team", "x"), Map.of())),
        new Example("delete this cluster's security group", ec2("DeleteSecurityGroup", SG, ours(), Map.of(), Map.of())),
        new Example("admit the backend group on a node's group", ec2("AuthorizeSecurityGroupIngress", SG, Map.of(), Map.of(), Map.of())),
        new Example("import a Secret's certificate tagged for this cluster", acm("ImportCertificate", "*", Map.of(), ours())),
        new Example("tags given at import", acm("AddTagsToCertificate", "*", Map.of(), ours())),
        new Example("re-import into this cluster's certificate", acm("ImportCertificate", CERTIFICATE, ours(), Map.of())),
        new Example("retag the digest of this cluster's certificate", acm("AddTagsToCertificate", CERTIFICATE, ours(),
            Map.of("gateway.k8s.aws.alb/secret-digest", "ab12"))),
        new Example("delete this cluster's imported certificate", acm("DeleteCertificate", CERTIFICATE, ours(), Map.of())),
        new Example("list a certificate's tags", acm("ListTagsForCertificate", CERTIFICATE, Map.of(), Map.of())));
  }

  private static final String CERTIFICATE = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-000000000001";

  private static IamPolicy.Request acm(String action, String resource, Map<String, String> resourceTags, Map<String, String> requestTags) {
    return new IamPolicy.Request("acm:" + action, resource, resourceTags, requestTags, List.copyOf(requestTags.keySet()), Map.of());
  }

  private static final String SG = "arn:aws:ec2:us-west-2:123456789012:security-group/sg-0123456789abcdef0";

  private static IamPolicy.Request ec2(String action, String resource, Map<String, String> resourceTags, Map<String, String> requestTags,
      Map<String, String> context) {
    return new IamPolicy.Request("ec2:" + action, resource, resourceTags, requestTags, List.copyOf(requestTags.keySet()), context);
  }

  private static List<Example> refused() {
    return List.of(
        new Example("create an ALB without the cluster tag", create("CreateLoadBalancer", LB, Map.of(), Map.of("team", "x"))),
        new Example("create an ALB tagged for another cluster", create("CreateLoadBalancer", LB, Map.of(), theirs())),
        new Example("create a target group tagged for another cluster", create("CreateTargetGroup", TG, Map.of(), theirs())),
        new Example("tags at create for another cluster", tagOnCreate("CreateTargetGroup", TG, theirs())),
        new Example("a listener on another cluster's ALB", create("CreateListener", LB, theirs(), ours())),
        new Example("a listener on an untagged ALB", create("CreateListener", LB, Map.of(), ours())),
        new Example("an untagged listener on this cluster's ALB", create("CreateListener", LB, ours(), Map.of())),
        new Example("a rule on another cluster's listener", create("CreateRule", LISTENER, theirs(), ours())),
        new Example("hand this cluster's ALB to another cluster", create("AddTags", LB, ours(), Map.of(CLUSTER_TAG, OTHER))),
        new Example("tag another cluster's ALB", create("AddTags", LB, theirs(), Map.of("team", "x"))),
        new Example("remove the cluster tag", removeTags(LB, ours(), CLUSTER_TAG)),
        new Example("remove the cluster tag among others", removeTags(TG, ours(), "team", CLUSTER_TAG)),
        new Example("untag another cluster's target group", removeTags(TG, theirs(), "team")),
        new Example("delete another cluster's ALB", on("DeleteLoadBalancer", LB, theirs())),
        new Example("delete an untagged ALB", on("DeleteLoadBalancer", LB, Map.of())),
        new Example("delete a target group bound by a TargetGroupBinding (not ours)", on("DeleteTargetGroup", TG, Map.of())),
        new Example("register targets in a load balancer", on("RegisterTargets", LB, Map.of())),
        new Example("change another cluster's rule", on("ModifyRule", RULE, theirs())),
        new Example("move another cluster's rule", on("SetRulePriorities", RULE, theirs())),
        new Example("an action the controller never calls", on("ModifyCapacityReservation", LB, ours())),
        new Example("attach a web ACL to another cluster's ALB", on("SetWebAcl", LB, theirs())),
        new Example("create a security group for another cluster", ec2("CreateSecurityGroup", "*", Map.of(), theirs(), Map.of())),
        new Example("delete another cluster's security group", ec2("DeleteSecurityGroup", SG, theirs(), Map.of(), Map.of())),
        new Example("hand this cluster's security group to another cluster", ec2("CreateTags", SG, ours(), theirs(), Map.of())),
        new Example("import a certificate without the cluster tag", acm("ImportCertificate", "*", Map.of(), Map.of("team", "x"))),
        new Example("import a certificate for another cluster", acm("ImportCertificate", "*", Map.of(), theirs())),
        new Example("re-import into another cluster's certificate", acm("ImportCertificate", CERTIFICATE, theirs(), Map.of())),
        new Example("re-import into a certificate that is not ours", acm("ImportCertificate", CERTIFICATE, Map.of(), Map.of())),
        new Example("hand this cluster's certificate to another cluster", acm("AddTagsToCertificate", CERTIFICATE, ours(), theirs())),
        new Example("delete another cluster's certificate", acm("DeleteCertificate", CERTIFICATE, theirs(), Map.of())),
        new Example("delete a certificate that is not ours", acm("DeleteCertificate", CERTIFICATE, Map.of(), Map.of())));
  }

  @Test
  void eachStatementAllowsThisClustersRequestsAndRefusesTheOthers() throws IOException {
    IamPolicy policy = IamPolicy.read(REPO).forCluster(CLUSTER);
    for (Example e : allowed()) {
      assertThat(policy.allows(e.request())).as("allowed: " + e.why()).isTrue();
    }
    for (Example e : refused()) {
      assertThat(policy.allows(e.request())).as("refused: " + e.why() + ", allowed by " + policy.allowingStatements(e.request())).isFalse();
    }
    Set<String> used = new TreeSet<>();
    allowed().forEach(e -> used.addAll(policy.allowingStatements(e.request())));
    Set<String> all = new TreeSet<>();
    policy.statements().forEach(s -> all.add(((JsonObject) s).getString("Sid")));
    assertThat(used).as("every statement is exercised by an allowed example").isEqualTo(all);
  }

  @Test
  void theTemplateItselfAllowsNoCluster() throws IOException {
    IamPolicy template = IamPolicy.read(REPO);
    assertThat(template.allows(create("CreateLoadBalancer", LB, Map.of(), ours()))).isFalse();
    assertThat(template.allows(on("DeleteLoadBalancer", LB, ours()))).isFalse();
  }

  @Test
  void theEvaluatorFollowsIamSemantics() {
    IamPolicy.Request untagged = on("DeleteLoadBalancer", LB, Map.of());
    IamPolicy.Request tagged = on("DeleteLoadBalancer", LB, ours());
    JsonObject isNull = new JsonObject().put("Null", new JsonObject().put("aws:ResourceTag/" + CLUSTER_TAG, "true"));
    assertThat(IamPolicy.conditionsHold(isNull, untagged)).isTrue();
    assertThat(IamPolicy.conditionsHold(isNull, tagged)).isFalse();
    JsonObject notEquals = new JsonObject().put("StringNotEquals", new JsonObject().put("aws:ResourceTag/" + CLUSTER_TAG, CLUSTER));
    assertThat(IamPolicy.conditionsHold(notEquals, untagged)).as("a missing key satisfies a negated operator").isTrue();
    JsonObject equals = new JsonObject().put("StringEquals", new JsonObject().put("aws:ResourceTag/" + CLUSTER_TAG, CLUSTER));
    assertThat(IamPolicy.conditionsHold(equals, untagged)).isFalse();
    JsonObject forAll = new JsonObject().put("ForAllValues:StringNotEquals", new JsonObject().put("aws:TagKeys", CLUSTER_TAG));
    assertThat(IamPolicy.conditionsHold(forAll, removeTags(LB, ours(), "a", "b"))).isTrue();
    assertThat(IamPolicy.conditionsHold(forAll, removeTags(LB, ours(), "a", CLUSTER_TAG))).isFalse();
    assertThat(IamPolicy.glob("arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*", LISTENER)).isTrue();
    assertThat(IamPolicy.glob("arn:aws:elasticloadbalancing:*:*:targetgroup/*/*", LB)).isFalse();
  }
}
