package io.albingress.binding;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A TargetGroupBinding's spec.nodeSelector: a metav1.LabelSelector (matchLabels and matchExpressions
 * with In, NotIn, Exists, DoesNotExist), as the reference reads it. Pure.
 */
public record NodeSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
  public record Requirement(String key, String operator, List<String> values) {}

  public NodeSelector {
    matchLabels = Map.copyOf(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  /** Whether a node with these labels is selected; an empty selector selects every node. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = Objects.requireNonNullElse(labels, Map.of());
    return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())))
        && matchExpressions.stream().allMatch(r -> matches(r, l));
  }

  private static boolean matches(Requirement r, Map<String, String> labels) {
    return switch (r.operator()) {
      case "In" -> labels.containsKey(r.key()) && r.values().contains(labels.get(r.key()));
      case "NotIn" -> !labels.containsKey(r.key()) || !r.values().contains(labels.get(r.key()));
      case "Exists" -> labels.containsKey(r.key());
      case "DoesNotExist" -> !labels.containsKey(r.key());
      default -> false; // refused at admission (BindingChecks); selects nothing rather than everything
    };
  }

  /** The problems of the selector, each naming the field and the fix. */
  List<String> problems() {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < matchExpressions.size(); i++) {
      Requirement r = matchExpressions.get(i);
      String field = "spec.nodeSelector.matchExpressions[" + i + "]";
      switch (r.operator()) {
        case "In", "NotIn" -> {
          if (r.values().isEmpty()) {
            out.add(field + ": operator " + r.operator() + " needs at least one value in values");
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!r.values().isEmpty()) {
            out.add(field + ": operator " + r.operator() + " takes no values; remove values");
          }
        }
        default -> out.add(field + ": operator \"" + r.operator() + "\" is not one of In, NotIn, Exists, DoesNotExist");
      }
    }
    return out;
  }
}
