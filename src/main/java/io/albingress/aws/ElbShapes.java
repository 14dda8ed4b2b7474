package io.albingress.aws;

import io.albingress.annotations.ProtocolVersion;
import io.albingress.deploy.ActualLoadBalancer;
import io.albingress.deploy.ActualTargetGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Matcher;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.MutualAuthenticationAttributes;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/** ELBv2 SDK shapes to and from ours (kept apart from {@link SdkElbv2}, whose model types share these names). */
public final class ElbShapes {
  /** What ModifyListener sends to turn mutual TLS off. */
  static final MutualAuthenticationAttributes MTLS_OFF = MutualAuthenticationAttributes.builder().mode("off").build();

  private ElbShapes() {}

  /** The annotation's mutual TLS (trust store already an ARN); verify-only fields only for verify. */
  static MutualAuthenticationAttributes mutualAuthentication(io.albingress.annotations.MutualAuthentication m) {
    MutualAuthenticationAttributes.Builder b = MutualAuthenticationAttributes.builder().mode(m.mode().wireName());
    if (m.mode() == io.albingress.annotations.MutualAuthentication.Mode.VERIFY) {
      b.trustStoreArn(m.trustStore().orElse(null)).ignoreClientCertificateExpiry(m.ignoreClientCertificateExpiry().orElse(false))
          .advertiseTrustStoreCaNames(m.advertiseTrustStoreCaNames().orElse("off"));
    }
    return b.build();
  }

  static ActualLoadBalancer loadBalancer(LoadBalancer lb, Map<String, String> tags) {
    List<String> subnets = lb.availabilityZones().stream().map(AvailabilityZone::subnetId).sorted().toList();
    return new ActualLoadBalancer(lb.loadBalancerArn(), lb.loadBalancerName(), lb.dnsName(), lb.schemeAsString(),
        lb.ipAddressTypeAsString(), subnets, lb.securityGroups().stream().sorted().toList(), tags);
  }

  static ActualTargetGroup targetGroup(TargetGroup tg, Map<String, String> tags) {
    String codes = tg.matcher() == null ? "" : tg.matcher().httpCode() != null ? tg.matcher().httpCode() : tg.matcher().grpcCode();
    var hc = new ActualTargetGroup.HealthCheckState(tg.healthCheckProtocolAsString(), tg.healthCheckPort(), tg.healthCheckPath(),
        n(tg.healthCheckIntervalSeconds()), n(tg.healthCheckTimeoutSeconds()), n(tg.healthyThresholdCount()),
        n(tg.unhealthyThresholdCount()), codes);
    return new ActualTargetGroup(tg.targetGroupArn(), tg.targetGroupName(), tg.protocolAsString(), tg.protocolVersion(), n(tg.port()),
        tg.targetTypeAsString(), hc, tg.loadBalancerArns(), tags);
  }

  static Matcher matcher(ProtocolVersion version, String successCodes) {
    return version == ProtocolVersion.GRPC ? Matcher.builder().grpcCode(successCodes).build() : Matcher.builder().httpCode(successCodes).build();
  }

  static Certificate certificate(String arn) {
    return Certificate.builder().certificateArn(arn).build();
  }

  /** Default certificate first, then SNI certificates sorted. */
  static List<String> ordered(List<Certificate> certs) {
    List<String> out = new ArrayList<>();
    certs.stream().filter(c -> Boolean.TRUE.equals(c.isDefault())).map(Certificate::certificateArn).forEach(out::add);
    certs.stream().filter(c -> !Boolean.TRUE.equals(c.isDefault())).map(Certificate::certificateArn).sorted().forEach(out::add);
    return out;
  }

  public static Map<String, String> toMap(List<Tag> tags) {
    Map<String, String> m = new HashMap<>();
    tags.forEach(t -> m.put(t.key(), t.value()));
    return m;
  }

  public static List<Tag> toTags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
