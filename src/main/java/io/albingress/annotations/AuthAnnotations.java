package io.albingress.annotations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Parses the auth-* annotations of a backend (Service over Ingress, key by key) and the Ingress's
 * jwt-validation, as pkg/ingress/auth_config_builder.go and enhanced_backend_builder.go read them,
 * but checked: an unknown auth-type, a missing IdP field, a non-HTTPS endpoint or an out-of-range
 * timeout is a field error naming the annotation and value.
 */
public final class AuthAnnotations {
  public static final Set<String> ON_UNAUTHENTICATED = Set.of("authenticate", "allow", "deny");
  public static final Set<String> CLAIM_FORMATS = Set.of("single-string", "string-array", "space-separated-values");
  /** The auth keys a Service may set to override the Ingress for its own rules. */
  public static final Set<String> KEYS = Set.of("auth-type", "auth-idp-oidc", "auth-idp-cognito",
      "auth-on-unauthenticated-request", "auth-scope", "auth-session-cookie", "auth-session-timeout");
  static final Pattern COGNITO_POOL_ARN =
      Pattern.compile("arn:aws(-cn|-us-gov|-iso[a-z]*)?:cognito-idp:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:userpool/[\\w-]+_[0-9a-zA-Z]+");
  static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final JsonShape EXTRA = JsonShape.LEAF;
  private static final JsonShape OIDC = JsonShape.obj("issuer", JsonShape.LEAF, "authorizationEndpoint", JsonShape.LEAF,
      "tokenEndpoint", JsonShape.LEAF, "userInfoEndpoint", JsonShape.LEAF, "secretName", JsonShape.LEAF,
      "authenticationRequestExtraParams", EXTRA);
  private static final JsonShape COGNITO = JsonShape.obj("userPoolARN", JsonShape.LEAF, "userPoolClientID", JsonShape.LEAF,
      "userPoolDomain", JsonShape.LEAF, "authenticationRequestExtraParams", EXTRA);
  private static final JsonShape JWT = JsonShape.obj("jwksEndpoint", JsonShape.LEAF, "issuer", JsonShape.LEAF,
      "additionalClaims", JsonShape.array(JsonShape.obj("format", JsonShape.LEAF, "name", JsonShape.LEAF, "values", JsonShape.LEAF)));

  private AuthAnnotations() {}

  /** @param serviceOrigin how to name the Service in messages, e.g. "Service shop/cart"; "" for none */
  public static Parsed<AuthConfig> parse(Map<String, String> ingress, Map<String, String> service, String serviceOrigin) {
    AnnotationReader r = new AnnotationReader(List.of(
        new AnnotationReader.Source(serviceOrigin, service == null ? Map.of() : service),
        new AnnotationReader.Source("", ingress == null ? Map.of() : ingress)));
    AuthType type = r.choice("auth-type", AuthType.class, AuthType.NONE);
    Optional<AuthConfig.Oidc> oidc = oidc(r);
    Optional<AuthConfig.Cognito> cognito = cognito(r);
    String onUnauth = r.string("auth-on-unauthenticated-request").orElse("authenticate");
    if (!ON_UNAUTHENTICATED.contains(onUnauth)) {
      r.invalid("auth-on-unauthenticated-request", onUnauth, "authenticate, allow or deny");
      onUnauth = "authenticate";
    }
    String scope = r.string("auth-scope").orElse("openid");
    String cookie = r.string("auth-session-cookie").orElse("AWSELBAuthSessionCookie");
    long timeout = r.integer("auth-session-timeout", 1, 604800).orElse(604800);
    if (type == AuthType.OIDC && oidc.isEmpty() && !r.has("auth-idp-oidc")) {
      r.error("auth-type", "is oidc, so " + AnnotationCatalog.key("auth-idp-oidc") + " must describe the identity provider");
    }
    if (type == AuthType.COGNITO && cognito.isEmpty() && !r.has("auth-idp-cognito")) {
      r.error("auth-type", "is cognito, so " + AnnotationCatalog.key("auth-idp-cognito") + " must describe the user pool");
    }
    Optional<AuthConfig.JwtValidation> jwt = jwt(AnnotationReader.of(ingress), r);
    if (jwt.isPresent() && type != AuthType.NONE) {
      r.error("jwt-validation", "cannot be combined with auth-type " + type.wireName()
          + " (ALB allows one authenticate or jwt-validation action per rule)");
    }
    AuthConfig config = new AuthConfig(type, oidc, cognito, onUnauth, scope, cookie, timeout, jwt);
    return new Parsed<>(config, r.errors());
  }

  public static Parsed<AuthConfig> parse(Map<String, String> ingress) {
    return parse(ingress, Map.of(), "");
  }

