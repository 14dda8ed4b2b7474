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

  static Optional<Action> action(AnnotationReader r, String name) {
    Optional<JsonNode> json = r.json(name, ACTION_SHAPE);
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
    Optional<String> singleArn = text(node, "targetGroupARN").or(() -> text(node, "targetGroupArn"));
    if (singleArn.isPresent()) {
      targets.add(new Action.ForwardTarget(Optional.empty(), Optional.empty(), singleArn, 1));
    }
    JsonNode config = node.path("forwardConfig");
    for (JsonNode tg : config.path("targetGroups")) {
      Optional<String> arn = text(tg, "targetGroupARN").or(() -> text(tg, "targetGroupArn"));
      Optional<String> service = text(tg, "serviceName");
      Optional<String> port = text(tg, "servicePort");
      int weight = tg.path("weight").asInt(1);
      if (arn.isEmpty() && (service.isEmpty() || port.isEmpty())) {
        r.invalid(name, tg.toString(), "each forwardConfig target group to have targetGroupARN, or serviceName and servicePort");
      } else if (weight < 0 || weight > 999) {
        r.invalid(name, tg.toString(), "a weight from 0 to 999");
      } else if (arn.isPresent() && !arn.get().startsWith("arn:")) {
        r.invalid(name, arn.get(), "a target group ARN");
      } else {
        targets.add(new Action.ForwardTarget(service, port, arn, weight));
      }
    }
    if (targets.isEmpty() && r.errorCount() == before) {
      r.invalid(name, node.toString(), "a forward action with targetGroupARN or forwardConfig.targetGroups");
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
    Optional<JsonNode> json = r.json(name, CONDITIONS_SHAPE);
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
        case "host-header" -> values(c, "hostHeaderConfig").map(v -> new Condition(field, Optional.empty(), v));
        case "path-pattern" -> values(c, "pathPatternConfig").map(v -> new Condition(field, Optional.empty(), v));
        case "http-request-method" -> values(c, "httpRequestMethodConfig").map(v -> new Condition(field, Optional.empty(), v));
        case "source-ip" -> sourceIps(r, name, c);
        case "http-header" -> text(c.path("httpHeaderConfig"), "httpHeaderName")
            .flatMap(h -> values(c, "httpHeaderConfig").map(v -> new Condition(field, Optional.of(h), v)));
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

  private static Optional<Condition> sourceIps(AnnotationReader r, String name, JsonNode c) {
    Optional<List<String>> ips = values(c, "sourceIpConfig");
    ips.ifPresent(list -> list.forEach(ip -> Formats.cidrProblem(ip).ifPresent(p -> r.invalid(name, ip, p))));
    return ips.map(v -> new Condition("source-ip", Optional.empty(), v));
  }

  /** Both "values" and the "Values" spelling of older reference docs are accepted. */
  private static Optional<List<String>> values(JsonNode condition, String configName) {
    JsonNode config = condition.path(configName);
    JsonNode values = config.has("values") ? config.get("values") : config.path("Values");
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
    JsonNode config = condition.path("queryStringConfig");
    JsonNode values = config.has("values") ? config.get("values") : config.path("Values");
    List<String> out = new ArrayList<>();
    for (JsonNode v : values) {
      Optional<String> value = text(v, "value");
      if (value.isEmpty()) {
        return Optional.empty();
      }
      out.add(text(v, "key").orElse("") + "=" + value.get());
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isValueNode() && !v.asString().isEmpty() ? Optional.of(v.asString()) : Optional.empty();
  }
}
