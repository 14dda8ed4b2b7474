package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MatchingTest {
  record Actual(String key, String arn) {}

  @Test
  void splitsIntoMatchedToCreateAndToDelete() {
    Matching<String, Actual> m = Matching.match(List.of("a", "b"), Function.identity(),
        List.of(new Actual("b", "arn-b"), new Actual("c", "arn-c")), Actual::key);
    assertThat(m.toCreate()).containsExactly("a");
    assertThat(m.matched()).extracting(p -> p.desired() + "=" + p.actual().arn()).containsExactly("b=arn-b");
    assertThat(m.toDelete()).extracting(Actual::arn).containsExactly("arn-c");
  }

  @Test
  void aDuplicateActualResourceIsSurplus() {
    Matching<String, Actual> m = Matching.match(List.of("b"), Function.identity(),
        List.of(new Actual("b", "arn-1"), new Actual("b", "arn-2")), Actual::key);
    assertThat(m.matched()).extracting(p -> p.actual().arn()).containsExactly("arn-1");
    assertThat(m.toDelete()).extracting(Actual::arn).containsExactly("arn-2");
    assertThat(m.toCreate()).isEmpty();
  }
}
