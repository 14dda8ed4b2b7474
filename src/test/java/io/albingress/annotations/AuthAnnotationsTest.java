package io.albingress.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthAnnotationsTest {
  static final String P = "alb.ingress.kubernetes.io/";
  static final String OIDC = "{\"issuer\":\"https://idp.example.com\",\"authorizationEndpoint\":\"https://idp.example.com/auth\","
      + "\"tokenEndpoint\":\"https://idp.example.com/token\",\"userInfoEndpoint\":\"https://idp.example.com/userinfo\","
      + "\"secretName\":\"oidc\",\"authenticationRequestExtraParams\":{\"prompt\":\"login\"}}";
  static final String COGNITO = "{\"userPoolARN\":\"arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_AbCdEf123\","
      + "\"userPoolClientID\":\"client1\",\"userPoolDomain\":\"auth.example.com\"}";

  static Map<String, String> a(String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(P + kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void noAnnotationsIsNoAuthWithTheReferenceDefaults() {
    Parsed<AuthConfig> p = AuthAnnotations.parse(Map.of());
    assertThat(p.ok()).isTrue();
    assertThat(p.value()).isEqualTo(AuthConfig.NONE);
    assertThat(p.value().active()).isFalse();
  }

  @Test
  void oidcWithAllSettings() {
    Parsed<AuthConfig> p = AuthAnnotations.parse(a("auth-type", "oidc", "auth-idp-oidc", OIDC, "auth-scope", "openid email",
        "auth-session-cookie", "c", "auth-session-timeout", "3600", "auth-on-unauthenticated-request", "deny"));
    assertThat(p.errors()).isEmpty();
    AuthConfig c = p.value();
    assertThat(c.type()).isEqualTo(AuthType.OIDC);
    assertThat(c.oidc().get().secretName()).isEqualTo("oidc");
    assertThat(c.oidc().get().tokenEndpoint()).isEqualTo("https://idp.example.com/token");
    assertThat(c.oidc().get().authenticationRequestExtraParams()).containsEntry("prompt", "login");
    assertThat(c.scope()).isEqualTo("openid email");
    assertThat(c.sessionCookie()).isEqualTo("c");
    assertThat(c.sessionTimeout()).isEqualTo(3600);
    assertThat(c.onUnauthenticatedRequest()).isEqualTo("deny");
  }

  @Test
  void cognito() {
    Parsed<AuthConfig> p = AuthAnnotations.parse(a("auth-type", "cognito", "auth-idp-cognito", COGNITO));
    assertThat(p.errors()).isEmpty();
    assertThat(p.value().cognito().get().userPoolClientId()).isEqualTo("client1");
  }

  @Test
  void badValuesNameTheAnnotationAndValue() {
    assertThat(AuthAnnotations.parse(a("auth-type", "saml")).errors()).extracting(FieldError::render)
        .anySatisfy(e -> assertThat(e).startsWith(P + "auth-type: \"saml\" is not valid"));
    assertThat(AuthAnnotations.parse(a("auth-type", "oidc")).errors()).extracting(FieldError::render)
        .containsExactly(P + "auth-type: is oidc, so " + P + "auth-idp-oidc must describe the identity provider");
    assertThat(AuthAnnotations.parse(a("auth-type", "oidc", "auth-idp-oidc", "{not json")).errors()).extracting(FieldError::render)
        .anySatisfy(e -> assertThat(e).startsWith(P + "auth-idp-oidc: \"{not json\" is not valid").contains("not valid JSON"));
    assertThat(AuthAnnotations.parse(a("auth-type", "oidc", "auth-idp-oidc", OIDC.replace("https://idp.example.com/token", "http://idp/token")))
        .errors()).extracting(FieldError::render)
        .containsExactly(P + "auth-idp-oidc: \"http://idp/token\" is not valid: expected tokenEndpoint to be an https:// URL");
    assertThat(AuthAnnotations.parse(a("auth-type", "oidc", "auth-idp-oidc", OIDC.replace("\"secretName\":\"oidc\",", ""))).errors())
        .extracting(FieldError::render).contains(P + "auth-idp-oidc: needs secretName (a non-empty string)");
    assertThat(AuthAnnotations.parse(a("auth-type", "oidc", "auth-idp-oidc", OIDC.replace("issuer", "isuer"))).errors())
        .extracting(FieldError::render).anySatisfy(e -> assertThat(e).contains("unknown key \"isuer\""));
    assertThat(AuthAnnotations.parse(a("auth-on-unauthenticated-request", "maybe")).errors()).extracting(FieldError::render)
        .containsExactly(P + "auth-on-unauthenticated-request: \"maybe\" is not valid: expected authenticate, allow or deny");
    assertThat(AuthAnnotations.parse(a("auth-session-timeout", "0")).errors()).hasSize(1);
    assertThat(AuthAnnotations.parse(a("auth-type", "cognito", "auth-idp-cognito", COGNITO.replace("userpool/", "pool/"))).errors())
        .extracting(FieldError::render).anySatisfy(e -> assertThat(e).contains("userPoolARN to be a Cognito user pool ARN"));
  }

  @Test
  void serviceAnnotationsOverrideTheIngressKeyByKey() {
    Parsed<AuthConfig> p = AuthAnnotations.parse(a("auth-type", "oidc", "auth-idp-oidc", OIDC, "auth-scope", "openid"),
        a("auth-scope", "openid profile", "auth-on-unauthenticated-request", "allow"), "Service shop/web");
    assertThat(p.errors()).isEmpty();
    assertThat(p.value().type()).isEqualTo(AuthType.OIDC);
    assertThat(p.value().scope()).isEqualTo("openid profile");
    assertThat(p.value().onUnauthenticatedRequest()).isEqualTo("allow");
    assertThat(AuthAnnotations.parse(a(), a("auth-type", "x"), "Service shop/web").errors()).extracting(FieldError::render)
        .anySatisfy(e -> assertThat(e).startsWith(P + "auth-type (on Service shop/web): \"x\""));
    assertThat(AuthAnnotations.parse(a("auth-type", "cognito", "auth-idp-cognito", COGNITO), a("auth-type", "none"), "Service shop/web")
        .value().active()).isFalse();
  }

  @Test
  void jwtValidation() {
    Parsed<AuthConfig> p = AuthAnnotations.parse(a("jwt-validation", "{\"jwksEndpoint\":\"https://idp/jwks\",\"issuer\":\"https://idp\","
        + "\"additionalClaims\":[{\"format\":\"string-array\",\"name\":\"scope\",\"values\":[\"read\",\"write\"]}]}"));
    assertThat(p.errors()).isEmpty();
    assertThat(p.value().active()).isTrue();
    assertThat(p.value().jwtValidation().get().additionalClaims())
        .containsExactly(new AuthConfig.Claim("string-array", "scope", List.of("read", "write")));
    assertThat(AuthAnnotations.parse(a("jwt-validation", "{\"issuer\":\"https://idp\"}")).errors()).extracting(FieldError::render)
        .containsExactly(P + "jwt-validation: needs jwksEndpoint (a non-empty string)");
    assertThat(AuthAnnotations.parse(a("jwt-validation", "{\"jwksEndpoint\":\"https://idp/jwks\",\"issuer\":\"i\","
        + "\"additionalClaims\":[{\"format\":\"xml\",\"name\":\"n\",\"values\":[]}]}")).errors()).hasSize(2);
    assertThat(AuthAnnotations.parse(a("auth-type", "cognito", "auth-idp-cognito", COGNITO,
        "jwt-validation", "{\"jwksEndpoint\":\"https://idp/jwks\",\"issuer\":\"i\"}")).errors()).extracting(FieldError::render)
        .anySatisfy(e -> assertThat(e).contains("cannot be combined with auth-type cognito"));
  }
}
