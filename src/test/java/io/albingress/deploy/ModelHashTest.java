package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Scheme;
import org.junit.jupiter.api.Test;

class ModelHashTest {
  /**
   * The hash is tagged on every load balancer: if it changed between releases, the first restart
   * after an upgrade would re-check every stack. This value is what 0.1.0 computed for this stack.
   */
  @Test
  void theHashOfAStackIsStableAcrossReleases() {
    assertThat(ModelHash.of(DeployFixtures.basic(Scheme.INTERNET_FACING))).isEqualTo("38ea921d27");
  }

  @Test
  void theHashSeesEveryChange() {
    assertThat(ModelHash.of(DeployFixtures.basic(Scheme.INTERNAL))).isNotEqualTo(ModelHash.of(DeployFixtures.basic(Scheme.INTERNET_FACING)));
  }
}