  private static Optional<JsonNode> object(AnnotationReader r, String name, JsonShape shape, String expected) {
    Optional<JsonNode> json = r.json(name, expected);
    if (json.isEmpty()) {
      return json;
    }
    if (!json.get().isObject()) {
      r.invalid(name, json.get().toString(), expected);
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    JsonNode canonical = JsonShape.canonical(json.get(), shape, problems);
    problems.forEach(p -> r.error(name, p));
    return problems.isEmpty() ? Optional.of(canonical) : Optional.empty();
  }

  private static Optional<AuthConfig.Oidc> oidc(AnnotationReader r) {
    String name = "auth-idp-oidc";
    Optional<JsonNode> json = object(r, name, OIDC, "a JSON object with issuer, authorizationEndpoint, tokenEndpoint,"
        + " userInfoEndpoint, secretName and optionally authenticationRequestExtraParams");
    if (json.isEmpty()) {
      return Optional.empty();
    }
    int before = r.errorCount();
    JsonNode j = json.get();
    String issuer = httpsUrl(r, name, j, "issuer");
    String auth = httpsUrl(r, name, j, "authorizationEndpoint");
    String token = httpsUrl(r, name, j, "tokenEndpoint");
    String userInfo = httpsUrl(r, name, j, "userInfoEndpoint");
    String secret = required(r, name, j, "secretName");
    if (!secret.isEmpty() && !SECRET_NAME.matcher(secret).matches()) {
      r.invalid(name, secret, "secretName to be the name of a Secret in the Ingress's namespace (a DNS subdomain name)");
    }
    Map<String, String> extra = extraParams(r, name, j);
    return r.errorCount() > before ? Optional.empty() : Optional.of(new AuthConfig.Oidc(issuer, auth, token, userInfo, secret, extra));
  }

  private static Optional<AuthConfig.Cognito> cognito(AnnotationReader r) {
    String name = "auth-idp-cognito";
    Optional<JsonNode> json = object(r, name, COGNITO, "a JSON object with userPoolARN, userPoolClientID, userPoolDomain"
        + " and optionally authenticationRequestExtraParams");
    if (json.isEmpty()) {
      return Optional.empty();
    }
    int before = r.errorCount();
    JsonNode j = json.get();
    String arn = required(r, name, j, "userPoolARN");
    if (!arn.isEmpty() && !COGNITO_POOL_ARN.matcher(arn).matches()) {
      r.invalid(name, arn, "userPoolARN to be a Cognito user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<id>)");
    }
    String client = required(r, name, j, "userPoolClientID");
    String domain = required(r, name, j, "userPoolDomain");
    Map<String, String> extra = extraParams(r, name, j);
    return r.errorCount() > before ? Optional.empty() : Optional.of(new AuthConfig.Cognito(arn, client, domain, extra));
  }

  private static Optional<AuthConfig.JwtValidation> jwt(AnnotationReader ingressOnly, AnnotationReader r) {
    String name = "jwt-validation";
    if (!ingressOnly.has(name)) {
      return Optional.empty();
    }
    Optional<JsonNode> json = object(ingressOnly, name, JWT, "a JSON object with jwksEndpoint, issuer and optionally additionalClaims");
    ingressOnly.errors().forEach(e -> r.error(name, e.message()));
    if (json.isEmpty()) {
      return Optional.empty();
    }
    int before = r.errorCount();
    JsonNode j = json.get();
    String jwks = httpsUrl(r, name, j, "jwksEndpoint");
    String issuer = required(r, name, j, "issuer");
    List<AuthConfig.Claim> claims = new ArrayList<>();
    JsonNode list = j.get("additionalClaims");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        r.invalid(name, list.toString(), "additionalClaims to be a list of {format, name, values}");
      } else {
        for (JsonNode c : list) {
          String format = required(r, name, c, "format");
          if (!format.isEmpty() && !CLAIM_FORMATS.contains(format)) {
            r.invalid(name, format, "a claim format: single-string, string-array or space-separated-values");
          }
          String claim = required(r, name, c, "name");
          JsonNode values = c.get("values");
          List<String> vs = new ArrayList<>();
          if (values != null && values.isArray()) {
            values.forEach(v -> vs.add(v.asString()));
          }
          if (vs.isEmpty()) {
            r.error(name, "additional claim \"" + FieldError.abbreviate(claim) + "\" needs a non-empty list of values");
          }
          claims.add(new AuthConfig.Claim(format, claim, List.copyOf(vs)));
        }
      }
    }
    return r.errorCount() > before ? Optional.empty() : Optional.of(new AuthConfig.JwtValidation(jwks, issuer, List.copyOf(claims)));
  }

  private static String required(AnnotationReader r, String name, JsonNode j, String field) {
    JsonNode v = j.get(field);
    if (v == null || !v.isString() || v.asString().isBlank()) {
      r.error(name, "needs " + field + " (a non-empty string)");
      return "";
    }
    return v.asString().trim();
  }

  /** ALB requires HTTPS endpoints (and an issuer URL) for OIDC and JWT validation. */
  private static String httpsUrl(AnnotationReader r, String name, JsonNode j, String field) {
    String v = required(r, name, j, field);
    if (!v.isEmpty() && (!v.startsWith("https://") || v.length() <= "https://".length() || v.chars().anyMatch(Character::isWhitespace))) {
      r.invalid(name, v, field + " to be an https:// URL");
    }
    return v;
  }

  private static Map<String, String> extraParams(AnnotationReader r, String name, JsonNode j) {
    JsonNode extra = j.get("authenticationRequestExtraParams");
    Map<String, String> out = new LinkedHashMap<>();
    if (extra == null || extra.isNull()) {
      return out;
    }
    if (!extra.isObject()) {
      r.invalid(name, extra.toString(), "authenticationRequestExtraParams to be an object of string values");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : extra.properties()) {
      if (!e.getValue().isString()) {
        r.invalid(name, e.getValue().toString(), "authenticationRequestExtraParams." + e.getKey() + " to be a string");
      } else {
        out.put(e.getKey(), e.getValue().asString());
      }
    }
    return out;
  }
}
