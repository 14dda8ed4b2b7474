package io.albingress.annotations;

import java.util.List;
import java.util.Optional;

/** One rule condition of a `conditions.<name>` annotation. */
public record Condition(String field, Optional<String> httpHeaderName, List<String> values) {
  public static final List<String> FIELDS =
      List.of("host-header", "path-pattern", "http-header", "http-request-method", "query-string", "source-ip");
}
