package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.Formats;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.SecurityGroupAnnotations;
import io.albingress.model.SecurityGroupSummary;
import java.util.List;
import java.util.Map;

/** The security-group annotations: prefix lists well-formed, settings that have no effect warned, named groups found. */
final class SecurityGroupChecks {
  private SecurityGroupChecks() {}

  static void annotations(Map<String, String> annotations, IngressConfig config, Findings findings) {
    var parsed = SecurityGroupAnnotations.parse(annotations);
    findings.deny(parsed.errors());
    if (config.securityGroups().isEmpty()) {
      return;
    }
    // as in the reference controller: these shape only the group the controller manages
    for (String name : List.of("inbound-cidrs", "security-group-prefix-lists")) {
      if (annotations.containsKey(key(name))) {
        findings.warn(key(name) + " is not applied: " + key("security-groups") + " names the load balancer's groups, which this"
            + " controller does not manage; add the rules to those groups, or remove " + key("security-groups")
            + " to get a managed group");
      }
    }
  }

  /** Each named group must exist in the VPC: an ID as is, a name by its `Name` tag (exactly one). */
  static void namedGroups(IngressConfig config, AwsFacts aws, String vpcId, Findings findings) {
    if (config.securityGroups().isEmpty()) {
      return;
    }
    if (!aws.securityGroups().known()) {
      findings.warn("could not verify " + key("security-groups") + " " + config.securityGroups() + ": " + aws.securityGroups().unknownReason());
      return;
    }
    String vpc = vpcId.isEmpty() ? "" : " " + vpcId;
    List<SecurityGroupSummary> known = aws.securityGroups().get();
    for (String entry : config.securityGroups()) {
      boolean isId = Formats.SECURITY_GROUP_ID.matcher(entry).matches();
      if (!isId && entry.startsWith("sg-")) {
        continue; // a malformed ID, refused by the annotation parser
      }
      List<SecurityGroupSummary> matches = known.stream().filter(g -> isId ? g.id().equals(entry) : entry.equals(g.nameTag())).toList();
      if (matches.isEmpty()) {
        findings.deny(key("security-groups") + ": security group \"" + entry + "\" was not found in the cluster's VPC" + vpc
            + (isId ? "" : " (names are matched against the Name tag)"));
      } else if (matches.size() > 1) {
        findings.deny(key("security-groups") + ": the Name \"" + entry + "\" matches " + matches.size() + " security groups ("
            + String.join(", ", matches.stream().map(SecurityGroupSummary::id).toList()) + "); use group IDs");
      }
    }
  }
}
