package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsClientsTest {
  @Test
  void addOnClientsAreBuiltOnFirstUseOnly() {
    Vertx vertx = Vertx.vertx();
    try (AwsClients aws = AwsClients.create(vertx, Optional.of("us-west-2"), new SimpleMeterRegistry())) {
      assertThat(aws.addOns().built()).isZero();
      var waf = aws.addOns().wafv2();
      assertThat(aws.addOns().wafv2()).isSameAs(waf);
      assertThat(aws.addOns().built()).isEqualTo(1);
      new SdkShieldPort(aws);
      new SdkWafRegionalPort(aws);
      // a port builds its client on its first call, not when it is made
      assertThat(aws.addOns().built()).isEqualTo(1);
      assertThat(aws.addOns().shield().serviceClientConfiguration().region().id()).isEqualTo("us-west-2");
      assertThat(aws.addOns().built()).isEqualTo(2);
    } finally {
      vertx.close();
    }
  }
}
