package io.albingress.annotations;

import java.util.List;

/** One entry of a `transforms.<name>` annotation: rewrites ALB applies to the request before forwarding. */
public record Transform(String type, List<Rewrite> rewrites) {
  public static final List<String> TYPES = List.of("host-header-rewrite", "url-rewrite");

  public record Rewrite(String regex, String replace) {}
}
