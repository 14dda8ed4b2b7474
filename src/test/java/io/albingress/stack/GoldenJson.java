package io.albingress.stack;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Golden JSON for stacks, as the reference controller's model-builder tests do it: a base JSON file
 * plus an RFC 6902 patch per case, compared as trees. An expected string starting with "~" matches
 * any actual string that contains the rest (for messages worded by the validator).
 */
final class GoldenJson {
  static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
      .build();

  private GoldenJson() {}

  static JsonNode tree(Object value) {
    // through text, so map entries are sorted as the stable JSON form shows them
    return MAPPER.readTree(MAPPER.writeValueAsString(value));
  }

  /** JSON with single quotes allowed, to keep patches readable in Java strings. */
  static JsonNode json(String text) {
    return MAPPER.readTree(text);
  }

  static JsonNode resource(String name) {
    try (InputStream in = GoldenJson.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pretty(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  static void assertMatches(JsonNode expected, JsonNode actual) {
    JsonNode wanted = resolveContains(expected, actual);
    if (!wanted.equals(actual)) {
      fail("built stack differs from the golden one.\nJSON patch from expected to actual:\n" + pretty(JsonDiff.asJson(wanted, actual))
          + "\nactual:\n" + pretty(actual));
    }
  }

  /** A copy of {@code expected} where each "~part" string that {@code actual} fulfils is replaced by the actual string. */
  private static JsonNode resolveContains(JsonNode expected, JsonNode actual) {
    if (expected.isString() && expected.asString().startsWith("~") && actual != null && actual.isString()
        && actual.asString().contains(expected.asString().substring(1))) {
      return actual;
    }
    if (expected.isObject() && actual != null && actual.isObject()) {
      ObjectNode copy = MAPPER.createObjectNode();
      for (Map.Entry<String, JsonNode> e : expected.properties()) {
        copy.set(e.getKey(), resolveContains(e.getValue(), actual.get(e.getKey())));
      }
      return copy;
    }
    if (expected.isArray() && actual != null && actual.isArray()) {
      ArrayNode copy = MAPPER.createArrayNode();
      Iterator<JsonNode> a = actual.iterator();
      for (JsonNode e : expected) {
        copy.add(resolveContains(e, a.hasNext() ? a.next() : null));
      }
      return copy;
    }
    return expected;
  }

  /** An RFC 6902 patch, built op by op; values are JSON text (single quotes allowed). */
  static final class Patch {
    private final ArrayNode ops = MAPPER.createArrayNode();

    Patch replace(String path, String valueJson) {
      return op("replace", path, json(valueJson));
    }

    Patch replace(String path, JsonNode value) {
      return op("replace", path, value);
    }

    Patch add(String path, String valueJson) {
      return op("add", path, json(valueJson));
    }

    Patch add(String path, JsonNode value) {
      return op("add", path, value);
    }

    Patch remove(String path) {
      ops.addObject().put("op", "remove").put("path", path);
      return this;
    }

    Patch copy(String from, String path) {
      ops.addObject().put("op", "copy").put("from", from).put("path", path);
      return this;
    }

    private Patch op(String op, String path, JsonNode value) {
      ops.addObject().put("op", op).put("path", path).set("value", value);
      return this;
    }

    JsonNode applyTo(JsonNode base) {
      return JsonPatch.apply(ops, base);
    }

    @Override
    public String toString() {
      return pretty(ops);
    }
  }
}
