package io.albingress.testing;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** An AWS query-protocol request body (form encoded: {@code Action=...&Name=...&Tags.member.1.Key=...}). */
public record QueryRequest(Map<String, String> params) {
  /** ELBv2's API version, as every request of its query protocol names it. */
  public static final String ELBV2_VERSION = "2015-12-01";

  public static QueryRequest parse(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return new QueryRequest(params);
  }

  /** A request of the layer's own, e.g. {@code of("DescribeLoadBalancers", "Names.member.1", name)}. */
  public static QueryRequest of(String action, String... keyValues) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("Action", action);
    params.put("Version", ELBV2_VERSION);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      params.put(keyValues[i], keyValues[i + 1]);
    }
    return new QueryRequest(params);
  }

  public boolean isElbv2() {
    return ELBV2_VERSION.equals(params.get("Version"));
  }

  public String action() {
    return params.getOrDefault("Action", "");
  }

  public String get(String key) {
    return params.get(key);
  }

  /** The values of a list parameter, e.g. {@code list("LoadBalancerArns")} for LoadBalancerArns.member.N. */
  public List<String> list(String name) {
    String prefix = name + ".member.";
    List<String> values = new ArrayList<>();
    for (int i = 1; params.containsKey(prefix + i); i++) {
      values.add(params.get(prefix + i));
    }
    return values;
  }

  /** Every value of a parameter whose key ends with the given field, e.g. each action's TargetGroupArn. */
  public List<String> valuesOf(String field) {
    return params.entrySet().stream().filter(e -> e.getKey().equals(field) || e.getKey().endsWith("." + field))
        .map(Map.Entry::getValue).distinct().toList();
  }

  /**
   * What a create asks for apart from its tags, in a stable order: two creates of one name are "the
   * same settings" when these are equal. Tags are left out (they are added with AddTags too).
   */
  public Map<String, String> settings() {
    return params.entrySet().stream()
        .filter(e -> !e.getKey().equals("Action") && !e.getKey().equals("Version") && !e.getKey().startsWith("Tags."))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b, TreeMap::new));
  }

  public String encode() {
    return params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
