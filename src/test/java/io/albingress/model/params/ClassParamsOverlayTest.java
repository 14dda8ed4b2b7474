package io.albingress.model.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.IngressAnnotations;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.Scheme;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassParamsOverlayTest {
  static final String ALB = "alb.ingress.kubernetes.io/";

  static ClassParams params(String yaml) {
    return ClassParamsParser.parse("p", TestParams.yaml(yaml)).value();
  }

  static IngressConfig effective(ClassParams p, Map<String, String> annotations) {
    var parsed = IngressAnnotations.parse(ClassParamsOverlay.effective(p, annotations));
    assertThat(parsed.errors()).isEmpty();
    return parsed.value();
  }

  @Test
  void paramsReplaceTheAnnotationsTheyStandFor() {
    IngressConfig c = effective(params("""
        scheme: internet-facing
        group: {name: fixed}
        inboundCIDRs: [10.0.0.0/8]
        sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
        subnets: {ids: [subnet-0aaaaaaaaaaaaaaaa, subnet-0cccccccccccccccc]}
        """), Map.of(ALB + "scheme", "internal", ALB + "group.name", "mine", ALB + "inbound-cidrs", "0.0.0.0/0",
        ALB + "ssl-policy", "ELBSecurityPolicy-2016-08", ALB + "subnets", "subnet-0bbbbbbbbbbbbbbbb,subnet-0dddddddddddddddd"));
    assertThat(c.scheme()).isEqualTo(Scheme.INTERNET_FACING);
    assertThat(c.groupName()).contains("fixed");
    assertThat(c.inboundCidrs()).containsExactly("10.0.0.0/8");
    assertThat(c.sslPolicy()).contains("ELBSecurityPolicy-TLS13-1-2-2021-06");
    assertThat(c.subnets()).containsExactly("subnet-0aaaaaaaaaaaaaaaa", "subnet-0cccccccccccccccc");
  }

  @Test
  void tagsAndAttributesMergeWithTheParamsWinning() {
    IngressConfig c = effective(params("""
        tags: [{key: team, value: platform}, {key: cost, value: "1"}]
        loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "120"}]
        """), Map.of(ALB + "tags", "team=shop,app=web",
        ALB + "load-balancer-attributes", "idle_timeout.timeout_seconds=60,routing.http2.enabled=false"));
    assertThat(c.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "platform", "app", "web", "cost", "1"));
    assertThat(c.loadBalancerAttributes()).containsExactlyInAnyOrderEntriesOf(
        Map.of("idle_timeout.timeout_seconds", "120", "routing.http2.enabled", "false"));
  }

  @Test
  void unsetFieldsLeaveTheAnnotationsAlone() {
    Map<String, String> own = Map.of(ALB + "scheme", "internal", ALB + "tags", "a=b");
    assertThat(ClassParamsOverlay.effective(params("{}"), own)).isEqualTo(own);
    assertThat(effective(params("ipAddressType: dualstack"), own).scheme()).isEqualTo(Scheme.INTERNAL);
  }
}
