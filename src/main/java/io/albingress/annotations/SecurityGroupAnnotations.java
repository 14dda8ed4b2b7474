package io.albingress.annotations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The security-group annotations beyond `security-groups` and `inbound-cidrs` (which
 * {@link IngressAnnotations} reads): `security-group-prefix-lists` and
 * `manage-backend-security-group-rules`.
 */
public final class SecurityGroupAnnotations {
  static final Pattern PREFIX_LIST_ID = Pattern.compile("pl-[0-9a-f]{8}([0-9a-f]{9})?");

  /** @param manageBackendRules with user-named groups, whether the backend group and its rules are managed anyway */
  public record Config(List<String> prefixLists, boolean manageBackendRules) {}

  private SecurityGroupAnnotations() {}

  public static Parsed<Config> parse(Map<String, String> annotations) {
    AnnotationReader r = AnnotationReader.of(annotations);
    List<String> prefixLists = new ArrayList<>();
    for (String id : r.list("security-group-prefix-lists")) {
      if (PREFIX_LIST_ID.matcher(id).matches()) {
        prefixLists.add(id);
      } else {
        r.invalid("security-group-prefix-lists", id, "a managed prefix list ID (pl- and 8 or 17 hex digits)");
      }
    }
    boolean manage = r.bool("manage-backend-security-group-rules").orElse(false);
    return new Parsed<>(new Config(prefixLists, manage), r.errors());
  }
}
