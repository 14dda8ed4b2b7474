package io.albingress.annotations;

import tools.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The JSON shapes of `actions.<name>` and `conditions.<name>`, as the reference controller documents them. */
final class RoutingJson {
  static final String ACTION_SHAPE = "{\"type\": \"forward\"|\"fixed-response\"|\"redirect\", ...} with forwardConfig, "
      + "fixedResponseConfig or redirectConfig";
  static final String CONDITIONS_SHAPE = "a JSON list of conditions such as "
      + "[{\"field\": \"http-header\", \"httpHeaderConfig\": {\"httpHeaderName\": \"X-Env\", \"values\": [\"beta\"]}}]";
  private static final Set<String> REDIRECT_CODES = Set.of("HTTP_301", "HTTP_302");
  /** The content types an ALB fixed-response action accepts. */
  private static final List<String> CONTENT_TYPES_LIST =
      List.of("text/plain", "text/css", "text/html", "application/javascript", "application/json");
  private static final Set<String> CONTENT_TYPES = Set.copyOf(CONTENT_TYPES_LIST);
  private static final String CONTENT_TYPES_TEXT = String.join(", ", CONTENT_TYPES_LIST);

  private RoutingJson() {}

  private static final JsonShape REWRITES = JsonShape.obj("rewrites", JsonShape.array(JsonShape.obj("regex", JsonShape.LEAF,
      "replace", JsonShape.LEAF)));
  static final JsonShape ACTION = JsonShape.obj(
      "type", JsonShape.LEAF, "targetGroupARN", JsonShape.LEAF, "targetGroupName", JsonShape.LEAF,
      "fixedResponseConfig", JsonShape.obj("contentType", JsonShape.LEAF, "messageBody", JsonShape.LEAF, "statusCode", JsonShape.LEAF),
      "redirectConfig", JsonShape.obj("host", JsonShape.LEAF, "path", JsonShape.LEAF, "port", JsonShape.LEAF,
          "protocol", JsonShape.LEAF, "query", JsonShape.LEAF, "statusCode", JsonShape.LEAF),
      "forwardConfig", JsonShape.obj(
          "targetGroups", JsonShape.array(JsonShape.obj("targetGroupARN", JsonShape.LEAF, "targetGroupName", JsonShape.LEAF,
              "serviceName", JsonShape.LEAF, "servicePort", JsonShape.LEAF, "weight", JsonShape.LEAF)),
          "targetGroupStickinessConfig", JsonShape.obj("enabled", JsonShape.LEAF, "durationSeconds", JsonShape.LEAF)));
  private static final JsonShape VALUES = JsonShape.obj("values", JsonShape.LEAF, "regexValues", JsonShape.LEAF);
  static final JsonShape CONDITIONS = JsonShape.array(JsonShape.obj(
      "field", JsonShape.LEAF,
      "hostHeaderConfig", VALUES,
      "httpHeaderConfig", JsonShape.obj("httpHeaderName", JsonShape.LEAF, "values", JsonShape.LEAF, "regexValues", JsonShape.LEAF),
      "httpRequestMethodConfig", JsonShape.obj("values", JsonShape.LEAF),
      "pathPatternConfig", VALUES,
      "queryStringConfig", JsonShape.obj("values", JsonShape.array(JsonShape.obj("key", JsonShape.LEAF, "value", JsonShape.LEAF))),
      "sourceIPConfig", JsonShape.obj("values", JsonShape.LEAF)));
  static final JsonShape TRANSFORMS = JsonShape.array(JsonShape.obj(
      "type", JsonShape.LEAF, "hostHeaderRewriteConfig", REWRITES, "urlRewriteConfig", REWRITES));
  static final String TRANSFORMS_SHAPE = "a JSON list of transforms such as [{\"type\": \"url-rewrite\", \"urlRewriteConfig\":"
      + " {\"rewrites\": [{\"regex\": \"^/api/(.*)$\", \"replace\": \"/$1\"}]}}]";

