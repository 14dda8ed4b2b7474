package io.albingress.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackIdTest {
  @Test
  void keysRoundTripAndNeverCollideAcrossFlavours() {
    for (StackId id : new StackId[] {StackId.group("shop"), StackId.ingress("shop", "web"), StackId.gatewayOf("shop", "web")}) {
      assertThat(StackId.parse(id.key())).isEqualTo(id);
    }
    assertThat(StackId.gatewayOf("shop", "web").key()).isEqualTo("gateway:shop/web");
    assertThat(StackId.gatewayOf("shop", "web")).isNotEqualTo(StackId.ingress("shop", "web"));
    assertThat(StackId.gatewayOf("shop", "web").explicitGroup()).isFalse();
  }

  @Test
  void tagsAreTheReferences() {
    assertThat(StackId.gatewayOf("shop", "gw").ownerTags("prod", "LoadBalancer")).containsExactlyInAnyOrderEntriesOf(Map.of(
        Tags.CLUSTER, "prod", "gateway.k8s.aws.alb/stack", "shop/gw", "gateway.k8s.aws.alb/resource", "LoadBalancer"));
    assertThat(StackId.ingress("shop", "web").ownerTags("prod", "LoadBalancer")).containsEntry("ingress.k8s.aws/stack", "shop/web")
        .containsEntry("ingress.k8s.aws/resource", "LoadBalancer");
    assertThat(StackId.keyOf(Map.of("gateway.k8s.aws.alb/stack", "shop/gw"))).contains("gateway:shop/gw");
    assertThat(StackId.keyOf(Map.of("ingress.k8s.aws/stack", "shop/gw"))).contains("shop/gw");
    assertThat(StackId.keyOf(Map.of())).isEmpty();
  }
}
