package io.albingress.model;

import java.util.Map;

/** An EC2 subnet as the controller sees it: enough to resolve names and discover by tags. */
public record Subnet(String id, String availabilityZone, String vpcId, Map<String, String> tags) {
  public static final String ROLE_ELB = "kubernetes.io/role/elb";
  public static final String ROLE_INTERNAL_ELB = "kubernetes.io/role/internal-elb";
  public static final String CLUSTER_TAG_PREFIX = "kubernetes.io/cluster/";

  public String name() {
    return tags.getOrDefault("Name", "");
  }
}