  /** The annotation's JSON with keys in canonical spelling, or empty after reporting why not. */
  private static Optional<JsonNode> canonical(AnnotationReader r, String name, String expected, JsonShape shape) {
    Optional<JsonNode> json = r.json(name, expected);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    JsonNode node = JsonShape.canonical(json.get(), shape, problems);
    problems.forEach(p -> r.error(name, p));
    return problems.isEmpty() ? Optional.of(node) : Optional.empty();
  }

  static Optional<Action> action(AnnotationReader r, String name) {
    Optional<JsonNode> json = canonical(r, name, ACTION_SHAPE, ACTION);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = json.get();
    String type = text(node, "type").orElse("");
    int before = r.errorCount();
    Optional<Action> action = switch (type) {
      case "forward" -> forward(r, name, node);
      case "fixed-response" -> fixedResponse(r, name, node.path("fixedResponseConfig"));
      case "redirect" -> redirect(r, name, node.path("redirectConfig"));
      default -> {
        r.invalid(name, node.toString(), ACTION_SHAPE);
        yield Optional.empty();
      }
    };
    return r.errorCount() == before ? action : Optional.empty();
  }

  private static Optional<Action> forward(AnnotationReader r, String name, JsonNode node) {
    int before = r.errorCount();
    List<Action.ForwardTarget> targets = new ArrayList<>();
    Optional<String> singleArn = text(node, "targetGroupARN");
    Optional<String> singleName = text(node, "targetGroupName");
    boolean simple = singleArn.isPresent() || singleName.isPresent();
    if (simple && node.has("forwardConfig")) {
      r.error(name, "set either forwardConfig or targetGroupARN/targetGroupName, not both");
      return Optional.empty();
    }
    if (singleArn.isPresent() && singleName.isPresent()) {
      r.error(name, "set either targetGroupARN or targetGroupName, not both");
      return Optional.empty();
    }
    singleArn.filter(arn -> !arn.startsWith("arn:")).ifPresent(arn -> r.invalid(name, arn, "a target group ARN"));
    if (simple) {
      targets.add(new Action.ForwardTarget(Optional.empty(), Optional.empty(), singleArn, singleName, 1));
    }
    JsonNode config = node.path("forwardConfig");
    JsonNode groups = config.path("targetGroups");
    boolean severalTargets = groups.size() > 1;
    for (JsonNode tg : groups) {
      Optional<String> arn = text(tg, "targetGroupARN");
      Optional<String> tgName = text(tg, "targetGroupName");
      Optional<String> service = text(tg, "serviceName");
      Optional<String> port = text(tg, "servicePort");
      JsonNode weight = tg.get("weight");
      boolean existing = arn.isPresent() || tgName.isPresent();
      if (!existing && (service.isEmpty() || port.isEmpty())) {
        r.invalid(name, tg.toString(), "each forwardConfig target group to have targetGroupARN, targetGroupName, or serviceName and servicePort");
      } else if (existing && service.isPresent() || arn.isPresent() && tgName.isPresent()) {
        r.invalid(name, tg.toString(), "each forwardConfig target group to have one of targetGroupARN, targetGroupName or serviceName");
      } else if (weight == null && severalTargets) {
        r.invalid(name, tg.toString(), "a weight on each target group when forwarding to several, as the reference controller"
            + " requires (e.g. \"weight\": 50)");
      } else if (weight != null && !(weight.isIntegralNumber() && weight.asInt() >= 0 && weight.asInt() <= 999)) {
        r.invalid(name, tg.toString(), "a weight from 0 to 999");
      } else if (arn.isPresent() && !arn.get().startsWith("arn:")) {
        r.invalid(name, arn.get(), "a target group ARN");
      } else {
        targets.add(new Action.ForwardTarget(service, port, arn, tgName, weight == null ? 1 : weight.asInt()));
      }
    }
    if (targets.isEmpty() && r.errorCount() == before) {
      r.invalid(name, node.toString(), "a forward action with targetGroupARN, targetGroupName or forwardConfig.targetGroups");
    }
    if (targets.size() > 5) {
      r.error(name, "forwards to " + targets.size() + " target groups; an ALB action allows at most 5");
    }
    JsonNode stickiness = config.path("targetGroupStickinessConfig");
    Optional<Integer> seconds = stickiness.path("enabled").asBoolean(false)
        ? Optional.of(stickiness.path("durationSeconds").asInt(3600)) : Optional.empty();
    if (seconds.isPresent() && (seconds.get() < 1 || seconds.get() > 604800)) {
      r.invalid(name, stickiness.toString(), "stickiness durationSeconds from 1 to 604800");
    }
    return Optional.of(new Action.Forward(targets, seconds));
  }

