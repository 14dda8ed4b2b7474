package io.albingress.deploy;

import java.util.List;
import java.util.Map;

/** A target group as AWS has it, found by our tags. */
public record ActualTargetGroup(String arn, String name, String protocol, String protocolVersion, int port, String targetType,
    HealthCheckState healthCheck, List<String> loadBalancerArns, Map<String, String> tags) {

  /** The health check fields that can be modified in place, in AWS's spelling. */
  public record HealthCheckState(String protocol, String port, String path, int interval, int timeout, int healthy, int unhealthy,
      String codes) {}
}
