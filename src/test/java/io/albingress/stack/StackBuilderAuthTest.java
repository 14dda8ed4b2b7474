package io.albingress.stack;

import static io.albingress.stack.StackFixtures.BASE_SPEC;
import static io.albingress.stack.StackFixtures.CERT_SHOP;
import static io.albingress.stack.StackFixtures.FACTS;
import static io.albingress.stack.StackFixtures.a;
import static io.albingress.stack.StackFixtures.group;
import static io.albingress.stack.StackFixtures.ingress;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.AuthType;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.OidcSecrets;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.albingress.model.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackBuilderAuthTest {
  static final String OIDC = "{\"issuer\":\"https://idp.example.com\",\"authorizationEndpoint\":\"https://idp.example.com/auth\","
      + "\"tokenEndpoint\":\"https://idp.example.com/token\",\"userInfoEndpoint\":\"https://idp.example.com/userinfo\",\"secretName\":\"oidc\"}";
  static final String COGNITO = "{\"userPoolARN\":\"arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_AbCdEf123\","
      + "\"userPoolClientID\":\"client1\",\"userPoolDomain\":\"auth.example.com\"}";

  final Map<String, Map<String, String>> secrets = new HashMap<>();
  final OidcSecrets store = (ns, name) -> Optional.ofNullable(secrets.get(ns + "/" + name));

  Stack build(IngressGroup g) {
    return new StackBuilder(new IngressClassMatcher("alb", name -> Optional.empty()), store).build(g, FACTS);
  }

  static IngressGroup https(String... more) {
    String[] base = {"scheme", "internet-facing", "listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]", "certificate-arn", CERT_SHOP};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return group(ingress("web", a(all), BASE_SPEC));
  }

  @Test
  void oidcAuthenticatesBeforeTheForwardOnHttpsOnly() {
    secrets.put("shop/oidc", Map.of("clientID", "id1", "clientSecret", "s3cret\n"));
    Stack stack = build(https("auth-type", "oidc", "auth-idp-oidc", OIDC));
    assertThat(stack.errors()).isEmpty();
    var http = stack.rules().stream().filter(r -> r.listener().resourceId().equals("80")).findFirst().orElseThrow();
    var tls = stack.rules().stream().filter(r -> r.listener().resourceId().equals("443")).findFirst().orElseThrow();
    assertThat(http.action()).isInstanceOf(RuleAction.Forward.class);
    RuleAction.Authenticate auth = (RuleAction.Authenticate) tls.action();
    assertThat(auth.type()).isEqualTo("authenticate-oidc");
    assertThat(auth.then()).isInstanceOf(RuleAction.Forward.class);
    assertThat(auth.client().get().clientId()).isEqualTo("id1");
    assertThat(auth.client().get().clientSecretValue()).isEqualTo("s3cret");
    assertThat(stack.loadBalancer().tags()).containsKey(Tags.OIDC_SECRETS);
    // the secret itself is in no JSON (plan, model hash) and no toString
    String json = io.albingress.stack.GoldenJson.MAPPER.writeValueAsString(stack);
    assertThat(json).doesNotContain("s3cret").contains(auth.client().get().secretDigest());
    assertThat(stack.toString()).doesNotContain("s3cret");
  }

  @Test
  void aChangedSecretChangesTheDigestAndTheTag() {
    secrets.put("shop/oidc", Map.of("clientId", "id1", "clientSecret", "one"));
    Stack first = build(https("auth-type", "oidc", "auth-idp-oidc", OIDC));
    secrets.put("shop/oidc", Map.of("clientId", "id1", "clientSecret", "two"));
    Stack second = build(https("auth-type", "oidc", "auth-idp-oidc", OIDC));
    assertThat(first.loadBalancer().tags().get(Tags.OIDC_SECRETS)).isNotEqualTo(second.loadBalancer().tags().get(Tags.OIDC_SECRETS));
  }

  @Test
  void aMissingSecretOrKeyLeavesTheIngressOut() {
    Stack stack = build(https("auth-type", "oidc", "auth-idp-oidc", OIDC));
    assertThat(stack.empty()).isTrue();
    assertThat(stack.errors().get(0).problems()).containsExactly("Secret shop/oidc named by alb.ingress.kubernetes.io/auth-idp-oidc"
        + " does not exist; the Ingress is left out until it does (it must hold clientID and clientSecret)");
    secrets.put("shop/oidc", Map.of("clientID", "id1"));
    assertThat(build(https("auth-type", "oidc", "auth-idp-oidc", OIDC)).errors().get(0).problems())
        .containsExactly("Secret shop/oidc named by alb.ingress.kubernetes.io/auth-idp-oidc has no key clientSecret");
  }

  @Test
  void cognitoOnTheDefaultBackendToo() {
    String spec = "defaultBackend: {service: {name: web, port: {number: 80}}}\n" + BASE_SPEC;
    Stack stack = build(group(ingress("web", a("scheme", "internet-facing", "certificate-arn", CERT_SHOP, "auth-type", "cognito",
        "auth-idp-cognito", COGNITO), spec)));
    assertThat(stack.errors()).isEmpty();
    assertThat(stack.listeners().get(0).defaultAction()).isInstanceOf(RuleAction.Authenticate.class);
    assertThat(((RuleAction.Authenticate) stack.rules().get(0).action()).config().type()).isEqualTo(AuthType.COGNITO);
    assertThat(stack.loadBalancer().tags()).doesNotContainKey(Tags.OIDC_SECRETS);
  }

  @Test
  void aServiceOverridesTheIngress() {
    String svc = """
        apiVersion: v1
        kind: Service
        metadata:
          name: open
          namespace: shop
          annotations: {alb.ingress.kubernetes.io/auth-type: none}
        spec:
          type: NodePort
          ports:
            - {name: http, port: 80, targetPort: 8080, nodePort: 30090}
        """;
    String spec = """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /open, pathType: Prefix, backend: {service: {name: open, port: {number: 80}}}}
                - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """;
    IngressGroup g = group(svc, ingress("web", a("scheme", "internet-facing", "certificate-arn", CERT_SHOP, "auth-type", "cognito",
        "auth-idp-cognito", COGNITO), spec));
    Stack stack = build(g);
    assertThat(stack.errors()).isEmpty();
    assertThat(stack.rules()).hasSize(2);
    assertThat(stack.rules().get(0).source()).contains("paths[0]");
    assertThat(stack.rules().get(0).action()).isInstanceOf(RuleAction.Forward.class);
    assertThat(stack.rules().get(1).action()).isInstanceOf(RuleAction.Authenticate.class);
  }

  @Test
  void jwtValidationBeforeTheForward() {
    Stack stack = build(https("jwt-validation", "{\"jwksEndpoint\":\"https://idp/jwks\",\"issuer\":\"https://idp\"}"));
    var tls = stack.rules().stream().filter(r -> r.listener().resourceId().equals("443")).findFirst().orElseThrow();
    assertThat(tls.action()).isInstanceOf(RuleAction.ValidateJwt.class);
    assertThat(RuleAction.last(tls.action())).isInstanceOf(RuleAction.Forward.class);
  }
}
