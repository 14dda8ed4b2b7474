package io.albingress.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RulePlanTest {

  /** "a1 b2" -> rules with ARNs arn-a, arn-b at priorities 1, 2 (settings = the letters; an upper case letter is a changed rule). */
  private static List<RulePlan.Actual<String>> actual(String spec) {
    List<RulePlan.Actual<String>> out = new ArrayList<>();
    for (String s : spec.isBlank() ? new String[0] : spec.trim().split(" +")) {
      out.add(new RulePlan.Actual<>("arn-" + s.charAt(0), Integer.parseInt(s.substring(1)), s.substring(0, 1)));
    }
    return out;
  }

  private static List<String> desired(String spec) {
    return spec.isBlank() ? List.of() : Arrays.asList(spec.trim().split(" +"));
  }

  /** The plan in one line: "a1 b=2 c3>4 X+5 Y~2 -z": kept, modified in place (~), moved (>), created (+), deleted (-). */
  private static String text(List<String> desired, RulePlan plan) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < desired.size(); i++) {
      RulePlan.Placed p = plan.placed().get(i);
      String d = desired.get(i);
      out.add(p.create() ? d + "+" + p.priority()
          : d + (p.same() ? "" : "~" + p.arn().substring(4)) + (p.moves() ? p.from() + ">" + p.priority() : String.valueOf(p.priority())));
    }
    plan.deletes().forEach(a -> out.add("-" + a.substring(4)));
    return String.join(" ", out);
  }

  @ParameterizedTest(name = "{0}: [{1}] -> [{2}]")
  @CsvSource(delimiter = '|', value = {
      "new listener             | ''          | a b c     | a+1 b+2 c+3",
      "nothing changed          | a1 b2 c3    | a b c     | a1 b2 c3",
      "remove from the middle   | a1 b2 c3    | a c       | a1 c3 -b",
      "remove the first         | a1 b2 c3    | b c       | b2 c3 -a",
      "add last                 | a1 b2 c3    | a b c d   | a1 b2 c3 d+4",
      "add last after a gap     | a1 c3       | a c d     | a1 c3 d+4",
      "insert into a gap        | a1 c3       | a b c     | a1 b+2 c3",
      "insert first into a gap  | a2 b3       | x a b     | x+1 a2 b3",
      "insert between packed    | a1 b2 c3    | a x b c   | a1 x+2 b2>3 c3>4",
      "insert first, packed     | a1 b2       | x a b     | x+1 a1>2 b2>3",
      "swap                     | a1 b2       | b a       | b2 a1>3",
      "change one in place      | a1 b2 c3    | a B c     | a1 B~b2 c3 ",
      "change one, add one      | a1 b2 c3    | a B c d   | a1 B~b2 c3 d+4",
      "replace with a new one   | a1 b2 c3    | a x c     | a1 x~b2 c3",
      "removed and inserted     | a1 x2 b3 c4 | a n m b c | a1 n~x2 m+3 b3>4 c4>5",
      "leftover out of order    | a1 b2       | b x       | b2 x+3 -a",
      "all new                  | a1 b2       | x y z     | x~a1 y~b2 z+3",
      "all gone                 | a1 b2       | ''        | -a -b",
      "duplicate settings       | a1 a2       | a         | a1 -a",
      "twin taken once          | a1          | a a       | a1 a+2",
      "last priority taken      | a1 b50000   | a b c     | a1 b50000>2 c+3",
  })
  void plans(String name, String actual, String desired, String expected) {
    List<String> d = desired(desired);
    assertEquals(expected.trim(), text(d, RulePlan.of(d, actual(actual))), name);
  }

  @Test
  void movesComeInAnOrderThatHoldsPairByPair() {
    List<String> d = desired("a x b c");
    assertEquals(List.of("arn-c", "arn-b"), List.copyOf(RulePlan.of(d, actual("a1 b2 c3")).moves().keySet()));
    assertEquals(List.of("arn-a", "arn-b"), List.copyOf(RulePlan.of(desired("a b c"), actual("a3 b4"), 4).moves().keySet()));
  }

  @Test
  void theLastPriorityTakenMovesTheRulesBeforeIt() {
    List<String> d = desired("a b c");
    assertEquals("a3>1 b4>2 c+3", text(d, RulePlan.of(d, actual("a3 b4"), 4)));
  }

  /** Whatever the start, the result keeps the desired order in distinct priorities, and at most one call moves rules. */
  @Test
  void randomPlansKeepTheOrderAndFitThePriorities() {
    Random random = new Random(7);
    for (int round = 0; round < 2000; round++) {
      int max = 8 + random.nextInt(20);
      Map<Integer, String> byPriority = new TreeMap<>();
      int actualCount = random.nextInt(8);
      for (int k = 0; k < actualCount; k++) {
        byPriority.put(1 + random.nextInt(max), String.valueOf((char) ('a' + random.nextInt(10))));
      }
      List<RulePlan.Actual<String>> actual = new ArrayList<>();
      byPriority.forEach((p, s) -> actual.add(new RulePlan.Actual<>("arn-" + p, p, s)));
      List<String> d = new ArrayList<>();
      int desiredCount = random.nextInt(8);
      for (int k = 0; k < desiredCount; k++) {
        d.add(String.valueOf((char) ('a' + random.nextInt(10))));
      }
      RulePlan plan = RulePlan.of(d, actual, max);
      int last = 0;
      Map<String, Integer> arns = new HashMap<>();
      for (int i = 0; i < d.size(); i++) {
        RulePlan.Placed p = plan.placed().get(i);
        assertTrue(p.priority() > last && p.priority() <= max, () -> d + " " + actual + " -> " + plan);
        last = p.priority();
        if (p.arn() != null) {
          assertEquals(null, arns.put(p.arn(), i), "an actual rule taken twice");
          String want = d.get(i);
          assertTrue(p.same() == actual.stream().anyMatch(a -> a.arn().equals(p.arn()) && a.settings().equals(want)));
        }
      }
      assertEquals(actual.size(), arns.size() + plan.deletes().size(), () -> "every actual rule taken or deleted: " + plan);
    }
  }
}
