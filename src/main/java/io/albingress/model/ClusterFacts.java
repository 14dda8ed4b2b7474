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
    Map<String, String> defaultTags) {}
