package io.albingress.model.params;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A metav1.LabelSelector (matchLabels and matchExpressions, ANDed), matched as Kubernetes matches it. */
public record NamespaceSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
  public enum Operator { In, NotIn, Exists, DoesNotExist }

  public record Requirement(String key, Operator operator, List<String> values) {
    public Requirement {
      values = List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      return switch (operator) {
        case In -> labels.containsKey(key) && values.contains(labels.get(key));
        case NotIn -> !labels.containsKey(key) || !values.contains(labels.get(key));
        case Exists -> labels.containsKey(key);
        case DoesNotExist -> !labels.containsKey(key);
      };
    }

    @Override
    public String toString() {
      return switch (operator) {
        case In -> key + " in (" + String.join(",", values) + ")";
        case NotIn -> key + " notin (" + String.join(",", values) + ")";
        case Exists -> key;
        case DoesNotExist -> "!" + key;
      };
    }
  }

  public NamespaceSelector {
    matchLabels = new TreeMap<>(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  /** An empty selector selects every namespace, as in Kubernetes. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())))
        && matchExpressions.stream().allMatch(r -> r.matches(l));
  }

  /** The selector in kubectl's label-selector syntax, for messages. */
  @Override
  public String toString() {
    List<String> parts = new java.util.ArrayList<>();
    matchLabels.forEach((k, v) -> parts.add(k + "=" + v));
    matchExpressions.forEach(r -> parts.add(r.toString()));
    return parts.isEmpty() ? "<everything>" : String.join(",", parts);
  }
}
