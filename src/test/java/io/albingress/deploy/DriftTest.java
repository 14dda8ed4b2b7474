package io.albingress.deploy;

import static io.albingress.deploy.DeployFixtures.CERT_A;
import static io.albingress.deploy.DeployFixtures.CERT_B;
import static io.albingress.deploy.DeployFixtures.CERT_C;
import static io.albingress.deploy.DeployFixtures.https;
import static io.albingress.deploy.DeployFixtures.loadBalancer;
import static io.albingress.deploy.DeployFixtures.targetGroup;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Condition;
import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.Scheme;
import io.albingress.annotations.Transform;
import io.albingress.model.Listener;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Ref;
import io.albingress.model.RuleAction;
import io.albingress.model.TargetGroup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;

/** The pure drift predicate of each synthesizer, one table each. */
class DriftTest {
  private static final ActualLoadBalancer LB = new ActualLoadBalancer("arn:lb", "k8s-shop-web-0123456789", "dns", "internet-facing",
      "ipv4", List.of("subnet-a", "subnet-b"), List.of("sg-1"), Map.of());

  static Stream<Arguments> loadBalancers() {
    LoadBalancer same = loadBalancer(Scheme.INTERNET_FACING);
    return Stream.of(
        Arguments.of("same", same, new LoadBalancerSynth.Drift(false, false, false, false)),
        Arguments.of("scheme", loadBalancer(Scheme.INTERNAL), new LoadBalancerSynth.Drift(true, false, false, false)),
        Arguments.of("subnets in another order", withSubnets(same, List.of("subnet-b", "subnet-a")),
            new LoadBalancerSynth.Drift(false, false, false, false)),
        Arguments.of("subnets", withSubnets(same, List.of("subnet-a", "subnet-c")), new LoadBalancerSynth.Drift(false, true, false, false)),
        Arguments.of("security groups", withSecurityGroups(same, List.of("sg-2")), new LoadBalancerSynth.Drift(false, false, true, false)),
        Arguments.of("no security groups: left alone", withSecurityGroups(same, List.of()),
            new LoadBalancerSynth.Drift(false, false, false, false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loadBalancers")
  void loadBalancerDrift(String name, LoadBalancer desired, LoadBalancerSynth.Drift expected) {
    assertThat(LoadBalancerSynth.drift(desired, LB)).isEqualTo(expected);
  }

  static Stream<Arguments> targetGroups() {
    HealthCheck base = DeployFixtures.HEALTH;
    return Stream.of(
        Arguments.of("same", base, false),
        Arguments.of("path", new HealthCheck("traffic-port", Protocol.HTTP, "/healthz", 15, 5, 2, 2, "200"), true),
        Arguments.of("interval", new HealthCheck("traffic-port", Protocol.HTTP, "/", 30, 5, 2, 2, "200"), true),
        Arguments.of("success codes", new HealthCheck("traffic-port", Protocol.HTTP, "/", 15, 5, 2, 2, "200-299"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targetGroups")
  void targetGroupDrift(String name, HealthCheck health, boolean drifted) {
    TargetGroup desired = targetGroup("web", 8080, health);
    ActualTargetGroup actual = new ActualTargetGroup("arn:tg", desired.name(), "HTTP", "HTTP1", 8080, "ip",
        TargetGroupSynth.healthCheck(DeployFixtures.HEALTH), List.of(), Map.of());
    assertThat(TargetGroupSynth.drifted(desired, actual)).isEqualTo(drifted);
  }

  static Stream<Arguments> certificates() {
    return Stream.of(
        Arguments.of(List.of(CERT_A, CERT_B), List.of(CERT_A, CERT_B), List.of(), List.of()),
        Arguments.of(List.of(CERT_A, CERT_B, CERT_C), List.of(CERT_A, CERT_B), List.of(CERT_C), List.of()),
        Arguments.of(List.of(CERT_A), List.of(CERT_A, CERT_B), List.of(), List.of(CERT_B)),
        // the new default certificate was an SNI one: ModifyListener moves it, it is not removed
        Arguments.of(List.of(CERT_B), List.of(CERT_A, CERT_B), List.of(), List.of()),
        Arguments.of(List.of(CERT_A, CERT_C), List.of(CERT_A, CERT_B), List.of(CERT_C), List.of(CERT_B)));
  }

  @ParameterizedTest
  @MethodSource("certificates")
  void listenerCertificatesDrift(List<String> desired, List<String> current, List<String> add, List<String> remove) {
    assertThat(ListenerCertificateSynth.drift(desired, current)).isEqualTo(new ListenerCertificateSynth.Drift(add, remove));
  }

  static Stream<Arguments> listeners() {
    Action notFound = SdkModel.action(RuleAction.FixedResponse.NOT_FOUND, Refs.NONE);
    Action redirect = SdkModel.action(RuleAction.Redirect.toHttps(443), Refs.NONE);
    ActualListener actual = new ActualListener("arn:l", 443, "HTTPS", List.of(notFound), List.of(CERT_A, CERT_B), "ELBSecurityPolicy-2016-08");
    Listener same = https(443, List.of(CERT_A, CERT_B));
    return Stream.of(
        Arguments.of("same", same, notFound, actual, false),
        Arguments.of("only SNI certificates differ", https(443, List.of(CERT_A, CERT_C)), notFound, actual, false),
        Arguments.of("default certificate", https(443, List.of(CERT_B)), notFound, actual, true),
        Arguments.of("default action", same, redirect, actual, true),
        Arguments.of("ssl policy", new Listener("443", same.loadBalancer(), Protocol.HTTPS, 443, same.defaultAction(), same.certificateArns(),
            Optional.of("ELBSecurityPolicy-TLS13-1-2-2021-06"), same.tags()), notFound, actual, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("listeners")
  void listenerDrift(String name, Listener desired, Action action, ActualListener actual, boolean drifted) {
    assertThat(ListenerSynth.drifted(desired, List.of(action), actual)).isEqualTo(drifted);
  }

  static Stream<Arguments> rules() {
    Action forward = Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn("arn:tg-1").build();
    Action forwardConfig = SdkModel.action(RuleAction.Forward.to(Ref.to("TargetGroup", "a")),
        Refs.NONE.with(Ref.to("TargetGroup", "a"), "arn:tg-1"));
    Action other = SdkModel.action(RuleAction.Forward.to(Ref.to("TargetGroup", "a")),
        Refs.NONE.with(Ref.to("TargetGroup", "a"), "arn:tg-2"));
    var path = SdkModel.condition(new Condition("path-pattern", Optional.empty(), List.of("/a")));
    var legacyPath = RuleCondition.builder().field("path-pattern")
        .values("/a").build();
    var otherPath = SdkModel.condition(new Condition("path-pattern", Optional.empty(), List.of("/b")));
    var regexHost = SdkModel.condition(new Condition("host-header", Optional.empty(), List.of(), List.of("^api\\..*")));
    var otherRegexHost = SdkModel.condition(new Condition("host-header", Optional.empty(), List.of(), List.of("^www\\..*")));
    var regexPath = SdkModel.condition(new Condition("path-pattern", Optional.empty(), List.of(), List.of("/a")));
    var regexHeader = SdkModel.condition(new Condition("http-header", Optional.of("X-Env"), List.of(), List.of("^prod$")));
    var otherRegexHeader = SdkModel.condition(new Condition("http-header", Optional.of("X-Env"), List.of(), List.of("^dev$")));
    var rewrite = SdkModel.transform(new Transform("url-rewrite", List.of(new Transform.Rewrite("^/api/(.*)$", "/$1"))));
    var otherRewrite = SdkModel.transform(new Transform("url-rewrite", List.of(new Transform.Rewrite("^/api/(.*)$", "/v2/$1"))));
    var hostRewrite = SdkModel.transform(new Transform("host-header-rewrite", List.of(new Transform.Rewrite(".*", "internal.example"))));
    List<RuleTransform> none = List.of();
    return Stream.of(
        Arguments.of("legacy spellings are the same", List.of(path), forwardConfig, none, new ActualRule("arn:r", 1, List.of(legacyPath),
            List.of(forward)), false),
        Arguments.of("target group", List.of(path), other, none, new ActualRule("arn:r", 1, List.of(path), List.of(forwardConfig)), true),
        Arguments.of("path", List.of(otherPath), forwardConfig, none, new ActualRule("arn:r", 1, List.of(path), List.of(forwardConfig)), true),
        Arguments.of("same regex host", List.of(regexHost), forwardConfig, none,
            new ActualRule("arn:r", 1, List.of(regexHost), List.of(forwardConfig)), false),
        Arguments.of("regex host changed", List.of(otherRegexHost), forwardConfig, none,
            new ActualRule("arn:r", 1, List.of(regexHost), List.of(forwardConfig)), true),
        Arguments.of("a value became a regex of the same text", List.of(regexPath), forwardConfig, none,
            new ActualRule("arn:r", 1, List.of(path), List.of(forwardConfig)), true),
        Arguments.of("same regex header", List.of(regexHeader), forwardConfig, none,
            new ActualRule("arn:r", 1, List.of(regexHeader), List.of(forwardConfig)), false),
        Arguments.of("regex header changed", List.of(otherRegexHeader), forwardConfig, none,
            new ActualRule("arn:r", 1, List.of(regexHeader), List.of(forwardConfig)), true),
        Arguments.of("same transforms in another order", List.of(path), forwardConfig, List.of(rewrite, hostRewrite),
            new ActualRule("arn:r", 1, List.of(path), List.of(forwardConfig), List.of(hostRewrite, rewrite)), false),
        Arguments.of("transform added", List.of(path), forwardConfig, List.of(rewrite),
            new ActualRule("arn:r", 1, List.of(path), List.of(forwardConfig)), true),
        Arguments.of("transform removed", List.of(path), forwardConfig, none,
            new ActualRule("arn:r", 1, List.of(path), List.of(forwardConfig), List.of(rewrite)), true),
        Arguments.of("rewrite changed", List.of(path), forwardConfig, List.of(otherRewrite),
            new ActualRule("arn:r", 1, List.of(path), List.of(forwardConfig), List.of(rewrite)), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void ruleDrift(String name, List<RuleCondition> conditions, Action action, List<RuleTransform> transforms,
      ActualRule actual, boolean drifted) {
    assertThat(RuleSynth.drifted(conditions, List.of(action), transforms, actual)).isEqualTo(drifted);
  }

  static Stream<Arguments> tags() {
    return Stream.of(
        Arguments.of(Map.of("a", "1"), Map.of("a", "1"), Map.of(), List.of()),
        Arguments.of(Map.of("a", "1"), Map.of("a", "2"), Map.of("a", "2"), List.of()),
        // b was not set by the controller: another tool's, it stays
        Arguments.of(Map.of("a", "1", "b", "1"), Map.of("a", "1"), Map.of(), List.of()),
        // the controller's own keys are always its to remove; AWS's (aws:) never
        Arguments.of(Map.of("a", "1", "ingress.k8s.aws/model-hash", "x", "aws:cloudformation:stack-name", "s"), Map.of("a", "1"),
            Map.of(), List.of("ingress.k8s.aws/model-hash")),
        Arguments.of(Map.of(), Map.of("c", "3"), Map.of("c", "3"), List.of()));
  }

  @ParameterizedTest
  @MethodSource("tags")
  void tagsDrift(Map<String, String> current, Map<String, String> desired, Map<String, String> add, List<String> remove) {
    assertThat(TagSynth.drift(current, desired)).isEqualTo(new TagSynth.Drift(add, remove));
  }

  @Test
  void externallyManagedTagsAreNeitherSetNorRemoved() {
    Set<String> external = Set.of("CostCenter");
    // even when the controller set it before
    assertThat(TagSynth.drift(Map.of("a", "1", "CostCenter", "42"), Map.of("a", "1"), external, Set.of("CostCenter")))
        .isEqualTo(new TagSynth.Drift(Map.of(), List.of()));
    assertThat(TagSynth.drift(Map.of("a", "1"), Map.of("a", "2", "CostCenter", "7"), external, Set.of()))
        .isEqualTo(new TagSynth.Drift(Map.of("a", "2"), List.of()));
    // a key the controller desired before and no longer does is removed
    assertThat(TagSynth.drift(Map.of("a", "1", "CostCenter", "42"), Map.of("a", "1"), Set.of(), Set.of("a", "CostCenter")))
        .isEqualTo(new TagSynth.Drift(Map.of(), List.of("CostCenter")));
  }

  static Stream<Arguments> attributes() {
    return Stream.of(
        Arguments.of(Map.of("idle_timeout.timeout_seconds", "60"), Map.of("idle_timeout.timeout_seconds", "60", "x", "y"), Map.of()),
        Arguments.of(Map.of("idle_timeout.timeout_seconds", "120"), Map.of("idle_timeout.timeout_seconds", "60"),
            Map.of("idle_timeout.timeout_seconds", "120")),
        Arguments.of(Map.of("deletion_protection.enabled", "true"), Map.of(), Map.of("deletion_protection.enabled", "true")));
  }

  @ParameterizedTest
  @MethodSource("attributes")
  void attributesDrift(Map<String, String> desired, Map<String, String> current, Map<String, String> changed) {
    assertThat(AttributeSynth.drift(desired, current)).isEqualTo(changed);
  }

  private static LoadBalancer withSubnets(LoadBalancer lb, List<String> subnets) {
    return new LoadBalancer(lb.resourceId(), lb.name(), lb.scheme(), lb.ipAddressType(), subnets, List.of("sg-1"), lb.attributes(),
        lb.wafv2AclArn(), lb.shieldAdvancedProtection(), lb.wafv2AclName(), lb.wafAclId(), lb.tags());
  }

  private static LoadBalancer withSecurityGroups(LoadBalancer lb, List<String> groups) {
    return new LoadBalancer(lb.resourceId(), lb.name(), lb.scheme(), lb.ipAddressType(), lb.subnetIds(), groups, lb.attributes(),
        lb.wafv2AclArn(), lb.shieldAdvancedProtection(), lb.wafv2AclName(), lb.wafAclId(), lb.tags());
  }
}
