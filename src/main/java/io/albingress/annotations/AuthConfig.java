package io.albingress.annotations;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The auth-* annotations of one backend (the Service's override the Ingress's, key by key, as in the
 * reference controller), and the Ingress's jwt-validation. Defaults as the reference: scope openid,
 * cookie AWSELBAuthSessionCookie, timeout 604800 s, on unauthenticated requests authenticate.
 */
public record AuthConfig(
    AuthType type,
    Optional<Oidc> oidc,
    Optional<Cognito> cognito,
    String onUnauthenticatedRequest,
    String scope,
    String sessionCookie,
    long sessionTimeout,
    Optional<JwtValidation> jwtValidation) {

  public static final AuthConfig NONE = new AuthConfig(AuthType.NONE, Optional.empty(), Optional.empty(), "authenticate",
      "openid", "AWSELBAuthSessionCookie", 604800, Optional.empty());

  /** auth-idp-oidc; the client ID and secret are read from the Secret {@code secretName} in the Ingress's namespace. */
  public record Oidc(String issuer, String authorizationEndpoint, String tokenEndpoint, String userInfoEndpoint,
      String secretName, Map<String, String> authenticationRequestExtraParams) {}

  /** auth-idp-cognito. */
  public record Cognito(String userPoolArn, String userPoolClientId, String userPoolDomain,
      Map<String, String> authenticationRequestExtraParams) {}

  /** jwt-validation (Ingress only, as in the reference). */
  public record JwtValidation(String jwksEndpoint, String issuer, List<Claim> additionalClaims) {}

  /** An additional claim: format single-string, string-array or space-separated-values. */
  public record Claim(String format, String name, List<String> values) {}

  /** Whether the rules of this backend authenticate (or validate a JWT) before their action. */
  public boolean active() {
    return type != AuthType.NONE || jwtValidation.isPresent();
  }
}
