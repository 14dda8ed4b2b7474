package io.albingress.stack;

import static io.albingress.stack.StackFixtures.BASE_SPEC;
import static io.albingress.stack.StackFixtures.CERT_EXTRA;
import static io.albingress.stack.StackFixtures.CERT_SHOP;
import static io.albingress.stack.StackFixtures.CERT_WILDCARD;
import static io.albingress.stack.StackFixtures.FACTS;
import static io.albingress.stack.StackFixtures.OTHER_CLUSTER_A;
import static io.albingress.stack.StackFixtures.PRIVATE_A;
import static io.albingress.stack.StackFixtures.PRIVATE_B;
import static io.albingress.stack.StackFixtures.PRIVATE_C;
import static io.albingress.stack.StackFixtures.PUBLIC_A;
import static io.albingress.stack.StackFixtures.a;
import static io.albingress.stack.StackFixtures.group;
import static io.albingress.stack.StackFixtures.ingress;
import static io.albingress.stack.StackFixtures.subnet;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.ClusterFacts;
import io.albingress.model.IngressGroup;
import io.albingress.model.Known;
import io.albingress.model.Subnet;
import io.albingress.stack.GoldenJson.Patch;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.albingress.model.Stack;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Golden tests of {@link StackBuilder}, in the style of the reference controller's model-builder
 * tests: each case builds a stack from Ingresses and Services (YAML) in a known cluster and expects
 * {@code golden/base-stack.json} with a JSON patch applied. The base case is one internet-facing
 * Ingress shop/web routing shop.example.com / to Service web:80 in instance mode.
 */
class StackBuilderGoldenTest {
  private static final JsonNode BASE = GoldenJson.resource("/golden/base-stack.json");
  private static final String BASE_STACK = "shop/web";
  private static final String GROUP = "shop-front";
  private static final String WEB = "{service: {name: web, port: {number: 80}}}";
  private static final String API = "{service: {name: api, port: {number: 8080}}}";

  // ---- paths, hosts, default backend ----

  @Test
  void baseIngressBuildsBaseStack() {
    check(base(), FACTS, patch());
  }

