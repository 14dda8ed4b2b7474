package io.albingress.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.acm.AcmAsyncClient;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.shield.ShieldAsyncClient;
import software.amazon.awssdk.services.waf.regional.WafRegionalAsyncClient;
import software.amazon.awssdk.services.wafv2.Wafv2AsyncClient;

/**
 * deploy/iam-policy.json, how AWS SDK operations are named as IAM actions, and a small evaluator
 * of its statements for example requests (the condition operators the policy uses, with IAM's
 * semantics: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 */
public final class IamPolicy {
  /** The placeholder kustomize replaces with controller.env's ALB_CLUSTER_NAME (deploy/kustomization.yaml, vars). */
  public static final String CLUSTER_PLACEHOLDER = "$(ALB_CLUSTER_NAME)";

  /** IAM action prefix per SDK client the controller uses. */
  public static final Map<String, Class<?>> CLIENTS = Map.of(
      "elasticloadbalancing", ElasticLoadBalancingV2AsyncClient.class,
      "ec2", Ec2AsyncClient.class,
      "acm", AcmAsyncClient.class,
      "wafv2", Wafv2AsyncClient.class,
      "waf-regional", WafRegionalAsyncClient.class,
      "shield", ShieldAsyncClient.class);
  /** IAM action prefix per SDK service name (the {@code service} label of the AWS call metrics). */
  public static final Map<String, String> PREFIXES = Map.of(
      "ElasticLoadBalancingV2", "elasticloadbalancing",
      "Ec2", "ec2",
      "Acm", "acm",
      "Wafv2", "wafv2",
      "WafRegional", "waf-regional",
      "Shield", "shield");
  /**
   * Permissions AWS checks besides the called operation's own, by the operations that need them:
   * associating a web ACL with an ALB also needs elasticloadbalancing:SetWebAcl on it (AWS WAF
   * Developer Guide, "Permissions for AssociateWebACL"; the reference controller's policy has it).
   */
  public static final Map<String, Set<String>> IMPLIED = Map.of(
      "elasticloadbalancing:SetWebAcl", Set.of("wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
          "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL"));
  /** Services whose resources (web ACLs, protections) carry no cluster tag; the ALB side is guarded by SetWebAcl. */
  public static final Set<String> ADD_ON_PREFIXES = Set.of("wafv2", "waf-regional", "shield");

  private final JsonObject policy;

  private IamPolicy(JsonObject policy) {
    this.policy = policy;
  }

  public static IamPolicy read(Path repo) throws IOException {
    return new IamPolicy(new JsonObject(Files.readString(repo.resolve("deploy/iam-policy.json"))));
  }

  /** The policy as kustomize renders it for a cluster. */
  public IamPolicy forCluster(String clusterName) {
    return new IamPolicy(new JsonObject(policy.encode().replace(CLUSTER_PLACEHOLDER, clusterName)));
  }

  public String text() {
    return policy.encodePrettily();
  }

  /**
   * A request as IAM sees it: the action, the resource it acts on, that resource's tags, the tags in
   * the request (create, AddTags), the tag keys it names (RemoveTags) and other context keys
   * (e.g. elasticloadbalancing:CreateAction).
   */
  public record Request(String action, String resource, Map<String, String> resourceTags, Map<String, String> requestTags,
      List<String> tagKeys, Map<String, String> context) {
    public Request {
      tagKeys = tagKeys.isEmpty() ? List.copyOf(requestTags.keySet()) : tagKeys;
    }

    /** The values of a condition key; empty when the request has no such key. */
    List<String> values(String key) {
      if (key.startsWith("aws:ResourceTag/")) {
        return optional(resourceTags.get(key.substring("aws:ResourceTag/".length())));
      }
      if (key.startsWith("aws:RequestTag/")) {
        return optional(requestTags.get(key.substring("aws:RequestTag/".length())));
      }
      if (key.equals("aws:TagKeys")) {
        return tagKeys;
      }
      return optional(context.get(key));
    }

    private static List<String> optional(String value) {
      return value == null ? List.of() : List.of(value);
    }
  }

