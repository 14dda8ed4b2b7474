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
    assertThat(IamPolicy.read(REPO).actions()).as("actions in deploy/iam-policy.json").containsExactlyInAnyOrderElementsOf(called);
  }

  @Test
  void everyActionIsAnOperationOfTheSdk() throws IOException {
    for (String action : IamPolicy.read(REPO).actions()) {
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
  void mutatingElbActionsRequireTheClusterTag() throws IOException {
    for (Object o : IamPolicy.read(REPO).statements()) {
      JsonObject statement = (JsonObject) o;
      assertThat(statement.getString("Effect")).isEqualTo("Allow");
      List<String> actions = statement.getValue("Action") instanceof String s ? List.of(s)
          : statement.getJsonArray("Action").stream().map(String.class::cast).toList();
      boolean readOnly = actions.stream().allMatch(a -> a.matches("[a-z0-9]+:(Describe|List|Get)[A-Za-z]+"));
      // the nodes' and pods' groups are not ours: our rules there are told apart by their description, which IAM cannot see
      boolean rulesOnTargetGroups = Set.of("ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress").containsAll(actions);
      if (readOnly || rulesOnTargetGroups) {
        continue;
      }
      JsonObject nulls = statement.getJsonObject("Condition", new JsonObject()).getJsonObject("Null", new JsonObject());
      boolean ownedResource = "false".equals(nulls.getString("aws:ResourceTag/elbv2.k8s.aws/cluster"));
      boolean taggedRequest = "false".equals(nulls.getString("aws:RequestTag/elbv2.k8s.aws/cluster"));
      assertThat(ownedResource || taggedRequest).as("statement %s must need the cluster tag on the resource or the request",
          statement.getString("Sid")).isTrue();
      assertThat(actions).as(statement.getString("Sid")).allMatch(a -> a.startsWith("elasticloadbalancing:") || a.startsWith("ec2:"));
      if (actions.stream().anyMatch(a -> a.matches(".*:Create[A-Za-z]+") && !a.equals("ec2:CreateTags"))) {
        assertThat(taggedRequest).as("creation in %s needs the cluster tag in the request", statement.getString("Sid")).isTrue();
      }
      if (actions.contains("elasticloadbalancing:AddTags") && !ownedResource) {
        assertThat(statement.getJsonObject("Condition").getJsonObject("StringEquals").getValue("elasticloadbalancing:CreateAction"))
            .as("AddTags on resources not yet tagged is for creation only").isNotNull();
      }
      if (actions.contains("ec2:CreateTags") && !ownedResource) {
        assertThat(statement.getJsonObject("Condition").getJsonObject("StringEquals").getValue("ec2:CreateAction"))
            .as("CreateTags on groups not yet tagged is for creation only").isNotNull();
      }
    }
  }
}
