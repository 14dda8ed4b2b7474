package io.albingress.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Everything of one cluster that AWS holds, read back with the plain SDK and written as JSON a
 * person can compare with a golden file: load balancers keyed by their stack tag, listeners by
 * protocol:port (certificates, SSL policy, default actions, rules in priority order with their
 * conditions and actions), target groups keyed by "stack resource" tags (health check, attributes,
 * targets, tags). ARNs of our own resources become those keys, so the JSON holds no random IDs; the
 * model-hash tag (an implementation detail) is left out. Test code: it blocks.
 */
public final class AwsContent {
  private static final String CLUSTER_TAG = "elbv2.k8s.aws/cluster";
  private static final String STACK_TAG = "ingress.k8s.aws/stack";
  private static final String RESOURCE_TAG = "ingress.k8s.aws/resource";
  private static final String HASH_TAG = "ingress.k8s.aws/model-hash";
  /**
   * A cache marker, not desired state: written 5 s after a target group's targets settle, removed
   * before they change, so whether a snapshot has it depends on timing (TargetsHashTest covers its value).
   */
  private static final String TARGETS_HASH_TAG = "ingress.k8s.aws/targets-hash";

  private AwsContent() {}

  /** The cluster's resources; a duplicate (two resources with one key) shows as a key suffixed " #2". */
  public static JsonObject read(MotoElbv2 aws, String clusterName) {
    Map<String, String> tgKeys = new TreeMap<>();
    JsonObject targetGroups = new JsonObject();
    for (TargetGroup tg : aws.targetGroups()) {
      Map<String, String> tags = aws.tags(tg.targetGroupArn());
      if (!clusterName.equals(tags.get(CLUSTER_TAG))) {
        continue;
      }
      String key = unique(targetGroups, tags.get(STACK_TAG) + " " + tags.getOrDefault(RESOURCE_TAG, tg.targetGroupName()));
      tgKeys.put(tg.targetGroupArn(), key);
      targetGroups.put(key, targetGroup(aws, tg, tags));
    }
    JsonObject loadBalancers = new JsonObject();
    for (LoadBalancer lb : aws.loadBalancers()) {
      Map<String, String> tags = aws.tags(lb.loadBalancerArn());
      if (!clusterName.equals(tags.get(CLUSTER_TAG))) {
        continue;
      }
      loadBalancers.put(unique(loadBalancers, tags.getOrDefault(STACK_TAG, lb.loadBalancerName())), loadBalancer(aws, lb, tags, tgKeys));
    }
    return new JsonObject().put("loadBalancers", sorted(loadBalancers)).put("targetGroups", sorted(targetGroups));
  }

  /** A golden file with its placeholders (${name}) filled in. */
  public static JsonObject golden(Path file, Map<String, String> values) throws java.io.IOException {
    String text = Files.readString(file);
    for (Map.Entry<String, String> e : values.entrySet()) {
      text = text.replace("${" + e.getKey() + "}", e.getValue());
    }
    if (text.contains("${")) {
      throw new IllegalArgumentException(file + " has a placeholder no value was given for: "
          + text.substring(text.indexOf("${"), Math.min(text.length(), text.indexOf("${") + 40)));
    }
    return new JsonObject(text);
  }

