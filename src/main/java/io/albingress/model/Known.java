package io.albingress.model;

import java.util.Optional;

/** A fact that was looked up, or the reason it could not be (AWS unreachable, offline plan). */
public record Known<T>(Optional<T> value, String unknownReason) {

  public static <T> Known<T> of(T value) {
    return new Known<>(Optional.of(value), "");
  }

  public static <T> Known<T> unknown(String reason) {
    return new Known<>(Optional.empty(), reason);
  }

  public boolean known() {
    return value.isPresent();
  }

  public T get() {
    return value.orElseThrow();
  }
}
