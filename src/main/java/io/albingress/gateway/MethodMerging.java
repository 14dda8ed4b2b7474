package io.albingress.gateway;

import io.albingress.annotations.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Beyond the reference (it spends one of the ALB's 100 rules per match): the matches of one route rule
 * that differ only in their HTTP method share one ALB rule whose http-request-method condition lists
 * every method. Only candidates of the same route rule (so with the same action) and the same hostname
 * whose path, headers and query parameters are equal are merged, and only within the run of
 * consecutive candidates of that rule in precedence order: the candidates of a run all have the same
 * action, so which of them answers a request first changes nothing, and every other route's rules keep
 * their places before or after the run. A merged rule stays within ALB's {@value #MAX_CONDITION_VALUES}
 * condition values per rule; past that the next method starts another rule. Pure.
 */
public final class MethodMerging {
  /** ALB quota "condition values per rule" (host-header, path-pattern, header, query and method values together). */
  public static final int MAX_CONDITION_VALUES = 5;

  private MethodMerging() {}

  /** The sorted candidates in groups of one ALB rule each, in the same order; a group of one is a candidate as it was. */
  public static List<List<Precedence.Candidate>> merge(List<Precedence.Candidate> sorted) {
    List<List<Precedence.Candidate>> out = new ArrayList<>();
    int i = 0;
    while (i < sorted.size()) {
      int end = i + 1;
      while (end < sorted.size() && sameRule(sorted.get(i), sorted.get(end))) {
        end++;
      }
      out.addAll(mergeRun(sorted.subList(i, end)));
      i = end;
    }
    return out;
  }

  /** Within a run of one route rule: each candidate joins the first open group it only differs from in method, if there is room. */
  private static List<List<Precedence.Candidate>> mergeRun(List<Precedence.Candidate> run) {
    List<List<Precedence.Candidate>> groups = new ArrayList<>();
    for (Precedence.Candidate c : run) {
      Optional<List<Precedence.Candidate>> into = groups.stream()
          .filter(g -> onlyMethodDiffers(g.get(0), c) && values(g) + 1 <= MAX_CONDITION_VALUES && !methods(g).contains(c.match().getMethod()))
          .findFirst();
      if (into.isPresent()) {
        into.get().add(c);
      } else {
        groups.add(new ArrayList<>(List.of(c)));
      }
    }
    return groups;
  }

  /**
   * The conditions of a group: the first candidate's, with every method of the group in its
   * http-request-method condition (ALB matches any of them).
   */
  public static List<Condition> conditions(List<Precedence.Candidate> group) {
    Precedence.Candidate first = group.get(0);
    List<Condition> base = RouteMapping.conditions(Optional.of(first.hostname()), first.match());
    if (group.size() == 1) {
      return base;
    }
    List<String> methods = methods(group);
    return base.stream().map(c -> c.field().equals("http-request-method") ? new Condition(c.field(), c.httpHeaderName(), methods) : c)
        .toList();
  }

  /** "matches[0]", or "matches[0,2]" for a merged group; "" for a rule without matches. */
  public static String matchesText(List<Precedence.Candidate> group) {
    if (group.get(0).matchIndex() == Integer.MAX_VALUE) {
      return "";
    }
    return ".matches[" + String.join(",", group.stream().map(c -> String.valueOf(c.matchIndex())).toList()) + "]";
  }

  /**
   * The fewest ALB rules the matches of one rule make under one hostname: matches that differ only in
   * method count once (as many times as the value limit splits them); a rule without matches is one.
   */
  public static int fewestRules(List<HTTPRouteMatch> matches) {
    if (matches.isEmpty()) {
      return 1;
    }
    List<Precedence.Candidate> run = new ArrayList<>();
    for (int j = 0; j < matches.size(); j++) {
      run.add(new Precedence.Candidate("", null, 0, j, matches.get(j)));
    }
    return mergeRun(run).size();
  }

  /** Candidates of one route rule; a rule with an ExtensionRef is never merged (its source-ip conditions may name single matches). */
  private static boolean sameRule(Precedence.Candidate a, Precedence.Candidate b) {
    return a.route() == b.route() && a.ruleIndex() == b.ruleIndex() && RouteMapping.nonNull(
        a.route().getSpec().getRules().get(a.ruleIndex()).getFilters()).stream().noneMatch(f -> "ExtensionRef".equals(f.getType()));
  }

  private static boolean onlyMethodDiffers(Precedence.Candidate a, Precedence.Candidate b) {
    HTTPRouteMatch x = a.match();
    HTTPRouteMatch y = b.match();
    return x != null && y != null && !(x instanceof GrpcRoutes.Match) && !(y instanceof GrpcRoutes.Match)
        && x.getMethod() != null && y.getMethod() != null && a.hostname().equals(b.hostname())
        && Objects.equals(x.getPath(), y.getPath()) && Objects.equals(RouteMapping.nonNull(x.getHeaders()), RouteMapping.nonNull(y.getHeaders()))
        && Objects.equals(RouteMapping.nonNull(x.getQueryParams()), RouteMapping.nonNull(y.getQueryParams()));
  }

  private static List<String> methods(List<Precedence.Candidate> group) {
    return group.stream().map(c -> c.match().getMethod()).distinct().toList();
  }

  /** The condition values the group's rule has now. */
  private static int values(List<Precedence.Candidate> group) {
    Precedence.Candidate first = group.get(0);
    int base = RouteMapping.conditions(Optional.of(first.hostname()), first.match()).stream()
        .mapToInt(c -> c.values().size() + c.regexValues().size()).sum();
    return base - 1 + methods(group).size();
  }
}