  private static Optional<Action> fixedResponse(AnnotationReader r, String name, JsonNode config) {
    String code = config.path("statusCode").asString("");
    if (!code.matches("[245]\\d\\d")) {
      r.invalid(name, config.toString(), "fixedResponseConfig.statusCode of 2XX, 4XX or 5XX");
      return Optional.empty();
    }
    Optional<String> contentType = text(config, "contentType");
    if (contentType.isPresent() && !CONTENT_TYPES.contains(contentType.get())) {
      r.invalid(name, contentType.get(), "fixedResponseConfig.contentType one of " + CONTENT_TYPES_TEXT);
    }
    Optional<String> body = text(config, "messageBody");
    if (body.isPresent() && body.get().length() > 1024) {
      r.error(name, "fixedResponseConfig.messageBody is " + body.get().length() + " characters; ALB allows at most 1024");
    }
    return Optional.of(new Action.FixedResponse(code, contentType, body));
  }

  private static Optional<Action> redirect(AnnotationReader r, String name, JsonNode config) {
    String code = config.path("statusCode").asString("");
    if (!REDIRECT_CODES.contains(code)) {
      r.invalid(name, config.toString(), "redirectConfig.statusCode HTTP_301 or HTTP_302");
      return Optional.empty();
    }
    Optional<String> protocol = text(config, "protocol");
    if (protocol.isPresent() && !Set.of("HTTP", "HTTPS", "#{protocol}").contains(protocol.get())) {
      r.invalid(name, protocol.get(), "redirectConfig.protocol HTTP, HTTPS or #{protocol}");
    }
    Optional<String> port = text(config, "port");
    if (port.isPresent() && !port.get().equals("#{port}")
        && AnnotationReader.parseInt(port.get()).filter(p -> p >= 1 && p <= 65535).isEmpty()) {
      r.invalid(name, port.get(), "redirectConfig.port from 1 to 65535, or #{port}");
    }
    return Optional.of(new Action.Redirect(code, protocol, port, text(config, "host"), text(config, "path"), text(config, "query")));
  }

  static Optional<List<Condition>> conditions(AnnotationReader r, String name) {
    Optional<JsonNode> json = canonical(r, name, CONDITIONS_SHAPE, CONDITIONS);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    if (!json.get().isArray()) {
      r.invalid(name, json.get().toString(), CONDITIONS_SHAPE);
      return Optional.empty();
    }
    List<Condition> conditions = new ArrayList<>();
    for (JsonNode c : json.get()) {
      String field = c.path("field").asString("");
      Optional<Condition> parsed = switch (field) {
        case "host-header" -> matching(r, name, field, Optional.empty(), c.path("hostHeaderConfig"));
        case "path-pattern" -> matching(r, name, field, Optional.empty(), c.path("pathPatternConfig"));
        case "http-request-method" -> values(c.path("httpRequestMethodConfig").path("values")).map(v -> new Condition(field, Optional.empty(), v));
        case "source-ip" -> sourceIps(r, name, c);
        case "http-header" -> text(c.path("httpHeaderConfig"), "httpHeaderName")
            .flatMap(h -> matching(r, name, field, Optional.of(h), c.path("httpHeaderConfig")));
        case "query-string" -> queryValues(c).map(v -> new Condition(field, Optional.empty(), v));
        default -> Optional.empty();
      };
      if (parsed.isEmpty()) {
        r.invalid(name, c.toString(), "a condition with field one of " + Condition.FIELDS + " and its non-empty values, e.g. "
            + CONDITIONS_SHAPE.substring(CONDITIONS_SHAPE.indexOf('[')));
      } else {
        conditions.add(parsed.get());
      }
    }
    return Optional.of(conditions);
  }

