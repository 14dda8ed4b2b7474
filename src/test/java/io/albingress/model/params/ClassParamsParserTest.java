package io.albingress.model.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassParamsParserTest {
  static final String CERT = "arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555";

  static Parsed<ClassParams> parse(String yaml) {
    return ClassParamsParser.parse("shop", TestParams.yaml(yaml));
  }

  static List<String> errors(String yaml) {
    return parse(yaml).errors().stream().map(FieldError::render).toList();
  }

  @Test
  void readsEveryAppliedFieldOfTheReferenceSchema() {
    Parsed<ClassParams> p = parse("""
        namespaceSelector:
          matchLabels: {team: shop}
          matchExpressions:
            - {key: env, operator: In, values: [prod, staging]}
        group: {name: shop-group}
        loadBalancerName: shop-alb
        scheme: internet-facing
        ipAddressType: dualstack
        subnets: {ids: [subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb]}
        certificateArn: [%s]
        sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
        inboundCIDRs: [10.0.0.0/8]
        tags: [{key: team, value: shop}, {key: cost, value: "42"}]
        targetType: ip
        loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "120"}]
        prefixListsIDs: [pl-0123456789abcdef0]
        wafv2AclName: shop-acl
        """.formatted(CERT));
    assertThat(p.errors()).isEmpty();
    ClassParams c = p.value();
    assertThat(c.group()).contains("shop-group");
    assertThat(c.scheme()).contains("internet-facing");
    assertThat(c.ipAddressType()).contains("dualstack");
    assertThat(c.subnetIds()).containsExactly("subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb");
    assertThat(c.certificateArns()).containsExactly(CERT);
    assertThat(c.tags()).containsExactly(Map.entry("team", "shop"), Map.entry("cost", "42"));
    assertThat(c.loadBalancerAttributes()).containsEntry("idle_timeout.timeout_seconds", "120");
    assertThat(c.namespaceSelector().get().toString()).isEqualTo("team=shop,env in (prod,staging)");
    assertThat(c.selects(Map.of("team", "shop", "env", "prod"))).isTrue();
    assertThat(c.selects(Map.of("team", "shop", "env", "dev"))).isFalse();
    assertThat(c.selects(Map.of("env", "prod"))).isFalse();
  }

  @Test
  void schemaLevelMistakesAreNamedBySpecPath() {
    assertThat(errors("""
        scheme: public
        ipAddressType: ipv6
        inboundCIDRs: [10.0.0.1]
        subnets: {ids: [subnet-0aaaaaaaaaaaaaaaa], tags: {kubernetes.io/role/elb: ["1"]}}
        group: {name: Shop_Group}
        """)).contains(
        "spec.scheme: \"public\" is not valid: expected one of [internal, internet-facing]",
        "spec.ipAddressType: \"ipv6\" is not valid: expected one of [dualstack, dualstack-without-public-ipv4, ipv4]",
        "spec.subnets: give exactly one of ids and tags (both are set)")
        .anyMatch(e -> e.startsWith("spec.inboundCIDRs: ") && e.contains("10.0.0.1"))
        .anyMatch(e -> e.startsWith("spec.group.name: \"Shop_Group\" is not valid"));
  }

  @Test
  void emptySubnetsAndBadCertificatesAreRefused() {
    assertThat(errors("subnets: {}")).containsExactly("spec.subnets: give exactly one of ids and tags (both are empty)");
    assertThat(errors("certificateArn: [arn:aws:acm:nope]")).singleElement().asString().startsWith("spec.certificateArn: ");
    assertThat(errors("sslPolicy: ELBSecurityPolicy-Nope")).singleElement().asString().startsWith("spec.sslPolicy: ");
  }

  @Test
  void fieldsNotAppliedYetAreDeniedNotIgnored() {
    List<String> errors = errors("""
        minimumLoadBalancerCapacity: {capacityUnits: 100}
        ipamConfiguration: {ipv4IPAMPoolId: ipam-pool-0123}
        subnets: {tags: {kubernetes.io/role/elb: ["1"]}}
        """);
    assertThat(errors).hasSize(2);
    assertThat(errors).anyMatch(e -> e.startsWith("spec.minimumLoadBalancerCapacity: is not applied by this controller yet"))
        .anyMatch(e -> e.startsWith("spec.ipamConfiguration.ipv4IPAMPoolId: is not applied by this controller yet"));
  }

  @Test
  void listenersAreCheckedAndMapToListenerAttributes() {
    assertThat(errors("listeners: [{protocol: TCP, port: 80}]")).containsExactly(
        "spec.listeners[0].protocol: \"TCP\" is not valid: expected HTTP or HTTPS");
    assertThat(errors("listeners: [{protocol: HTTP, port: 0}]")).containsExactly(
        "spec.listeners[0].port: \"0\" is not valid: expected a port from 1 to 65535");
    ClassParams p = parse("listeners: [{protocol: HTTPS, port: 443, listenerAttributes: [{key: a, value: b}]}]").value();
    assertThat(ClassParamsOverlay.annotations(p)).containsEntry("listener-attributes.HTTPS-443", "a=b");
  }

  @Test
  void selectorOperatorsAreChecked() {
    assertThat(errors("namespaceSelector: {matchExpressions: [{key: a, operator: Has}]}")).containsExactly(
        "spec.namespaceSelector.matchExpressions[0].operator: \"Has\" is not valid: expected In, NotIn, Exists or DoesNotExist");
    assertThat(errors("namespaceSelector: {matchExpressions: [{key: a, operator: In}]}")).containsExactly(
        "spec.namespaceSelector.matchExpressions[0].values: must not be empty for operator In");
    ClassParams p = parse("namespaceSelector: {matchExpressions: [{key: a, operator: DoesNotExist}, {key: b, operator: NotIn, values: [x]}]}").value();
    assertThat(p.selects(Map.of())).isTrue();
    assertThat(p.selects(Map.of("a", ""))).isFalse();
    assertThat(p.selects(Map.of("b", "x"))).isFalse();
    assertThat(p.selects(Map.of("b", "y"))).isTrue();
  }

  @Test
  void anEmptySelectorSelectsEveryNamespace() {
    assertThat(parse("namespaceSelector: {}").value().selects(Map.of("any", "thing"))).isTrue();
    assertThat(parse("{}").value().selects(Map.of())).isTrue();
  }

  @Test
  void unknownFieldsAndDuplicateTagsAreRefused() {
    assertThat(errors("schema: internal")).containsExactly("spec.schema: is not a field of elbv2.k8s.aws/v1beta1 IngressClassParams");
    assertThat(errors("tags: [{key: a, value: b}, {key: a, value: c}]")).containsExactly("spec.tags[1].key: \"a\" is given twice");
    assertThat(errors("group: shop")).containsExactly("spec.group: must be an object");
    assertThat(errors("inboundCIDRs: 10.0.0.0/8")).containsExactly("spec.inboundCIDRs: must be a list");
  }
}
