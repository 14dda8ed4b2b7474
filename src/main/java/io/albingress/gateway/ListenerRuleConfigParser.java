package io.albingress.gateway;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.AuthAnnotations;
import io.albingress.annotations.AuthConfig;
import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.albingress.annotations.SpecReader;
import io.albingress.annotations.TargetAnnotations;
import io.albingress.model.RuleAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the {@code spec} of a {@code gateway.k8s.aws} ListenerRuleConfiguration (the reference's
 * {@code apis/gateway/v1/listenerruleconfig_types.go}): at most one routing action (fixed-response, redirect
 * with its query, forward with target group stickiness), at most one pre-routing action (authenticate-oidc,
 * authenticate-cognito, jwt-validation, checked as the auth annotations are), source-ip conditions (optionally
 * for some match indexes) and rule tags. Every problem is a {@link FieldError} on its spec path. Pure.
 */
public final class ListenerRuleConfigParser extends SpecReader {
  static final Set<String> SPEC_FIELDS = Set.of("actions", "conditions", "tags");
  static final Set<String> ROUTING = Set.of("forward", "redirect", "fixed-response");
  static final Set<String> PRE_ROUTING = Set.of("authenticate-oidc", "authenticate-cognito", "jwt-validation");
  static final Map<String, String> CONFIG_FIELD = Map.of("forward", "forwardConfig", "redirect", "redirectConfig", "fixed-response",
      "fixedResponseConfig", "authenticate-oidc", "authenticateOIDCConfig", "authenticate-cognito", "authenticateCognitoConfig",
      "jwt-validation", "jwtValidationConfig");
  /** ELBv2 FixedResponseActionConfig: StatusCode ^(2|4|5)\d\d$, ContentType one of five, MessageBody at most 1024 characters. */
  static final Pattern STATUS = Pattern.compile("[245]\\d\\d");
  static final Set<String> CONTENT_TYPES = Set.of("text/plain", "text/css", "text/html", "application/javascript", "application/json");
  static final int MAX_MESSAGE_BODY = 1024;
  /** ELBv2 RedirectActionConfig Query: 0 to 128 characters, without a leading '?'. */
  static final int MAX_QUERY = 128;
  static final Pattern CIDR_V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

  /** A source-ip condition; {@code matchIndexes} empty means every match of the rule. */
  public record SourceIp(List<String> values, Optional<List<Integer>> matchIndexes) {
    public SourceIp {
      values = List.copyOf(values);
      matchIndexes = matchIndexes.map(List::copyOf);
    }

    public boolean appliesTo(int matchIndex) {
      return matchIndexes.map(m -> m.contains(matchIndex)).orElse(true);
    }
  }

  /**
   * What a ListenerRuleConfiguration asks of a rule. {@code forwardStickiness}: present when a forward action is
   * configured, holding the stickiness duration when enabled.
   */
  public record ListenerRuleConfig(Optional<RuleAction.FixedResponse> fixedResponse, Optional<String> redirectQuery,
      Optional<Optional<Integer>> forwardStickiness, Optional<AuthConfig> auth, List<SourceIp> sourceIps, Map<String, String> tags) {
    public static final ListenerRuleConfig EMPTY = new ListenerRuleConfig(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), Map.of());

    public ListenerRuleConfig {
      sourceIps = List.copyOf(sourceIps);
      tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
  }

  private ListenerRuleConfigParser() {}

  /** @param spec the object's {@code spec}; null is an empty spec */
  public static Parsed<ListenerRuleConfig> parse(Map<String, Object> spec) {
    return new ListenerRuleConfigParser().read(spec == null ? Map.of() : spec);
  }

  private Optional<RuleAction.FixedResponse> fixedResponse = Optional.empty();
  private Optional<String> redirectQuery = Optional.empty();
  private Optional<Optional<Integer>> forward = Optional.empty();
  private Optional<AuthConfig> auth = Optional.empty();

