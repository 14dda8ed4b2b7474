package io.albingress.annotations;

import com.fasterxml.jackson.annotation.JsonValue;

/** An enum whose constants have the spelling users write in annotations; JSON (plan -o json|yaml) uses it too. */
public interface Named {
  @JsonValue
  String wireName();
}
