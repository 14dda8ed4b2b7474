package io.albingress.annotations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The key names a JSON annotation may use, matched as the reference controller's Go decoder matches
 * them: the exact name first, else ignoring case ("Type", "RedirectConfig", "Weight" all count).
 * Unlike Go, an unknown key is an error instead of being dropped: a misspelt "weigth" would
 * otherwise change traffic silently.
 */
sealed interface JsonShape {
  /** A scalar, or anything not checked further. */
  record Leaf() implements JsonShape {}

  record Array(JsonShape item) implements JsonShape {}

  /** An object whose keys are named in {@code fields}, in canonical spelling. */
  record Obj(Map<String, JsonShape> fields) implements JsonShape {}

  JsonShape LEAF = new Leaf();

  static Obj obj(Object... pairs) {
    Map<String, JsonShape> fields = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put((String) pairs[i], (JsonShape) pairs[i + 1]);
    }
    return new Obj(fields);
  }

  static Array array(JsonShape item) {
    return new Array(item);
  }

  /**
   * The node with every known key in its canonical spelling; each unknown key is reported to
   * {@code problems} with its place, e.g. {@code forwardConfig.targetGroups[0]}.
   */
  static JsonNode canonical(JsonNode node, JsonShape shape, List<String> problems) {
    return canonical(node, shape, "", problems);
  }

  private static JsonNode canonical(JsonNode node, JsonShape shape, String at, List<String> problems) {
    if (shape instanceof Array a && node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      int i = 0;
      for (JsonNode item : node.values()) {
        out.add(canonical(item, a.item(), at + "[" + i++ + "]", problems));
      }
      return out;
    }
    if (shape instanceof Obj o && node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        Optional<String> name = match(o, e.getKey());
        String where = at.isEmpty() ? "" : " in " + at.substring(at.startsWith(".") ? 1 : 0);
        if (name.isEmpty()) {
          problems.add("unknown key \"" + FieldError.abbreviate(e.getKey()) + "\"" + where + "; expected "
              + String.join(", ", new ArrayList<>(o.fields().keySet())));
        } else {
          out.set(name.get(), canonical(e.getValue(), o.fields().get(name.get()), at + "." + name.get(), problems));
        }
      }
      return out;
    }
    return node;
  }

  private static Optional<String> match(Obj shape, String key) {
    if (shape.fields().containsKey(key)) {
      return Optional.of(key);
    }
    return shape.fields().keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst();
  }
}
