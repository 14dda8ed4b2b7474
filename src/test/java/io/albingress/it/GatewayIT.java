package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.Meters;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.StrictAws;
import io.albingress.testing.TestCerts;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * Gateway API end to end on kube-apiserver and moto behind the strict ELBv2 layer: GatewayClass -> Gateway -> HTTPRoute becomes an
 * ALB with its rules in precedence order, status says so, and deleting the Gateway leaves nothing.
 */
@ExtendWith(TestEnvironment.class)
class GatewayIT {
  /** Every Gateway test talks to AWS through the strict ELBv2 layer, as a real account would answer. */
  private StrictAws strict;

  @BeforeEach
  void strictAws(Env env) throws Exception {
    strict = StrictAws.start(env, 21);
  }

  @AfterEach
  void closeStrictAws() {
    strict.close();
  }

  @Test
  void classGatewayRouteToRulesInOrderStatusAndCleanDeletion(Env env, TestNamespace ns) throws Exception {
    try (StartedGateway s = StartedGateway.start(env, ns, "alb-")) {
      String n = s.namespace();
      String cls = s.gatewayClass();
      ControllerApp app = s.app();
      MotoElbv2 moto = s.moto();
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec:
            gatewayClassName: %2$s
            listeners: [{name: http, port: 80, protocol: HTTP}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop, namespace: %1$s}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /}}]
              backendRefs: [{name: web, port: 80}]
            - matches: [{path: {type: Exact, value: /api}}]
              backendRefs: [{name: api, port: 8080, weight: 3}, {name: web, port: 80, weight: 1}]
            - matches: [{path: {type: PathPrefix, value: /gone}}]
              backendRefs: [{name: missing, port: 80}]
          """.formatted(n, cls));

      s.awaitAddress();
      LoadBalancer lb = ours(moto, n).get(0);
      assertThat(ours(moto, n)).hasSize(1);
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.addresses[0].value}")).isEqualTo(lb.dnsName());
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.conditions[?(@.type==\"Programmed\")].status}")).isEqualTo("True");
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.listeners[0].attachedRoutes}")).isEqualTo("1");
      assertThat(jsonpath(env, n, "gateway", "gw", "{.metadata.finalizers}")).contains("gateway.k8s.aws/alb");
      assertThat(env.kubectl(null, "get", "gatewayclass", cls, "-o", "jsonpath={.status.conditions[?(@.type==\"Accepted\")].status}")
          .stdout()).isEqualTo("True");
      assertThat(jsonpath(env, n, "httproute", "shop", "{.status.parents[0].controllerName}")).isEqualTo("gateway.k8s.aws/alb");
      assertThat(jsonpath(env, n, "httproute", "shop", "{.status.parents[0].conditions[?(@.type==\"Accepted\")].status}")).isEqualTo("True");
      assertThat(jsonpath(env, n, "httproute", "shop", "{.status.parents[0].conditions[?(@.type==\"ResolvedRefs\")].reason}"))
          .isEqualTo("BackendNotFound");

      // status writes come back as events: they settle, no run after run
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(app::reconcilerIdle);
      long runs = Meters.count(app.registry(), "alb_reconciles_total", "result", "success");
      Thread.sleep(3000);
      assertThat(Meters.count(app.registry(), "alb_reconciles_total", "result", "success")).as("reconciles after settling").isEqualTo(runs);
      assertThat(Meters.count(app.registry(), "alb_reconciles_total", "result", "error")).isZero();

      var listeners = moto.listeners(lb.loadBalancerArn());
      assertThat(listeners).singleElement().satisfies(l -> assertThat(l.port()).isEqualTo(80));
      List<Rule> rules = moto.rules(listeners.get(0).listenerArn()).stream().filter(r -> !r.isDefault())
          .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.priority()))).toList();
      assertThat(rules).extracting(r -> r.conditions().get(0).pathPatternConfig().values()).containsExactly(
          List.of("/api"), List.of("/gone", "/gone/*"), List.of("/*"));
      assertThat(rules.get(0).actions().get(0).forwardConfig().targetGroups()).hasSize(2);
      assertThat(rules.get(1).actions().get(0).fixedResponseConfig().statusCode()).isEqualTo("500");
      assertThat(moto.tags(lb.loadBalancerArn())).containsEntry("gateway.k8s.aws.alb/stack", n + "/gw")
          .containsEntry("gateway.k8s.aws.alb/resource", "LoadBalancer").doesNotContainKey("ingress.k8s.aws/stack");

      // deleting the Gateway deletes everything, then its finalizer goes
      s.deleteGatewayAndExpectNoAlb();
      assertThat(moto.targetGroups()).noneMatch(tg -> (n + "/gw").equals(moto.tags(tg.targetGroupArn()).get("gateway.k8s.aws.alb/stack")));
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> env.kubectl(null, "get",
          "gatewayclass", cls, "-o", "jsonpath={.metadata.finalizers}").stdout().isBlank());
    }
  }

  /**
   * An HTTPRoute and a GRPCRoute on one HTTPS listener (certificate discovered in ACM by the listener
   * hostname): one precedence ordering for both kinds, gRPC methods as path patterns, the HTTP matches
   * that differ only in method in one rule, the gRPC target groups with protocol version GRPC and the gRPC
   * health check, the GRPCRoute's status; deleting the Gateway leaves nothing.
   */
  @Test
  void aGrpcRouteSharesTheHttpsListenerInOneOrderWithGrpcTargetGroups(Env env, TestNamespace ns) throws Exception {
    try (StartedGateway s = StartedGateway.start(env, ns, "alb-grpc-")) {
      String n = s.namespace();
      String cls = s.gatewayClass();
      MotoElbv2 moto = s.moto();
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec:
            gatewayClassName: %2$s
            listeners: [{name: https, port: 443, protocol: HTTPS, hostname: grpc.example.test}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop, namespace: %1$s}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /}}]
              backendRefs: [{name: web, port: 80}]
            - matches:
              - {path: {type: PathPrefix, value: /items}, method: GET}
              - {path: {type: PathPrefix, value: /items}, method: POST}
              backendRefs: [{name: web, port: 80}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: GRPCRoute
          metadata: {name: cart, namespace: %1$s}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{method: {service: shop.Cart, method: Add}}]
              backendRefs: [{name: api, port: 8080}]
            - matches: [{method: {service: shop.Orders}}]
              backendRefs: [{name: web, port: 80}]
          """.formatted(n, cls));

      s.awaitAddress();
      s.awaitStatus("grpcroute", "cart", "{.status.parents[0].conditions[?(@.type==\"Accepted\")].status}", "True", Duration.ofSeconds(30));
      assertThat(jsonpath(env, n, "grpcroute", "cart", "{.status.parents[0].controllerName}")).isEqualTo("gateway.k8s.aws/alb");
      assertThat(jsonpath(env, n, "grpcroute", "cart", "{.status.parents[0].conditions[?(@.type==\"ResolvedRefs\")].status}"))
          .isEqualTo("True");
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.listeners[0].attachedRoutes}")).isEqualTo("2");
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.listeners[0].supportedKinds[*].kind}")).isEqualTo("HTTPRoute GRPCRoute");

      LoadBalancer lb = ours(moto, n).get(0);
      var listeners = moto.listeners(lb.loadBalancerArn());
      assertThat(listeners).singleElement().satisfies(l -> assertThat(l.port()).isEqualTo(443));
      List<Rule> rules = moto.rules(listeners.get(0).listenerArn()).stream().filter(r -> !r.isDefault())
          .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.priority()))).toList();
      // gRPC Exact methods first (longer service first), then the HTTP prefixes, longer first
      assertThat(rules).extracting(r -> r.conditions().stream().filter(c -> c.field().equals("path-pattern")).findFirst().orElseThrow()
          .pathPatternConfig().values()).containsExactly(List.of("/shop.Orders/*"), List.of("/shop.Cart/Add"), List.of("/items", "/items/*"),
          List.of("/*"));
      assertThat(rules.get(2).conditions()).anySatisfy(c -> {
        assertThat(c.field()).isEqualTo("http-request-method");
        assertThat(c.httpRequestMethodConfig().values()).containsExactly("GET", "POST");
      });
      assertThat(rules).allSatisfy(r -> assertThat(r.conditions()).anySatisfy(c -> assertThat(c.field()).isEqualTo("host-header")));

      var grpcGroups = moto.targetGroups().stream().filter(tg -> moto.tags(tg.targetGroupArn()).getOrDefault("gateway.k8s.aws.alb/resource", "")
          .startsWith("GRPCRoute/" + n + "/cart:")).toList();
      assertThat(grpcGroups).hasSize(2).allSatisfy(tg -> {
        assertThat(tg.protocolVersion()).isEqualTo("GRPC");
        assertThat(tg.healthCheckPath()).isEqualTo("/AWS.ALB/healthcheck");
      });
      var httpGroup = moto.targetGroups().stream().filter(tg -> (n + "/shop:" + n + "/web:80").equals(moto.tags(tg.targetGroupArn())
          .get("gateway.k8s.aws.alb/resource"))).toList();
      assertThat(httpGroup).singleElement().satisfies(tg -> assertThat(tg.protocolVersion()).isEqualTo("HTTP1"));

      s.deleteGatewayAndExpectNoAlb();
      assertThat(moto.targetGroups()).noneMatch(tg -> (n + "/gw").equals(moto.tags(tg.targetGroupArn()).get("gateway.k8s.aws.alb/stack")));
      assertThat(jsonpath(env, n, "grpcroute", "cart", "{.status.parents}")).isEmpty();
    }
  }

  /**
   * A LoadBalancerConfiguration (the CRD from deploy/crds) named by the Gateway's infrastructure.parametersRef
   * makes its ALB internet-facing with its tags; a change of the configuration to a field not applied is
   * re-reconciled at once and reported as Accepted=False InvalidParameters, leaving the ALB as it was.
   */
  @Test
  void aLoadBalancerConfigurationMakesTheAlbInternetFacingAndAFieldNotAppliedIsReported(Env env, TestNamespace ns) throws Exception {
    try (StartedGateway s = StartedGateway.start(env, ns, "alb-cfg-")) {
      String n = s.namespace();
      String cls = s.gatewayClass();
      MotoElbv2 moto = s.moto();
      String config = """
          apiVersion: gateway.k8s.aws/v1beta1
          kind: LoadBalancerConfiguration
          metadata: {name: public, namespace: %s}
          spec:
            scheme: internet-facing
            tags: {team: edge}
            loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: "120"}]
          """.formatted(n);
      apply(env, config);
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec:
            gatewayClassName: %2$s
            infrastructure: {parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: public}}
            listeners: [{name: http, port: 80, protocol: HTTP}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop, namespace: %1$s}
          spec:
            parentRefs: [{name: gw}]
            rules: [{backendRefs: [{name: web, port: 80}]}]
          """.formatted(n, cls));
      s.awaitAddress();
      LoadBalancer lb = ours(moto, n).get(0);
      assertThat(lb.schemeAsString()).isEqualTo("internet-facing");
      assertThat(moto.tags(lb.loadBalancerArn())).containsEntry("team", "edge");
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.conditions[?(@.type==\"Accepted\")].status}")).isEqualTo("True");

      apply(env, config + "  enableICMP: true\n");
      s.awaitStatus("gateway", "gw", "{.status.conditions[?(@.type==\"Accepted\")].reason}", "InvalidParameters", Duration.ofSeconds(30));
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.conditions[?(@.type==\"Accepted\")].message}")).contains("spec.enableICMP");
      assertThat(ours(moto, n)).singleElement().satisfies(l -> assertThat(l.loadBalancerArn()).isEqualTo(lb.loadBalancerArn()));

      s.deleteGatewayAndExpectNoAlb();
    }
  }

  /**
   * A TargetGroupConfiguration (CRD from deploy/crds) shapes the target group of its Service's backendRefs, and a change
   * of it is applied at once; the Gateway's LoadBalancerConfiguration names a default TargetGroupConfiguration whose
   * fields apply where the Service's does not say (and a change of it is applied too); a ListenerRuleConfiguration
   * named by a rule's ExtensionRef filter makes that rule answer a fixed response, and its status says Accepted.
   */
  @Test
  void targetGroupAndListenerRuleConfigurationsAreApplied(Env env, TestNamespace ns) throws Exception {
    try (StartedGateway s = StartedGateway.start(env, ns, "alb-tgc-")) {
      String n = s.namespace();
      String cls = s.gatewayClass();
      MotoElbv2 moto = s.moto();
      String tgc = """
          apiVersion: gateway.k8s.aws/v1
          kind: TargetGroupConfiguration
          metadata: {name: web, namespace: %s}
          spec:
            targetReference: {name: web}
            defaultConfiguration:
              healthCheckConfig: {healthCheckPath: /healthz, matcher: {httpCode: "204"}}
              targetGroupAttributes: [{key: deregistration_delay.timeout_seconds, value: "30"}]
              tags: {team: web}
          """.formatted(n);
      apply(env, tgc);
      String defaults = """
          apiVersion: gateway.k8s.aws/v1
          kind: TargetGroupConfiguration
          metadata: {name: defaults, namespace: %1$s}
          spec:
            defaultConfiguration:
              healthCheckConfig: {healthCheckInterval: 20}
              targetGroupAttributes: [{key: slow_start.duration_seconds, value: "30"}]
              tags: {layer: default}
          ---
          apiVersion: gateway.k8s.aws/v1
          kind: LoadBalancerConfiguration
          metadata: {name: lbc, namespace: %1$s}
          spec:
            defaultTargetGroupConfiguration: {name: defaults}
          """.formatted(n);
      apply(env, defaults);
      apply(env, """
          apiVersion: gateway.k8s.aws/v1
          kind: ListenerRuleConfiguration
          metadata: {name: maintenance, namespace: %1$s}
          spec:
            actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 503, contentType: text/plain, messageBody: later}}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec:
            gatewayClassName: %2$s
            infrastructure: {parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: lbc}}
            listeners: [{name: http, port: 80, protocol: HTTP}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop, namespace: %1$s}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /}}]
              backendRefs: [{name: web, port: 80}]
            - matches: [{path: {type: Exact, value: /admin}}]
              filters: [{type: ExtensionRef, extensionRef: {group: gateway.k8s.aws, kind: ListenerRuleConfiguration, name: maintenance}}]
              backendRefs: [{name: api, port: 8080}]
          """.formatted(n, cls));
      s.awaitAddress();
      LoadBalancer lb = ours(moto, n).get(0);
      var tgs = moto.targetGroups().stream().filter(tg -> (n + "/gw").equals(moto.tags(tg.targetGroupArn()).get("gateway.k8s.aws.alb/stack")))
          .toList();
      assertThat(tgs).singleElement().satisfies(tg -> { // api is not forwarded to: its rule answers 503
        assertThat(tg.healthCheckPath()).isEqualTo("/healthz");
        assertThat(tg.matcher().httpCode()).isEqualTo("204");
        assertThat(tg.healthCheckIntervalSeconds()).isEqualTo(15); // the Service's healthCheckConfig is taken whole
        assertThat(moto.tags(tg.targetGroupArn())).containsEntry("team", "web").containsEntry("layer", "default");
        assertThat(moto.targetGroupAttributes(tg.targetGroupArn())).containsEntry("deregistration_delay.timeout_seconds", "30")
            .containsEntry("slow_start.duration_seconds", "30"); // the default's, merged by key
      });
      // the ListenerRuleConfiguration's status, as the reference writes it
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> "true/Accepted/1".equals(
          jsonpath(env, n, "listenerruleconfiguration", "maintenance", "{.status.accepted}/{.status.message}/{.status.observedGeneration}")));
      var listener = moto.listeners(lb.loadBalancerArn()).get(0);
      List<Rule> rules = moto.rules(listener.listenerArn()).stream().filter(r -> !r.isDefault())
          .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.priority()))).toList();
      assertThat(rules.get(0).conditions().get(0).pathPatternConfig().values()).containsExactly("/admin");
      assertThat(rules.get(0).actions().get(0).fixedResponseConfig().statusCode()).isEqualTo("503");
      assertThat(rules.get(0).actions().get(0).fixedResponseConfig().messageBody()).isEqualTo("later");
      // the reference's finalizers on the configurations
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
          jsonpath(env, n, "targetgroupconfiguration", "web", "{.metadata.finalizers}").contains("gateway.k8s.aws/targetgroupconfigurations")
          && jsonpath(env, n, "targetgroupconfiguration", "defaults", "{.metadata.finalizers}").contains("gateway.k8s.aws/targetgroupconfigurations")
          && jsonpath(env, n, "loadbalancerconfiguration", "lbc", "{.metadata.finalizers}").contains("gateway.k8s.aws/loadbalancerconfigurations")
          && jsonpath(env, n, "listenerruleconfiguration", "maintenance", "{.metadata.finalizers}")
              .contains("gateway.k8s.aws/listenerruleconfigurations"));

      // a change of the default configuration re-reconciles the Gateway whose LoadBalancerConfiguration names it
      apply(env, defaults.replace("value: \"30\"", "value: \"60\""));
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> moto.targetGroups().stream()
          .filter(tg -> (n + "/gw").equals(moto.tags(tg.targetGroupArn()).get("gateway.k8s.aws.alb/stack")))
          .anyMatch(tg -> "60".equals(moto.targetGroupAttributes(tg.targetGroupArn()).get("slow_start.duration_seconds"))));

      apply(env, tgc.replace("/healthz", "/ready"));
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> moto.targetGroups().stream()
          .filter(tg -> (n + "/gw").equals(moto.tags(tg.targetGroupArn()).get("gateway.k8s.aws.alb/stack")))
          .anyMatch(tg -> "/ready".equals(tg.healthCheckPath())));

      // deleted while in use, a configuration stays (and keeps applying) until nothing uses it
      assertThat(env.kubectl(null, "delete", "targetgroupconfiguration", "web", "-n", n, "--wait=false").exit()).isZero();
      assertThat(env.kubectl(null, "delete", "listenerruleconfiguration", "maintenance", "-n", n, "--wait=false").exit()).isZero();
      assertThat(env.kubectl(null, "delete", "loadbalancerconfiguration", "lbc", "-n", n, "--wait=false").exit()).isZero();
      Thread.sleep(2000);
      assertThat(jsonpath(env, n, "targetgroupconfiguration", "web", "{.metadata.deletionTimestamp}")).isNotBlank();
      assertThat(jsonpath(env, n, "listenerruleconfiguration", "maintenance", "{.metadata.deletionTimestamp}")).isNotBlank();
      assertThat(jsonpath(env, n, "loadbalancerconfiguration", "lbc", "{.metadata.deletionTimestamp}")).isNotBlank();

      s.deleteGatewayAndExpectNoAlb();
      // no Gateway of ours uses the Service nor the LoadBalancerConfiguration any more; the route still names the rule configuration
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
          env.kubectl(null, "get", "targetgroupconfiguration", "web", "-n", n, "--ignore-not-found", "-o", "name").stdout().isBlank()
          && env.kubectl(null, "get", "loadbalancerconfiguration", "lbc", "-n", n, "--ignore-not-found", "-o", "name").stdout().isBlank());
      assertThat(jsonpath(env, n, "listenerruleconfiguration", "maintenance", "{.metadata.deletionTimestamp}")).isNotBlank();
      assertThat(env.kubectl(null, "delete", "httproute", "shop", "-n", n, "--wait=false").exit()).isZero();
      // an unused one goes at once
      assertThat(env.kubectl(null, "delete", "targetgroupconfiguration", "defaults", "-n", n, "--wait=false").exit()).isZero();
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
          env.kubectl(null, "get", "listenerruleconfiguration", "maintenance", "-n", n, "--ignore-not-found", "-o", "name").stdout().isBlank()
          && env.kubectl(null, "get", "targetgroupconfiguration", "defaults", "-n", n, "--ignore-not-found", "-o", "name").stdout().isBlank());
    }
  }

  /**
   * A Gateway API CRD installed after the controller started is picked up without a restart: here
   * ReferenceGrant's CRD is taken away before the start (so the Gateway informers cannot list) and put
   * back afterwards; the controller then serves a new Gateway.
   */
  @Test
  void crdsThatArriveLaterArePickedUpWithoutARestart(Env env, TestNamespace ns) throws Exception {
    String n = ns.name();
    String cls = "alb-late-" + n;
    String crd = "referencegrants.gateway.networking.k8s.io";
    var saved = env.kubectl(null, "get", "crd", crd, "-o", "json");
    assertThat(saved.exit()).as(saved.stderr()).isZero();
    io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(saved.stdout());
    json.remove("status");
    io.vertx.core.json.JsonObject meta = json.getJsonObject("metadata");
    List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields").forEach(meta::remove);
    ControllerApp app = null;
    try {
      assertThat(env.kubectl(null, "delete", "crd", crd, "--timeout=60s").exit()).isZero();
      app = Controllers.start(env, ns);
      Thread.sleep(2000);
      var restore = env.kubectl(json.encode(), "create", "-f", "-");
      assertThat(restore.exit()).as(restore.stderr()).isZero();
      assertThat(env.kubectl(null, "wait", "--for=condition=Established", "--timeout=60s", "crd/" + crd).exit()).isZero();
      applyClass(env, cls);
      apply(env, ReconcilerIT.services(n));
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec: {gatewayClassName: %2$s, listeners: [{name: http, port: 80, protocol: HTTP}]}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop, namespace: %1$s}
          spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: web, port: 80}]}]}
          """.formatted(n, cls));
      // the informers try again every 30 s
      Awaitility.await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1))
          .until(() -> !jsonpath(env, n, "gateway", "gw", "{.status.addresses[0].value}").isEmpty());
      assertThat(env.kubectl(null, "delete", "gateway", "gw", "-n", n, "--timeout=60s").exit()).isZero();
    } finally {
      if (env.kubectl(null, "get", "crd", crd).exit() != 0) {
        env.kubectl(json.encode(), "create", "-f", "-");
      }
      if (app != null) {
        app.stop();
      }
      env.kubectl(null, "delete", "gatewayclass", cls, "--ignore-not-found", "--wait=false");
    }
  }

  /**
   * A ListenerSet on a Gateway that allows its namespace (allowedListeners Same) adds a listener on 8080 carrying the rule
   * of the route attached to the ListenerSet; the ListenerSet is Accepted and Programmed, the Gateway counts it, the
   * route's status has an entry for the ListenerSet; deleting the ListenerSet removes that ALB listener.
   */
  @Test
  void aListenerSetAddsAListenerWithTheRulesOfItsRoutesAndTakesItAwayWhenDeleted(Env env, TestNamespace ns) throws Exception {
    try (StartedGateway s = StartedGateway.start(env, ns, "alb-")) {
      String n = s.namespace();
      String cls = s.gatewayClass();
      ControllerApp app = s.app();
      MotoElbv2 moto = s.moto();
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec:
            gatewayClassName: %2$s
            allowedListeners: {namespaces: {from: Same}}
            listeners: [{name: http, port: 80, protocol: HTTP}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: main, namespace: %1$s}
          spec:
            parentRefs: [{name: gw}]
            rules: [{backendRefs: [{name: web, port: 80}]}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: ListenerSet
          metadata: {name: extra, namespace: %1$s}
          spec:
            parentRef: {name: gw}
            listeners: [{name: app, port: 8080, protocol: HTTP}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: app, namespace: %1$s}
          spec:
            parentRefs: [{name: extra, kind: ListenerSet, group: gateway.networking.k8s.io, sectionName: app}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /app}}]
              backendRefs: [{name: api, port: 8080}]
          """.formatted(n, cls));

      Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
          .until(() -> ours(moto, n).size() == 1 && moto.listeners(ours(moto, n).get(0).loadBalancerArn()).size() == 2
              // a listener is created before its rules: wait for the rule too
              && moto.listeners(ours(moto, n).get(0).loadBalancerArn()).stream().filter(l -> l.port() == 8080)
                  .anyMatch(l -> moto.rules(l.listenerArn()).stream().anyMatch(r -> !r.isDefault())));
      LoadBalancer lb = ours(moto, n).get(0);
      var on8080 = moto.listeners(lb.loadBalancerArn()).stream().filter(l -> l.port() == 8080).findFirst().orElseThrow();
      List<Rule> rules = moto.rules(on8080.listenerArn()).stream().filter(r -> !r.isDefault()).toList();
      assertThat(rules).singleElement().satisfies(r -> assertThat(r.conditions().get(0).pathPatternConfig().values())
          .containsExactly("/app", "/app/*"));
      var on80 = moto.listeners(lb.loadBalancerArn()).stream().filter(l -> l.port() == 80).findFirst().orElseThrow();
      assertThat(moto.rules(on80.listenerArn()).stream().filter(r -> !r.isDefault()).toList()).singleElement()
          .satisfies(r -> assertThat(r.conditions().get(0).pathPatternConfig().values()).containsExactly("/*"));

      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
          "True".equals(jsonpath(env, n, "listenerset", "extra", "{.status.conditions[?(@.type==\"Programmed\")].status}")));
      assertThat(jsonpath(env, n, "listenerset", "extra", "{.status.conditions[?(@.type==\"Accepted\")].status}")).isEqualTo("True");
      assertThat(jsonpath(env, n, "listenerset", "extra", "{.status.listeners[0].name}")).isEqualTo("app");
      assertThat(jsonpath(env, n, "listenerset", "extra", "{.status.listeners[0].attachedRoutes}")).isEqualTo("1");
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.attachedListenerSets}")).isEqualTo("1");
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.listeners[*].name}")).isEqualTo("http");
      assertThat(jsonpath(env, n, "httproute", "app", "{.status.parents[0].parentRef.kind}")).isEqualTo("ListenerSet");
      assertThat(jsonpath(env, n, "httproute", "app", "{.status.parents[0].conditions[?(@.type==\"Accepted\")].status}")).isEqualTo("True");

      // the ListenerSet goes: its listener goes, the Gateway's stays
      assertThat(env.kubectl(null, "delete", "listenerset", "extra", "-n", n).exit()).isZero();
      Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
          .until(() -> moto.listeners(lb.loadBalancerArn()).size() == 1);
      assertThat(moto.listeners(lb.loadBalancerArn())).singleElement().satisfies(l -> assertThat(l.port()).isEqualTo(80));
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> jsonpath(env, n, "httproute", "app", "{.status.parents}").isEmpty());

      // the Gateway goes: a ListenerSet still naming it no longer says Accepted/Programmed
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: ListenerSet
          metadata: {name: stays, namespace: %1$s}
          spec:
            parentRef: {name: gw}
            listeners: [{name: app, port: 8081, protocol: HTTP}]
          """.formatted(n));
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
          "True".equals(jsonpath(env, n, "listenerset", "stays", "{.status.conditions[?(@.type==\"Accepted\")].status}")));
      s.deleteGatewayAndExpectNoAlb();
      assertThat(jsonpath(env, n, "listenerset", "stays", "{.status.conditions[?(@.type==\"Accepted\")].status}/"
          + "{.status.conditions[?(@.type==\"Accepted\")].reason}/{.status.conditions[?(@.type==\"Programmed\")].reason}"))
          .isEqualTo("False/ParentNotAccepted/ParentNotProgrammed");
      assertThat(jsonpath(env, n, "listenerset", "stays", "{.status.listeners[*].name}")).isEmpty();
    }
  }

  static List<LoadBalancer> ours(MotoElbv2 moto, String ns) {
    return moto.loadBalancers().stream().filter(lb -> (ns + "/gw").equals(moto.tags(lb.loadBalancerArn()).get("gateway.k8s.aws.alb/stack")))
        .toList();
  }

  /**
   * A listener's tls.certificateRefs: the kubernetes.io/tls Secret is imported into ACM, tagged as ours, and the HTTPS
   * listener serves it; a Secret of another namespace without a ReferenceGrant is RefNotPermitted on its listener only;
   * a changed Secret is re-imported into the same ARN; deleting the Gateway deletes the import.
   */
  @Test
  void aListenersCertificateRefIsImportedReimportedOnChangeAndDeletedWithTheGateway(Env env, TestNamespace ns) throws Exception {
    try (StartedGateway s = StartedGateway.start(env, ns, "alb-certs-")) {
      String n = s.namespace();
      String cls = s.gatewayClass();
      MotoElbv2 moto = s.moto();
      apply(env, tlsSecret(n, TestCerts.selfSigned("secure.example.test")));
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec:
            gatewayClassName: %2$s
            listeners:
            - {name: https, port: 443, protocol: HTTPS, hostname: secure.example.test, tls: {certificateRefs: [{name: site}]}}
            - {name: foreign, port: 8443, protocol: HTTPS, hostname: other.example.test, tls: {certificateRefs: [{name: site, namespace: default}]}}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop, namespace: %1$s}
          spec:
            parentRefs: [{name: gw}]
            rules: [{backendRefs: [{name: web, port: 80}]}]
          """.formatted(n, cls));

      s.awaitAddress();
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.listeners[?(@.name==\"foreign\")].conditions[?(@.type==\"ResolvedRefs\")].reason}"))
          .isEqualTo("RefNotPermitted");
      assertThat(jsonpath(env, n, "gateway", "gw", "{.status.listeners[?(@.name==\"https\")].conditions[?(@.type==\"ResolvedRefs\")].status}"))
          .isEqualTo("True");
      LoadBalancer lb = ours(moto, n).get(0);
      var listeners = moto.listeners(lb.loadBalancerArn());
      assertThat(listeners).singleElement().satisfies(l -> assertThat(l.port()).isEqualTo(443));
      String arn = listeners.get(0).certificates().get(0).certificateArn();
      assertThat(moto.certificateTags(arn)).containsEntry("gateway.k8s.aws.alb/secret", n + "/site")
          .containsEntry("gateway.k8s.aws.alb/stack", n + "/gw").containsKey("elbv2.k8s.aws/cluster")
          .containsKey("gateway.k8s.aws.alb/secret-digest");

      TestCerts.Pem renewed = TestCerts.selfSigned("secure.example.test");
      apply(env, tlsSecret(n, renewed));
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> moto.certificateBody(arn).map(b -> b.trim().equals(renewed.certificate().trim())).orElse(false));
      assertThat(moto.listeners(lb.loadBalancerArn()).get(0).certificates().get(0).certificateArn()).as("re-import keeps the ARN").isEqualTo(arn);

      s.deleteGatewayAndExpectNoAlb();
      assertThat(moto.certificateBody(arn)).as("the import is deleted with the Gateway").isEmpty();
    }
  }

  static String tlsSecret(String ns, TestCerts.Pem pem) {
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: site, namespace: %s}
        type: kubernetes.io/tls
        data: {tls.crt: %s, tls.key: %s}
        """.formatted(ns, b64.encodeToString(pem.certificate().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        b64.encodeToString(pem.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  static String jsonpath(Env env, String ns, String kind, String name, String path) {
    return env.kubectl(null, "get", kind, name, "-n", ns, "-o", "jsonpath=" + path).stdout().trim();
  }

  /** Our GatewayClass {@code cls} (controllerName gateway.k8s.aws/alb). */
  static void applyClass(Env env, String cls) {
    apply(env, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: %s}
        spec: {controllerName: gateway.k8s.aws/alb}
        """.formatted(cls));
  }

  static void apply(Env env, String manifest) {
    var r = env.kubectl(manifest, "apply", "-f", "-");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }
}
