package io.albingress.stack;

import io.albingress.annotations.Condition;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.Transform;
import io.albingress.model.RuleAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference controller's rule optimizer, for the rules of one listener: a redirect to the very
 * listener and request it matches (a loop, as `actions.ssl-redirect` gives an HTTPS listener) is left
 * out, and so is every rule an earlier redirect with a superset of its host and path conditions
 * already catches: it could never match and would only use up rule quota.
 */
final class RuleOptimizer {
  /** A rule before it gets its priority; {@code tags} are its Ingress's. */
  record Draft(List<Condition> conditions, RuleAction action, String source, List<Transform> transforms, Map<String, String> tags) {}

  private RuleOptimizer() {}

  static List<Draft> optimize(int port, Protocol protocol, List<Draft> rules) {
    List<Draft> kept = new ArrayList<>();
    for (Draft rule : rules) {
      if (redirectsToItself(port, protocol, rule)) {
        continue;
      }
      boolean shadowed = kept.stream().anyMatch(k -> k.action() instanceof RuleAction.Redirect && superset(k.conditions(), rule.conditions()));
      if (!shadowed) {
        kept.add(rule);
      }
    }
    return kept;
  }

  static boolean redirectsToItself(int port, Protocol protocol, Draft rule) {
    if (!(rule.action() instanceof RuleAction.Redirect r)) {
      return false;
    }
    Set<String> hosts = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (Condition c : rule.conditions()) {
      switch (c.field()) {
        case "host-header" -> hosts.addAll(c.values());
        case "path-pattern" -> {
          if (!c.regexValues().isEmpty()) {
            return false; // the reference does not judge regex paths
          }
          paths.addAll(c.values());
        }
        default -> { }
      }
    }
    return (r.host().equals("#{host}") || hosts.contains(r.host()))
        && (r.path().equals("/#{path}") || paths.contains(r.path()))
        && (r.port().equals("#{port}") || r.port().equals(String.valueOf(port)))
        && (r.protocol().equals("#{protocol}") || r.protocol().equals(protocol.name()))
        && r.query().equals("#{query}");
  }

  /** Whether every request {@code rhs} matches is matched by {@code lhs}, judged on hosts and paths only. */
  static boolean superset(List<Condition> lhs, List<Condition> rhs) {
    Set<String> lhsHosts = new HashSet<>();
    Set<String> lhsPaths = new HashSet<>();
    for (Condition c : lhs) {
      switch (c.field()) {
        case "host-header" -> lhsHosts.addAll(c.values().isEmpty() ? c.regexValues() : c.values());
        case "path-pattern" -> lhsPaths.addAll(c.regexValues().isEmpty() ? c.values() : c.regexValues());
        default -> {
          return false; // any other condition narrows lhs in a way not compared here
        }
      }
    }
    Set<String> rhsHosts = new HashSet<>();
    Set<String> rhsPaths = new HashSet<>();
    for (Condition c : rhs) {
      switch (c.field()) {
        case "host-header" -> rhsHosts.addAll(c.values().isEmpty() ? c.regexValues() : c.values());
        case "path-pattern" -> rhsPaths.addAll(c.regexValues().isEmpty() ? c.values() : c.regexValues());
        default -> { }
      }
    }
    boolean hosts = lhsHosts.isEmpty() || (!rhsHosts.isEmpty() && lhsHosts.containsAll(rhsHosts));
    boolean paths = lhsPaths.isEmpty() || lhsPaths.contains("/*") || (!rhsPaths.isEmpty() && lhsPaths.containsAll(rhsPaths));
    return hosts && paths;
  }
}
