package io.albingress.deploy;

import io.albingress.model.Stack;
import io.albingress.stack.Names;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A stable hash of a desired stack, tagged on its load balancer once the stack is deployed. */
public final class ModelHash {
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private ModelHash() {}

  public static String of(Stack stack) {
    return Names.hash(JSON.writeValueAsString(stack));
  }

  /** The same hash over any part of a model (records, lists, maps). */
  static String of(Object part) {
    return Names.hash(JSON.writeValueAsString(part));
  }
}
