package io.albingress.validation;

import io.albingress.model.Certificate;
import io.albingress.model.Known;
import io.albingress.model.SecurityGroupSummary;
import io.albingress.model.Subnet;
import java.util.List;

/** What AWS said about the subnets and security groups of the cluster's VPC and the region's ACM certificates. */
public record AwsFacts(Known<List<Subnet>> subnets, Known<List<Certificate>> certificates, Known<List<SecurityGroupSummary>> securityGroups) {

  /** Without a security-group lookup (`security-groups` is then not verified). */
  public AwsFacts(Known<List<Subnet>> subnets, Known<List<Certificate>> certificates) {
    this(subnets, certificates, Known.unknown("security groups were not looked up"));
  }

  public static AwsFacts unknown(String reason) {
    return new AwsFacts(Known.unknown(reason), Known.unknown(reason), Known.unknown(reason));
  }

  /** Which lookups validating an Ingress needs; the webhook makes no AWS call for the others. */
  public record Needs(boolean subnets, boolean certificates, boolean securityGroups) {
    public Needs(boolean subnets, boolean certificates) {
      this(subnets, certificates, false);
    }

    public boolean any() {
      return subnets || certificates || securityGroups;
    }
  }
}
