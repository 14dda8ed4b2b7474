package io.albingress.stack;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The golden comparison itself: it must fail on a difference and say where. */
class GoldenJsonTest {

  @Test
  void equalTreesMatchWhateverTheKeyOrder() {
    assertThatCode(() -> GoldenJson.assertMatches(GoldenJson.json("{'a': 1, 'b': [1, 2]}"), GoldenJson.json("{'b': [1, 2], 'a': 1}")))
        .doesNotThrowAnyException();
  }

  @Test
  void aDifferenceFailsWithThePatchToTheActualTree() {
    assertThatThrownBy(() -> GoldenJson.assertMatches(GoldenJson.json("{'a': 1, 'b': [1, 2]}"), GoldenJson.json("{'a': 1, 'b': [1, 3]}")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("\"path\" : \"/b/1\"")
        .hasMessageContaining("\"value\" : 3");
  }

  @Test
  void tildeMatchesASubstringOnly() {
    assertThatCode(() -> GoldenJson.assertMatches(GoldenJson.json("{'m': ['~needs a certificate']}"),
        GoldenJson.json("{'m': ['HTTPS:443 needs a certificate, and none covers x']}"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> GoldenJson.assertMatches(GoldenJson.json("{'m': ['~needs a certificate']}"),
        GoldenJson.json("{'m': ['something else']}"))).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> GoldenJson.assertMatches(GoldenJson.json("{'m': ['~x']}"),
        GoldenJson.json("{'m': ['x', 'extra']}"))).isInstanceOf(AssertionError.class);
  }

  @Test
  void patchesApplyInOrder() {
    var patched = new GoldenJson.Patch().copy("/a", "/c").replace("/a", "2").add("/b/-", "3").applyTo(GoldenJson.json("{'a': 1, 'b': []}"));
    GoldenJson.assertMatches(GoldenJson.json("{'a': 2, 'b': [3], 'c': 1}"), patched);
  }
}
