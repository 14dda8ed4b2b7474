package io.albingress.it;

import static io.albingress.it.GatewayIT.apply;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.time.Duration;
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
    try (StartedGateway s = StartedGateway.start(env, ns, "alb-ns-")) {
      String n = s.namespace();
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
          """.formatted(n, s.gatewayClass()));
      String accepted = "{.status.parents[0].conditions[?(@.type==\"Accepted\")].reason}";
      s.awaitStatus("httproute", "shop", accepted, "NotAllowedByListeners", Duration.ofMinutes(1));

      assertThat(env.kubectl(null, "label", "namespace", n, "gateway-access=shop").exit()).isZero();
      s.awaitStatus("httproute", "shop", accepted, "Accepted", Duration.ofSeconds(30));
      s.awaitStatus("gateway", "gw", "{.status.listeners[0].attachedRoutes}", "1", Duration.ofSeconds(30));

      assertThat(env.kubectl(null, "label", "namespace", n, "gateway-access-").exit()).isZero();
      s.awaitStatus("httproute", "shop", accepted, "NotAllowedByListeners", Duration.ofSeconds(30));
      assertThat(GatewayIT.ours(s.moto(), n)).hasSize(1);

      s.deleteGatewayAndExpectNoAlb();
    }
  }
}
