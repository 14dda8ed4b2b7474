package io.albingress.annotations;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads typed values from annotation maps, collecting every problem instead of throwing. Sources are
 * searched in order, so a Service's annotations can override its Ingress's.
 */
final class AnnotationReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Guards against hostile annotation values: AWS never accepts anything this long anyway. */
  static final int MAX_VALUE_LENGTH = 64 * 1024;

  record Source(String origin, Map<String, String> annotations) {}

  private record Found(String field, String value) {}

  private final List<Source> sources;
  /** A hostile value with thousands of bad entries must not flood the denial message. */
  static final int MAX_ERRORS_PER_FIELD = 10;

  private final List<FieldError> errors = new ArrayList<>();
  private final Map<String, Integer> perField = new java.util.HashMap<>();
  private final Map<String, Integer> suppressed = new LinkedHashMap<>();
  private int count;
  /** Fields already reported as too long: a value read twice (has, then get) is reported once. */
  private final java.util.Set<String> tooLong = new java.util.HashSet<>();

  AnnotationReader(List<Source> sources) {
    this.sources = sources;
  }

  static AnnotationReader of(Map<String, String> annotations) {
    return new AnnotationReader(List.of(new Source("", annotations == null ? Map.of() : annotations)));
  }

  /** The problems found, at most {@link #MAX_ERRORS_PER_FIELD} per field plus a count of the rest. */
  List<FieldError> errors() {
    List<FieldError> all = new ArrayList<>(errors);
    suppressed.forEach((field, n) -> all.add(new FieldError(field, "and " + n + " more problem" + (n == 1 ? "" : "s") + " like these")));
    return all;
  }

  /** How many problems were found, counting those left out of {@link #errors()}. */
  int errorCount() {
    return count;
  }

  private void add(FieldError e) {
    count++;
    if (perField.merge(e.field(), 1, Integer::sum) <= MAX_ERRORS_PER_FIELD) {
      errors.add(e);
    } else {
      suppressed.merge(e.field(), 1, Integer::sum);
    }
  }

  void error(String name, String message) {
    add(new FieldError(AnnotationCatalog.key(name), message));
  }

  void invalid(String name, String value, String expected) {
    add(FieldError.invalid(fieldOf(name), value, expected));
  }

  boolean has(String name) {
    return find(name).isPresent();
  }

  /** The field name as a user would look for it, saying which object it came from. */
  String fieldOf(String name) {
    for (Source s : sources) {
      if (s.annotations().containsKey(AnnotationCatalog.key(name)) && !s.origin().isEmpty()) {
        return AnnotationCatalog.key(name) + " (on " + s.origin() + ")";
      }
    }
    return AnnotationCatalog.key(name);
  }

  private Optional<Found> find(String name) {
    String key = AnnotationCatalog.key(name);
    for (Source s : sources) {
      String v = s.annotations().get(key);
      if (v != null) {
        String field = s.origin().isEmpty() ? key : key + " (on " + s.origin() + ")";
        if (v.length() > MAX_VALUE_LENGTH) {
          if (tooLong.add(field)) {
            add(new FieldError(field, "value is " + v.length() + " characters long; at most " + MAX_VALUE_LENGTH + " are accepted"));
          }
          return Optional.empty();
        }
        return Optional.of(new Found(field, v.trim()));
      }
    }
    return Optional.empty();
  }

  Optional<String> string(String name) {
    return find(name).map(Found::value).filter(v -> !v.isEmpty());
  }

  <E extends Enum<E> & Named> E choice(String name, Class<E> type, E fallback) {
    Optional<Found> found = find(name);
    if (found.isEmpty()) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.wireName().equals(found.get().value())) {
        return e;
      }
    }
    String expected = Arrays.stream(type.getEnumConstants()).map(Named::wireName).collect(Collectors.joining(", ", "one of ", ""));
    add(FieldError.invalid(found.get().field(), found.get().value(), expected));
    return fallback;
  }

  Optional<Integer> integer(String name, int min, int max) {
    Optional<Found> found = find(name);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Optional<Integer> n = parseInt(found.get().value()).filter(i -> i >= min && i <= max);
    if (n.isEmpty()) {
      add(FieldError.invalid(found.get().field(), found.get().value(), "an integer from " + min + " to " + max));
    }
    return n;
  }

  Optional<Boolean> bool(String name) {
    Optional<Found> found = find(name);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String v = found.get().value();
    if (v.equals("true") || v.equals("false")) {
      return Optional.of(Boolean.parseBoolean(v));
    }
    add(FieldError.invalid(found.get().field(), v, "true or false"));
    return Optional.empty();
  }

  /** A comma-separated list; blanks are dropped. */
  List<String> list(String name) {
    return find(name).map(f -> splitList(f.value())).orElse(List.of());
  }

  /**
   * `k1=v1,k2=v2`, each pair checked by {@code check} which returns an expectation when the pair is
   * invalid.
   */
  Map<String, String> keyValues(String name, Function<Map.Entry<String, String>, Optional<String>> check) {
    Optional<Found> found = find(name);
    Map<String, String> result = new LinkedHashMap<>();
    if (found.isEmpty()) {
      return result;
    }
    for (String pair : splitList(found.get().value())) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        add(FieldError.invalid(found.get().field(), pair, "key=value pairs separated by commas"));
        continue;
      }
      Map.Entry<String, String> e = Map.entry(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      Optional<String> problem = check.apply(e);
      if (problem.isPresent()) {
        add(FieldError.invalid(found.get().field(), pair, problem.get()));
      } else if (result.putIfAbsent(e.getKey(), e.getValue()) != null) {
        add(new FieldError(found.get().field(), "key \"" + FieldError.abbreviate(e.getKey()) + "\" is given twice"));
      }
    }
    return result;
  }

  Optional<JsonNode> json(String name, String expected) {
    Optional<Found> found = find(name);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(found.get().value()));
    } catch (JacksonException e) {
      add(FieldError.invalid(found.get().field(), found.get().value(), expected + " (the value is not valid JSON)"));
      return Optional.empty();
    }
  }

  static List<String> splitList(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static Optional<Integer> parseInt(String s) {
    try {
      return Optional.of(Integer.parseInt(s.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
