package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.IngressAnnotations;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.ListenPort;
import io.albingress.annotations.Protocol;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressRoutes;
import io.albingress.model.ListenPorts;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates an Ingress for this controller: every problem that would fail later in AWS, or never
 * work, becomes a denial naming the field, the value and what is expected. Pure: cluster and AWS
 * state come in as arguments.
 */
public final class IngressValidator {
  private final IngressClassMatcher classes;
  private final AwsChecks awsChecks;
  private final String vpcId;

  /**
   * @param region the controller's AWS region, for ACM certificate ARNs
   * @param vpcId the cluster's VPC, named in messages (may be empty)
   */
  public IngressValidator(IngressClassMatcher classes, String region, String vpcId) {
    this.classes = classes;
    this.awsChecks = new AwsChecks(region, vpcId);
    this.vpcId = vpcId;
  }

  public IngressClassMatcher classes() {
    return classes;
  }

  /** The AWS lookups {@link #validate} will use for this Ingress; none for Ingresses of other classes. */
  public AwsFacts.Needs needs(Ingress ingress) {
    if (!classes.isOurs(ingress)) {
      return new AwsFacts.Needs(false, false);
    }
    IngressConfig config = IngressAnnotations.parse(annotations(ingress)).value();
    boolean wantsTls = wantsTls(ingress, config);
    boolean https = ListenPorts.effective(config, wantsTls).stream().anyMatch(p -> p.protocol() == Protocol.HTTPS);
    return new AwsFacts.Needs(!config.subnets().isEmpty(), https || !config.certificateArns().isEmpty(), !config.securityGroups().isEmpty());
  }

  public Verdict validate(Ingress ingress, ClusterView cluster, AwsFacts aws) {
    IngressClassMatcher.Match match = classes.match(ingress);
    if (match == IngressClassMatcher.Match.NOT_OURS) {
      return Verdict.allow();
    }
    Findings findings = new Findings();
    if (match == IngressClassMatcher.Match.OURS_LEGACY_ANNOTATION) {
      findings.warn("annotation " + AnnotationCatalog.LEGACY_CLASS + " is deprecated; set spec.ingressClassName: "
          + classes.className() + " instead");
    }
    Map<String, String> annotations = annotations(ingress);
    warnUnknownAnnotations(annotations, findings);
    var parsed = IngressAnnotations.parse(annotations);
    findings.deny(parsed.errors());
    IngressConfig config = parsed.value();
    denyIpv6Cidrs(annotations, config, findings);
    SecurityGroupChecks.annotations(annotations, config, findings);
    new BackendChecks(ingress, config, cluster, findings).run();
    awsChecks.subnets(config, aws, findings);
    SecurityGroupChecks.namedGroups(config, aws, vpcId, findings);
    awsChecks.certificates(ingress, config, wantsTls(ingress, config), aws, findings);
    new GroupChecks(ingress, config, cluster, classes, findings).run();
    return findings.verdict();
  }

  static boolean wantsTls(Ingress ingress, IngressConfig config) {
    return !config.certificateArns().isEmpty() || IngressRoutes.hasTls(ingress);
  }

  static Map<String, String> annotations(Ingress ingress) {
    Map<String, String> a = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  static String nameOf(Ingress ingress) {
    return ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
  }

  private static void warnUnknownAnnotations(Map<String, String> annotations, Findings findings) {
    for (String name : AnnotationCatalog.ourNames(annotations)) {
      if (AnnotationCatalog.isNotSupported(name)) {
        findings.warn(key(name) + " is not supported by this controller yet and is ignored");
      } else if (!AnnotationCatalog.isKnown(name)) {
        Optional<String> closest = AnnotationCatalog.closest(name);
        findings.warn(key(name) + " is not a known annotation and is ignored"
            + closest.map(c -> "; did you mean " + key(c) + "?").orElse(""));
      }
    }
  }

  /** IPv6 inbound-cidrs cannot open an ALB without IPv6 addresses: refused rather than silently dropped. */
  private static void denyIpv6Cidrs(Map<String, String> annotations, IngressConfig config, Findings findings) {
    List<String> v6 = config.inboundCidrs().stream().filter(c -> c.contains(":")).toList();
    // in a group another member may set ip-address-type for the shared ALB
    boolean ipv4 = config.ipAddressType() == IpAddressType.IPV4
        && (annotations.containsKey(key("ip-address-type")) || config.groupName().isEmpty());
    if (!v6.isEmpty() && ipv4) {
      findings.deny(key("inbound-cidrs") + ": IPv6 blocks " + v6 + " cannot admit clients because " + key("ip-address-type")
          + " is ipv4; set it to dualstack, or list only IPv4 blocks");
    }
  }

  static String portsText(java.util.List<ListenPort> ports) {
    return ports.stream().map(ListenPort::toString).toList().toString();
  }
}
