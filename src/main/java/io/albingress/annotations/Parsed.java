package io.albingress.annotations;

import java.util.List;

/** A parse result: always a usable value (defaults where input was bad), plus the problems found. */
public record Parsed<T>(T value, List<FieldError> errors) {

  public Parsed {
    errors = List.copyOf(errors);
  }

  public boolean ok() {
    return errors.isEmpty();
  }
}