  /** host-header, path-pattern and http-header take values (ALB wildcards) or regexValues, exactly one of them. */
  private static Optional<Condition> matching(AnnotationReader r, String name, String field, Optional<String> header, JsonNode config) {
    Optional<List<String>> values = values(config.path("values"));
    Optional<List<String>> regex = values(config.path("regexValues"));
    if (values.isPresent() && regex.isPresent()) {
      r.error(name, field + ": set values or regexValues, not both (" + config + ")");
      return Optional.of(new Condition(field, header, values.get()));
    }
    return values.map(v -> new Condition(field, header, v))
        .or(() -> regex.map(v -> new Condition(field, header, List.of(), v)));
  }

  private static Optional<Condition> sourceIps(AnnotationReader r, String name, JsonNode c) {
    Optional<List<String>> ips = values(c.path("sourceIPConfig").path("values"));
    ips.ifPresent(list -> list.forEach(ip -> Formats.cidrProblem(ip).ifPresent(p -> r.invalid(name, ip, p))));
    return ips.map(v -> new Condition("source-ip", Optional.empty(), v));
  }

  private static Optional<List<String>> values(JsonNode values) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : values) {
      if (v.isString() && !v.asString().isEmpty()) {
        out.add(v.asString());
      } else {
        return Optional.empty();
      }
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  /** query-string pairs are kept as "key=value" (an absent key as "=value"). */
  private static Optional<List<String>> queryValues(JsonNode condition) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : condition.path("queryStringConfig").path("values")) {
      Optional<String> value = text(v, "value");
      if (value.isEmpty()) {
        return Optional.empty();
      }
      out.add(text(v, "key").orElse("") + "=" + value.get());
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  static Optional<List<Transform>> transforms(AnnotationReader r, String name) {
    Optional<JsonNode> json = canonical(r, name, TRANSFORMS_SHAPE, TRANSFORMS);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    if (!json.get().isArray()) {
      r.invalid(name, json.get().toString(), TRANSFORMS_SHAPE);
      return Optional.empty();
    }
    List<Transform> transforms = new ArrayList<>();
    for (JsonNode t : json.get()) {
      String type = t.path("type").asString("");
      String configName = type.equals("url-rewrite") ? "urlRewriteConfig" : "hostHeaderRewriteConfig";
      List<Transform.Rewrite> rewrites = new ArrayList<>();
      for (JsonNode rw : t.path(configName).path("rewrites")) {
        text(rw, "regex").ifPresent(regex -> rewrites.add(new Transform.Rewrite(regex, rw.path("replace").asString(""))));
      }
      if (!Transform.TYPES.contains(type) || rewrites.isEmpty() || rewrites.size() != t.path(configName).path("rewrites").size()) {
        r.invalid(name, t.toString(), "a transform of type " + String.join(" or ", Transform.TYPES)
            + " with its config's non-empty rewrites, each with a regex, e.g. " + TRANSFORMS_SHAPE.substring(TRANSFORMS_SHAPE.indexOf('[')));
      } else if (transforms.stream().anyMatch(o -> o.type().equals(type))) {
        r.error(name, "has two " + type + " transforms; an ALB rule takes at most one of each type");
      } else {
        transforms.add(new Transform(type, rewrites));
      }
    }
    return Optional.of(transforms);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isValueNode() && !v.asString().isEmpty() ? Optional.of(v.asString()) : Optional.empty();
  }
}
