package io.albingress.annotations;

/** An enum whose constants have the spelling users write in annotations. */
public interface Named {
  String wireName();
}
