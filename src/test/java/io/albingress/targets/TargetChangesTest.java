package io.albingress.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Target;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetChangesTest {
  private static final Target A = new Target("i-0a", 30080);
  private static final Target B = new Target("i-0b", 30080);
  private static final Target C = new Target("i-0c", 30080);

  @Test
  void registersWhatIsMissingAndDeregistersWhatIsNoLongerWanted() {
    TargetChanges changes = TargetChanges.between(Set.of(A, B), Set.of(B, C));
    assertThat(changes.register()).containsExactly(A);
    assertThat(changes.deregister()).containsExactly(C);
    assertThat(changes.none()).isFalse();
  }

  @Test
  void aPortChangeIsARegistrationAndADeregistration() {
    Target moved = new Target("i-0a", 30081);
    TargetChanges changes = TargetChanges.between(Set.of(moved), Set.of(A));
    assertThat(changes.register()).containsExactly(moved);
    assertThat(changes.deregister()).containsExactly(A);
  }

  @Test
  void anUnchangedSetNeedsNoCall() {
    assertThat(TargetChanges.between(Set.of(A, B), Set.of(B, A)).none()).isTrue();
  }

  @Test
  void listsAreSortedForReproducibleCalls() {
    assertThat(TargetChanges.between(Set.of(C, A, B), Set.of()).register()).containsExactly(A, B, C);
  }
}
