package io.albingress.validation;

import io.albingress.model.Certificate;
import io.albingress.model.Known;
import io.albingress.model.SecurityGroupSummary;
import io.albingress.model.Subnet;
import java.util.List;
import java.util.Map;

/**
 * What AWS said about the subnets and security groups of the cluster's VPC and the region's ACM
 * certificates, and which explicitly named items (certificate ARNs, subnet IDs) missing from those
 * lists AWS could neither confirm nor deny (item -> why), so validation warns about them instead of
 * denying.
 */
public record AwsFacts(Known<List<Subnet>> subnets, Known<List<Certificate>> certificates,
    Known<List<SecurityGroupSummary>> securityGroups, Map<String, String> unverified) {

  public AwsFacts(Known<List<Subnet>> subnets, Known<List<Certificate>> certificates, Map<String, String> unverified) {
    this(subnets, certificates, Known.unknown("security groups were not looked up"), unverified);
  }

  /** Without a security-group lookup (`security-groups` is then not verified). */
  public AwsFacts(Known<List<Subnet>> subnets, Known<List<Certificate>> certificates, Known<List<SecurityGroupSummary>> securityGroups) {
    this(subnets, certificates, securityGroups, Map.of());
  }

  public AwsFacts(Known<List<Subnet>> subnets, Known<List<Certificate>> certificates) {
    this(subnets, certificates, Known.unknown("security groups were not looked up"), Map.of());
  }

  public static AwsFacts unknown(String reason) {
    return new AwsFacts(Known.unknown(reason), Known.unknown(reason), Known.unknown(reason));
  }

  /**
   * Which lookups validating an Ingress needs; the webhook makes no AWS call for the others. The
   * subnet IDs and certificate ARNs named explicitly are looked up one by one when the cached lists
   * lack them, so a resource created after the cache was filled is never denied.
   */
  public record Needs(boolean subnets, boolean certificates, boolean securityGroups, List<String> subnetIds,
      List<String> certificateArns) {
    public Needs(boolean subnets, boolean certificates, List<String> subnetIds, List<String> certificateArns) {
      this(subnets, certificates, false, subnetIds, certificateArns);
    }

    public Needs(boolean subnets, boolean certificates, boolean securityGroups) {
      this(subnets, certificates, securityGroups, List.of(), List.of());
    }

    public Needs(boolean subnets, boolean certificates) {
      this(subnets, certificates, false, List.of(), List.of());
    }

    public boolean any() {
      return subnets || certificates || securityGroups;
    }
  }
}
