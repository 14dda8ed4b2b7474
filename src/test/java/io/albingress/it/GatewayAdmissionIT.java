package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import io.albingress.testing.TestEnvironment.TestNamespace;
import io.albingress.testing.WebhookRegistration;
import java.time.Duration;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Gateway API webhooks registered in a real kube-apiserver (webhook-config/), driven by kubectl:
 * each denial of a Gateway or HTTPRoute of ours, and the same objects of another implementation allowed.
 */
@ExtendWith(TestEnvironment.class)
class GatewayAdmissionIT {
  private static final String ROUTE_DENIED = "admission webhook \"vhttproute.gateway.k8s.aws\" denied the request";
  private static final String GATEWAY_DENIED = "admission webhook \"vgateway.gateway.k8s.aws\" denied the request";

  @Test
  void kubectlApplyDeniesWhatAlbCannotDoOnOurObjectsOnly(Env env, TestNamespace ns) throws Exception {
    String n = ns.name();
    ControllerApp app = Controllers.start(env, ns);
    try {
      Result registered = env.kubectl(WebhookRegistration.manifests(env.repo(), app.webhookPort(), app.webhookCertDir().resolve("tls.crt")),
          "apply", "-f", "-");
      assertThat(registered.exit()).as(registered.stderr()).isZero();
      // our class passes our (failurePolicy Fail) GatewayClass webhook; the other one is never sent to it
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: alb-%1$s}
          spec: {controllerName: gateway.k8s.aws/alb}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: other-%1$s}
          spec: {controllerName: example.com/other}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec:
            gatewayClassName: alb-%1$s
            listeners: [{name: http, port: 80, protocol: HTTP}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: theirs, namespace: %1$s}
          spec:
            gatewayClassName: other-%1$s
            listeners: [{name: http, port: 80, protocol: HTTP}]
          """.formatted(n));

      // a listener protocol ALB cannot serve, on our class only
      Result tcp = applyUntil(env, tcpGateway(n, "tcp", "alb-" + n), r -> r.stderr().contains(GATEWAY_DENIED));
      assertThat(tcp.stderr()).contains("Gateway " + n + "/tcp has 1 problem", "spec.listeners[0].protocol: protocol TCP",
          "use HTTP or HTTPS");
      apply(env, tcpGateway(n, "tcp", "other-" + n));

      // every route-intrinsic problem, named with its field, value and fix
      Result bad = applyUntil(env, badRoute(n, "bad", "gw"), r -> r.stderr().contains(ROUTE_DENIED));
      assertThat(bad.exit()).isNotZero();
      assertThat(bad.stderr()).contains("HTTPRoute " + n + "/bad has 8 problems",
          "spec.rules[0].filters[0].type: RequestHeaderModifier is not supported on ALB; remove the filter",
          "spec.rules[0].filters[1].type: ResponseHeaderModifier", "spec.rules[0].filters[2].type: RequestMirror",
          "spec.rules[0].matches[0].path.value: /a*: a PathPrefix cannot contain the ALB wildcards",
          "spec.rules[0].backendRefs[0].weight: 1000 is over ALB's maximum of 999",
          "spec.rules[0].timeouts: request 10s", "spec.rules[0].retry", "spec.rules[0].sessionPersistence");
      assertThat(env.kubectl(null, "get", "httproute", "bad", "-n", n).exit()).isNotZero();

      Result cors = applyUntil(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: cors, namespace: %s}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - filters:
              - {type: CORS, cors: {allowOrigins: ["https://a.example.com"]}}
              - {type: ExternalAuth, externalAuth: {protocol: HTTP, http: {}, backendRef: {name: auth, port: 80}}}
              backendRefs: [{name: web, port: 80}]
          """.formatted(n), r -> r.stderr().contains(ROUTE_DENIED));
      assertThat(cors.stderr()).contains("spec.rules[0].filters[0].type: CORS", "spec.rules[0].filters[1].type: ExternalAuth");

      // over the ALB rule limit on its own: 2 rules x 51 matches (the CRD allows up to 128 matches)
      Result many = applyUntil(env, manyMatches(n), r -> r.stderr().contains(ROUTE_DENIED));
      assertThat(many.stderr()).contains("spec.rules:", "at least 102 ALB rules", "limit of 100");

      // the same route on another implementation's Gateway, or on a Gateway not created yet: allowed
      apply(env, badRoute(n, "theirs", "theirs"));
      apply(env, badRoute(n, "later", "not-yet"));
      // a good route of ours, with a Service that does not exist: allowed (status reports it)
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: good, namespace: %s}
          spec:
            parentRefs: [{name: gw}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /}}]
              backendRefs: [{name: missing, port: 80}]
          """.formatted(n));
    } finally {
      env.kubectl(null, "delete", "validatingwebhookconfiguration,mutatingwebhookconfiguration", "alb-ingress-controller", "--ignore-not-found");
      // while the controller runs: its finalizers on our Gateway and class are removed
      env.kubectl(null, "delete", "httproute,gateway", "--all", "-n", n, "--timeout=90s");
      env.kubectl(null, "delete", "gatewayclass", "alb-" + n, "other-" + n, "--timeout=30s");
      app.stop();
    }
  }

  static String tcpGateway(String n, String name, String cls) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: %s, namespace: %s}
        spec:
          gatewayClassName: %s
          listeners: [{name: tcp, port: 9000, protocol: TCP}]
        """.formatted(name, n, cls);
  }

  static String badRoute(String n, String name, String parent) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: %s}
        spec:
          parentRefs: [{name: %s}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /a*}}]
            filters:
            - {type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-a, value: "1"}]}}
            - {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [x-b]}}
            - {type: RequestMirror, requestMirror: {backendRef: {name: web, port: 80}}}
            backendRefs: [{name: web, port: 80, weight: 1000}]
            timeouts: {request: 10s}
            retry: {attempts: 2}
            sessionPersistence: {sessionName: s}
        """.formatted(name, n, parent);
  }

  static String manyMatches(String n) {
    StringBuilder out = new StringBuilder("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: many, namespace: %s}
        spec:
          parentRefs: [{name: gw}]
          rules:
        """.formatted(n));
    for (int r = 0; r < 2; r++) {
      out.append("  - backendRefs: [{name: web, port: 80}]\n    matches:\n");
      for (int m = 0; m < 51; m++) {
        out.append("    - {path: {type: Exact, value: /r").append(r).append("m").append(m).append("}}\n");
      }
    }
    return out.toString();
  }

  /** Applies until the webhook's caches have seen the Gateways (informers are eventual). */
  private static Result applyUntil(Env env, String manifest, Predicate<Result> expected) {
    Result[] last = new Result[1];
    try {
      return awaitApply(env, manifest, expected, last);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("kubectl apply never answered as expected; last " + said(last[0]), e);
    }
  }

  private static Result awaitApply(Env env, String manifest, Predicate<Result> expected, Result[] last) {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .alias("kubectl apply answering as expected (last: " + manifest.lines().filter(l -> l.startsWith("metadata")).findFirst().orElse("")
            + ")").until(() -> {
      last[0] = env.kubectl(manifest, "apply", "-f", "-");
      if (last[0].exit() == 0 && !expected.test(last[0])) {
        env.kubectl(manifest, "delete", "-f", "-", "--wait=false"); // admitted before the caches knew the Gateway: try again
      }
      return expected.test(last[0]);
    });
    return last[0];
  }

  /** What kubectl said last, to tell a schema refusal from a missing denial. */
  static String said(Result r) {
    return r == null ? "" : "exit " + r.exit() + ": " + r.stdout() + r.stderr();
  }

  private static void apply(Env env, String manifest) {
    Result r = env.kubectl(manifest, "apply", "-f", "-");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }
}
