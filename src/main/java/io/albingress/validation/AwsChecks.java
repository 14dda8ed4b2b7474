package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.Formats;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.ListenPort;
import io.albingress.annotations.Protocol;
import io.albingress.model.Certificate;
import io.albingress.model.IngressRoutes;
import io.albingress.model.ListenPorts;
import io.albingress.model.Subnet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks against AWS facts: subnets in the VPC across 2 AZs, certificates issued and covering hosts. */
final class AwsChecks {
  private final String region;
  private final String vpcId;

  AwsChecks(String region, String vpcId) {
    this.region = region;
    this.vpcId = vpcId;
  }

  void subnets(IngressConfig config, AwsFacts aws, Findings findings) {
    if (config.subnets().isEmpty()) {
      return;
    }
    if (!aws.subnets().known()) {
      findings.warn("could not verify " + key("subnets") + " " + config.subnets() + ": " + aws.subnets().unknownReason());
      return;
    }
    List<Subnet> all = aws.subnets().get();
    Map<String, Subnet> byAz = new LinkedHashMap<>();
    boolean allResolved = true;
    for (String entry : config.subnets()) {
      List<Subnet> matches = all.stream()
          .filter(s -> Formats.SUBNET_ID.matcher(entry).matches() ? s.id().equals(entry) : s.name().equals(entry)).toList();
      if (matches.isEmpty() && aws.unverified().containsKey(entry)) {
        findings.warn("could not verify " + key("subnets") + " entry \"" + entry + "\": " + aws.unverified().get(entry));
        allResolved = false;
      } else if (matches.isEmpty()) {
        findings.deny(key("subnets") + ": subnet \"" + entry + "\" was not found in the cluster's VPC" + vpcText()
            + " (by subnet ID or Name tag)");
        allResolved = false;
      } else if (matches.size() > 1) {
        findings.deny(key("subnets") + ": the Name \"" + entry + "\" matches " + matches.size() + " subnets ("
            + String.join(", ", matches.stream().map(Subnet::id).toList()) + "); use subnet IDs");
        allResolved = false;
      } else {
        Subnet s = matches.get(0);
        Subnet sameAz = byAz.putIfAbsent(s.availabilityZone(), s);
        if (sameAz != null) {
          findings.deny(key("subnets") + ": " + sameAz.id() + " and " + s.id() + " are both in " + s.availabilityZone()
              + "; an ALB takes one subnet per Availability Zone");
        }
      }
    }
    // fewer than 2 distinct subnets is already refused by the annotation parser
    if (allResolved && byAz.size() < 2 && config.subnets().size() >= 2) {
      findings.deny(key("subnets") + ": the listed subnets span only one Availability Zone (" + String.join(", ", byAz.keySet())
          + "); an ALB needs subnets in at least 2");
    }
  }

