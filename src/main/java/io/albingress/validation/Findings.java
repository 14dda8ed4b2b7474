package io.albingress.validation;

import io.albingress.annotations.FieldError;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Collects denials and warnings, dropping repeats (a Service used by many paths reports once). */
final class Findings {
  private final Set<String> denials = new LinkedHashSet<>();
  private final Set<String> warnings = new LinkedHashSet<>();

  void deny(String message) {
    denials.add(message);
  }

  void deny(Collection<FieldError> errors) {
    errors.forEach(e -> denials.add(e.render()));
  }

  void warn(String message) {
    warnings.add(message);
  }

  Verdict verdict() {
    return new Verdict(denials.stream().toList(), warnings.stream().toList());
  }
}