  private Parsed<ListenerRuleConfig> read(Map<String, Object> spec) {
    for (String k : new TreeSet<>(spec.keySet())) {
      if (!SPEC_FIELDS.contains(k)) {
        error("spec." + k, "is not a field of gateway.k8s.aws ListenerRuleConfiguration");
      }
    }
    List<Object> actions = list(spec, "actions", "spec.actions");
    String routing = null;
    String preRouting = null;
    for (int i = 0; i < actions.size(); i++) {
      String field = "spec.actions[" + i + "]";
      Optional<Map<String, Object>> a = item(actions.get(i), field, "an object with type");
      if (a.isEmpty()) {
        continue;
      }
      String type = string(a.get(), "type", field + ".type").orElse("");
      if (!CONFIG_FIELD.containsKey(type)) {
        error(field + ".type", "\"" + FieldError.abbreviate(type) + "\" is not valid: expected one of " + new TreeSet<>(CONFIG_FIELD.keySet()));
        continue;
      }
      for (String k : new TreeSet<>(a.get().keySet())) {
        if (!k.equals("type") && !k.equals(CONFIG_FIELD.get(type))) {
          error(field + "." + k, CONFIG_FIELD.containsValue(k) ? "does not belong to an action of type " + type + ": remove it"
              : "is not a field of an action");
        }
      }
      if (ROUTING.contains(type)) {
        if (routing != null) {
          error(field + ".type", type + ": a rule has one routing action and " + routing + " is already given; keep one");
          continue;
        }
        routing = type;
      } else {
        if (preRouting != null) {
          error(field + ".type", type + ": ALB allows one authenticate or jwt-validation action per rule and " + preRouting
              + " is already given; keep one");
          continue;
        }
        preRouting = type;
      }
      String config = field + "." + CONFIG_FIELD.get(type);
      Optional<Map<String, Object>> c = map(a.get(), CONFIG_FIELD.get(type), config);
      if (c.isEmpty() && !type.equals("forward")) {
        error(config, "is required for an action of type " + type);
        continue;
      }
      Map<String, Object> cfg = c.orElse(Map.of());
      switch (type) {
        case "fixed-response" -> fixedResponse(cfg, config);
        case "redirect" -> redirect(cfg, config);
        case "forward" -> forward(cfg, config);
        default -> auth(type, cfg, config);
      }
    }
    List<SourceIp> sourceIps = conditions(spec);
    Map<String, String> tags = stringMap(spec, "tags", "spec.tags");
    if (!tags.isEmpty()) {
      TargetAnnotations.serviceTags(Map.of(AnnotationCatalog.key("tags"), TargetGroupConfigParser.render(tags)), "").errors()
          .forEach(e -> error("spec.tags", e.message()));
    }
    return new Parsed<>(new ListenerRuleConfig(fixedResponse, redirectQuery, forward, auth, sourceIps, tags), errors);
  }

  private void fixedResponse(Map<String, Object> c, String path) {
    known(c, path, Set.of("statusCode", "contentType", "messageBody"));
    Optional<Integer> status = integer(c, "statusCode", path + ".statusCode");
    if (status.isEmpty()) {
      error(path + ".statusCode", "is required (2XX, 4XX or 5XX)");
      return;
    }
    if (!STATUS.matcher(String.valueOf(status.get())).matches()) {
      error(path + ".statusCode", status.get() + " is not valid: ALB answers 2XX, 4XX or 5XX status codes");
      return;
    }
    Optional<String> type = string(c, "contentType", path + ".contentType");
    if (type.isPresent() && !CONTENT_TYPES.contains(type.get())) {
      error(path + ".contentType", "\"" + FieldError.abbreviate(type.get()) + "\" is not valid: expected one of " + new TreeSet<>(CONTENT_TYPES));
      return;
    }
    Optional<String> body = string(c, "messageBody", path + ".messageBody");
    if (body.isPresent() && body.get().length() > MAX_MESSAGE_BODY) {
      error(path + ".messageBody", "has " + body.get().length() + " characters; ALB takes at most " + MAX_MESSAGE_BODY);
      return;
    }
    fixedResponse = Optional.of(new RuleAction.FixedResponse(String.valueOf(status.get()), type, body));
  }

  private void redirect(Map<String, Object> c, String path) {
    known(c, path, Set.of("query"));
    Optional<String> query = string(c, "query", path + ".query");
    if (query.isEmpty()) {
      error(path + ".query", "is required: the query string of the redirect (without '?')");
    } else if (query.get().length() > MAX_QUERY || query.get().startsWith("?")) {
      error(path + ".query", "\"" + FieldError.abbreviate(query.get()) + "\" is not valid: at most " + MAX_QUERY
          + " characters, without a leading '?'");
    } else {
      redirectQuery = query;
    }
  }

  private void forward(Map<String, Object> c, String path) {
    known(c, path, Set.of("targetGroupStickinessConfig"));
    Optional<Map<String, Object>> s = map(c, "targetGroupStickinessConfig", path + ".targetGroupStickinessConfig");
    if (s.isEmpty()) {
      forward = Optional.of(Optional.empty());
      return;
    }
    String sp = path + ".targetGroupStickinessConfig";
    known(s.get(), sp, Set.of("enabled", "durationSeconds"));
    boolean enabled = bool(s.get(), "enabled", sp + ".enabled").orElse(false);
    Optional<Integer> duration = integer(s.get(), "durationSeconds", sp + ".durationSeconds");
    if (enabled && duration.isEmpty()) {
      error(sp + ".durationSeconds", "is required when stickiness is enabled (1 to 604800 seconds)");
    } else if (duration.isPresent() && (duration.get() < 1 || duration.get() > 604800)) {
      error(sp + ".durationSeconds", duration.get() + " is not valid: expected 1 to 604800 seconds");
    } else if (!enabled && duration.isPresent()) {
      error(sp + ".durationSeconds", "is set while enabled is not true; set enabled: true or remove it");
    } else {
      forward = Optional.of(enabled ? duration : Optional.empty());
    }
  }

