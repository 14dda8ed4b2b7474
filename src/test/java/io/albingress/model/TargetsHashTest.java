package io.albingress.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetsHashTest {
  @Test
  void dependsOnTheSetNotItsOrder() {
    assertThat(TargetsHash.of(List.of(new Target("10.0.0.1", 80), new Target("10.0.0.2", 80))))
        .isEqualTo(TargetsHash.of(List.of(new Target("10.0.0.2", 80), new Target("10.0.0.1", 80))));
  }

  @Test
  void aPortOrAnIdMakesItDifferent() {
    String one = TargetsHash.of(Set.of(new Target("10.0.0.1", 80)));
    assertThat(TargetsHash.of(Set.of(new Target("10.0.0.1", 81)))).isNotEqualTo(one);
    assertThat(TargetsHash.of(Set.of(new Target("10.0.0.11", 80)))).isNotEqualTo(one);
    // "a:1" + "b:2" must not read as another pair of targets
    assertThat(TargetsHash.of(Set.of(new Target("i-1", 8), new Target("0", 80))))
        .isNotEqualTo(TargetsHash.of(Set.of(new Target("i-1", 80), new Target("0", 8))));
  }

  @Test
  void noTargetsIsTheEmptyHashAndFitsATagValue() {
    assertThat(TargetsHash.of(List.of())).isEqualTo(TargetsHash.EMPTY).startsWith("0-");
    assertThat(TargetsHash.of(Set.of(new Target("10.0.0.1", 80))).length()).isLessThan(256);
  }
}
