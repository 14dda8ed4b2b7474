package io.albingress.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.validation.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindingChecksTest {
  static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";
  static final String VPC = "vpc-1";

  static Map<String, Object> spec() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("targetGroupARN", ARN);
    s.put("targetType", "instance");
    s.put("serviceRef", Map.of("name", "web", "port", 80));
    return s;
  }

  static TargetGroupBinding tgb(String name, Map<String, Object> spec) {
    return TargetGroupBinding.of("default", name, "uid-" + name, 1, false, spec);
  }

  static String denials(Verdict v) {
    return String.join("\n", v.denials());
  }

  @Test
  void aCompleteBindingPasses() {
    Verdict v = BindingChecks.create(tgb("a", spec()), List.of(), VPC);
    assertThat(v.denials()).isEmpty();
    assertThat(tgb("a", spec()).serviceRef()).isEqualTo(new TargetGroupBinding.ServiceRef("web", "80"));
  }

  @Test
  void needsAnArnOrAName() {
    Map<String, Object> s = spec();
    s.remove("targetGroupARN");
    assertThat(denials(BindingChecks.create(tgb("a", s), List.of(), VPC)))
        .contains("set exactly one of spec.targetGroupARN or spec.targetGroupName");
  }

  @Test
  void aNameThatIsNotTheArnsIsDenied() {
    Map<String, Object> s = spec();
    s.put("targetGroupName", "other");
    assertThat(denials(BindingChecks.create(tgb("a", s), List.of(), VPC))).contains("spec.targetGroupName \"other\" names another target group");
    s.put("targetGroupName", "web");
    assertThat(BindingChecks.create(tgb("a", s), List.of(), VPC).denials()).isEmpty();
  }

  @Test
  void aMalformedArnIsDenied() {
    Map<String, Object> s = spec();
    s.put("targetGroupARN", "web");
    assertThat(denials(BindingChecks.create(tgb("a", s), List.of(), VPC))).contains("spec.targetGroupARN \"web\" is not a target group ARN");
  }

  @Test
  void ipModeWithANodeSelectorIsDenied() {
    Map<String, Object> s = spec();
    s.put("targetType", "ip");
    s.put("nodeSelector", Map.of("matchLabels", Map.of("pool", "a")));
    assertThat(denials(BindingChecks.create(tgb("a", s), List.of(), VPC)))
        .contains("spec.nodeSelector cannot be set when spec.targetType is ip").contains("remove spec.nodeSelector");
    s.put("targetType", "instance");
    assertThat(BindingChecks.create(tgb("a", s), List.of(), VPC).denials()).isEmpty();
  }

  @Test
  void aBadSelectorOperatorIsDenied() {
    Map<String, Object> s = spec();
    s.put("nodeSelector", Map.of("matchExpressions", List.of(Map.of("key", "k", "operator", "Gt", "values", List.of("1")))));
    assertThat(denials(BindingChecks.create(tgb("a", s), List.of(), VPC)))
        .contains("spec.nodeSelector.matchExpressions[0]: operator \"Gt\" is not one of In, NotIn, Exists, DoesNotExist");
  }

  @Test
  void aTargetGroupBoundByAnotherBindingIsDenied() {
    TargetGroupBinding first = tgb("first", spec());
    assertThat(denials(BindingChecks.create(tgb("second", spec()), List.of(first), VPC)))
        .contains("is already bound by TargetGroupBinding default/first");
    // the binding itself (an update) is not a conflict
    assertThat(BindingChecks.update(first, first, List.of(first), VPC).denials()).isEmpty();
  }

  @Test
  void immutableFieldsStay() {
    TargetGroupBinding old = tgb("a", spec());
    Map<String, Object> s = spec();
    s.put("targetGroupARN", ARN.replace("web", "api"));
    s.put("targetType", "ip");
    s.put("ipAddressType", "ipv6");
    String d = denials(BindingChecks.update(tgb("a", s), old, List.of(old), VPC));
    assertThat(d).contains("spec.targetGroupARN is immutable").contains("spec.targetType is immutable")
        .contains("spec.ipAddressType is immutable");
    Map<String, Object> same = spec();
    same.put("ipAddressType", "ipv4");
    assertThat(BindingChecks.update(tgb("a", same), old, List.of(old), VPC).denials()).isEmpty();
  }

  @Test
  void aDeletingBindingCanAlwaysBeUpdated() {
    TargetGroupBinding old = tgb("a", spec());
    Map<String, Object> s = spec();
    s.put("targetType", "ip");
    TargetGroupBinding deleting = TargetGroupBinding.of("default", "a", "uid-a", 1, true, s);
    assertThat(BindingChecks.update(deleting, old, List.of(), VPC).allowed()).isTrue();
  }

  @Test
  void unimplementedFieldsAreRefused() {
    Map<String, Object> s = spec();
    s.put("networking", Map.of("ingress", List.of()));
    s.put("multiClusterTargetGroup", true);
    s.put("iamRoleArnToAssume", "arn:aws:iam::1:role/x");
    s.put("vpcID", "vpc-other");
    String d = denials(BindingChecks.create(tgb("a", s), List.of(), VPC));
    assertThat(d).contains("spec.networking is not supported").contains("spec.multiClusterTargetGroup is not supported")
        .contains("spec.iamRoleArnToAssume is not supported").contains("spec.vpcID \"vpc-other\" is not the controller's VPC \"vpc-1\"");
  }

  @Test
  void defaultsComeFromTheTargetGroup() {
    Map<String, Object> s = spec();
    s.remove("targetGroupARN");
    s.remove("targetType");
    s.put("targetGroupName", "web");
    var d = BindingChecks.defaults(tgb("a", s), new TargetGroupFacts(ARN, "web", "ip", null, VPC, "HTTP"));
    assertThat(d.denials()).isEmpty();
    assertThat(d.set()).containsExactly(Map.entry("targetGroupARN", ARN), Map.entry("targetType", "ip"),
        Map.entry("ipAddressType", "ipv4"), Map.entry("vpcID", VPC));
  }

  @Test
  void aLambdaTargetGroupOrAMismatchIsDenied() {
    Map<String, Object> s = spec();
    s.remove("targetType");
    assertThat(BindingChecks.defaults(tgb("a", s), new TargetGroupFacts(ARN, "web", "lambda", "ipv4", VPC, null)).denials())
        .singleElement().asString().contains("target type lambda");
    assertThat(BindingChecks.defaults(tgb("a", spec()), new TargetGroupFacts(ARN, "web", "ip", "ipv4", VPC, "HTTP")).denials())
        .singleElement().asString().contains("spec.targetType instance does not match target group web");
  }

  @Test
  void nodeSelectorMatchesLikeALabelSelector() {
    NodeSelector sel = new NodeSelector(Map.of("pool", "a"), List.of(new NodeSelector.Requirement("zone", "In", List.of("z1", "z2")),
        new NodeSelector.Requirement("spot", "DoesNotExist", List.of())));
    assertThat(sel.matches(Map.of("pool", "a", "zone", "z1"))).isTrue();
    assertThat(sel.matches(Map.of("pool", "a", "zone", "z3"))).isFalse();
    assertThat(sel.matches(Map.of("pool", "a", "zone", "z1", "spot", "y"))).isFalse();
    assertThat(new NodeSelector(Map.of(), List.of()).matches(Map.of())).isTrue();
  }
}
