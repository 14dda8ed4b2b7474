package io.albingress.deploy;

import io.albingress.annotations.Condition;
import io.albingress.annotations.Transform;
import io.albingress.model.RuleAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.FixedResponseActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringKeyValuePair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RewriteConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TransformTypeEnum;

/**
 * Translates the model into ELBv2 request shapes, and both sides into canonical strings, so that
 * comparing desired and actual ignores the API's equivalent spellings (legacy Values, a single
 * TargetGroupArn beside ForwardConfig, defaults omitted).
 */
final class SdkModel {
  private SdkModel() {}

  /**
   * The ELBv2 actions of a model action: an authenticate or jwt-validation action first, then the
   * routing action, numbered with Order 1, 2 as ALB requires for several actions; a single action
   * carries no Order (AWS numbers it).
   */
  static List<Action> actions(RuleAction action, Refs refs) {
    List<Action> out = new ArrayList<>();
    RuleAction rest = action;
    while (rest instanceof RuleAction.Authenticate || rest instanceof RuleAction.ValidateJwt) {
      if (rest instanceof RuleAction.Authenticate a) {
        out.add(authenticate(a));
        rest = a.then();
      } else {
        RuleAction.ValidateJwt v = (RuleAction.ValidateJwt) rest;
        out.add(jwt(v.jwt()));
        rest = v.then();
      }
    }
    out.add(action(rest, refs));
    if (out.size() == 1) {
      return out;
    }
    List<Action> ordered = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      ordered.add(out.get(i).toBuilder().order(i + 1).build());
    }
    return ordered;
  }

  private static Action authenticate(RuleAction.Authenticate a) {
    io.albingress.annotations.AuthConfig c = a.config();
    if (c.type() == io.albingress.annotations.AuthType.COGNITO) {
      io.albingress.annotations.AuthConfig.Cognito g = c.cognito().orElseThrow();
      return Action.builder().type(ActionTypeEnum.AUTHENTICATE_COGNITO).authenticateCognitoConfig(b -> b
          .userPoolArn(g.userPoolArn()).userPoolClientId(g.userPoolClientId()).userPoolDomain(g.userPoolDomain())
          .authenticationRequestExtraParams(g.authenticationRequestExtraParams().isEmpty() ? null : g.authenticationRequestExtraParams())
          .onUnauthenticatedRequest(c.onUnauthenticatedRequest()).scope(c.scope()).sessionCookieName(c.sessionCookie())
          .sessionTimeout(c.sessionTimeout())).build();
    }
    io.albingress.annotations.AuthConfig.Oidc o = c.oidc().orElseThrow();
    io.albingress.model.OidcClient client = a.client().orElseThrow();
    return Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).authenticateOidcConfig(b -> b
        .issuer(o.issuer()).authorizationEndpoint(o.authorizationEndpoint()).tokenEndpoint(o.tokenEndpoint())
        .userInfoEndpoint(o.userInfoEndpoint()).clientId(client.clientId()).clientSecret(client.clientSecretValue())
        .authenticationRequestExtraParams(o.authenticationRequestExtraParams().isEmpty() ? null : o.authenticationRequestExtraParams())
        .onUnauthenticatedRequest(c.onUnauthenticatedRequest()).scope(c.scope()).sessionCookieName(c.sessionCookie())
        .sessionTimeout(c.sessionTimeout())).build();
  }

  private static Action jwt(io.albingress.annotations.AuthConfig.JwtValidation j) {
    return Action.builder().type(ActionTypeEnum.JWT_VALIDATION).jwtValidationConfig(b -> b.jwksEndpoint(j.jwksEndpoint())
        .issuer(j.issuer()).additionalClaims(j.additionalClaims().isEmpty() ? null : j.additionalClaims().stream()
            .map(c -> software.amazon.awssdk.services.elasticloadbalancingv2.model.JwtValidationActionAdditionalClaim.builder()
                .format(c.format()).name(c.name()).values(c.values()).build()).toList())).build();
  }

  static Action action(RuleAction action, Refs refs) {
    if (action instanceof RuleAction.Forward f) {
      List<TargetGroupTuple> tuples = f.targets().stream().map(t -> TargetGroupTuple.builder()
          .targetGroupArn(targetGroupArn(t, refs))
          .weight(t.weight()).build()).toList();
      ForwardActionConfig.Builder config = ForwardActionConfig.builder().targetGroups(tuples);
      f.stickinessSeconds().ifPresent(s -> config.targetGroupStickinessConfig(
          TargetGroupStickinessConfig.builder().enabled(true).durationSeconds(s).build()));
      return Action.builder().type(ActionTypeEnum.FORWARD).forwardConfig(config.build()).build();
    }
    if (action instanceof RuleAction.FixedResponse f) {
      return Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(FixedResponseActionConfig.builder()
          .statusCode(f.statusCode()).contentType(f.contentType().orElse(null)).messageBody(f.messageBody().orElse(null)).build()).build();
    }
    RuleAction.Redirect r = (RuleAction.Redirect) action;
    return Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(RedirectActionConfig.builder()
        .statusCode(r.statusCode()).protocol(r.protocol()).port(r.port()).host(r.host()).path(r.path()).query(r.query()).build()).build();
  }

  /** By reference to the stack, by ARN, or by name (resolved once per run, see {@link TargetGroupNames}). */
  private static String targetGroupArn(RuleAction.WeightedTarget t, Refs refs) {
    return t.targetGroup().map(refs::arn).or(t::targetGroupArn)
        .orElseGet(() -> refs.arn(Refs.targetGroupNamed(t.targetGroupName().orElseThrow())));
  }

  /** Values or regexValues, whichever the condition has (an empty list would be sent as a parameter). */
  static RuleCondition condition(Condition c) {
    RuleCondition.Builder b = RuleCondition.builder().field(c.field());
    List<String> values = c.values().isEmpty() ? null : c.values();
    List<String> regex = c.regexValues().isEmpty() ? null : c.regexValues();
    switch (c.field()) {
      case "host-header" -> b.hostHeaderConfig(h -> h.values(values).regexValues(regex));
      case "path-pattern" -> b.pathPatternConfig(p -> p.values(values).regexValues(regex));
      case "http-header" -> b.httpHeaderConfig(h -> h.httpHeaderName(c.httpHeaderName().orElse("")).values(values).regexValues(regex));
      case "http-request-method" -> b.httpRequestMethodConfig(m -> m.values(c.values()));
      case "query-string" -> b.queryStringConfig(q -> q.values(c.values().stream().map(SdkModel::queryPair).toList()));
      default -> b.sourceIpConfig(s -> s.values(c.values()));
    }
    return b.build();
  }

  private static QueryStringKeyValuePair queryPair(String pair) {
    int eq = pair.indexOf('=');
    String key = pair.substring(0, eq);
    return QueryStringKeyValuePair.builder().key(key.isEmpty() ? null : key).value(pair.substring(eq + 1)).build();
  }

  /** In Order (AWS lists them so, but need not). */
  static String canonical(List<Action> actions) {
    return actions.stream().sorted(java.util.Comparator.comparingInt(a -> a.order() == null ? 0 : a.order()))
        .map(SdkModel::canonical).collect(Collectors.joining("|"));
  }

  /** Whether any of the actions is authenticate-oidc (its client secret cannot be compared: AWS never returns it). */
  static boolean hasOidc(List<Action> actions) {
    return actions.stream().anyMatch(a -> "authenticate-oidc".equals(a.typeAsString()));
  }

  static String canonical(Action a) {
    String type = a.typeAsString();
    if ("authenticate-oidc".equals(type)) {
      var o = a.authenticateOidcConfig();
      // the client secret is left out: AWS never returns it (see Tags.OIDC_SECRETS)
      return "oidc " + o.issuer() + " " + o.authorizationEndpoint() + " " + o.tokenEndpoint() + " " + o.userInfoEndpoint() + " "
          + o.clientId() + " " + new TreeMap<>(o.hasAuthenticationRequestExtraParams() ? o.authenticationRequestExtraParams() : Map.of())
          + " " + def(o.onUnauthenticatedRequestAsString(), "authenticate") + " " + def(o.scope(), "openid") + " "
          + def(o.sessionCookieName(), "AWSELBAuthSessionCookie") + " " + (o.sessionTimeout() == null ? 604800L : o.sessionTimeout());
    }
    if ("authenticate-cognito".equals(type)) {
      var c = a.authenticateCognitoConfig();
      return "cognito " + c.userPoolArn() + " " + c.userPoolClientId() + " " + c.userPoolDomain() + " "
          + new TreeMap<>(c.hasAuthenticationRequestExtraParams() ? c.authenticationRequestExtraParams() : Map.of())
          + " " + def(c.onUnauthenticatedRequestAsString(), "authenticate") + " " + def(c.scope(), "openid") + " "
          + def(c.sessionCookieName(), "AWSELBAuthSessionCookie") + " " + (c.sessionTimeout() == null ? 604800L : c.sessionTimeout());
    }
    if ("jwt-validation".equals(type)) {
      var j = a.jwtValidationConfig();
      return "jwt " + j.jwksEndpoint() + " " + j.issuer() + " " + (j.hasAdditionalClaims() ? j.additionalClaims().stream()
          .map(c -> c.formatAsString() + ":" + c.name() + "=" + c.values()).sorted().collect(Collectors.joining(",")) : "");
    }
    if ("forward".equals(type)) {
      Map<String, Integer> targets = new TreeMap<>();
      if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
        a.forwardConfig().targetGroups().forEach(t -> targets.put(t.targetGroupArn(), t.weight() == null ? 1 : t.weight()));
      } else if (a.targetGroupArn() != null) {
        targets.put(a.targetGroupArn(), 1);
      }
      boolean single = targets.size() == 1;
      String stickiness = a.forwardConfig() == null || a.forwardConfig().targetGroupStickinessConfig() == null
          || !Boolean.TRUE.equals(a.forwardConfig().targetGroupStickinessConfig().enabled()) ? ""
          : " sticky=" + a.forwardConfig().targetGroupStickinessConfig().durationSeconds();
      return "forward " + targets.entrySet().stream().map(e -> e.getKey() + (single ? "" : "@" + e.getValue()))
          .collect(Collectors.joining(",")) + stickiness;
    }
    if ("fixed-response".equals(type)) {
      FixedResponseActionConfig f = a.fixedResponseConfig();
      return "fixed " + f.statusCode() + " " + Optional.ofNullable(f.contentType()).orElse("") + " " + Optional.ofNullable(f.messageBody()).orElse("");
    }
    RedirectActionConfig r = a.redirectConfig();
    return "redirect " + r.statusCodeAsString() + " " + def(r.protocol(), "#{protocol}") + " " + def(r.port(), "#{port}") + " "
        + def(r.host(), "#{host}") + " " + def(r.path(), "/#{path}") + " " + def(r.query(), "#{query}");
  }

  static String canonicalConditions(List<RuleCondition> conditions) {
    List<String> parts = new ArrayList<>();
    for (RuleCondition c : conditions) {
      List<String> values = switch (c.field()) {
        case "host-header" -> c.hostHeaderConfig() == null ? c.values()
            : withRegex(c.hostHeaderConfig().hasValues() ? c.hostHeaderConfig().values() : c.values(), c.hostHeaderConfig().regexValues());
        case "path-pattern" -> c.pathPatternConfig() == null ? c.values()
            : withRegex(c.pathPatternConfig().hasValues() ? c.pathPatternConfig().values() : c.values(), c.pathPatternConfig().regexValues());
        case "http-header" -> withRegex(c.httpHeaderConfig().values(), c.httpHeaderConfig().regexValues()).stream()
            .map(v -> c.httpHeaderConfig().httpHeaderName() + ":" + v).toList();
        case "http-request-method" -> c.httpRequestMethodConfig().values();
        case "query-string" -> c.queryStringConfig().values().stream()
            .map(q -> Optional.ofNullable(q.key()).orElse("") + "=" + q.value()).toList();
        case "source-ip" -> c.sourceIpConfig().values();
        default -> c.values();
      };
      parts.add(c.field() + "=" + values.stream().sorted().collect(Collectors.joining(",")));
    }
    return parts.stream().sorted().collect(Collectors.joining(";"));
  }

  /** Regex values marked with a leading "~", so that a value and the same text as a regex differ. */
  private static List<String> withRegex(List<String> values, List<String> regexValues) {
    List<String> all = new ArrayList<>(values);
    regexValues.forEach(r -> all.add("~" + r));
    return all;
  }

  static RuleTransform transform(Transform t) {
    List<RewriteConfig> rewrites = t.rewrites().stream()
        .map(r -> RewriteConfig.builder().regex(r.regex()).replace(r.replace()).build()).toList();
    RuleTransform.Builder b = RuleTransform.builder().type(TransformTypeEnum.fromValue(t.type()));
    return "host-header-rewrite".equals(t.type()) ? b.hostHeaderRewriteConfig(c -> c.rewrites(rewrites)).build()
        : b.urlRewriteConfig(c -> c.rewrites(rewrites)).build();
  }

  /** One line a transform, sorted by type (a rule has at most one of each). */
  static String canonicalTransforms(List<RuleTransform> transforms) {
    return transforms.stream().map(t -> {
      List<RewriteConfig> rewrites = t.hostHeaderRewriteConfig() != null ? t.hostHeaderRewriteConfig().rewrites()
          : t.urlRewriteConfig() != null ? t.urlRewriteConfig().rewrites() : List.of();
      return t.typeAsString() + " " + rewrites.stream().map(r -> r.regex() + " => " + r.replace()).collect(Collectors.joining(" ; "));
    }).sorted().collect(Collectors.joining("\n"));
  }

  private static String def(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
