package io.albingress.deploy;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/** SDK shapes to our actual-state records. */
final class Convert {
  private Convert() {}

  static ActualResources.LoadBalancer loadBalancer(LoadBalancer lb, Map<String, String> tags) {
    List<String> subnets = lb.availabilityZones().stream().map(AvailabilityZone::subnetId).sorted().toList();
    return new ActualResources.LoadBalancer(lb.loadBalancerArn(), lb.loadBalancerName(), lb.dnsName(),
        lb.schemeAsString(), lb.ipAddressTypeAsString(), subnets, lb.securityGroups().stream().sorted().toList(), tags);
  }

  static ActualResources.TargetGroup targetGroup(TargetGroup tg, Map<String, String> tags) {
    String codes = tg.matcher() == null ? "" : tg.matcher().httpCode() != null ? tg.matcher().httpCode() : tg.matcher().grpcCode();
    ActualResources.HealthCheckState hc = new ActualResources.HealthCheckState(tg.healthCheckProtocolAsString(), tg.healthCheckPort(),
        tg.healthCheckPath(), n(tg.healthCheckIntervalSeconds()), n(tg.healthCheckTimeoutSeconds()), n(tg.healthyThresholdCount()),
        n(tg.unhealthyThresholdCount()), codes);
    return new ActualResources.TargetGroup(tg.targetGroupArn(), tg.targetGroupName(), tg.protocolAsString(), tg.protocolVersion(),
        n(tg.port()), tg.targetTypeAsString(), hc, tg.loadBalancerArns(), tags);
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