  /** Whether some Allow statement matches and no Deny does (IAM's evaluation for one identity policy). */
  public boolean allows(Request request) {
    boolean allowed = false;
    for (Object o : statements()) {
      JsonObject statement = (JsonObject) o;
      if (matches(statement, request)) {
        if ("Deny".equals(statement.getString("Effect"))) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }

  /** The Sids of the statements that allow a request. */
  public List<String> allowingStatements(Request request) {
    List<String> sids = new ArrayList<>();
    for (Object o : statements()) {
      JsonObject statement = (JsonObject) o;
      if ("Allow".equals(statement.getString("Effect")) && matches(statement, request)) {
        sids.add(statement.getString("Sid"));
      }
    }
    return sids;
  }

  static boolean matches(JsonObject statement, Request request) {
    return strings(statement.getValue("Action")).stream().anyMatch(a -> glob(a, request.action()))
        && strings(statement.getValue("Resource")).stream().anyMatch(r -> glob(r, request.resource()))
        && conditionsHold(statement.getJsonObject("Condition", new JsonObject()), request);
  }

  /** Every operator's every key must hold (IAM ANDs them); a key's listed values are ORed. */
  public static boolean conditionsHold(JsonObject conditions, Request request) {
    for (String operator : conditions.fieldNames()) {
      JsonObject keys = conditions.getJsonObject(operator);
      for (String key : keys.fieldNames()) {
        if (!holds(operator, strings(keys.getValue(key)), request.values(key))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(String operator, List<String> expected, List<String> actual) {
    if (operator.startsWith("ForAllValues:")) {
      String inner = operator.substring("ForAllValues:".length());
      return actual.stream().allMatch(v -> single(inner, expected, v));
    }
    if (operator.startsWith("ForAnyValue:")) {
      String inner = operator.substring("ForAnyValue:".length());
      return actual.stream().anyMatch(v -> single(inner, expected, v));
    }
    if (operator.equals("Null")) {
      boolean wantsAbsent = Boolean.parseBoolean(expected.get(0));
      return actual.isEmpty() == wantsAbsent;
    }
    if (actual.size() > 1) {
      throw new IllegalArgumentException(operator + " on a multivalued key needs ForAllValues/ForAnyValue");
    }
    if (actual.isEmpty()) {
      // a missing key satisfies only the negated operators
      return operator.startsWith("StringNot");
    }
    return single(operator, expected, actual.get(0));
  }

  private static boolean single(String operator, List<String> expected, String value) {
    return switch (operator) {
      case "StringEquals" -> expected.contains(value);
      case "StringNotEquals" -> !expected.contains(value);
      case "StringLike" -> expected.stream().anyMatch(e -> glob(e, value));
      case "StringNotLike" -> expected.stream().noneMatch(e -> glob(e, value));
      default -> throw new IllegalArgumentException("condition operator " + operator + " is not known to IamPolicy; add it");
    };
  }

  /** IAM wildcards: * any run of characters, ? one character. */
  public static boolean glob(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
    }
    return value.matches(regex.toString());
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof JsonArray a) {
      return a.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  public JsonArray statements() {
    return policy.getJsonArray("Statement");
  }

  /** Every action some Allow statement names, e.g. {@code elasticloadbalancing:CreateLoadBalancer}. */
  public Set<String> actions() {
    Set<String> all = new TreeSet<>();
    for (Object s : statements()) {
      Object action = ((JsonObject) s).getValue("Action");
      if (action instanceof JsonArray a) {
        a.forEach(x -> all.add((String) x));
      } else {
        all.add((String) action);
      }
    }
    return all;
  }

  /** The IAM action of an SDK call as the call metrics name it, e.g. (Ec2, DescribeSubnets) -> ec2:DescribeSubnets. */
  public static String action(String sdkService, String operation) {
    String prefix = PREFIXES.get(sdkService);
    if (prefix == null) {
      throw new IllegalArgumentException("no IAM prefix known for AWS service " + sdkService + "; add it to IamPolicy.PREFIXES");
    }
    return prefix + ":" + operation;
  }
}
