package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class LeadershipGateTest {

  @Test
  void aClosedGateRefusesBeforeAnythingIsSentAndTheRefusalIsRecognised() {
    LeadershipGate gate = LeadershipGate.closed();
    assertThatThrownBy(() -> gate.beforeExecution(null, null)).isInstanceOf(SdkClientException.class)
        .satisfies(e -> assertThat(LeadershipGate.refused(new CompletionException(e))).isTrue());
    gate.open();
    gate.beforeExecution(null, null);
    gate.close();
    assertThat(gate.isOpen()).isFalse();
    assertThat(LeadershipGate.refused(SdkClientException.create("Unable to execute HTTP request"))).isFalse();
    assertThat(LeadershipGate.alwaysOpen().isOpen()).isTrue();
  }
}
