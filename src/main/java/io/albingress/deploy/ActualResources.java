package io.albingress.deploy;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/** What exists in AWS, as discovered by our tags. */
public final class ActualResources {
  private ActualResources() {}

  public record LoadBalancer(String arn, String name, String dnsName, String scheme, String ipAddressType,
      List<String> subnetIds, List<String> securityGroups, Map<String, String> tags) {}

  public record TargetGroup(String arn, String name, String protocol, String protocolVersion, int port, String targetType,
      HealthCheckState healthCheck, List<String> loadBalancerArns, Map<String, String> tags) {}

  public record HealthCheckState(String protocol, String port, String path, int interval, int timeout, int healthy, int unhealthy, String codes) {}

  public record Listener(String arn, int port, String protocol, List<Action> defaultActions, List<String> certificateArns, String sslPolicy) {}

  public record Rule(String arn, int priority, List<RuleCondition> conditions, List<Action> actions) {}
}