  private static JsonObject loadBalancer(MotoElbv2 aws, LoadBalancer lb, Map<String, String> tags, Map<String, String> tgKeys) {
    JsonObject listeners = new JsonObject();
    for (Listener l : aws.listeners(lb.loadBalancerArn())) {
      JsonObject listener = new JsonObject()
          .put("tags", tags(aws.tags(l.listenerArn())))
          .put("certificates", new JsonArray(certificates(aws, l)))
          // ELBv2 uses an SSL policy only on HTTPS listeners (moto reports one on HTTP listeners too)
          .put("sslPolicy", "HTTPS".equals(l.protocolAsString()) ? l.sslPolicy() : null)
          .put("defaultActions", actions(l.defaultActions(), tgKeys, aws))
          .put("rules", new JsonArray(aws.rules(l.listenerArn()).stream()
              .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.priority())))
              .map(r -> rule(r, tgKeys, aws)).toList()));
      listeners.put(unique(listeners, l.protocolAsString() + ":" + l.port()), listener);
    }
    return new JsonObject()
        .put("scheme", lb.schemeAsString())
        .put("type", lb.typeAsString())
        .put("ipAddressType", lb.ipAddressTypeAsString())
        .put("tags", tags(tags))
        .put("attributes", new JsonObject(new TreeMap<>(aws.loadBalancerAttributes(lb.loadBalancerArn()))))
        .put("listeners", sorted(listeners));
  }

  /** The default certificate first, then the others (SNI) in ARN order. */
  private static List<Object> certificates(MotoElbv2 aws, Listener l) {
    List<Certificate> all = aws.listenerCertificates(l.listenerArn());
    List<Object> out = new java.util.ArrayList<>();
    l.certificates().stream().map(Certificate::certificateArn).forEach(out::add);
    all.stream().filter(c -> !Boolean.TRUE.equals(c.isDefault())).map(Certificate::certificateArn)
        .filter(arn -> !out.contains(arn)).sorted().forEach(out::add);
    return out;
  }

  private static JsonObject rule(Rule r, Map<String, String> tgKeys, MotoElbv2 aws) {
    return new JsonObject()
        .put("priority", Integer.parseInt(r.priority()))
        .put("conditions", new JsonArray(r.conditions().stream().map(AwsContent::condition).toList()))
        .put("actions", actions(r.actions(), tgKeys, aws))
        .put("tags", tags(aws.tags(r.ruleArn())));
  }

  private static JsonObject condition(RuleCondition c) {
    JsonObject out = new JsonObject().put("field", c.field());
    if (c.pathPatternConfig() != null && c.pathPatternConfig().hasValues()) {
      out.put("values", new JsonArray(c.pathPatternConfig().values()));
    } else if (c.hostHeaderConfig() != null && c.hostHeaderConfig().hasValues()) {
      out.put("values", new JsonArray(c.hostHeaderConfig().values()));
    } else if (c.hasValues()) {
      out.put("values", new JsonArray(c.values()));
    }
    return out;
  }

  private static JsonArray actions(List<Action> actions, Map<String, String> tgKeys, MotoElbv2 aws) {
    JsonArray out = new JsonArray();
    actions.stream().sorted(Comparator.comparing(a -> a.order() == null ? 0 : a.order())).forEach(a -> {
      JsonObject action = new JsonObject().put("type", a.typeAsString());
      if (a.fixedResponseConfig() != null) {
        action.put("statusCode", a.fixedResponseConfig().statusCode()).put("contentType", a.fixedResponseConfig().contentType())
            .put("messageBody", a.fixedResponseConfig().messageBody());
      }
      if (a.redirectConfig() != null) {
        var r = a.redirectConfig();
        action.put("redirect", new JsonObject().put("protocol", r.protocol()).put("port", r.port()).put("host", r.host())
            .put("path", r.path()).put("query", r.query()).put("statusCode", r.statusCodeAsString()));
      }
      if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups()) {
        action.put("forward", new JsonArray(a.forwardConfig().targetGroups().stream()
            .map(t -> new JsonObject().put("targetGroup", tgKeys.getOrDefault(t.targetGroupArn(), "not ours: " + t.targetGroupArn()))
                .put("weight", t.weight()))
            .toList()));
      } else if (a.targetGroupArn() != null) {
        action.put("forward", new JsonArray().add(new JsonObject()
            .put("targetGroup", tgKeys.getOrDefault(a.targetGroupArn(), "not ours: " + a.targetGroupArn())).put("weight", 1)));
      }
      out.add(action);
    });
    return out;
  }

  private static JsonObject targetGroup(MotoElbv2 aws, TargetGroup tg, Map<String, String> tags) {
    JsonObject health = new JsonObject()
        .put("protocol", tg.healthCheckProtocolAsString())
        .put("port", tg.healthCheckPort())
        .put("path", tg.healthCheckPath())
        .put("intervalSeconds", tg.healthCheckIntervalSeconds())
        .put("timeoutSeconds", tg.healthCheckTimeoutSeconds())
        .put("healthyThreshold", tg.healthyThresholdCount())
        .put("unhealthyThreshold", tg.unhealthyThresholdCount())
        .put("matcher", tg.matcher() == null ? null : tg.matcher().httpCode() != null ? tg.matcher().httpCode() : tg.matcher().grpcCode());
    String targets = aws.targets(tg.targetGroupArn()).keySet().stream().sorted().collect(Collectors.joining(","));
    return new JsonObject()
        .put("protocol", tg.protocolAsString())
        .put("protocolVersion", tg.protocolVersion())
        .put("port", tg.port())
        .put("targetType", tg.targetTypeAsString())
        .put("healthCheck", health)
        .put("attributes", new JsonObject(new TreeMap<>(aws.targetGroupAttributes(tg.targetGroupArn()))))
        .put("targets", targets)
        .put("tags", tags(tags));
  }

  private static JsonObject tags(Map<String, String> tags) {
    Map<String, Object> kept = new TreeMap<>(tags);
    kept.remove(HASH_TAG);
    kept.remove(TARGETS_HASH_TAG);
    return new JsonObject(kept);
  }

  private static JsonObject sorted(JsonObject o) {
    return new JsonObject(new TreeMap<>(o.getMap()));
  }

  private static String unique(JsonObject in, String key) {
    String k = key;
    for (int n = 2; in.containsKey(k); n++) {
      k = key + " #" + n;
    }
    return k;
  }
}
