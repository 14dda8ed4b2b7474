package io.albingress.model;

import java.util.List;
import java.util.Map;

/**
 * AWS and cluster facts the builder needs, fetched beforehand so building stays pure. Subnets and
 * certificates are unknown only offline (plan), where the stack shows what would be discovered.
 */
public record ClusterFacts(
    String clusterName,
    String region,
    String vpcId,
    Known<List<Subnet>> subnets,
    Known<List<Certificate>> certificates,
    Map<String, String> defaultTags) {

  /**
   * Without these certificates for discovery: the ones imported from Gateway listeners' tls.certificateRefs serve
   * those listeners only (picked for another host, one would be in use there and could never be deleted).
   */
  public ClusterFacts withoutCertificates(java.util.Set<String> arns) {
    if (arns.isEmpty() || !certificates.known()) {
      return this;
    }
    return new ClusterFacts(clusterName, region, vpcId, subnets,
        Known.of(certificates.get().stream().filter(c -> !arns.contains(c.arn())).toList()), defaultTags);
  }
}
