package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.MutualAuthentication;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ElbShapesMutualAuthTest {
  @Test
  void verifySendsTheTrustStoreAndTheDefaults() {
    var sdk = ElbShapes.mutualAuthentication(new MutualAuthentication(443, MutualAuthentication.Mode.VERIFY,
        Optional.of("arn:aws:elasticloadbalancing:us-west-2:123456789012:truststore/p/1"), Optional.empty(), Optional.empty()));
    assertThat(sdk.mode()).isEqualTo("verify");
    assertThat(sdk.trustStoreArn()).endsWith("truststore/p/1");
    assertThat(sdk.ignoreClientCertificateExpiry()).isFalse();
    assertThat(sdk.advertiseTrustStoreCaNamesAsString()).isEqualTo("off");
  }

  @Test
  void passthroughAndOffSendOnlyTheMode() {
    var sdk = ElbShapes.mutualAuthentication(new MutualAuthentication(443, MutualAuthentication.Mode.PASSTHROUGH,
        Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(sdk.mode()).isEqualTo("passthrough");
    assertThat(sdk.trustStoreArn()).isNull();
    assertThat(sdk.ignoreClientCertificateExpiry()).isNull();
    assertThat(ElbShapes.MTLS_OFF.mode()).isEqualTo("off");
  }
}
