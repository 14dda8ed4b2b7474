package io.albingress.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Scheme;
import io.albingress.model.StackId;
import org.junit.jupiter.api.Test;

/** Names in the reference controller's pattern; the hashes here were computed independently (sha256 over the parts). */
class NamesTest {

  @Test
  void ingressStackName() {
    // sha256("prod" + "shop/web" + "internet-facing")[:10]
    assertThat(Names.loadBalancer("prod", StackId.ingress("shop", "web"), Scheme.INTERNET_FACING)).isEqualTo("k8s-shop-web-0c9cb52896");
    assertThat(Names.loadBalancer("prod", StackId.ingress("shop", "web"), Scheme.INTERNAL)).isEqualTo("k8s-shop-web-ffb4a5f1ff");
  }

  @Test
  void explicitGroupName() {
    assertThat(Names.loadBalancer("prod", StackId.group("shop-front"), Scheme.INTERNET_FACING)).isEqualTo("k8s-shopfront-02df2d7f37");
  }

  @Test
  void longPartsAreClippedAndNamesStayWithin32Characters() {
    String lb = Names.loadBalancer("prod", StackId.ingress("payments-production-eu", "checkout-frontend-service-v2"), Scheme.INTERNET_FACING);
    assertThat(lb).isEqualTo("k8s-payments-checkout-44a6f12d6e").hasSize(32);
    String group = Names.loadBalancer("prod", StackId.group("very-long-group-name-for-storefront"), Scheme.INTERNET_FACING);
    assertThat(group).isEqualTo("k8s-verylonggroupname-77bb550bb6").hasSize(32);
    String tg = Names.targetGroup("prod", StackId.group("g"), "x".repeat(63), "y".repeat(63), "80:instance:HTTP:HTTP1:30080:id");
    assertThat(tg).matches("k8s-x{8}-y{8}-[0-9a-f]{10}").hasSize(32);
  }

  @Test
  void charactersAwsRejectsAreDropped() {
    assertThat(Names.loadBalancer("prod", StackId.ingress("a.b_c", "d-e.f"), Scheme.INTERNAL)).matches("k8s-abc-def-[0-9a-f]{10}");
  }

  @Test
  void everyPartChangesTheHash() {
    String base = Names.loadBalancer("prod", StackId.ingress("shop", "web"), Scheme.INTERNAL);
    assertThat(Names.loadBalancer("staging", StackId.ingress("shop", "web"), Scheme.INTERNAL)).isNotEqualTo(base);
    assertThat(Names.loadBalancer("prod", StackId.ingress("shop", "web2"), Scheme.INTERNAL)).isNotEqualTo(base);
    assertThat(Names.targetGroup("prod", StackId.ingress("shop", "web"), "shop", "web", "80:ip"))
        .isNotEqualTo(Names.targetGroup("prod", StackId.ingress("shop", "web"), "shop", "web", "80:instance"));
  }
}
