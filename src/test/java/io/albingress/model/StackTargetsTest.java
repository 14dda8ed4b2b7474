package io.albingress.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackTargetsTest {
  private static final String WEB = TargetsHash.of(java.util.List.of(new Target("10.0.0.1", 8080)));
  private static final String API = TargetsHash.EMPTY;
  private static final Map<String, String> DESIRED = Map.of("k8s-web", WEB, "k8s-api", API);
  private static final Map<String, String> FOUND = Map.of("k8s-web", "arn:tg/web", "k8s-api", "arn:tg/api", "theirs", "arn:tg/x");
  private static final String TAG = StackTargets.of(Map.of("arn:tg/web", WEB, "arn:tg/api", API));

  @Test
  void theHashCoversEachArnWithItsTargetsInAnyOrder() {
    assertThat(StackTargets.of(new java.util.LinkedHashMap<>(Map.of("arn:tg/api", API, "arn:tg/web", WEB)))).isEqualTo(TAG);
    assertThat(StackTargets.of(Map.of("arn:tg/web", API, "arn:tg/api", WEB))).isNotEqualTo(TAG);
    assertThat(StackTargets.of(Map.of("arn:tg/web", WEB))).isNotEqualTo(TAG);
    assertThat(TAG).startsWith("2-");
  }

  @Test
  void theTagVouchesForTheTargetGroupsFoundByNameOnlyWhenItNamesTheirArnsAndDesiredTargets() {
    assertThat(StackTargets.vouched(DESIRED, FOUND, Optional.of(TAG))).hasValue(Map.of("arn:tg/web", WEB, "arn:tg/api", API));
    // no tag, another hash (targets changed while the controller was down), another ARN behind a name, a target group missing
    assertThat(StackTargets.vouched(DESIRED, FOUND, Optional.empty())).isEmpty();
    assertThat(StackTargets.vouched(Map.of("k8s-web", TargetsHash.EMPTY, "k8s-api", API), FOUND, Optional.of(TAG))).isEmpty();
    assertThat(StackTargets.vouched(DESIRED, Map.of("k8s-web", "arn:tg/other", "k8s-api", "arn:tg/api"), Optional.of(TAG))).isEmpty();
    assertThat(StackTargets.vouched(DESIRED, Map.of("k8s-web", "arn:tg/web"), Optional.of(TAG))).isEmpty();
    assertThat(StackTargets.vouched(Map.of(), FOUND, Optional.of(StackTargets.of(Map.of())))).isEmpty();
  }
}
