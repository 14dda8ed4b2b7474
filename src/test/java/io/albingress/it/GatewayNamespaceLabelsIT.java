package io.albingress.it;

import static io.albingress.it.GatewayIT.apply;
import static io.albingress.it.GatewayIT.jsonpath;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A listener that admits routes from namespaces with a label: labelling the route's namespace
 * attaches the route at once, with no change to the Gateway or the route (StackEvents sends every
 * known stack, Gateways included, when a namespace's labels change), and removing the label detaches it.
 */
@ExtendWith(TestEnvironment.class)
class GatewayNamespaceLabelsIT {

  @Test
  void labellingTheNamespaceAttachesTheRouteAndUnlabellingDetachesIt(Env env, TestNamespace ns) throws Exception {
    String n = ns.name();
    String cls = "alb-ns-" + n;
    ControllerApp app = Controllers.start(env, ns);
    try (MotoElbv2 moto = new MotoElbv2(env)) {
      GatewayIT.applyClass(env, cls);
      apply(env, ReconcilerIT.services(n));
      apply(env, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: gw, namespace: %1$s}
          spec:
            gatewayClassName: %2$s
            listeners:
            - name: http
              port: 80
              protocol: HTTP
              allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {gateway-access: shop}}}}
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop, namespace: %1$s}
          spec:
            parentRefs: [{name: gw}]
            rules: [{backendRefs: [{name: web, port: 80}]}]
          """.formatted(n, cls));
      String accepted = "{.status.parents[0].conditions[?(@.type==\"Accepted\")].reason}";
      Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
          .until(() -> jsonpath(env, n, "httproute", "shop", accepted).equals("NotAllowedByListeners"));

      assertThat(env.kubectl(null, "label", "namespace", n, "gateway-access=shop").exit()).isZero();
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> jsonpath(env, n, "httproute", "shop", accepted).equals("Accepted"));
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> jsonpath(env, n, "gateway", "gw", "{.status.listeners[0].attachedRoutes}").equals("1"));

      assertThat(env.kubectl(null, "label", "namespace", n, "gateway-access-").exit()).isZero();
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> jsonpath(env, n, "httproute", "shop", accepted).equals("NotAllowedByListeners"));
      assertThat(GatewayIT.ours(moto, n)).hasSize(1);

      assertThat(env.kubectl(null, "delete", "gateway", "gw", "-n", n, "--wait=true", "--timeout=90s").exit()).isZero();
      assertThat(GatewayIT.ours(moto, n)).isEmpty();
    } finally {
      app.stop();
      env.kubectl(null, "delete", "gatewayclass", cls, "--ignore-not-found", "--wait=false");
    }
  }
}