  /** The pre-routing action rendered as the auth annotations (or jwt-validation) and checked by their parser. */
  private void auth(String type, Map<String, Object> c, String path) {
    Map<String, String> a = new LinkedHashMap<>();
    Map<String, Object> idp = new LinkedHashMap<>();
    switch (type) {
      case "authenticate-oidc" -> {
        known(c, path, Set.of("authorizationEndpoint", "secret", "issuer", "tokenEndpoint", "userInfoEndpoint", "scope",
            "authenticationRequestExtraParams", "onUnauthenticatedRequest", "sessionCookieName", "sessionTimeout", "useExistingClientSecret"));
        if (Boolean.TRUE.equals(c.get("useExistingClientSecret"))) {
          error(path + ".useExistingClientSecret", "is not applied by this controller (the client secret always comes from the Secret):"
              + " remove it");
        }
        for (String k : List.of("issuer", "authorizationEndpoint", "tokenEndpoint", "userInfoEndpoint")) {
          string(c, k, path + "." + k).ifPresent(v -> idp.put(k, v));
        }
        map(c, "secret", path + ".secret").flatMap(s -> string(s, "name", path + ".secret.name")).ifPresentOrElse(
            s -> idp.put("secretName", s), () -> error(path + ".secret.name", "is required: a Secret in the ListenerRuleConfiguration's"
                + " namespace holding clientID and clientSecret"));
        a.put(AnnotationCatalog.key("auth-type"), "oidc");
      }
      case "authenticate-cognito" -> {
        known(c, path, Set.of("userPoolArn", "userPoolClientId", "userPoolDomain", "scope", "authenticationRequestExtraParams",
            "onUnauthenticatedRequest", "sessionCookieName", "sessionTimeout"));
        string(c, "userPoolArn", path + ".userPoolArn").ifPresent(v -> idp.put("userPoolARN", v));
        string(c, "userPoolClientId", path + ".userPoolClientId").ifPresent(v -> idp.put("userPoolClientID", v));
        string(c, "userPoolDomain", path + ".userPoolDomain").ifPresent(v -> idp.put("userPoolDomain", v));
        a.put(AnnotationCatalog.key("auth-type"), "cognito");
      }
      default -> {
        known(c, path, Set.of("issuer", "jwksEndpoint", "additionalClaims"));
        c.forEach(idp::put);
        a.put(AnnotationCatalog.key("jwt-validation"), JSON.writeValueAsString(idp));
        check(a, path);
        return;
      }
    }
    map(c, "authenticationRequestExtraParams", path + ".authenticationRequestExtraParams").ifPresent(m -> idp.put("authenticationRequestExtraParams", m));
    a.put(AnnotationCatalog.key(type.equals("authenticate-oidc") ? "auth-idp-oidc" : "auth-idp-cognito"), JSON.writeValueAsString(idp));
    string(c, "onUnauthenticatedRequest", path + ".onUnauthenticatedRequest").ifPresent(v -> a.put(AnnotationCatalog.key("auth-on-unauthenticated-request"), v));
    string(c, "scope", path + ".scope").ifPresent(v -> a.put(AnnotationCatalog.key("auth-scope"), v));
    string(c, "sessionCookieName", path + ".sessionCookieName").ifPresent(v -> a.put(AnnotationCatalog.key("auth-session-cookie"), v));
    Object timeout = c.get("sessionTimeout");
    if (timeout != null) {
      a.put(AnnotationCatalog.key("auth-session-timeout"), String.valueOf(timeout));
    }
    check(a, path);
  }

  private static final tools.jackson.databind.ObjectMapper JSON = new tools.jackson.databind.ObjectMapper();

  private void check(Map<String, String> annotations, String path) {
    Parsed<AuthConfig> parsed = AuthAnnotations.parse(annotations);
    int before = errors.size();
    for (FieldError e : parsed.errors()) {
      String message = e.message().replace(AnnotationCatalog.PREFIX, "");
      FieldError named = new FieldError(path + fieldOf(e.field()), message);
      if (!errors.contains(named)) {
        errors.add(named);
      }
    }
    if (errors.size() == before) {
      auth = Optional.of(parsed.value());
    }
  }

