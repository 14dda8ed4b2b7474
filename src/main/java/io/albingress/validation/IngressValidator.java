package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.Formats;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.ListenPort;
import io.albingress.annotations.Protocol;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressRoutes;
import io.albingress.model.ListenPorts;
import io.albingress.model.ParsedIngress;
import io.albingress.model.params.ParamsLookup;
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

  /** An Ingress with its class decision and annotations parsed once, for both the AWS lookups and the checks. */
  /**
   * {@code parsed} holds the effective annotations (the class params laid over the Ingress's own), and
   * {@code params} what the class says about params.
   */
  public record Prepared(Ingress ingress, IngressClassMatcher.Match match, ParsedIngress parsed, AwsFacts.Needs needs,
      ParamsLookup params) {
    public Prepared(Ingress ingress, IngressClassMatcher.Match match, ParsedIngress parsed, AwsFacts.Needs needs) {
      this(ingress, match, parsed, needs, ParamsLookup.NONE);
    }
  }

  public Prepared prepare(Ingress ingress) {
    IngressClassMatcher.Match match = classes.match(ingress);
    if (match == IngressClassMatcher.Match.NOT_OURS) {
      return new Prepared(ingress, IngressClassMatcher.Match.NOT_OURS, null, new AwsFacts.Needs(false, false));
    }
    ParamsLookup params = classes.params(ingress);
    // the params copy keeps the spec and the class annotation, so the class decision is the same
    return prepare(IngressClassMatcher.parse(ingress, params), params, match);
  }

  /** As {@link #prepare(Ingress)}, for an Ingress already parsed without class params. */
  public Prepared prepare(ParsedIngress parsed) {
    return prepare(parsed, ParamsLookup.NONE, classes.match(parsed.ingress()));
  }

  private Prepared prepare(ParsedIngress parsed, ParamsLookup params, IngressClassMatcher.Match match) {
    Ingress ingress = parsed.ingress();
    if (match == IngressClassMatcher.Match.NOT_OURS) {
      return new Prepared(ingress, match, null, new AwsFacts.Needs(false, false));
    }
    IngressConfig config = parsed.config();
    boolean https = ListenPorts.effective(config, wantsTls(ingress, config)).stream().anyMatch(p -> p.protocol() == Protocol.HTTPS);
    List<String> subnetIds = config.subnets().stream().filter(s -> Formats.SUBNET_ID.matcher(s).matches()).toList();
    List<String> acmArns = config.certificateArns().stream().filter(a -> Formats.acmRegion(a).isPresent()).toList();
    return new Prepared(ingress, match, parsed,
        new AwsFacts.Needs(!config.subnets().isEmpty(), https || !config.certificateArns().isEmpty(), !config.securityGroups().isEmpty(),
            subnetIds, acmArns), params);
  }

  /** The AWS lookups {@link #validate} will use for this Ingress; none for Ingresses of other classes. */
  public AwsFacts.Needs needs(Ingress ingress) {
    return prepare(ingress).needs();
  }

  public Verdict validate(Ingress ingress, ClusterView cluster, AwsFacts aws) {
    return validate(prepare(ingress), cluster, aws);
  }

  public Verdict validate(Prepared prepared, ClusterView cluster, AwsFacts aws) {
    if (prepared.match() == IngressClassMatcher.Match.NOT_OURS) {
      return Verdict.allow();
    }
    Ingress ingress = prepared.ingress();
    Findings findings = new Findings();
    if (prepared.match() == IngressClassMatcher.Match.OURS_LEGACY_ANNOTATION) {
      findings.warn("annotation " + AnnotationCatalog.LEGACY_CLASS + " is deprecated; set spec.ingressClassName: "
          + classes.className() + " instead");
    }
    ParamsChecks.run(prepared, classes.paramsSource(), findings);
    Map<String, String> annotations = annotations(ingress);
    warnUnknownAnnotations(annotations, findings);
    findings.deny(prepared.parsed().parsed().errors());
    IngressConfig config = prepared.parsed().config();
    denyIpv6Cidrs(annotations, config, findings);
    SecurityGroupChecks.annotations(annotations, config, findings);
    List<IngressRoutes.Route> routes = prepared.parsed().routes();
    PathChecks.run(routes, config, findings);
    new BackendChecks(ingress, routes, config, cluster, findings).run();
    AuthChecks.run(prepared.parsed(), cluster, findings);
    awsChecks.subnets(config, aws, findings);
    SecurityGroupChecks.namedGroups(config, aws, vpcId, findings);
    awsChecks.certificates(ingress, config, wantsTls(ingress, config), aws, findings);
    ListenerChecks.run(config, ListenPorts.effective(config, wantsTls(ingress, config)), findings);
    new GroupChecks(prepared.parsed(), cluster, classes, findings).run();
    return findings.verdict();
  }

  /**
   * Whether the default listener is HTTPS:443: only explicit certificates make it so, as in the
   * reference controller; spec.tls alone keeps HTTP:80.
   */
  static boolean wantsTls(Ingress ingress, IngressConfig config) {
    return !config.certificateArns().isEmpty();
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
      AnnotationCatalog.Support support = AnnotationCatalog.support(name).orElse(null);
      if (support == AnnotationCatalog.Support.DENIED) {
        findings.deny(key(name) + " is not applied by this controller yet; the ALB would be without "
            + AnnotationCatalog.deniedBecause(name) + ", so the Ingress is refused rather than left unprotected."
            + " Remove the annotation, or keep this Ingress on a controller that applies it");
      } else if (support == AnnotationCatalog.Support.IGNORED) {
        findings.warn(key(name) + " is not applied by this controller and is ignored");
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
