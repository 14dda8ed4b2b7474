package io.albingress.annotations;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One rule condition of a `conditions.<name>` annotation, or built from an Ingress path. A condition
 * has {@code values} (ALB wildcards) or {@code regexValues} (host-header, path-pattern, http-header),
 * never both.
 */
public record Condition(String field, Optional<String> httpHeaderName, List<String> values,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> regexValues) {
  public static final List<String> FIELDS =
      List.of("host-header", "path-pattern", "http-header", "http-request-method", "query-string", "source-ip");
  /** The fields whose config takes regexValues. */
  public static final List<String> REGEX_FIELDS = List.of("host-header", "path-pattern", "http-header");

  public Condition {
    values = List.copyOf(values);
    regexValues = List.copyOf(regexValues);
  }

  public Condition(String field, Optional<String> httpHeaderName, List<String> values) {
    this(field, httpHeaderName, values, List.of());
  }
}
