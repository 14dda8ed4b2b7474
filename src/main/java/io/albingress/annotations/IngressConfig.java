package io.albingress.annotations;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an Ingress's annotations say about its load balancer, listeners and rules.
 * {@code wafv2AclArn} is a web ACL ARN, or {@link IngressAnnotations#WAFV2_NONE} to remove an association;
 * {@code wafv2AclName} and {@code wafAclId} (WAF Classic regional) likewise take {@code none}.
 */
public record IngressConfig(
    Optional<String> groupName,
    int groupOrder,
    Optional<String> loadBalancerName,
    Scheme scheme,
    IpAddressType ipAddressType,
    List<String> subnets,
    List<String> securityGroups,
    List<String> inboundCidrs,
    Map<String, String> tags,
    Map<String, String> loadBalancerAttributes,
    List<ListenPort> listenPorts,
    Optional<Integer> sslRedirectPort,
    List<String> certificateArns,
    Optional<String> sslPolicy,
    Optional<String> wafv2AclArn,
    Optional<Boolean> shieldAdvancedProtection,
    Optional<String> wafv2AclName,
    Optional<String> wafAclId,
    Map<String, Action> actions,
    Map<String, List<Condition>> conditions,
    Map<String, List<Transform>> transforms,
    boolean useRegexPathMatch,
    Map<Integer, MutualAuthentication> mutualAuthentication,
    Map<ListenPort, Map<String, String>> listenerAttributes) {

  /** Without mutual-authentication and listener-attributes.*. */
  public IngressConfig(Optional<String> groupName, int groupOrder, Optional<String> loadBalancerName, Scheme scheme,
      IpAddressType ipAddressType, List<String> subnets, List<String> securityGroups, List<String> inboundCidrs,
      Map<String, String> tags, Map<String, String> loadBalancerAttributes, List<ListenPort> listenPorts,
      Optional<Integer> sslRedirectPort, List<String> certificateArns, Optional<String> sslPolicy, Optional<String> wafv2AclArn,
      Optional<Boolean> shieldAdvancedProtection, Optional<String> wafv2AclName, Optional<String> wafAclId,
      Map<String, Action> actions, Map<String, List<Condition>> conditions, Map<String, List<Transform>> transforms,
      boolean useRegexPathMatch) {
    this(groupName, groupOrder, loadBalancerName, scheme, ipAddressType, subnets, securityGroups, inboundCidrs, tags,
        loadBalancerAttributes, listenPorts, sslRedirectPort, certificateArns, sslPolicy, wafv2AclArn, shieldAdvancedProtection,
        wafv2AclName, wafAclId, actions, conditions, transforms, useRegexPathMatch, Map.of(), Map.of());
  }

  /** listen-ports as written, or empty when the defaults (HTTP:80 / HTTPS:443) apply. */
  public boolean hasExplicitListenPorts() {
    return !listenPorts.isEmpty();
  }
}
