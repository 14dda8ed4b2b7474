package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiThrottleConfigTest {
  @Test
  void defaultsAreTheReferences() {
    ApiThrottleConfig config = ApiThrottleConfig.defaults();
    assertThat(config.rulesFor(ApiThrottleConfig.ELBV2, "DescribeLoadBalancers")).singleElement()
        .satisfies(r -> {
          assertThat(r.ratePerSecond()).isEqualTo(50);
          assertThat(r.burst()).isEqualTo(200);
        });
    assertThat(config.rulesFor(ApiThrottleConfig.ELBV2, "RegisterTargets")).singleElement()
        .satisfies(r -> assertThat(r.burst()).isEqualTo(20));
    assertThat(config.rulesFor(ApiThrottleConfig.ELBV2, "ModifyRule")).singleElement()
        .satisfies(r -> assertThat(r.ratePerSecond()).isEqualTo(3));
    assertThat(config.rulesFor(ApiThrottleConfig.ELBV2, "CreateLoadBalancer")).isEmpty();
    // unanchored alternation, as Go's MatchString: "DisassociateWebACL" matches the association rule
    assertThat(config.rulesFor(ApiThrottleConfig.WAFV2, "DisassociateWebACL")).singleElement()
        .satisfies(r -> assertThat(r.ratePerSecond()).isEqualTo(0.5));
    assertThat(config.rulesFor("EC2", "DescribeSubnets")).isEmpty();
  }

  @Test
  void anOverrideReplacesThatServicesDefaultsOnly() {
    ApiThrottleConfig config = ApiThrottleConfig.parse("Elastic Load Balancing v2:^Describe.*=20:100");
    assertThat(config.rulesFor(ApiThrottleConfig.ELBV2, "DescribeRules")).singleElement()
        .satisfies(r -> assertThat(r.burst()).isEqualTo(100));
    assertThat(config.rulesFor(ApiThrottleConfig.ELBV2, "ModifyRule")).isEmpty();
    assertThat(config.rulesFor(ApiThrottleConfig.WAFV2, "AssociateWebACL")).hasSize(1);
    assertThat(ApiThrottleConfig.parse(" ").toString()).isEqualTo(ApiThrottleConfig.defaults().toString());
    assertThat(config.toString()).contains("Elastic Load Balancing v2:^Describe.*=20:100");
  }

  @Test
  void malformedValuesSayWhatIsExpected() {
    assertThatThrownBy(() -> ApiThrottleConfig.parse("elbv2=1:2")).hasMessageContaining("serviceID:operationRegex");
    assertThatThrownBy(() -> ApiThrottleConfig.parse("a:b=1")).hasMessageContaining("rate:burst");
    assertThatThrownBy(() -> ApiThrottleConfig.parse("a:b=x:2")).hasMessageContaining("rate");
    assertThatThrownBy(() -> ApiThrottleConfig.parse("a:b=0:2")).hasMessageContaining("positive number");
    assertThatThrownBy(() -> ApiThrottleConfig.parse("a:b=1:0")).hasMessageContaining("burst");
    assertThatThrownBy(() -> ApiThrottleConfig.parse("a:(=1:1")).hasMessageContaining("regular expression");
  }
}
