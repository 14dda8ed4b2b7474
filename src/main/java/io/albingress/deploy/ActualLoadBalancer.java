package io.albingress.deploy;

import java.util.List;
import java.util.Map;

/** A load balancer as AWS has it, found by our tags. */
public record ActualLoadBalancer(String arn, String name, String dnsName, String scheme, String ipAddressType,
    List<String> subnetIds, List<String> securityGroups, Map<String, String> tags) {

  public ActualLoadBalancer withTags(Map<String, String> newTags) {
    return new ActualLoadBalancer(arn, name, dnsName, scheme, ipAddressType, subnetIds, securityGroups, Map.copyOf(newTags));
  }
}
