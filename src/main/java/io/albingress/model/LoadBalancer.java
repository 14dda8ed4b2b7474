package io.albingress.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.Scheme;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ALB of a stack. Scheme is immutable in AWS: changing it replaces the load balancer.
 * The add-ons (WAFv2 by ARN or name, WAF Classic, Shield Advanced) are empty when no member sets them,
 * which leaves the load balancer's current setting alone; "none" / false removes it.
 */
public record LoadBalancer(
    String resourceId,
    String name,
    Scheme scheme,
    IpAddressType ipAddressType,
    List<String> subnetIds,
    List<String> securityGroups,
    Map<String, String> attributes,
    Optional<String> wafv2AclArn,
    Optional<Boolean> shieldAdvancedProtection,
    // left out of the JSON when absent: the model hash tagged on live load balancers stays as it was
    @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> wafv2AclName,
    @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> wafAclId,
    Map<String, String> tags) {
  public static final String RESOURCE_ID = "LoadBalancer";

  /** The same load balancer with the security groups resolved at deploy time (managed or named ones). */
  public LoadBalancer withSecurityGroups(List<String> groups) {
    return new LoadBalancer(resourceId, name, scheme, ipAddressType, subnetIds, groups, attributes, wafv2AclArn,
        shieldAdvancedProtection, wafv2AclName, wafAclId, tags);
  }

  /** The same load balancer with one more tag. */
  public LoadBalancer withTag(String key, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(tags);
    more.put(key, value);
    return new LoadBalancer(resourceId, name, scheme, ipAddressType, subnetIds, securityGroups, attributes, wafv2AclArn,
        shieldAdvancedProtection, wafv2AclName, wafAclId, more);
  }
}
