package io.albingress.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each desired rule of a listener goes, with the fewest calls. Pure.
 *
 * <p>Only the order of ALB priorities matters and they need not be contiguous, so the desired rules are an
 * order (precedence first), not priorities. A desired rule takes over an actual rule with the same settings
 * (conditions, actions, transforms); the longest run of those whose priorities already ascend in the desired
 * order keeps its priorities. A desired rule with no such twin takes over, by ModifyRule, a leftover actual
 * rule that sits between the same kept neighbours (in order), or is created. The other rules get free
 * priorities between their neighbours (the lowest ones), and when there is no room between two kept rules,
 * the neighbour after (then before) gives up its priority too, until there is. Moves are one
 * SetRulePriorities call; leftover actual rules are deleted. So removing a rule is one DeleteRule, adding one
 * is one CreateRule (plus one SetRulePriorities when it goes between two rules with adjacent priorities),
 * changing one is one ModifyRule.
 *
 * @param placed one per desired rule, in the desired order
 * @param deletes actual rules nothing takes over (to delete first: they free their priorities)
 */
public record RulePlan(List<Placed> placed, List<String> deletes) {
  /** ALB's highest rule priority. */
  public static final int MAX_PRIORITY = 50_000;

  /** An actual rule: its ARN, priority and settings in a form compared with equals. */
  public record Actual<K>(String arn, int priority, K settings) {}

  /**
   * @param arn the actual rule it takes over, null to create it
   * @param from that rule's priority now (0 when created)
   * @param same its settings are already the desired ones (else ModifyRule)
   */
  public record Placed(int priority, String arn, int from, boolean same) {
    public boolean create() {
      return arn == null;
    }

    public boolean moves() {
      return arn != null && from != priority;
    }
  }

  /**
   * The moves, for one SetRulePriorities call: rule ARN to its new priority. ELBv2 checks the listener as
   * the call leaves it; the order is one that would also hold pair by pair where there is one (a rule comes
   * after the rule that holds its new priority now), as a shift has.
   */
  public Map<String, Integer> moves() {
    Map<Integer, Placed> left = new java.util.LinkedHashMap<>(); // by the priority each holds now
    placed.stream().filter(Placed::moves).forEach(p -> left.put(p.from(), p));
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    while (!left.isEmpty()) {
      Placed next = left.values().stream().filter(p -> !left.containsKey(p.priority())).findFirst()
          .orElse(left.values().iterator().next()); // a cycle (a swap): ELBv2 takes it whole
      left.remove(next.from());
      out.put(next.arn(), next.priority());
    }
    return out;
  }

  /** @param desired the desired rules' settings in precedence order */
  public static <K> RulePlan of(List<K> desired, List<Actual<K>> actual) {
    return of(desired, actual, MAX_PRIORITY);
  }

  static <K> RulePlan of(List<K> desired, List<Actual<K>> actualRules, int maxPriority) {
    int n = desired.size();
    List<Actual<K>> actual = actualRules.stream().sorted(Comparator.comparingInt(Actual::priority)).toList();
    // 1. twins by settings, each actual rule taken once (lowest priority first)
    @SuppressWarnings("unchecked")
    Actual<K>[] taken = new Actual[n];
    boolean[] same = new boolean[n];
    Set<Actual<K>> free = new LinkedHashSet<>(actual);
    Map<K, List<Actual<K>>> bySettings = new HashMap<>();
    actual.forEach(a -> bySettings.computeIfAbsent(a.settings(), k -> new ArrayList<>()).add(a));
    for (int i = 0; i < n; i++) {
      List<Actual<K>> twins = bySettings.getOrDefault(desired.get(i), List.of());
      if (!twins.isEmpty()) {
        taken[i] = twins.remove(0);
        same[i] = true;
        free.remove(taken[i]);
      }
    }
    // 2. the twins that keep their priorities: the longest ascending run in desired order
    boolean[] kept = longestAscending(taken);
    // 3. a desired rule without twin takes over a leftover rule between the same kept neighbours, in order
    for (int start = 0; start < n; ) {
      if (kept[start]) {
        start++;
        continue;
      }
      int end = start;
      while (end < n && !kept[end]) {
        end++;
      }
      int low = start == 0 ? 0 : taken[start - 1].priority();
      int high = end == n ? maxPriority + 1 : taken[end].priority();
      Iterator<Actual<K>> between = free.stream().filter(a -> a.priority() > low && a.priority() < high).toList().iterator();
      for (int j = start; j < end && between.hasNext(); j++) {
        if (taken[j] == null) {
          taken[j] = between.next();
          free.remove(taken[j]);
          kept[j] = true;
        }
      }
      start = end;
    }
    // 4. priorities for the rest: the lowest free ones between kept neighbours, widening where there is no room
    int[] priority = new int[n];
    for (int j = 0; j < n; j++) {
      priority[j] = kept[j] ? taken[j].priority() : 0;
    }
    int j = 0;
    while (j < n) {
      if (kept[j]) {
        j++;
        continue;
      }
      int end = j;
      while (end < n && !kept[end]) {
        end++;
      }
      int low = j == 0 ? 0 : priority[j - 1];
      int high = end == n ? maxPriority + 1 : priority[end];
      if (high - low - 1 < end - j) {
        if (end < n) {
          kept[end] = false; // no room: the next kept rule moves too
        } else if (j > 0) {
          kept[j - 1] = false;
          j--;
        } else {
          throw new IllegalArgumentException(n + " rules do not fit in priorities 1.." + maxPriority);
        }
        continue;
      }
      for (int k = j; k < end; k++) {
        priority[k] = low + 1 + (k - j);
      }
      j = end;
    }
    List<Placed> placed = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      Actual<K> a = taken[k];
      placed.add(a == null ? new Placed(priority[k], null, 0, false) : new Placed(priority[k], a.arn(), a.priority(), same[k]));
    }
    return new RulePlan(List.copyOf(placed), free.stream().map(Actual::arn).toList());
  }

  /** Which of the taken rules keep their priorities: a longest subsequence whose priorities ascend. */
  private static boolean[] longestAscending(Actual<?>[] taken) {
    int n = taken.length;
    int[] length = new int[n];
    int[] before = new int[n];
    Arrays.fill(before, -1);
    int best = -1;
    for (int i = 0; i < n; i++) {
      if (taken[i] == null) {
        continue;
      }
      length[i] = 1;
      for (int k = 0; k < i; k++) {
        if (taken[k] != null && taken[k].priority() < taken[i].priority() && length[k] + 1 > length[i]) {
          length[i] = length[k] + 1;
          before[i] = k;
        }
      }
      if (best < 0 || length[i] > length[best]) {
        best = i;
      }
    }
    boolean[] kept = new boolean[n];
    for (int i = best; i >= 0; i = before[i]) {
      kept[i] = true;
    }
    return kept;
  }
}