  void certificates(Ingress ingress, IngressConfig config, boolean wantsTls, AwsFacts aws, Findings findings) {
    List<String> arns = config.certificateArns();
    List<ListenPort> ports = ListenPorts.effective(config, wantsTls);
    List<ListenPort> https = ports.stream().filter(p -> p.protocol() == Protocol.HTTPS).toList();
    List<String> hosts = IngressRoutes.hosts(ingress);
    // each ARN's region, matched once for both checks below
    Map<String, Optional<String>> regions = new java.util.HashMap<>();
    for (String arn : arns) {
      regions.put(arn, Formats.acmRegion(arn));
    }
    for (String arn : arns) {
      regions.get(arn).filter(r -> !region.isEmpty() && !r.equals(region)).ifPresent(r -> findings.deny(
          key("certificate-arn") + ": \"" + arn + "\" is in region " + r + ", but the ALB is in " + region
              + "; ACM certificates must be in the load balancer's region"));
    }
    if (!arns.isEmpty() && https.isEmpty()) {
      findings.warn(key("certificate-arn") + " is set, but " + key("listen-ports") + " " + IngressValidator.portsText(ports)
          + " has no HTTPS listener, so the certificate is not used");
    }
    if (arns.isEmpty() && https.isEmpty()) {
      if (IngressRoutes.hasTls(ingress)) {
        findings.warn("spec.tls is set, but the listeners are " + IngressValidator.portsText(ports) + ": as in the reference controller,"
            + " spec.tls alone does not make an HTTPS listener; add {\"HTTPS\": 443} to " + key("listen-ports")
            + " (its certificate is discovered for the hosts) or set " + key("certificate-arn"));
      }
      return;
    }
    if (arns.isEmpty() && hosts.isEmpty()) {
      findings.deny(key("listen-ports") + ": HTTPS listener " + https.get(0) + " needs a certificate: set " + key("certificate-arn")
          + ", or name hosts in spec.tls or spec.rules that an ISSUED ACM certificate covers");
      return;
    }
    if (!aws.certificates().known()) {
      findings.warn("could not verify " + (arns.isEmpty() ? "certificate discovery for hosts " + hosts : key("certificate-arn"))
          + ": " + aws.certificates().unknownReason());
      return;
    }
    List<Certificate> known = aws.certificates().get();
    if (arns.isEmpty()) {
      discovery(https.get(0), hosts, known, findings);
    } else {
      explicit(arns, regions, hosts, known, aws, findings);
    }
  }

  private void explicit(List<String> arns, Map<String, Optional<String>> regions, List<String> hosts, List<Certificate> known,
      AwsFacts aws, Findings findings) {
    List<Certificate> attached = new ArrayList<>();
    for (String arn : arns) {
      Optional<String> certRegion = regions.get(arn);
      if (certRegion.isEmpty()) {
        continue; // IAM server certificates are not in ACM
      }
      if (!region.isEmpty() && !certRegion.get().equals(region)) {
        continue; // already refused for its region; ACM in our region cannot know it
      }
      Optional<Certificate> cert = known.stream().filter(c -> c.arn().equals(arn)).findFirst();
      if (cert.isEmpty() && aws.unverified().containsKey(arn)) {
        findings.warn("could not verify " + key("certificate-arn") + " \"" + arn + "\": " + aws.unverified().get(arn));
      } else if (cert.isEmpty()) {
        findings.deny(key("certificate-arn") + ": \"" + arn + "\" was not found in ACM" + regionText());
      } else if (!cert.get().issued()) {
        findings.deny(key("certificate-arn") + ": \"" + arn + "\" has status " + cert.get().status()
            + "; only ISSUED certificates can be attached to a listener");
      } else {
        attached.add(cert.get());
      }
    }
    if (attached.size() == arns.size()) {
      for (String host : hosts) {
        if (attached.stream().noneMatch(c -> c.covers(host))) {
          findings.warn("host \"" + host + "\" is not covered by any certificate in " + key("certificate-arn")
              + "; HTTPS clients will see a name mismatch");
        }
      }
    }
  }

  private void discovery(ListenPort https, List<String> hosts, List<Certificate> known, Findings findings) {
    List<String> uncovered = hosts.stream()
        .filter(h -> known.stream().noneMatch(c -> c.issued() && c.covers(h))).toList();
    if (uncovered.size() == hosts.size()) {
      findings.deny(key("listen-ports") + ": HTTPS listener " + https + " needs a certificate, and no ISSUED ACM certificate"
          + regionText() + " covers " + String.join(", ", hosts) + "; request or import one, or set " + key("certificate-arn"));
    } else if (!uncovered.isEmpty()) {
      findings.warn("no ISSUED ACM certificate covers " + String.join(", ", uncovered) + "; HTTPS clients of those hosts will see a name mismatch");
    }
  }

  private String vpcText() {
    return vpcId.isEmpty() ? "" : " " + vpcId;
  }

  private String regionText() {
    return region.isEmpty() ? "" : " in " + region;
  }
}
