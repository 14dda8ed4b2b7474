package io.albingress.deploy;

import io.albingress.annotations.Named;
import io.albingress.model.Stack;
import io.albingress.stack.Names;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/** A stable hash of a desired stack, tagged on its load balancer once the stack is deployed. */
public final class ModelHash {
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      // the hash is tagged on live load balancers: it keeps the constant names it was first computed
      // with, whatever spelling plan's JSON uses, so an upgrade does not re-check every stack
      .addModule(new SimpleModule().addSerializer(Named.class, new ConstantName()))
      .build();

  private static final class ConstantName extends ValueSerializer<Named> {
    @Override
    public void serialize(Named value, JsonGenerator gen, SerializationContext context) {
      gen.writeString(((Enum<?>) value).name());
    }
  }

  private ModelHash() {}

  public static String of(Stack stack) {
    return Names.hash(JSON.writeValueAsString(stack));
  }

  /** The same hash over any part of a model (records, lists, maps). */
  static String of(Object part) {
    return Names.hash(JSON.writeValueAsString(part));
  }
}
