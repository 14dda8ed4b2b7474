package io.albingress.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.acm.AcmAsyncClient;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.shield.ShieldAsyncClient;
import software.amazon.awssdk.services.waf.regional.WafRegionalAsyncClient;
import software.amazon.awssdk.services.wafv2.Wafv2AsyncClient;

/** deploy/iam-policy.json, and how AWS SDK operations are named as IAM actions. */
public final class IamPolicy {
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
