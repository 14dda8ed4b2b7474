package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SdkElbv2Test {
  @Test
  void targetsGoInBatchesOfAtMost500() {
    List<Integer> items = IntStream.range(0, 1201).boxed().toList();
    List<List<Integer>> batches = SdkElbv2.batches(items, SdkElbv2.TARGET_BATCH);
    assertThat(batches).extracting(List::size).containsExactly(500, 500, 201);
    assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(items);
    assertThat(SdkElbv2.batches(List.of(), SdkElbv2.TARGET_BATCH)).isEmpty();
  }
}
