package io.albingress.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one synthesizer did to one AWS resource: feeds logs, metrics and the deploy summary.
 * {@code arn} is the resource's ARN after the change (empty for a deletion), so later steps can
 * resolve references to it.
 */
public record Change(Op op, String kind, String id, String arn) {

  public enum Op { CREATED, MODIFIED, DELETED, UNCHANGED }

  public static Change created(String kind, String id, String arn) {
    return new Change(Op.CREATED, kind, id, arn);
  }

  public static Change modified(String kind, String id, String arn) {
    return new Change(Op.MODIFIED, kind, id, arn);
  }

  public static Change deleted(String kind, String id) {
    return new Change(Op.DELETED, kind, id, "");
  }

  public static Change unchanged(String kind, String id, String arn) {
    return new Change(Op.UNCHANGED, kind, id, arn);
  }

  public boolean changed() {
    return op != Op.UNCHANGED;
  }

  /** "created 2 TargetGroup, modified 1 Listener", unchanged ones left out; "no change" when empty. */
  public static String summary(List<Change> changes) {
    Map<String, Long> counts = changes.stream().filter(Change::changed)
        .collect(Collectors.groupingBy(c -> c.op().name().toLowerCase(Locale.ROOT) + " " + c.kind(), TreeMap::new, Collectors.counting()));
    return counts.isEmpty() ? "no change"
        : counts.entrySet().stream().map(e -> e.getKey().replaceFirst(" ", " " + e.getValue() + " ")).collect(Collectors.joining(", "));
  }

  /** Concatenates lists of changes (the results of sibling steps). */
  @SafeVarargs
  public static List<Change> concat(List<Change>... lists) {
    return Arrays.stream(lists).flatMap(List::stream).toList();
  }
}