  /** The spec field an auth annotation stands for. */
  private static String fieldOf(String annotation) {
    String k = annotation.startsWith(AnnotationCatalog.PREFIX) ? annotation.substring(AnnotationCatalog.PREFIX.length()) : annotation;
    return switch (k) {
      case "auth-on-unauthenticated-request" -> ".onUnauthenticatedRequest";
      case "auth-scope" -> ".scope";
      case "auth-session-cookie" -> ".sessionCookieName";
      case "auth-session-timeout" -> ".sessionTimeout";
      default -> "";
    };
  }

  private List<SourceIp> conditions(Map<String, Object> spec) {
    List<SourceIp> out = new ArrayList<>();
    List<Object> items = list(spec, "conditions", "spec.conditions");
    boolean everyMatch = false;
    Set<Integer> indexes = new java.util.HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String field = "spec.conditions[" + i + "]";
      Optional<Map<String, Object>> c = item(items.get(i), field, "an object with field");
      if (c.isEmpty()) {
        continue;
      }
      known(c.get(), field, Set.of("field", "sourceIPConfig", "matchIndexes"));
      String f = string(c.get(), "field", field + ".field").orElse("");
      if (!f.equals("source-ip")) {
        error(field + ".field", "\"" + FieldError.abbreviate(f) + "\" is not valid: expected source-ip");
        continue;
      }
      List<String> values = map(c.get(), "sourceIPConfig", field + ".sourceIPConfig")
          .map(s -> strings(s, "values", field + ".sourceIPConfig.values")).orElse(List.of());
      if (values.isEmpty()) {
        error(field + ".sourceIPConfig.values", "is required: at least one CIDR");
        continue;
      }
      for (int j = 0; j < values.size(); j++) {
        cidrProblem(values.get(j)).ifPresent(p -> error(field + ".sourceIPConfig.values", p));
      }
      Optional<List<Integer>> matchIndexes = Optional.empty();
      if (c.get().get("matchIndexes") != null) {
        List<Integer> idx = new ArrayList<>();
        List<Object> raw = list(c.get(), "matchIndexes", field + ".matchIndexes");
        for (int j = 0; j < raw.size(); j++) {
          if (raw.get(j) instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 0) {
            idx.add(n.intValue());
          } else {
            error(field + ".matchIndexes[" + j + "]", "must be a match index (an integer from 0)");
          }
        }
        matchIndexes = Optional.of(idx);
      }
      // ALB takes one source-ip condition per rule: two conditions for one match would be refused by AWS
      boolean clash = matchIndexes.isEmpty() ? everyMatch || !indexes.isEmpty() || !out.isEmpty()
          : everyMatch || matchIndexes.get().stream().anyMatch(indexes::contains);
      if (clash) {
        error(field, "another source-ip condition applies to the same matches; ALB takes one source-ip condition per rule:"
            + " put all CIDRs in one condition");
        continue;
      }
      everyMatch |= matchIndexes.isEmpty();
      matchIndexes.ifPresent(indexes::addAll);
      out.add(new SourceIp(values, matchIndexes));
    }
    return out;
  }

  /** An IPv4 or IPv6 CIDR, as ALB's source-ip condition takes it. */
  static Optional<String> cidrProblem(String v) {
    var m = CIDR_V4.matcher(v);
    if (m.matches()) {
      for (int g = 1; g <= 4; g++) {
        if (Integer.parseInt(m.group(g)) > 255) {
          return Optional.of("\"" + FieldError.abbreviate(v) + "\" is not a valid CIDR");
        }
      }
      return Integer.parseInt(m.group(5)) > 32 ? Optional.of("\"" + FieldError.abbreviate(v) + "\" is not a valid CIDR") : Optional.empty();
    }
    int slash = v.indexOf('/');
    if (slash > 0 && v.substring(0, slash).contains(":") && v.substring(0, slash).matches("[0-9A-Fa-f:.]+")
        && v.substring(slash + 1).matches("\\d{1,3}") && Integer.parseInt(v.substring(slash + 1)) <= 128) {
      return Optional.empty();
    }
    return Optional.of("\"" + FieldError.abbreviate(v) + "\" is not valid: expected a CIDR such as 10.0.0.0/8 or 2001:db8::/32");
  }

  private void known(Map<String, Object> m, String path, Set<String> fields) {
    for (String k : new TreeSet<>(m.keySet())) {
      if (!fields.contains(k)) {
        error(path + "." + k, "is not a field of " + path.replaceAll(".*\\.", ""));
      }
    }
  }
}
