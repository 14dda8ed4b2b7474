package io.albingress.annotations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the untyped spec of a custom resource (IngressClassParams, LoadBalancerConfiguration):
 * each typed read names the field by its spec path in {@link #errors} when the value has the wrong
 * type. An empty string counts as unset, as Go's omitempty does. Pure.
 */
public abstract class SpecReader {
  protected final List<FieldError> errors = new ArrayList<>();

  @SuppressWarnings("unchecked")
  protected Optional<Map<String, Object>> item(Object v, String path, String expected) {
    if (v instanceof Map<?, ?> map) {
      return Optional.of((Map<String, Object>) map);
    }
    error(path, "must be " + expected);
    return Optional.empty();
  }

  protected Optional<Map<String, Object>> map(Map<String, Object> m, String field, String path) {
    Object v = m.get(field);
    return v == null ? Optional.empty() : item(v, path, "an object");
  }

  protected Optional<String> string(Map<String, Object> m, String field, String path) {
    Object v = m.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof String s) {
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
    error(path, "must be a string");
    return Optional.empty();
  }

  protected Optional<Boolean> bool(Map<String, Object> m, String field, String path) {
    Object v = m.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Boolean b) {
      return Optional.of(b);
    }
    error(path, "must be true or false");
    return Optional.empty();
  }

  protected Optional<Integer> integer(Map<String, Object> m, String field, String path) {
    Object v = m.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Number n && n.doubleValue() == n.intValue()) {
      return Optional.of(n.intValue());
    }
    error(path, "must be an integer");
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  protected List<Object> list(Map<String, Object> m, String field, String path) {
    Object v = m.get(field);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    error(path, "must be a list");
    return List.of();
  }

  protected List<String> strings(Map<String, Object> m, String field, String path) {
    List<String> result = new ArrayList<>();
    List<Object> items = list(m, field, path);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof String s) {
        result.add(s);
      } else {
        error(path + "[" + i + "]", "must be a string");
      }
    }
    return result;
  }

  /** A map of strings ({@code tags}), in order; a value that is not a string is an error naming its key. */
  protected Map<String, String> stringMap(Map<String, Object> m, String field, String path) {
    Map<String, String> result = new LinkedHashMap<>();
    map(m, field, path).ifPresent(values -> values.forEach((k, v) -> {
      if (v instanceof String s) {
        result.put(k, s);
      } else {
        error(path + "." + k, "must be a string");
      }
    }));
    return result;
  }

  /** A list of {key, value} objects (tags, attributes), in order; a missing or repeated key is an error. */
  protected Map<String, String> keyValues(List<Object> items, String path) {
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String field = path + "[" + i + "]";
      Optional<Map<String, Object>> kv = item(items.get(i), field, "an object with key and value");
      if (kv.isEmpty()) {
        continue;
      }
      Optional<String> key = string(kv.get(), "key", field + ".key");
      Optional<String> value = string(kv.get(), "value", field + ".value");
      if (key.isEmpty() || key.get().isBlank()) {
        error(field + ".key", "is required");
      } else if (result.putIfAbsent(key.get(), value.orElse("")) != null) {
        error(field + ".key", "\"" + FieldError.abbreviate(key.get()) + "\" is given twice");
      }
    }
    return result;
  }

  protected void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }
}
