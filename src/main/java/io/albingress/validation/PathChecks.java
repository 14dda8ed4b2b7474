package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.Condition;
import io.albingress.annotations.IngressConfig;
import io.albingress.model.IngressRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Paths and hosts an ALB would read differently from Kubernetes, or could not take in one rule. */
final class PathChecks {
  private static final java.util.regex.Pattern PATH_SUFFIX = java.util.regex.Pattern.compile("\\.http\\.paths\\[\\d+]$");

  private PathChecks() {}

  /** {@code routes}: the Ingress's, as {@link IngressRoutes#of} reads them. */
  static void run(List<IngressRoutes.Route> routes, IngressConfig config, Findings findings) {
    for (IngressRoutes.Route route : routes) {
      wildcards(route, findings);
      if (!route.isDefaultBackend()) {
        valuesAndRegex(route, config, findings);
      }
    }
  }

  /** Kubernetes matches Exact and Prefix paths literally, an ALB path pattern takes * and ? as wildcards. */
  private static void wildcards(IngressRoutes.Route route, Findings findings) {
    String type = route.pathType();
    if (route.path().isEmpty() || !(type.equals("Exact") || type.equals("Prefix"))) {
      return;
    }
    String path = route.path().get();
    if (path.indexOf('*') >= 0 || path.indexOf('?') >= 0) {
      findings.deny(route.field() + ".path: \"" + path + "\" is of pathType " + type + ", and " + type.toLowerCase(Locale.ROOT)
          + " paths shouldn't contain wildcards: Kubernetes matches * and ? literally, an ALB as wildcards;"
          + " use pathType ImplementationSpecific for an ALB wildcard pattern");
    }
  }

  /**
   * An ALB host-header or path-pattern condition has values or regexValues, not both; the rule's own
   * host and path join the `conditions.<name>` ones, so they must be of the same kind.
   */
  private static void valuesAndRegex(IngressRoutes.Route route, IngressConfig config, Findings findings) {
    String service = route.backend() == null || route.backend().getService() == null ? null : route.backend().getService().getName();
    List<Condition> extra = service == null ? List.of() : config.conditions().getOrDefault(service, List.of());
    if (extra.isEmpty()) {
      return; // the rule's own host and path alone are one value each: nothing to mix
    }
    List<String> hosts = new ArrayList<>();
    List<String> hostRegex = new ArrayList<>();
    route.host().ifPresent(h -> hosts.add("host " + h + " of " + PATH_SUFFIX.matcher(route.field()).replaceAll("")));
    boolean regexPath = IngressRoutes.usesRegexPath(config, route);
    List<String> paths = new ArrayList<>();
    List<String> pathRegex = new ArrayList<>();
    route.path().ifPresent(p -> (regexPath ? pathRegex : paths).add("path " + p + " of " + route.field()
        + (regexPath ? " (a regex by " + key("use-regex-path-match") + ")" : "")));
    for (Condition c : extra) {
      String from = key("conditions." + service) + " " + c.field();
      if (c.field().equals("host-header")) {
        c.values().forEach(v -> hosts.add(from + " value " + v));
        c.regexValues().forEach(v -> hostRegex.add(from + " regexValue " + v));
      } else if (c.field().equals("path-pattern")) {
        c.values().forEach(v -> paths.add(from + " value " + v));
        c.regexValues().forEach(v -> pathRegex.add(from + " regexValue " + v));
      }
    }
    mixed("host-header", hosts, hostRegex, findings);
    mixed("path-pattern", paths, pathRegex, findings);
  }

  private static void mixed(String field, List<String> values, List<String> regex, Findings findings) {
    if (!values.isEmpty() && !regex.isEmpty()) {
      findings.deny(regex.get(0) + " cannot join " + values.get(0) + " in one rule: an ALB " + field
          + " condition takes values or regexValues, not both; write them all as regexValues, or all as values");
    }
  }
}
