package io.albingress.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Client-side rate limits per AWS API, as the reference's {@code --aws-api-throttle}:
 * {@code serviceID:operationRegex=rate:burst,...}. Overriding any rule of a service replaces that
 * service's defaults; the other services keep theirs. Operation patterns are searched, not anchored,
 * as Go's {@code regexp.MatchString}.
 */
public record ApiThrottleConfig(Map<String, List<Rule>> byService) {
  public static final String ELBV2 = "Elastic Load Balancing v2";
  public static final String WAFV2 = "WAFV2";
  public static final String WAF_REGIONAL = "WAF Regional";

  /** Operations matching {@code operation} share one token bucket of {@code ratePerSecond} and {@code burst}. */
  public record Rule(Pattern operation, double ratePerSecond, int burst) {
    public boolean matches(String op) {
      return operation.matcher(op).find();
    }

    @Override
    public String toString() {
      return operation.pattern() + "=" + (ratePerSecond == Math.rint(ratePerSecond) ? String.valueOf((long) ratePerSecond)
          : String.valueOf(ratePerSecond)) + ":" + burst;
    }
  }

  public ApiThrottleConfig {
    Map<String, List<Rule>> copy = new LinkedHashMap<>();
    byService.forEach((service, rules) -> copy.put(service, List.copyOf(rules)));
    byService = Map.copyOf(copy);
  }

  /** The reference's defaults (pkg/aws/throttle/defaults.go), from ELBv2's documented request rates. */
  public static ApiThrottleConfig defaults() {
    Map<String, List<Rule>> rules = new LinkedHashMap<>();
    for (String waf : List.of(WAFV2, WAF_REGIONAL)) {
      rules.put(waf, List.of(rule("^AssociateWebACL|DisassociateWebACL", 0.5, 1),
          rule("^GetWebACLForResource|ListResourcesForWebACL", 1, 1)));
    }
    rules.put(ELBV2, List.of(rule("^RegisterTargets|^DeregisterTargets", 4, 20), rule("^Describe.*", 50, 200),
        rule("^Modify.*", 3, 20)));
    return new ApiThrottleConfig(rules);
  }

  /** The defaults with {@code overrides} applied; blank means the defaults. */
  public static ApiThrottleConfig parse(String overrides) {
    ApiThrottleConfig defaults = defaults();
    if (overrides == null || overrides.isBlank()) {
      return defaults;
    }
    Map<String, List<Rule>> replaced = new LinkedHashMap<>();
    for (String pair : overrides.split(",")) {
      String entry = pair.trim();
      String[] kv = entry.split("=", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException(entry + " must be formatted as serviceID:operationRegex=rate:burst");
      }
      int colon = kv[0].indexOf(':');
      if (colon <= 0 || colon == kv[0].length() - 1) {
        throw new IllegalArgumentException(kv[0] + " must be formatted as serviceID:operationRegex");
      }
      String[] rb = kv[1].split(":", -1);
      if (rb.length != 2) {
        throw new IllegalArgumentException(kv[1] + " must be formatted as rate:burst");
      }
      replaced.computeIfAbsent(kv[0].substring(0, colon).trim(), s -> new ArrayList<>())
          .add(rule(kv[0].substring(colon + 1), rate(rb[0]), burst(rb[1])));
    }
    Map<String, List<Rule>> merged = new LinkedHashMap<>(defaults.byService());
    merged.putAll(replaced);
    return new ApiThrottleConfig(merged);
  }

  /** Every rule of {@code service} that {@code operation} matches (each one's bucket must allow the call). */
  public List<Rule> rulesFor(String service, String operation) {
    return byService.getOrDefault(service, List.of()).stream().filter(r -> r.matches(operation)).toList();
  }

  public Optional<List<Rule>> service(String service) {
    return Optional.ofNullable(byService.get(service));
  }

  @Override
  public String toString() {
    return byService.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .flatMap(e -> e.getValue().stream().map(r -> e.getKey() + ":" + r))
        .collect(Collectors.joining(","));
  }

  private static Rule rule(String regex, double rate, int burst) {
    try {
      return new Rule(Pattern.compile(regex), rate, burst);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(regex + " must be a valid regular expression for operations");
    }
  }

  private static double rate(String text) {
    try {
      double rate = Double.parseDouble(text.trim());
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new NumberFormatException();
      }
      return rate;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text + " must be a positive number as rate for operations per second");
    }
  }

  private static int burst(String text) {
    try {
      int burst = Integer.parseInt(text.trim());
      if (burst < 1) {
        throw new NumberFormatException();
      }
      return burst;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text + " must be a positive integer as burst for operations");
    }
  }
}
