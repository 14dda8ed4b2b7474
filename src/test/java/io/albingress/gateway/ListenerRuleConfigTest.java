package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.httpGateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static io.albingress.gateway.LoadBalancerConfigTest.fields;
import static io.albingress.gateway.LoadBalancerConfigTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.AuthType;
import io.albingress.annotations.Condition;
import io.albingress.annotations.Parsed;
import io.albingress.gateway.GatewayExtensions.ConfigSpec;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.gateway.ListenerRuleConfigParser.ListenerRuleConfig;
import io.albingress.model.ListenerRule;
import io.albingress.model.OidcSecrets;
import io.albingress.model.RuleAction;
import io.albingress.model.Tags;
import io.albingress.webhook.GatewayConfigAdmission;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListenerRuleConfigTest {
  static Parsed<ListenerRuleConfig> parse(String yaml) {
    return ListenerRuleConfigParser.parse(spec(yaml));
  }

  static final String ROUTE = """
      parentRefs: [{name: gw}]
      rules:
      - matches: [{path: {type: PathPrefix, value: /a}}, {path: {type: PathPrefix, value: /b}}]
        filters: [{type: ExtensionRef, extensionRef: {group: gateway.k8s.aws, kind: ListenerRuleConfiguration, name: cfg}}]
        backendRefs: [{name: web, port: 80}]
      """;

  static final OidcSecrets SECRETS = new OidcSecrets() {
    @Override
    public Optional<Map<String, String>> keys(String namespace, String name) {
      return namespace.equals("shop") && name.equals("idp") ? Optional.of(Map.of("clientID", "id", "clientSecret", "s3cret"))
          : Optional.empty();
    }
  };

  static GatewayBuild build(Gateway gw, String route, String config) {
    List<ConfigSpec> configs = config == null ? List.of() : List.of(new ConfigSpec("shop", "cfg", spec(config)));
    var in = new GatewayInputs(gw, List.of(route("web", "2025-01-01T00:00:00Z", route)), List.of(service("web", "")), Map.of(), List.of(),
        LoadBalancerConfigs.Resolved.NONE, new GatewayExtensions(List.of(), configs, SECRETS));
    return new GatewayStackBuilder().build(GatewayStackBuilderTest.ID, in, GatewayLoadBalancerConfigTest.FACTS);
  }

  static GatewayBuild build(String config) {
    return build(httpGateway(), ROUTE, config);
  }

  static List<ListenerRule> rules(GatewayBuild b) {
    return b.stack().rules();
  }

  @Test
  void fixedResponseReplacesTheForward() {
    GatewayBuild b = build("""
        actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 403, contentType: text/plain, messageBody: go away}}]
        tags: {team: web}
        """);
    assertThat(rules(b)).hasSize(2).allSatisfy(r -> {
      assertThat(r.action()).isEqualTo(new RuleAction.FixedResponse("403", Optional.of("text/plain"), Optional.of("go away")));
      assertThat(r.tags()).containsEntry("team", "web").containsKey(Tags.CLUSTER);
    });
    assertThat(b.stack().targetGroups()).isEmpty(); // nothing forwards to web
    assertThat(b.routes().get(0).unresolved()).isEmpty();
  }

  @Test
  void sourceIpOnTheMatchesItNames() {
    GatewayBuild b = build("""
        conditions:
        - field: source-ip
          sourceIPConfig: {values: [10.0.0.0/8, "2001:db8::/32"]}
          matchIndexes: [1]
        """);
    assertThat(rules(b)).hasSize(2);
    ListenerRule a = rules(b).stream().filter(r -> r.source().contains("matches[0]")).findFirst().orElseThrow();
    ListenerRule bb = rules(b).stream().filter(r -> r.source().contains("matches[1]")).findFirst().orElseThrow();
    assertThat(a.conditions()).noneMatch(c -> c.field().equals("source-ip"));
    assertThat(bb.conditions()).contains(new Condition("source-ip", Optional.empty(), List.of("10.0.0.0/8", "2001:db8::/32")));
    assertThat(bb.action()).isInstanceOf(RuleAction.Forward.class);
  }

  @Test
  void redirectQueryGoesOnTheRequestRedirect() {
    GatewayBuild b = build(httpGateway(), """
        parentRefs: [{name: gw}]
        rules:
        - filters:
          - {type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}
          - {type: ExtensionRef, extensionRef: {group: gateway.k8s.aws, kind: ListenerRuleConfiguration, name: cfg}}
        """, "actions: [{type: redirect, redirectConfig: {query: a=b}}]\n");
    assertThat(rules(b).get(0).action()).isEqualTo(new RuleAction.Redirect("HTTP_301", "HTTPS", "443", "#{host}", "/#{path}", "a=b"));
  }

  @Test
  void forwardStickiness() {
    GatewayBuild b = build("actions: [{type: forward, forwardConfig: {targetGroupStickinessConfig: {enabled: true, durationSeconds: 120}}}]\n");
    assertThat(rules(b).get(0).action()).isInstanceOfSatisfying(RuleAction.Forward.class,
        f -> assertThat(f.stickinessSeconds()).contains(120));
  }

  @Test
  void authenticateOnHttpsWithTheSecretsClientAndRefusedOnHttp() {
    String oidc = """
        actions:
        - type: authenticate-oidc
          authenticateOIDCConfig:
            issuer: https://idp.example.com
            authorizationEndpoint: https://idp.example.com/auth
            tokenEndpoint: https://idp.example.com/token
            userInfoEndpoint: https://idp.example.com/userinfo
            secret: {name: idp}
            onUnauthenticatedRequest: deny
            sessionTimeout: 3600
        """;
    Gateway https = gateway("- {name: https, port: 443, protocol: HTTPS, hostname: shop.example.com}\n");
    GatewayBuild b = build(https, ROUTE, oidc);
    assertThat(b.listeners()).allSatisfy(l -> assertThat(l.notProgrammed()).isEmpty());
    assertThat(rules(b).get(0).action()).isInstanceOfSatisfying(RuleAction.Authenticate.class, a -> {
      assertThat(a.config().type()).isEqualTo(AuthType.OIDC);
      assertThat(a.config().onUnauthenticatedRequest()).isEqualTo("deny");
      assertThat(a.config().sessionTimeout()).isEqualTo(3600);
      assertThat(a.client()).hasValueSatisfying(c -> assertThat(c.clientId()).isEqualTo("id"));
      assertThat(a.then()).isInstanceOf(RuleAction.Forward.class);
    });
    assertThat(b.stack().loadBalancer().tags()).containsKey(Tags.OIDC_SECRETS);

    GatewayBuild http = build(oidc);
    assertThat(rules(http)).allSatisfy(r -> assertThat(r.action()).isEqualTo(RouteMapping.BACKEND_UNAVAILABLE));
    assertThat(http.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message()).contains("HTTPS listeners only"));

    GatewayBuild noSecret = build(https, ROUTE, oidc.replace("name: idp", "name: missing"));
    assertThat(noSecret.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message())
        .contains("Secret shop/missing does not exist"));

    GatewayBuild cognito = build(https, ROUTE, """
        actions:
        - type: authenticate-cognito
          authenticateCognitoConfig:
            userPoolArn: arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_abc
            userPoolClientId: client
            userPoolDomain: shop-auth
        - {type: fixed-response, fixedResponseConfig: {statusCode: 200}}
        """);
    assertThat(rules(cognito).get(0).action()).isInstanceOfSatisfying(RuleAction.Authenticate.class, a -> {
      assertThat(a.config().type()).isEqualTo(AuthType.COGNITO);
      assertThat(a.then()).isEqualTo(new RuleAction.FixedResponse("200", Optional.empty(), Optional.empty()));
    });

    GatewayBuild jwt = build(https, ROUTE, """
        actions:
        - type: jwt-validation
          jwtValidationConfig: {issuer: https://idp.example.com, jwksEndpoint: https://idp.example.com/jwks}
        """);
    assertThat(rules(jwt).get(0).action()).isInstanceOf(RuleAction.ValidateJwt.class);
  }

  @Test
  void missingOrInapplicableConfigurationAnswers500AndIsReportedOnTheRoute() {
    GatewayBuild missing = build(null);
    assertThat(rules(missing)).allSatisfy(r -> assertThat(r.action()).isEqualTo(RouteMapping.BACKEND_UNAVAILABLE));
    assertThat(missing.routes().get(0).unresolved()).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(GatewayStackBuilder.INVALID_PARAMETERS);
      assertThat(r.message()).contains("spec.rules[0].filters[0].extensionRef: ListenerRuleConfiguration shop/cfg not found");
    });
    assertThat(missing.routes().get(0).attached()).isTrue();

    GatewayBuild noRedirect = build("actions: [{type: redirect, redirectConfig: {query: a=b}}]\n");
    assertThat(noRedirect.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message()).contains("no RequestRedirect"));

    GatewayBuild outOfRange = build("conditions: [{field: source-ip, sourceIPConfig: {values: [10.0.0.0/8]}, matchIndexes: [2]}]\n");
    assertThat(outOfRange.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message()).contains("matchIndexes 2 is out of range"));

    GatewayBuild bad = build("actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 302}}]\n");
    assertThat(bad.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message())
        .contains("spec.actions[0].fixedResponseConfig.statusCode"));
  }

  @Test
  void parserRefusesWhatAlbCannotDoNamingTheField() {
    Parsed<ListenerRuleConfig> p = parse("""
        actions:
        - {type: fixed-response, fixedResponseConfig: {statusCode: 301, contentType: image/png}}
        - {type: redirect, redirectConfig: {query: "?x"}}
        - {type: forward, forwardConfig: {targetGroupStickinessConfig: {enabled: true}}}
        - {type: authenticate-oidc, authenticateOIDCConfig: {issuer: http://insecure, secret: {name: s}, useExistingClientSecret: true}}
        - {type: jwt-validation, jwtValidationConfig: {issuer: x, jwksEndpoint: https://x/jwks}}
        - {type: teleport}
        conditions:
        - {field: source-ip, sourceIPConfig: {values: [10.0.0.300/8]}}
        - {field: source-ip, sourceIPConfig: {values: [10.0.0.0/8]}, matchIndexes: [0]}
        - {field: host-header}
        extra: 1
        """);
    assertThat(fields(p)).contains("spec.actions[0].fixedResponseConfig.statusCode", "spec.actions[1].type", "spec.actions[2].type",
        "spec.actions[3].authenticateOIDCConfig.useExistingClientSecret", "spec.actions[3].authenticateOIDCConfig",
        "spec.actions[4].type", "spec.actions[5].type", "spec.conditions[0].sourceIPConfig.values", "spec.conditions[1]",
        "spec.conditions[2].field", "spec.extra");
    Parsed<ListenerRuleConfig> q = parse("""
        actions:
        - {type: fixed-response, fixedResponseConfig: {statusCode: 404, contentType: image/png}}
        - {type: forward, forwardConfig: {targetGroupStickinessConfig: {enabled: true}}}
        """);
    assertThat(fields(q)).contains("spec.actions[0].fixedResponseConfig.contentType", "spec.actions[1].type");
    assertThat(fields(parse("actions: [{type: forward, forwardConfig: {targetGroupStickinessConfig: {enabled: true}}}]\n")))
        .containsExactly("spec.actions[0].forwardConfig.targetGroupStickinessConfig.durationSeconds");
    assertThat(fields(parse("actions: [{type: redirect, redirectConfig: {query: \"?x\"}}]\n")))
        .containsExactly("spec.actions[0].redirectConfig.query");
  }

  @Test
  void admissionDeniesBadValuesAndAllowsGoodOnes() {
    assertThat(GatewayConfigAdmission.listenerRuleConfig(spec("""
        actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 503, contentType: application/json, messageBody: "{}"}}]
        conditions: [{field: source-ip, sourceIPConfig: {values: [192.168.0.0/16]}}]
        """)).denials()).isEmpty();
    assertThat(GatewayConfigAdmission.listenerRuleConfig(spec("actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 700}}]\n"))
        .denials()).singleElement().satisfies(d -> assertThat(d).startsWith("spec.actions[0].fixedResponseConfig.statusCode: 700"));
  }

  @Test
  void routeAdmissionAllowsOneListenerRuleConfigurationRefOnly() {
    var ok = route("web", "2025-01-01T00:00:00Z", ROUTE);
    assertThat(GatewayStackBuilder.routeProblems(ok)).isEmpty();
    var other = route("web", "2025-01-01T00:00:00Z", ROUTE.replace("kind: ListenerRuleConfiguration", "kind: Other"));
    assertThat(GatewayStackBuilder.routeProblems(other)).singleElement().satisfies(p -> assertThat(p)
        .contains("spec.rules[0].filters[0].extensionRef").contains("ListenerRuleConfiguration"));
    var two = route("web", "2025-01-01T00:00:00Z", ROUTE.replace("filters: [{type: ExtensionRef", "filters: [{type: ExtensionRef, extensionRef:"
        + " {group: gateway.k8s.aws, kind: ListenerRuleConfiguration, name: x}}, {type: ExtensionRef"));
    assertThat(GatewayStackBuilder.routeProblems(two)).singleElement().satisfies(p -> assertThat(p).contains("more than one"));
  }

  static final String GRPC_ROUTE = """
      parentRefs: [{name: gw}]
      rules:
      - matches: [{method: {service: shop.Cart, method: Add}}, {method: {service: shop.Cart, method: Remove}}]
        filters: [{type: ExtensionRef, extensionRef: {group: gateway.k8s.aws, kind: ListenerRuleConfiguration, name: cfg}}]
        backendRefs: [{name: web, port: 80}]
      """;

  static GatewayBuild buildGrpc(String route, String config) {
    Gateway https = gateway("- {name: https, port: 443, protocol: HTTPS, hostname: shop.example.com}\n");
    List<ConfigSpec> configs = config == null ? List.of() : List.of(new ConfigSpec("shop", "cfg", spec(config)));
    var in = new GatewayInputs(https, List.of(GrpcRoutes.view(GrpcRoutesTest.grpc("cart", "2025-01-01T00:00:00Z", route))),
        List.of(service("web", "")), Map.of(), List.of(), LoadBalancerConfigs.Resolved.NONE, new GatewayExtensions(List.of(), configs, SECRETS));
    return new GatewayStackBuilder().build(GatewayStackBuilderTest.ID, in, GatewayLoadBalancerConfigTest.FACTS);
  }

  @Test
  void aGrpcRouteRuleTakesItsListenerRuleConfigurationAsAnHttpRouteRuleDoes() {
    var grpc = GrpcRoutesTest.grpc("cart", "2025-01-01T00:00:00Z", GRPC_ROUTE);
    assertThat(GrpcRoutes.problems(grpc)).isEmpty();
    assertThat(GatewayAdmissionChecks.grpcRoute(grpc).denials()).isEmpty();
    assertThat(ListenerRuleConfigs.namedBy(GrpcRoutes.view(grpc))).containsExactly("shop/cfg");

    GatewayBuild b = buildGrpc(GRPC_ROUTE, """
        actions:
        - {type: authenticate-cognito, authenticateCognitoConfig: {userPoolArn: "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_abc", userPoolClientId: c, userPoolDomain: d}}
        conditions:
        - field: source-ip
          sourceIPConfig: {values: [10.0.0.0/8]}
          matchIndexes: [1]
        tags: {team: cart}
        """);
    assertThat(b.routes().get(0).unresolved()).isEmpty();
    assertThat(rules(b)).hasSize(2).allSatisfy(r -> {
      assertThat(r.action()).isInstanceOfSatisfying(RuleAction.Authenticate.class, a -> assertThat(a.then()).isInstanceOf(RuleAction.Forward.class));
      assertThat(r.tags()).containsEntry("team", "cart");
    });
    ListenerRule remove = rules(b).stream().filter(r -> r.source().contains("matches[1]")).findFirst().orElseThrow();
    ListenerRule add = rules(b).stream().filter(r -> r.source().contains("matches[0]")).findFirst().orElseThrow();
    assertThat(remove.conditions()).contains(new Condition("source-ip", Optional.empty(), List.of("10.0.0.0/8")));
    assertThat(add.conditions()).noneMatch(c -> c.field().equals("source-ip"));

    GatewayBuild fixed = buildGrpc(GRPC_ROUTE, "actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 503}}]\n");
    assertThat(rules(fixed)).allSatisfy(r -> assertThat(r.action()).isEqualTo(new RuleAction.FixedResponse("503", Optional.empty(),
        Optional.empty())));
    // a redirect needs a RequestRedirect filter, which a GRPCRoute has not: the rule answers 500, the route says why
    GatewayBuild redirect = buildGrpc(GRPC_ROUTE, "actions: [{type: redirect, redirectConfig: {query: a=b}}]\n");
    assertThat(redirect.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message()).contains("no RequestRedirect"));
    GatewayBuild missing = buildGrpc(GRPC_ROUTE, null);
    assertThat(missing.routes().get(0).unresolved()).hasValueSatisfying(r -> assertThat(r.message())
        .contains("spec.rules[0].filters[0].extensionRef: ListenerRuleConfiguration shop/cfg not found"));
  }

  @Test
  void aGrpcRouteRefusesOtherExtensionRefsAndTwoConfigurations() {
    var other = GrpcRoutesTest.grpc("cart", "2025-01-01T00:00:00Z", GRPC_ROUTE.replace("kind: ListenerRuleConfiguration", "kind: Other"));
    assertThat(GrpcRoutes.problems(other)).singleElement().satisfies(p -> assertThat(p)
        .isEqualTo("spec.rules[0].filters[0].extensionRef: gateway.k8s.aws/Other is not supported; an ExtensionRef names a gateway.k8s.aws"
            + " ListenerRuleConfiguration"));
    var two = GrpcRoutesTest.grpc("cart", "2025-01-01T00:00:00Z", GRPC_ROUTE.replace("filters: [{type: ExtensionRef",
        "filters: [{type: ExtensionRef, extensionRef: {group: gateway.k8s.aws, kind: ListenerRuleConfiguration, name: x}}, {type: ExtensionRef"));
    assertThat(GatewayAdmissionChecks.grpcRoute(two).denials()).singleElement().satisfies(p -> assertThat(p).contains("more than one"));
  }
}
