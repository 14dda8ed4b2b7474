package io.albingress.validation;

import static io.albingress.validation.Fixtures.ALB;
import static io.albingress.validation.Fixtures.AWS;
import static io.albingress.validation.Fixtures.CERT_SHOP;
import static io.albingress.validation.Fixtures.ingress;
import static io.albingress.validation.Fixtures.nodePort;
import static io.albingress.validation.Fixtures.port;
import static io.albingress.validation.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admission of auth-* and jwt-validation: what is denied, what is only warned about. */
class AuthAdmissionTest {
  static final String OIDC = "{\"issuer\":\"https://idp.example.com\",\"authorizationEndpoint\":\"https://idp.example.com/auth\","
      + "\"tokenEndpoint\":\"https://idp.example.com/token\",\"userInfoEndpoint\":\"https://idp.example.com/userinfo\",\"secretName\":\"oidc\"}";
  static final String COGNITO = "{\"userPoolARN\":\"arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_AbCdEf123\","
      + "\"userPoolClientID\":\"client1\",\"userPoolDomain\":\"auth.example.com\"}";

  TestCluster cluster = new TestCluster().with(nodePort("web"));

  Verdict validate(Fixtures.Ing ingress) {
    return Fixtures.validator(cluster).validate(ingress.build(), cluster, AWS);
  }

  static Fixtures.Ing https() {
    return ingress().path("/", "web", 80).alb("certificate-arn", CERT_SHOP);
  }

  @Test
  void cognitoOnHttpsIsAcceptedWithoutAWord() {
    Verdict v = validate(https().alb("auth-type", "cognito").alb("auth-idp-cognito", COGNITO));
    assertThat(v.denials()).isEmpty();
    assertThat(v.warnings()).isEmpty();
  }

  @Test
  void authWithoutHttpsIsDeniedWithTheFix() {
    Verdict v = validate(ingress().path("/", "web", 80).alb("auth-type", "cognito").alb("auth-idp-cognito", COGNITO));
    assertThat(v.allowed()).isFalse();
    assertThat(v.denials()).singleElement().asString()
        .startsWith(ALB + "auth-type asks for authentication, but this Ingress listens only on [HTTP:80]")
        .contains("ALB authenticates only on HTTPS listeners").contains(ALB + "listen-ports").contains(ALB + "certificate-arn");
    assertThat(validate(ingress().path("/", "web", 80).alb("jwt-validation", "{\"jwksEndpoint\":\"https://i/jwks\",\"issuer\":\"i\"}"))
        .denials()).singleElement().asString().startsWith(ALB + "jwt-validation asks for authentication");
  }

  @Test
  void httpBesideHttpsWithoutSslRedirectIsWarned() {
    Fixtures.Ing both = https().alb("listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]").alb("auth-type", "cognito")
        .alb("auth-idp-cognito", COGNITO);
    Verdict v = validate(both);
    assertThat(v.allowed()).isTrue();
    assertThat(v.warnings()).singleElement().asString().contains("forward without authentication").contains(ALB + "ssl-redirect");
    assertThat(validate(both.alb("ssl-redirect", "443")).warnings()).isEmpty();
  }

  @Test
  void badValuesAreDeniedNamingKeyAndValue() {
    Verdict v = validate(https().alb("auth-type", "oidc").alb("auth-idp-oidc", OIDC.replace("https://idp.example.com/token", "idp/token")));
    assertThat(v.denials()).containsExactly(
        ALB + "auth-idp-oidc: \"idp/token\" is not valid: expected tokenEndpoint to be an https:// URL");
    assertThat(validate(https().alb("auth-on-unauthenticated-request", "sometimes")).denials()).containsExactly(
        ALB + "auth-on-unauthenticated-request: \"sometimes\" is not valid: expected authenticate, allow or deny");
  }

  @Test
  void aServiceOverrideIsCheckedToo() {
    cluster = new TestCluster().with(service("web", "NodePort", Map.of(ALB + "auth-type", "kerberos"), port("http", 80)));
    Verdict v = validate(https().alb("auth-type", "cognito").alb("auth-idp-cognito", COGNITO));
    assertThat(v.denials()).anySatisfy(d -> assertThat(d).startsWith(ALB + "auth-type (on Service shop/web): \"kerberos\" is not valid"));
  }

  @Test
  void theOidcSecretMustHoldTheKeysAndAMissingOneIsOnlyWarned() {
    Fixtures.Ing oidc = https().alb("auth-type", "oidc").alb("auth-idp-oidc", OIDC);
    cluster.withSecret("shop", "oidc", Map.of("clientID", "id", "clientSecret", "s"));
    assertThat(validate(oidc).denials()).isEmpty();
    assertThat(validate(oidc).warnings()).isEmpty();

    cluster = new TestCluster().with(nodePort("web")).withSecret("shop", "oidc", Map.of("clientId", "id"));
    assertThat(validate(oidc).denials()).containsExactly("Secret shop/oidc (secretName in " + ALB + "auth-idp-oidc) has no key"
        + " clientSecret; it must hold clientID (or clientId) and clientSecret");

    cluster = new TestCluster().with(nodePort("web")).knowingSecrets();
    Verdict missing = validate(oidc);
    assertThat(missing.allowed()).isTrue();
    assertThat(missing.warnings()).containsExactly("Secret shop/oidc (secretName in " + ALB + "auth-idp-oidc) does not exist (yet):"
        + " the rules are not deployed until it does, and it must hold clientID and clientSecret");
  }
}
