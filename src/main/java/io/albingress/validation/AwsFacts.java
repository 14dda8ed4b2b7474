package io.albingress.validation;

import io.albingress.model.Certificate;
import io.albingress.model.Known;
import io.albingress.model.Subnet;
import java.util.List;

/** What AWS said about the subnets of the cluster's VPC and the region's ACM certificates. */
public record AwsFacts(Known<List<Subnet>> subnets, Known<List<Certificate>> certificates) {

  public static AwsFacts unknown(String reason) {
    return new AwsFacts(Known.unknown(reason), Known.unknown(reason));
  }

  /** Which lookups validating an Ingress needs; the webhook makes no AWS call for the others. */
  public record Needs(boolean subnets, boolean certificates) {
    public boolean any() {
      return subnets || certificates;
    }
  }
}