  @Test
  void pathTypesBecomePatternsInPrecedenceOrder() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /static, pathType: ImplementationSpecific, backend: %1$s}
                - {path: /a, pathType: Prefix, backend: %1$s}
                - {path: /exact, pathType: Exact, backend: %1$s}
                - {path: /longer/, pathType: Prefix, backend: %1$s}
                - {path: /img/*.png, backend: %1$s}
        """.formatted(WEB)));
    // Exact first, then Prefix longest first (a trailing / is dropped), then ImplementationSpecific as written
    check(g, FACTS, patch().replace("/rules", list(
        rule(BASE_STACK, 80, 1, "shop/web spec.rules[0].http.paths[2]", forward("shop/web:80"), host("shop.example.com"), paths("/exact")),
        rule(BASE_STACK, 80, 2, "shop/web spec.rules[0].http.paths[3]", forward("shop/web:80"), host("shop.example.com"),
            paths("/longer", "/longer/*")),
        rule(BASE_STACK, 80, 3, "shop/web spec.rules[0].http.paths[1]", forward("shop/web:80"), host("shop.example.com"), paths("/a", "/a/*")),
        rule(BASE_STACK, 80, 4, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"), host("shop.example.com"), paths("/static")),
        rule(BASE_STACK, 80, 5, "shop/web spec.rules[0].http.paths[4]", forward("shop/web:80"), host("shop.example.com"),
            paths("/img/*.png")))));
  }

  @Test
  void ruleWithoutHostOrPathMatchesEveryPath() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing"), """
        rules:
          - http:
              paths:
                - {pathType: ImplementationSpecific, backend: %s}
        """.formatted(WEB)));
    check(g, FACTS, patch().replace("/rules/0/conditions", list(paths("/*"))));
  }

  @Test
  void hostsBecomeHostConditionsAndServiceAnnotationsSetTheHealthCheck() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing"), """
        rules:
          - host: a.example.com
            http:
              paths:
                - {path: /a, pathType: Prefix, backend: %1$s}
          - host: b.example.com
            http:
              paths:
                - {path: /b, pathType: Exact, backend: %2$s}
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: %1$s}
        """.formatted(WEB, API)));
    check(g, FACTS, apiTargetGroup(patch().replace("/rules", list(
        rule(BASE_STACK, 80, 1, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"), host("a.example.com"), paths("/a", "/a/*")),
        rule(BASE_STACK, 80, 2, "shop/web spec.rules[1].http.paths[0]", forward("shop/api:8080"), host("b.example.com"), paths("/b")),
        rule(BASE_STACK, 80, 3, "shop/web spec.rules[2].http.paths[0]", forward("shop/web:80"), paths("/*")))),
        1, "k8s-shop-api-c94020165b"));
  }

  @Test
  void defaultBackendIsTheListenerDefaultAction() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing"), """
        defaultBackend: %s
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /api, pathType: Prefix, backend: %s}
        """.formatted(WEB, API)));
    check(g, FACTS, apiTargetGroup(patch()
        .replace("/listeners/0/defaultAction", forward("shop/web:80"))
        .replace("/rules/0/conditions/1/values", "['/api', '/api/*']")
        .replace("/rules/0/action", forward("shop/api:8080")), 1, "k8s-shop-api-c94020165b"));
  }

  // ---- actions.* and conditions.* ----

  @Test
  void fixedResponseAction() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "actions.maintenance",
        "{\"type\": \"fixed-response\", \"fixedResponseConfig\": {\"contentType\": \"text/plain\", \"statusCode\": \"503\", \"messageBody\": \"back soon\"}}"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: %s}
                - {path: /maintenance, pathType: Exact, backend: {service: {name: maintenance, port: {name: use-annotation}}}}
        """.formatted(WEB)));
    check(g, FACTS, patch().replace("/rules", list(
        rule(BASE_STACK, 80, 1, "shop/web spec.rules[0].http.paths[1]",
            "{'type': 'fixed-response', 'statusCode': '503', 'contentType': 'text/plain', 'messageBody': 'back soon'}",
            host("shop.example.com"), paths("/maintenance")),
        rule(BASE_STACK, 80, 2, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"), host("shop.example.com"), paths("/*")))));
  }

  @Test
  void redirectActionKeepsUnsetPartsOfTheRequest() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "actions.legacy",
        "{\"type\": \"redirect\", \"redirectConfig\": {\"host\": \"new.example.com\", \"path\": \"/shop/#{path}\", \"statusCode\": \"HTTP_302\"}}"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /old, pathType: Prefix, backend: {service: {name: legacy, port: {name: use-annotation}}}}
        """));
    check(g, FACTS, patch()
        .replace("/rules/0/conditions/1/values", "['/old', '/old/*']")
        .replace("/rules/0/action", "{'type': 'redirect', 'statusCode': 'HTTP_302', 'protocol': '#{protocol}', 'port': '#{port}',"
            + " 'host': 'new.example.com', 'path': '/shop/#{path}', 'query': '#{query}'}")
        .replace("/targetGroups", "[]"));
  }

  @Test
  void weightedForwardToTwoServicesAndAnExistingTargetGroup() {
    String legacyTg = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/legacy/0123456789abcdef";
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "actions.split",
        "{\"type\": \"forward\", \"forwardConfig\": {\"targetGroups\": [{\"serviceName\": \"web\", \"servicePort\": \"80\", \"weight\": 80},"
            + " {\"serviceName\": \"api\", \"servicePort\": \"http\", \"weight\": 20}, {\"targetGroupARN\": \"" + legacyTg + "\", \"weight\": 0}],"
            + " \"targetGroupStickinessConfig\": {\"enabled\": true, \"durationSeconds\": 300}}}"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: split, port: {name: use-annotation}}}}
        """));
    // api's port by name (http) is its target group by number (8080)
    check(g, FACTS, apiTargetGroup(patch().replace("/rules/0/action", "{'type': 'forward', 'stickinessSeconds': 300, 'targets': ["
        + "{'targetGroup': {'$ref': 'TargetGroup/shop/web:80'}, 'targetGroupArn': null, 'weight': 80},"
        + "{'targetGroup': {'$ref': 'TargetGroup/shop/api:8080'}, 'targetGroupArn': null, 'weight': 20},"
        + "{'targetGroup': null, 'targetGroupArn': '" + legacyTg + "', 'weight': 0}]}"), 1, "k8s-shop-api-c94020165b"));
  }

  @Test
  void httpHeaderAndQueryStringConditions() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "conditions.web",
        "[{\"field\": \"http-header\", \"httpHeaderConfig\": {\"httpHeaderName\": \"X-Canary\", \"values\": [\"always\"]}},"
            + " {\"field\": \"query-string\", \"queryStringConfig\": {\"values\": [{\"key\": \"version\", \"value\": \"v2\"}]}}]"), BASE_SPEC));
    check(g, FACTS, patch()
        .add("/rules/0/conditions/-", "{'field': 'http-header', 'httpHeaderName': 'X-Canary', 'values': ['always']}")
        .add("/rules/0/conditions/-", "{'field': 'query-string', 'httpHeaderName': null, 'values': ['version=v2']}"));
  }

  @Test
  void hostAndPathConditionsJoinTheRulesOwn() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "conditions.web",
        "[{\"field\": \"host-header\", \"hostHeaderConfig\": {\"values\": [\"www.example.com\"]}},"
            + " {\"field\": \"source-ip\", \"sourceIpConfig\": {\"values\": [\"10.0.0.0/8\"]}},"
            + " {\"field\": \"path-pattern\", \"pathPatternConfig\": {\"values\": [\"/shop/*\"]}}]"), BASE_SPEC));
    // an ALB rule takes one host-header and one path-pattern condition: values are OR-ed into them
    check(g, FACTS, patch()
        .replace("/rules/0/conditions", list(host("shop.example.com", "www.example.com"), paths("/*", "/shop/*"),
            "{'field': 'source-ip', 'httpHeaderName': null, 'values': ['10.0.0.0/8']}")));
  }

  // ---- listeners and certificates ----

  @Test
  void listenPortsHttpOnly() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTP\": 8080}]"), BASE_SPEC));
    check(g, FACTS, patch()
        .replace("/listeners/0", listener(BASE_STACK, "HTTP", 8080, NOT_FOUND, List.of(), null))
        .replace("/rules/0", rule(BASE_STACK, 8080, 1, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"),
            host("shop.example.com"), paths("/*"))));
  }

  @Test
  void listenPortsHttpsOnly() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTPS\": 8443}]",
        "certificate-arn", CERT_SHOP), BASE_SPEC));
    check(g, FACTS, patch()
        .replace("/listeners/0", listener(BASE_STACK, "HTTPS", 8443, NOT_FOUND, List.of(CERT_SHOP), DEFAULT_POLICY))
        .replace("/rules/0", rule(BASE_STACK, 8443, 1, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"),
            host("shop.example.com"), paths("/*"))));
  }

  @Test
  void certificateArnMakesTheDefaultListenerHttps443() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "certificate-arn", CERT_SHOP), BASE_SPEC));
    check(g, FACTS, httpsOnly(patch(), List.of(CERT_SHOP), DEFAULT_POLICY));
  }

  @Test
  void mutualTlsAndListenerAttributesGoOnTheirListener() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "certificate-arn", CERT_SHOP,
        "mutual-authentication", "[{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"partners\"}]",
        "listener-attributes.HTTPS-443", "routing.http.response.server.enabled=false"), BASE_SPEC));
    check(g, FACTS, httpsOnly(patch(), List.of(CERT_SHOP), DEFAULT_POLICY)
        .add("/listeners/0/mutualAuthentication", "{'port': 443, 'mode': 'verify', 'trustStore': 'partners',"
            + " 'ignoreClientCertificateExpiry': false, 'advertiseTrustStoreCaNames': 'off'}")
        .add("/listeners/0/attributes", "{'routing.http.response.server.enabled': 'false'}"));
  }

  @Test
  void aGroupMemberOnAnotherPortDoesNotSetThisListenersMutualTls() {
    IngressGroup g = group(
        ingress("first", a("group.name", GROUP, "scheme", "internet-facing"), BASE_SPEC),
        ingress("second", a("group.name", GROUP, "group.order", "1", "listen-ports", "[{\"HTTPS\": 443}]", "certificate-arn", CERT_SHOP,
            "mutual-authentication", "[{\"port\": 443, \"mode\": \"passthrough\"}]",
            "listener-attributes.HTTPS-443", "routing.http.response.server.enabled=false"), BASE_SPEC));
    Stack stack = StackFixtures.build(g, FACTS);
    assertThat(stack.listeners()).extracting(l -> l.port() + ":" + l.mutualAuthentication().map(m -> m.mode().wireName()).orElse("-")
        + ":" + l.attributes()).containsExactlyInAnyOrder("80:-:{}", "443:passthrough:{routing.http.response.server.enabled=false}");
  }

  @Test
  void listenPortsBothWithCertificateDiscoveredByExactHost() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]"),
        "tls:\n  - hosts: [shop.example.com]\n" + BASE_SPEC));
    // shop.example.com has its own certificate and is covered by *.example.com (lower ARN): exact wins
    check(g, FACTS, patch()
        .add("/listeners/-", listener(BASE_STACK, "HTTPS", 443, NOT_FOUND, List.of(CERT_SHOP), DEFAULT_POLICY))
        .add("/rules/-", rule(BASE_STACK, 443, 1, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"),
            host("shop.example.com"), paths("/*"))));
  }

  @Test
  void certificateDiscoveredByWildcard() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTPS\": 443}]"), """
        tls:
          - hosts: [other.example.com]
        rules:
          - host: other.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: %s}
        """.formatted(WEB)));
    check(g, FACTS, httpsOnly(patch(), List.of(CERT_WILDCARD), DEFAULT_POLICY)
        .replace("/rules/0/conditions/0/values", "['other.example.com']"));
  }

  @Test
  void uncoveredHostIsServedWithTheOtherHostsCertificates() {
    // as the webhook admits it (with a warning): shop.example.org has only a PENDING_VALIDATION certificate
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTPS\": 443}]"),
        "tls:\n  - hosts: [shop.example.com, extra.example.net, shop.example.org]\n" + BASE_SPEC));
    check(g, FACTS, httpsOnly(patch(), List.of(CERT_SHOP, CERT_EXTRA), DEFAULT_POLICY));
  }

  @Test
  void noCertificateForAnyHostLeavesTheIngressOut() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTPS\": 443}]"), """
        tls:
          - hosts: [shop.example.org]
        rules:
          - host: shop.example.org
            http:
              paths:
                - {path: /, pathType: Prefix, backend: %s}
        """.formatted(WEB)));
    check(g, FACTS, empty(patch()).add("/errors/-", "{'ingress': 'shop/web', 'problems': ['~needs a certificate']}"));
  }

  @Test
  void explicitCertificatesKeepTheirOrderFirstIsDefault() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "certificate-arn", CERT_EXTRA + ", " + CERT_SHOP), BASE_SPEC));
    check(g, FACTS, httpsOnly(patch(), List.of(CERT_EXTRA, CERT_SHOP), DEFAULT_POLICY));
  }

  @Test
  void groupCertificatesInGroupOrder() {
    IngressGroup g = group(
        ingress("second", a("group.name", GROUP, "group.order", "2", "certificate-arn", CERT_EXTRA), """
            rules:
              - host: extra.example.net
                http:
                  paths:
                    - {path: /, pathType: Prefix, backend: %s}
            """.formatted(WEB)),
        ingress("first", a("group.name", GROUP, "group.order", "1", "scheme", "internet-facing",
            "listen-ports", "[{\"HTTPS\": 443}]"), "tls:\n  - hosts: [shop.example.com]\n" + BASE_SPEC));
    check(g, FACTS, asGroup(httpsOnly(patch(), List.of(CERT_SHOP, CERT_EXTRA), DEFAULT_POLICY), "k8s-shopfront-02df2d7f37",
        "k8s-shop-web-7bb062a049", "shop/first", "shop/second")
        .replace("/rules", list(
            rule(GROUP, 443, 1, "shop/first spec.rules[0].http.paths[0]", forward("shop/web:80"), host("shop.example.com"), paths("/*")),
            rule(GROUP, 443, 2, "shop/second spec.rules[0].http.paths[0]", forward("shop/web:80"), host("extra.example.net"),
                paths("/*")))));
  }

  @Test
  void sslRedirectMakesHttpListenersRedirectWithoutRules() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]",
        "ssl-redirect", "443", "certificate-arn", CERT_SHOP), BASE_SPEC));
    check(g, FACTS, patch()
        .replace("/listeners/0/defaultAction", "{'type': 'redirect', 'statusCode': 'HTTP_301', 'protocol': 'HTTPS', 'port': '443',"
            + " 'host': '#{host}', 'path': '/#{path}', 'query': '#{query}'}")
        .add("/listeners/-", listener(BASE_STACK, "HTTPS", 443, NOT_FOUND, List.of(CERT_SHOP), DEFAULT_POLICY))
        .replace("/rules/0", rule(BASE_STACK, 443, 1, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"),
            host("shop.example.com"), paths("/*"))));
  }

  @Test
  void sslPolicy() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "certificate-arn", CERT_SHOP,
        "ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"), BASE_SPEC));
    check(g, FACTS, httpsOnly(patch(), List.of(CERT_SHOP), "ELBSecurityPolicy-TLS13-1-2-2021-06"));
  }

  // ---- IngressGroups ----

  @Test
  void groupOrderSetsRuleOrderAndPrioritiesAreContiguous() {
    IngressGroup g = group(
        ingress("storefront", a("group.name", GROUP, "group.order", "10", "scheme", "internet-facing"), """
            rules:
              - host: shop.example.com
                http:
                  paths:
                    - {path: /a, pathType: Prefix, backend: %s}
            """.formatted(WEB)),
        ingress("api", a("group.name", GROUP, "group.order", "-5"), """
            rules:
              - http:
                  paths:
                    - {path: /b1, pathType: Exact, backend: %1$s}
                    - {path: /b2, pathType: Exact, backend: %1$s}
            """.formatted(API)),
        ingress("catalog", a("group.name", GROUP), """
            rules:
              - http:
                  paths:
                    - {path: /c, pathType: Prefix, backend: %s}
            """.formatted(WEB)));
    // order -5, then 0 (the default), then 10
    Patch p = asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/api", "shop/catalog", "shop/storefront")
        .replace("/rules", list(
            rule(GROUP, 80, 1, "shop/api spec.rules[0].http.paths[0]", forward("shop/api:8080"), paths("/b1")),
            rule(GROUP, 80, 2, "shop/api spec.rules[0].http.paths[1]", forward("shop/api:8080"), paths("/b2")),
            rule(GROUP, 80, 3, "shop/catalog spec.rules[0].http.paths[0]", forward("shop/web:80"), paths("/c", "/c/*")),
            rule(GROUP, 80, 4, "shop/storefront spec.rules[0].http.paths[0]", forward("shop/web:80"), host("shop.example.com"),
                paths("/a", "/a/*"))));
    // api is referenced first, so its target group comes first
    p.copy("/targetGroups/0", "/targetGroups/1");
    apiTargetGroup(p, 0, "k8s-shop-api-69968a0b65").replace("/targetGroups/0/tags/ingress.k8s.aws~1stack", "'shop-front'");
    check(g, FACTS, p);
  }

  @Test
  void conflictingLaterMemberIsLeftOutAndTheFirstStillBuilds() {
    IngressGroup g = group(
        ingress("first", a("group.name", GROUP, "group.order", "1", "scheme", "internet-facing"), BASE_SPEC),
        ingress("second", a("group.name", GROUP, "group.order", "2", "scheme", "internal"), """
            rules:
              - http:
                  paths:
                    - {path: /b, pathType: Prefix, backend: %s}
            """.formatted(WEB)));
    check(g, FACTS, asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/first")
        .add("/errors/-", "{'ingress': 'shop/second', 'problems': ['~alb.ingress.kubernetes.io/scheme: \"internal\" conflicts with \"internet-facing\"']}"));
  }

  @Test
  void invalidMemberIsLeftOutWhileTheOthersBuild() {
    IngressGroup g = group(
        ingress("broken", a("group.name", GROUP, "group.order", "-1", "target-type", "banana"), """
            rules:
              - http:
                  paths:
                    - {path: /x, pathType: Prefix, backend: %s}
            """.formatted(WEB)),
        ingress("good", a("group.name", GROUP, "scheme", "internet-facing"), BASE_SPEC));
    check(g, FACTS, asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/good")
        .add("/errors/-", "{'ingress': 'shop/broken', 'problems': ['~alb.ingress.kubernetes.io/target-type: \"banana\" is not valid']}"));
  }

  @Test
  void missingServiceLeavesTheMemberOut() {
    IngressGroup g = group(
        ingress("good", a("group.name", GROUP, "scheme", "internet-facing"), BASE_SPEC),
        ingress("ghost", a("group.name", GROUP, "group.order", "1"), """
            rules:
              - http:
                  paths:
                    - {path: /g, pathType: Prefix, backend: {service: {name: ghost, port: {number: 80}}}}
            """));
    check(g, FACTS, asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/good")
        .add("/errors/-", "{'ingress': 'shop/ghost', 'problems': "
            + "['spec.rules[0].http.paths[0]: Service shop/ghost does not exist; the Ingress is left out until it does']}"));
  }

  // ---- target groups ----

  @Test
  void twoIngressesRoutingToOneServicePortShareATargetGroup() {
    IngressGroup g = group(
        ingress("one", a("group.name", GROUP, "scheme", "internet-facing"), BASE_SPEC),
        ingress("two", a("group.name", GROUP), """
            rules:
              - http:
                  paths:
                    - {path: /two, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
            """));
    check(g, FACTS, asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/one", "shop/two")
        .add("/rules/-", rule(GROUP, 80, 2, "shop/two spec.rules[0].http.paths[0]", forward("shop/web:80"), paths("/two", "/two/*"))));
  }

  @Test
  void portByNameAndByNumberIsOneTargetGroup() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /by-name, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
                - {path: /by-number, pathType: Prefix, backend: %s}
        """.formatted(WEB)));
    check(g, FACTS, patch().replace("/rules", list(
        rule(BASE_STACK, 80, 1, "shop/web spec.rules[0].http.paths[1]", forward("shop/web:80"), host("shop.example.com"),
            paths("/by-number", "/by-number/*")),
        rule(BASE_STACK, 80, 2, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"), host("shop.example.com"),
            paths("/by-name", "/by-name/*")))));
  }

  @Test
  void differentHealthCheckMakesASecondTargetGroupWithItsOwnId() {
    IngressGroup g = group(
        ingress("one", a("group.name", GROUP, "scheme", "internet-facing"), BASE_SPEC),
        ingress("two", a("group.name", GROUP, "healthcheck-path", "/ready"), """
            rules:
              - http:
                  paths:
                    - {path: /two, pathType: Prefix, backend: %s}
            """.formatted(WEB)));
    String second = "shop/web:80#79d2f2";
    Patch p = asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/one", "shop/two")
        .add("/rules/-", rule(GROUP, 80, 2, "shop/two spec.rules[0].http.paths[0]", forward(second), paths("/two", "/two/*")))
        .copy("/targetGroups/0", "/targetGroups/1")
        .replace("/targetGroups/1/resourceId", q(second))
        .replace("/targetGroups/1/name", "'k8s-shop-web-1a0a9f4e67'")
        .replace("/targetGroups/1/healthCheck/path", "'/ready'")
        .replace("/targetGroups/1/tags/ingress.k8s.aws~1resource", q(second));
    check(g, FACTS, p);
  }

  @Test
  void serviceAnnotationsOverrideTheIngresses() {
    // Service api says healthcheck-path /healthz; the Ingress's path and success codes apply where the Service is silent
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "healthcheck-path", "/ingress", "success-codes", "200-299"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: %s}
        """.formatted(API)));
    check(g, FACTS, apiTargetGroup(patch().replace("/rules/0/action", forward("shop/api:8080")), 0, "k8s-shop-api-c94020165b")
        .replace("/targetGroups/0/healthCheck/successCodes", "'200-299'"));
  }

  @Test
  void ipTargetTypeUsesTheTargetPort() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "target-type", "ip"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /search, pathType: Prefix, backend: {service: {name: search, port: {number: 80}}}}
                - {path: /cart, pathType: Prefix, backend: {service: {name: cart, port: {name: http}}}}
        """));
    // a named targetPort has no number here: the target group takes the Service port, targets their own
    Patch p = patch().replace("/rules", list(
            rule(BASE_STACK, 80, 1, "shop/web spec.rules[0].http.paths[0]", forward("shop/search:80"), host("shop.example.com"),
                paths("/search", "/search/*")),
            rule(BASE_STACK, 80, 2, "shop/web spec.rules[0].http.paths[1]", forward("shop/cart:80"), host("shop.example.com"),
                paths("/cart", "/cart/*"))))
        .copy("/targetGroups/0", "/targetGroups/1");
    ipTargetGroup(p, 0, "search", "k8s-shop-search-10911291ce", "9200", 9200);
    ipTargetGroup(p, 1, "cart", "k8s-shop-cart-89da8cb519", "http", 80);
    check(g, FACTS, p);
  }

  // ---- subnets ----

  @Test
  void internalSchemeDiscoversInternalSubnets() {
    IngressGroup g = group(ingress("web", Map.of(), BASE_SPEC));
    check(g, FACTS, patch()
        .replace("/loadBalancer/scheme", "'internal'")
        .replace("/loadBalancer/name", "'k8s-shop-web-ffb4a5f1ff'")
        .replace("/loadBalancer/subnetIds", list(q(PRIVATE_A), q(PRIVATE_B), q(PRIVATE_C))));
  }

  @Test
  void tooFewAvailabilityZonesIsAnErrorForEveryMember() {
    ClusterFacts facts = withSubnets(List.of(
        subnet(PUBLIC_A, "us-west-2a", "public-a", Map.of(Subnet.ROLE_ELB, "1")),
        subnet(OTHER_CLUSTER_A.replace("a1", "b1"), "us-west-2b", "staging-b",
            Map.of(Subnet.ROLE_ELB, "1", Subnet.CLUSTER_TAG_PREFIX + "staging", "owned")),
        subnet(PRIVATE_B, "us-west-2b", "private-b", Map.of(Subnet.ROLE_INTERNAL_ELB, "1"))));
    check(base(), facts, empty(patch()).add("/errors/-", "{'ingress': 'shop/web', 'problems': ['subnet discovery found 1 Availability"
        + " Zone(s) with subnets tagged kubernetes.io/role/elb (and not tagged for another cluster); an ALB needs at least 2."
        + " Tag subnets, or set alb.ingress.kubernetes.io/subnets']}"));
  }

  @Test
  void explicitSubnetsByNameResolveToIds() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "subnets", "public-a, private-b, " + PRIVATE_C), BASE_SPEC));
    check(g, FACTS, patch().replace("/loadBalancer/subnetIds", list(q(PUBLIC_A), q(PRIVATE_B), q(PRIVATE_C))));
  }

  // ---- names and tags ----

  @Test
  void defaultTagsWinOverUserTagsAndOwnershipTagsWinOverBoth() {
    ClusterFacts facts = new ClusterFacts(FACTS.clusterName(), FACTS.region(), FACTS.vpcId(), FACTS.subnets(), FACTS.certificates(),
        Map.of("team", "platform", "cost-center", "42"));
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "tags", "team=shop, env=prod, elbv2.k8s.aws/cluster=spoofed"),
        BASE_SPEC));
    Patch p = patch();
    for (String resource : List.of("/loadBalancer", "/listeners/0", "/rules/0", "/targetGroups/0")) {
      p.add(resource + "/tags/team", "'platform'").add(resource + "/tags/cost-center", "'42'").add(resource + "/tags/env", "'prod'");
    }
    check(g, facts, p);
  }

  @Test
  void longNamesAreClippedTo32Characters() {
    String service = """
        apiVersion: v1
        kind: Service
        metadata: {name: storefront-catalog-service, namespace: payments-production-eu}
        spec:
          type: NodePort
          ports:
            - {name: http, port: 80, targetPort: 8080, nodePort: 30100}
        """;
    String stack = "payments-production-eu/checkout-frontend-service-v2";
    String tgId = "payments-production-eu/storefront-catalog-service:80";
    IngressGroup g = group(service, ingress("payments-production-eu", "checkout-frontend-service-v2", a("scheme", "internet-facing"),
        BASE_SPEC.replace("name: web", "name: storefront-catalog-service")));
    check(g, FACTS, retag(patch(), stack)
        .replace("/id", "{'namespace': 'payments-production-eu', 'name': 'checkout-frontend-service-v2'}")
        .replace("/members", list(q(stack)))
        .replace("/loadBalancer/name", "'k8s-payments-checkout-44a6f12d6e'")
        .replace("/rules/0/source", q(stack + " spec.rules[0].http.paths[0]"))
        .replace("/rules/0/action", forward(tgId))
        .replace("/targetGroups/0/resourceId", q(tgId))
        .replace("/targetGroups/0/name", "'k8s-payments-storefro-c9a16d949f'")
        .replace("/targetGroups/0/service", "{'namespace': 'payments-production-eu', 'name': 'storefront-catalog-service', 'port': '80',"
            + " 'servicePort': 80, 'targetPort': '8080', 'nodePort': 30100}")
        .replace("/targetGroups/0/port", "30100")
        .replace("/targetGroups/0/tags/ingress.k8s.aws~1resource", q(tgId)));
  }

  @Test
  void longGroupNameIsClippedTo17Characters() {
    String longGroup = "very-long-group-name-for-storefront";
    IngressGroup g = group(ingress("web", a("group.name", longGroup, "scheme", "internet-facing"), BASE_SPEC));
    check(g, FACTS, retag(patch(), longGroup)
        .replace("/id", "{'namespace': '', 'name': '" + longGroup + "'}")
        .replace("/loadBalancer/name", "'k8s-verylonggroupname-77bb550bb6'")
        .replace("/targetGroups/0/name", "'k8s-shop-web-1778805d3e'"));
  }

  @Test
  void loadBalancerNameAnnotation() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "load-balancer-name", "shop-public"), BASE_SPEC));
    check(g, FACTS, patch().replace("/loadBalancer/name", "'shop-public'"));
  }

  @Test
  void offlineFactsLeavePlaceholdersForDiscovery() {
    ClusterFacts offline = new ClusterFacts("prod", "us-west-2", "", Known.unknown("offline"), Known.unknown("offline"), Map.of());
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]"),
        "tls:\n  - hosts: [shop.example.com]\n" + BASE_SPEC));
    check(g, offline, patch()
        .replace("/loadBalancer/subnetIds", "['<discovered: kubernetes.io/role/elb>']")
        .add("/listeners/-", listener(BASE_STACK, "HTTPS", 443, NOT_FOUND, List.of("<discovered for shop.example.com>"), DEFAULT_POLICY))
        .add("/rules/-", rule(BASE_STACK, 443, 1, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"),
            host("shop.example.com"), paths("/*"))));
  }

  // ---- routing parity with the reference controller ----

  /** The reference's documented `actions.ssl-redirect` on an Ingress listening on HTTP and HTTPS. */
  private static final String SSL_REDIRECT_SPEC = """
      rules:
        - host: shop.example.com
          http:
            paths:
              - {path: /*, pathType: ImplementationSpecific, backend: {service: {name: ssl-redirect, port: {name: use-annotation}}}}
              - {path: /users/*, pathType: ImplementationSpecific, backend: %s}
      """.formatted(WEB);
  private static final String REDIRECT_TO_HTTPS = "{'type': 'redirect', 'statusCode': 'HTTP_301', 'protocol': 'HTTPS', 'port': '443',"
      + " 'host': '#{host}', 'path': '/#{path}', 'query': '#{query}'}";

  @Test
  void ruleOptimizerDropsTheRedirectLoopAndRulesShadowedByARedirect() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]",
        "certificate-arn", CERT_SHOP, "actions.ssl-redirect",
        "{\"type\": \"redirect\", \"redirectConfig\": {\"protocol\": \"HTTPS\", \"port\": \"443\", \"statusCode\": \"HTTP_301\"}}"),
        SSL_REDIRECT_SPEC));
    // HTTP:80 keeps the redirect and drops /users/*, which it shadows; HTTPS:443 drops the redirect to itself
    check(g, FACTS, patch()
        .add("/listeners/-", listener(BASE_STACK, "HTTPS", 443, NOT_FOUND, List.of(CERT_SHOP), DEFAULT_POLICY))
        .replace("/rules", list(
            rule(BASE_STACK, 80, 1, "shop/web spec.rules[0].http.paths[0]", REDIRECT_TO_HTTPS, host("shop.example.com"), paths("/*")),
            rule(BASE_STACK, 443, 1, "shop/web spec.rules[0].http.paths[1]", forward("shop/web:80"), host("shop.example.com"),
                paths("/users/*")))));
  }

  @Test
  void wildcardInAPrefixPathLeavesTheMemberOut() {
    IngressGroup g = group(
        ingress("good", a("group.name", GROUP, "scheme", "internet-facing"), BASE_SPEC),
        ingress("globbing", a("group.name", GROUP, "group.order", "1"), """
            rules:
              - http:
                  paths:
                    - {path: /static/*, pathType: Prefix, backend: %s}
            """.formatted(WEB)));
    check(g, FACTS, asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/good")
        .add("/errors/-", "{'ingress': 'shop/globbing', 'problems': ['~spec.rules[0].http.paths[0].path: \"/static/*\" is of pathType Prefix, and prefix paths']}"));
  }

  @Test
  void aSecondDefaultBackendOnTheSameListenerLeavesThatMemberOut() {
    IngressGroup g = group(
        ingress("good", a("group.name", GROUP, "scheme", "internet-facing"), "defaultBackend: " + WEB + "\n" + BASE_SPEC),
        ingress("second", a("group.name", GROUP, "group.order", "1"), "defaultBackend: " + API + "\n"));
    check(g, FACTS, asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/good")
        .replace("/listeners/0/defaultAction", forward("shop/web:80"))
        .add("/errors/-", "{'ingress': 'shop/second', 'problems': ['~spec.defaultBackend: Ingress shop/good of group \"shop-front\""
            + " already sets the default backend of listener HTTP:80']}"));
  }

  @Test
  void pascalCaseKeysOfTheReferenceDocumentationMeanTheSame() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]",
        "certificate-arn", CERT_SHOP, "actions.ssl-redirect",
        "{\"Type\": \"redirect\", \"RedirectConfig\": { \"Protocol\": \"HTTPS\", \"Port\": \"443\", \"StatusCode\": \"HTTP_301\"}}"),
        SSL_REDIRECT_SPEC));
    check(g, FACTS, patch()
        .add("/listeners/-", listener(BASE_STACK, "HTTPS", 443, NOT_FOUND, List.of(CERT_SHOP), DEFAULT_POLICY))
        .replace("/rules", list(
            rule(BASE_STACK, 80, 1, "shop/web spec.rules[0].http.paths[0]", REDIRECT_TO_HTTPS, host("shop.example.com"), paths("/*")),
            rule(BASE_STACK, 443, 1, "shop/web spec.rules[0].http.paths[1]", forward("shop/web:80"), host("shop.example.com"),
                paths("/users/*")))));
  }

  @Test
  void pascalCaseWeightsAndStickinessAreKept() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "actions.split",
        "{\"Type\": \"forward\", \"ForwardConfig\": {\"TargetGroups\": [{\"ServiceName\": \"web\", \"ServicePort\": \"80\", \"Weight\": 80},"
            + " {\"ServiceName\": \"api\", \"ServicePort\": \"8080\", \"Weight\": 20}],"
            + " \"TargetGroupStickinessConfig\": {\"Enabled\": true, \"DurationSeconds\": 300}}}"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: split, port: {name: use-annotation}}}}
        """));
    check(g, FACTS, apiTargetGroup(patch().replace("/rules/0/action", "{'type': 'forward', 'stickinessSeconds': 300, 'targets': ["
        + "{'targetGroup': {'$ref': 'TargetGroup/shop/web:80'}, 'targetGroupArn': null, 'weight': 80},"
        + "{'targetGroup': {'$ref': 'TargetGroup/shop/api:8080'}, 'targetGroupArn': null, 'weight': 20}]}"), 1, "k8s-shop-api-c94020165b"));
  }

  @Test
  void forwardToSeveralTargetGroupsWithoutWeightsLeavesTheMemberOut() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "actions.split",
        "{\"type\": \"forward\", \"forwardConfig\": {\"targetGroups\": [{\"serviceName\": \"web\", \"servicePort\": \"80\"},"
            + " {\"serviceName\": \"api\", \"servicePort\": \"8080\"}]}}"), """
        rules:
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: split, port: {name: use-annotation}}}}
        """));
    check(g, FACTS, empty(patch()).add("/errors/-", "{'ingress': 'shop/web', 'problems': ["
        + "'~alb.ingress.kubernetes.io/actions.split: \"{\\\"serviceName\\\":\\\"web\\\",\\\"servicePort\\\":\\\"80\\\"}\" is not valid: expected a weight',"
        + "'~alb.ingress.kubernetes.io/actions.split: \"{\\\"serviceName\\\":\\\"api\\\"']}"));
  }

  @Test
  void regexPathsRegexConditionsAndTransforms() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "use-regex-path-match", "true",
        "conditions.web", "[{\"field\": \"http-header\", \"httpHeaderConfig\": {\"httpHeaderName\": \"User-Agent\","
            + " \"regexValues\": [\".+Mobile.+\"]}}]",
        "transforms.web", "[{\"type\": \"url-rewrite\", \"urlRewriteConfig\": {\"rewrites\": [{\"regex\": \"^/api/(.*)$\", \"replace\": \"/$1\"}]}}]"),
        """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: "/api/v[0-9]+/.*", pathType: ImplementationSpecific, backend: %s}
        """.formatted(WEB)));
    // the regex path loses its leading / (Kubernetes requires it, a regex does not)
    check(g, FACTS, patch()
        .replace("/rules/0/conditions/1", "{'field': 'path-pattern', 'httpHeaderName': null, 'values': [], 'regexValues': ['api/v[0-9]+/.*']}")
        .add("/rules/0/conditions/-", "{'field': 'http-header', 'httpHeaderName': 'User-Agent', 'values': [], 'regexValues': ['.+Mobile.+']}")
        .add("/rules/0/transforms", "[{'type': 'url-rewrite', 'rewrites': [{'regex': '^/api/(.*)$', 'replace': '/$1'}]}]"));
  }

  @Test
  void forwardByTargetGroupNameIsResolvedAtDeploy() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "actions.legacy",
        "{\"type\": \"forward\", \"targetGroupName\": \"legacy-tg\"}"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: legacy, port: {name: use-annotation}}}}
        """));
    check(g, FACTS, patch()
        .replace("/rules/0/action", "{'type': 'forward', 'stickinessSeconds': null, 'targets': [{'targetGroup': null,"
            + " 'targetGroupArn': null, 'targetGroupName': 'legacy-tg', 'weight': 1}]}")
        .replace("/targetGroups", "[]"));
  }

  @Test
  void tlsWithoutCertificateArnKeepsTheDefaultHttpListener() {
    // as in the reference, only certificate-arn switches the default listener to HTTPS:443
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing"), "tls:\n  - hosts: [shop.example.com]\n" + BASE_SPEC));
    check(g, FACTS, patch());
  }

  @Test
  void sslPolicyIsPerListenPort() {
    IngressGroup g = group(
        ingress("first", a("group.name", GROUP, "scheme", "internet-facing", "certificate-arn", CERT_SHOP), BASE_SPEC),
        ingress("second", a("group.name", GROUP, "group.order", "1", "certificate-arn", CERT_SHOP,
            "listen-ports", "[{\"HTTPS\": 8443}]", "ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"), BASE_SPEC));
    check(g, FACTS, asGroup(httpsOnly(patch(), List.of(CERT_SHOP), DEFAULT_POLICY), "k8s-shopfront-02df2d7f37",
        "k8s-shop-web-7bb062a049", "shop/first", "shop/second")
        .add("/listeners/-", listener(GROUP, "HTTPS", 8443, NOT_FOUND, List.of(CERT_SHOP), "ELBSecurityPolicy-TLS13-1-2-2021-06"))
        .add("/rules/-", rule(GROUP, 8443, 1, "shop/second spec.rules[0].http.paths[0]", forward("shop/web:80"), host("shop.example.com"),
            paths("/*"))));
  }

  @Test
  void groupOrderTiesAreBrokenByTheStringNamespaceSlashName() {
    String euWeb = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop-eu}
        spec:
          type: NodePort
          ports:
            - {name: http, port: 80, targetPort: 8080, nodePort: 30090}
        """;
    IngressGroup g = group(euWeb,
        ingress("shop", "web", a("group.name", GROUP, "scheme", "internet-facing"), BASE_SPEC),
        ingress("shop-eu", "web", a("group.name", GROUP), BASE_SPEC));
    // "shop-eu/web" < "shop/web" as strings ('-' sorts before '/'), though namespace "shop" < "shop-eu"
    check(g, FACTS, asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop-eu/web", "shop/web")
        .replace("/rules/0/source", q("shop-eu/web spec.rules[0].http.paths[0]"))
        .replace("/rules/0/action", forward("shop-eu/web:80"))
        .add("/rules/-", rule(GROUP, 80, 2, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"), host("shop.example.com"),
            paths("/*")))
        .copy("/targetGroups/0", "/targetGroups/0")
        .replace("/targetGroups/0/resourceId", q("shop-eu/web:80"))
        .replace("/targetGroups/0/name", q("k8s-shopeu-web-3149156591"))
        .replace("/targetGroups/0/port", "30090")
        .replace("/targetGroups/0/service/namespace", q("shop-eu"))
        .replace("/targetGroups/0/service/nodePort", "30090")
        .replace("/targetGroups/0/tags/ingress.k8s.aws~1resource", q("shop-eu/web:80")));
  }

  @Test
  void namedHealthCheckPortIsResolvedToTheNodePort() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "healthcheck-port", "http"), BASE_SPEC));
    check(g, FACTS, patch().replace("/targetGroups/0/healthCheck/port", q("30080")));
  }

  @Test
  void namedHealthCheckPortIsResolvedToTheNumericTargetPortInIpMode() {
    IngressGroup g = group(ingress("web", a("scheme", "internet-facing", "target-type", "ip", "healthcheck-port", "http"), BASE_SPEC));
    check(g, FACTS, patch().replace("/targetGroups/0/healthCheck/port", q("8080"))
        .replace("/targetGroups/0/targetType", "'ip'").replace("/targetGroups/0/port", "8080")
        .replace("/targetGroups/0/name", q("k8s-shop-web-fc3ce90240")));
  }

  @Test
  void aServicesTagsWinOverItsIngressesOnItsTargetGroup() {
    String catalog = """
        apiVersion: v1
        kind: Service
        metadata:
          name: catalog
          namespace: shop
          annotations: {alb.ingress.kubernetes.io/tags: "env=staging, owner=catalog"}
        spec:
          type: NodePort
          ports:
            - {name: http, port: 80, targetPort: 8080, nodePort: 30095}
        """;
    Stack stack = StackFixtures.build(group(catalog, ingress("web", a("scheme", "internet-facing", "tags", "env=prod, team=shop"), """
        rules:
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: catalog, port: {number: 80}}}}
        """)), FACTS);
    assertThat(stack.targetGroups().get(0).tags()).containsEntry("env", "staging").containsEntry("owner", "catalog")
        .containsEntry("team", "shop");
    assertThat(stack.loadBalancer().tags()).containsEntry("env", "prod").doesNotContainKey("owner");
  }

  @Test
  void rulesCarryTheirIngressTagsAndTargetGroupsTheServicesToo() {
    String catalog = """
        apiVersion: v1
        kind: Service
        metadata:
          name: catalog
          namespace: shop
          annotations: {alb.ingress.kubernetes.io/tags: owner=catalog}
        spec:
          type: NodePort
          ports:
            - {name: http, port: 80, targetPort: 8080, nodePort: 30095}
        """;
    IngressGroup g = group(catalog,
        ingress("first", a("group.name", GROUP, "scheme", "internet-facing", "tags", "team=a"), BASE_SPEC),
        ingress("second", a("group.name", GROUP, "group.order", "1", "tags", "env=prod"), """
            rules:
              - host: catalog.example.com
                http:
                  paths:
                    - {path: /, pathType: Prefix, backend: {service: {name: catalog, port: {number: 80}}}}
            """));
    Patch p = asGroup(patch(), "k8s-shopfront-02df2d7f37", "k8s-shop-web-7bb062a049", "shop/first", "shop/second")
        .add("/rules/-", rule(GROUP, 80, 2, "shop/second spec.rules[0].http.paths[0]", forward("shop/catalog:80"),
            host("catalog.example.com"), paths("/*")))
        .copy("/targetGroups/0", "/targetGroups/1")
        .replace("/targetGroups/1/resourceId", q("shop/catalog:80"))
        .replace("/targetGroups/1/name", q("k8s-shop-catalog-a4804fa785"))
        .replace("/targetGroups/1/port", "30095")
        .replace("/targetGroups/1/service/name", q("catalog"))
        .replace("/targetGroups/1/service/nodePort", "30095")
        .replace("/targetGroups/1/tags/ingress.k8s.aws~1resource", q("shop/catalog:80"));
    // the load balancer and listener carry the group's tags; each rule and target group only its own Ingress's (and Service's)
    for (String shared : List.of("/loadBalancer", "/listeners/0")) {
      p.add(shared + "/tags/team", q("a")).add(shared + "/tags/env", q("prod"));
    }
    p.add("/rules/0/tags/team", q("a")).add("/targetGroups/0/tags/team", q("a"))
        .add("/rules/1/tags/env", q("prod")).add("/targetGroups/1/tags/env", q("prod")).add("/targetGroups/1/tags/owner", q("catalog"));
    check(g, FACTS, p);
  }

  @Test
  void ipModeTargetGroupOfAnIpv6ServiceIsIpv6() {
    String web6 = """
        apiVersion: v1
        kind: Service
        metadata: {name: web6, namespace: shop}
        spec:
          ipFamilies: [IPv6]
          ports:
            - {name: http, port: 80, targetPort: 8080}
        """;
    IngressGroup g = group(web6, ingress("web", a("scheme", "internet-facing", "target-type", "ip", "ip-address-type", "dualstack"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: web6, port: {number: 80}}}}
        """));
    check(g, FACTS, ipTargetGroup(patch(), 0, "web6", "k8s-shop-web6-6f8feb3042", "8080", 8080)
        .replace("/loadBalancer/ipAddressType", "'dualstack'")
        .replace("/rules/0/action", forward("shop/web6:80"))
        .add("/targetGroups/0/ipAddressType", "'ipv6'"));
  }

  // ---- helpers ----

  private static final String NOT_FOUND = "{'type': 'fixed-response', 'statusCode': '404', 'contentType': 'text/plain', 'messageBody': null}";
  private static final String DEFAULT_POLICY = StackBuilder.DEFAULT_SSL_POLICY;

  private static void check(IngressGroup group, ClusterFacts facts, Patch patch) {
    JsonNode expected = patch.applyTo(BASE);
    GoldenJson.assertMatches(expected, GoldenJson.tree(StackFixtures.build(group, facts)));
  }

  private static IngressGroup base() {
    return group(ingress("web", a("scheme", "internet-facing"), BASE_SPEC));
  }

  private static Patch patch() {
    return new Patch();
  }

  /** The base stack's only listener becomes HTTPS:443. */
  private static Patch httpsOnly(Patch p, List<String> certificates, String policy) {
    return p.replace("/listeners/0", listener(BASE_STACK, "HTTPS", 443, NOT_FOUND, certificates, policy))
        .replace("/rules/0", rule(BASE_STACK, 443, 1, "shop/web spec.rules[0].http.paths[0]", forward("shop/web:80"),
            host("shop.example.com"), paths("/*")));
  }

  /** No member is left: nothing is built. */
  private static Patch empty(Patch p) {
    return p.replace("/members", "[]").replace("/loadBalancer", "null").replace("/listeners", "[]").replace("/rules", "[]")
        .replace("/targetGroups", "[]");
  }

  /** The base stack as group shop-front: its id, members, names, stack tags; rules keep their sources renamed. */
  private static Patch asGroup(Patch p, String lbName, String webTgName, String... members) {
    retag(p, GROUP)
        .replace("/id", "{'namespace': '', 'name': '" + GROUP + "'}")
        .replace("/members", list(Arrays.stream(members).map(StackBuilderGoldenTest::q).toArray(String[]::new)))
        .replace("/loadBalancer/name", q(lbName))
        .replace("/targetGroups/0/name", q(webTgName));
    return p.replace("/rules/0/source", q(members[0] + " spec.rules[0].http.paths[0]"));
  }

  /** Sets the ingress.k8s.aws/stack tag of the base stack's resources. */
  private static Patch retag(Patch p, String stack) {
    for (String resource : List.of("/loadBalancer", "/listeners/0", "/rules/0", "/targetGroups/0")) {
      p.replace(resource + "/tags/ingress.k8s.aws~1stack", q(stack));
    }
    return p;
  }

  /** Adds Service api's target group (instance mode, NodePort 30081, health check path from its annotation) at {@code index}. */
  private static Patch apiTargetGroup(Patch p, int index, String name) {
    String at = "/targetGroups/" + index;
    if (index > 0) {
      p.copy("/targetGroups/0", at);
    }
    return p.replace(at + "/resourceId", "'shop/api:8080'")
        .replace(at + "/name", q(name))
        .replace(at + "/service", "{'namespace': 'shop', 'name': 'api', 'port': '8080', 'servicePort': 8080, 'targetPort': '8081', 'nodePort': 30081}")
        .replace(at + "/port", "30081")
        .replace(at + "/healthCheck/path", "'/healthz'")
        .replace(at + "/tags/ingress.k8s.aws~1resource", "'shop/api:8080'");
  }

  private static Patch ipTargetGroup(Patch p, int index, String service, String name, String targetPort, int port) {
    String at = "/targetGroups/" + index;
    String id = "shop/" + service + ":80";
    return p.replace(at + "/resourceId", q(id))
        .replace(at + "/name", q(name))
        .replace(at + "/service", "{'namespace': 'shop', 'name': '" + service + "', 'port': '80', 'servicePort': 80, 'targetPort': '"
            + targetPort + "', 'nodePort': 0}")
        .replace(at + "/targetType", "'ip'")
        .replace(at + "/port", String.valueOf(port))
        .replace(at + "/tags/ingress.k8s.aws~1resource", q(id));
  }

  private static String rule(String stack, int port, int priority, String source, String action, String... conditions) {
    String id = port + ":" + priority;
    return "{'resourceId': '" + id + "', 'listener': {'$ref': 'Listener/" + port + "'}, 'priority': " + priority
        + ", 'conditions': " + list(conditions) + ", 'action': " + action + ", 'source': " + q(source) + ", 'tags': " + tags(stack, port + ":rule") + "}";
  }

  private static String listener(String stack, String protocol, int port, String defaultAction, List<String> certificates, String policy) {
    return "{'resourceId': '" + port + "', 'loadBalancer': {'$ref': 'LoadBalancer/LoadBalancer'}, 'protocol': '" + protocol
        + "', 'port': " + port + ", 'defaultAction': " + defaultAction + ", 'certificateArns': "
        + list(certificates.stream().map(StackBuilderGoldenTest::q).toArray(String[]::new))
        + ", 'sslPolicy': " + (policy == null ? "null" : q(policy)) + ", 'tags': " + tags(stack, String.valueOf(port)) + "}";
  }

  private static String tags(String stack, String resource) {
    return "{'elbv2.k8s.aws/cluster': 'prod', 'ingress.k8s.aws/stack': " + q(stack) + ", 'ingress.k8s.aws/resource': " + q(resource) + "}";
  }

  private static String forward(String targetGroupId) {
    return "{'type': 'forward', 'stickinessSeconds': null, 'targets': [{'targetGroup': {'$ref': 'TargetGroup/" + targetGroupId
        + "'}, 'targetGroupArn': null, 'weight': 1}]}";
  }

  private static String host(String... values) {
    return "{'field': 'host-header', 'httpHeaderName': null, 'values': " + list(Arrays.stream(values).map(StackBuilderGoldenTest::q)
        .toArray(String[]::new)) + "}";
  }

  private static String paths(String... values) {
    return "{'field': 'path-pattern', 'httpHeaderName': null, 'values': " + list(Arrays.stream(values).map(StackBuilderGoldenTest::q)
        .toArray(String[]::new)) + "}";
  }

  private static String list(String... jsonItems) {
    return Arrays.stream(jsonItems).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String q(String s) {
    return "'" + s + "'";
  }

  private static ClusterFacts withSubnets(List<Subnet> subnets) {
    return new ClusterFacts(FACTS.clusterName(), FACTS.region(), FACTS.vpcId(), Known.of(subnets), FACTS.certificates(), FACTS.defaultTags());
  }

}
