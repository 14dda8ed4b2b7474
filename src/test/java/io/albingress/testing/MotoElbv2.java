package io.albingress.testing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmAsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/** Reads what moto holds, for assertions. Test code: it may block. */
public final class MotoElbv2 implements AutoCloseable {
  private final ElasticLoadBalancingV2AsyncClient elb;
  private final AcmAsyncClient acm;

  public MotoElbv2(TestEnvironment.Env env) {
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    elb = ElasticLoadBalancingV2AsyncClient.builder().endpointOverride(URI.create(env.awsEndpoint()))
        .region(Region.of(env.region())).credentialsProvider(creds).build();
    acm = AcmAsyncClient.builder().endpointOverride(URI.create(env.awsEndpoint()))
        .region(Region.of(env.region())).credentialsProvider(creds).build();
  }

  public ElasticLoadBalancingV2AsyncClient client() {
    return elb;
  }

  public List<LoadBalancer> loadBalancers() {
    return elb.describeLoadBalancers(b -> {}).join().loadBalancers();
  }

  public List<TargetGroup> targetGroups() {
    return elb.describeTargetGroups(b -> {}).join().targetGroups();
  }

  public List<Listener> listeners(String lbArn) {
    return elb.describeListeners(b -> b.loadBalancerArn(lbArn)).join().listeners();
  }

  public List<Rule> rules(String listenerArn) {
    return elb.describeRules(b -> b.listenerArn(listenerArn)).join().rules().stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).toList();
  }

  /** The registered targets of a target group as "id:port", with their health state. */
  public Map<String, String> targets(String targetGroupArn) {
    return elb.describeTargetHealth(b -> b.targetGroupArn(targetGroupArn)).join().targetHealthDescriptions().stream()
        .collect(Collectors.toMap(t -> t.target().id() + ":" + t.target().port(), t -> t.targetHealth().stateAsString()));
  }

  public Map<String, String> tags(String arn) {
    return elb.describeTags(b -> b.resourceArns(arn)).join().tagDescriptions().get(0).tags().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  /** Imports tls.crt/tls.key of {@code certDir} into ACM (ISSUED at once) and returns its ARN. */
  public String importCertificate(java.nio.file.Path certDir) throws java.io.IOException {
    byte[] cert = java.nio.file.Files.readAllBytes(certDir.resolve("tls.crt"));
    byte[] key = java.nio.file.Files.readAllBytes(certDir.resolve("tls.key"));
    return acm.importCertificate(b -> b.certificate(software.amazon.awssdk.core.SdkBytes.fromByteArray(cert))
        .privateKey(software.amazon.awssdk.core.SdkBytes.fromByteArray(key))).join().certificateArn();
  }

  public Map<String, String> loadBalancerAttributes(String arn) {
    return elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(arn)).join().attributes().stream()
        .collect(Collectors.toMap(a -> a.key(), a -> a.value() == null ? "" : a.value(), (a, b) -> b));
  }

  public Map<String, String> targetGroupAttributes(String arn) {
    return elb.describeTargetGroupAttributes(b -> b.targetGroupArn(arn)).join().attributes().stream()
        .collect(Collectors.toMap(a -> a.key(), a -> a.value() == null ? "" : a.value(), (a, b) -> b));
  }

  public List<Certificate> listenerCertificates(String listenerArn) {
    return elb.describeListenerCertificates(b -> b.listenerArn(listenerArn)).join().certificates();
  }

  /** The ACM certificate's body (GetCertificate); empty when it does not exist. */
  public java.util.Optional<String> certificateBody(String arn) {
    try {
      return java.util.Optional.of(acm.getCertificate(b -> b.certificateArn(arn)).join().certificate());
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof software.amazon.awssdk.services.acm.model.ResourceNotFoundException) {
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  public Map<String, String> certificateTags(String arn) {
    return acm.listTagsForCertificate(b -> b.certificateArn(arn)).join().tags().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value() == null ? "" : t.value(), (a, b) -> b));
  }

  public void deleteCertificate(String arn) {
    acm.deleteCertificate(b -> b.certificateArn(arn)).join();
  }

  @Override
  public void close() {
    elb.close();
    acm.close();
  }
}
