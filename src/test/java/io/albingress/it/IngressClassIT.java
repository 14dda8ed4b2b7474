package io.albingress.it;

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
 * Deleting a custom IngressClass of ours keeps the load balancers of its Ingresses (whose they are is
 * unknown until the class returns), with a Warning Event; re-creating it resumes reconciliation.
 */
@ExtendWith(TestEnvironment.class)
class IngressClassIT {

  static String ingressClass(String name) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: %s}
        spec: {controller: ingress.k8s.aws/alb}
        """.formatted(name);
  }

  @Test
  void deletingTheIngressClassKeepsTheLoadBalancer(Env env, TestNamespace ns) throws Exception {
    String n = ns.name();
    String cls = "custom-" + n;
    ControllerApp app = Controllers.start(env, ns);
    try (MotoElbv2 moto = new MotoElbv2(env)) {
      apply(env, ingressClass(cls));
      apply(env, ReconcilerIT.services(n));
      apply(env, ReconcilerIT.shop(n, "shop", "", "", "/api").replace("ingressClassName: alb", "ingressClassName: " + cls));
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !hostname(env, n).isEmpty());
      assertThat(moto.loadBalancers()).hasSize(1);

      assertThat(env.kubectl(null, "delete", "ingressclass", cls).exit()).isZero();
      Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> env.kubectl(null, "get",
          "events", "-n", n, "--field-selector", "reason=IngressClassNotFound,involvedObject.name=shop", "-o",
          "jsonpath={.items[*].message}").stdout().contains("not found"));
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(app::reconcilerIdle);
      assertThat(moto.loadBalancers()).as("the load balancer stays").hasSize(1);
      assertThat(hostname(env, n)).isNotEmpty();

      // the class returns: a change of the Ingress is reconciled again
      apply(env, ingressClass(cls));
      apply(env, ReconcilerIT.shop(n, "shop", "", "", "/returned").replace("ingressClassName: alb", "ingressClassName: " + cls));
      Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> moto.loadBalancers().stream()
          .flatMap(lb -> moto.listeners(lb.loadBalancerArn()).stream()).flatMap(l -> moto.rules(l.listenerArn()).stream())
          .anyMatch(r -> r.conditions().toString().contains("/returned")));
    } finally {
      app.stop();
      env.kubectl(null, "delete", "ingressclass", cls, "--ignore-not-found");
    }
  }

  private static String hostname(Env env, String ns) {
    return env.kubectl(null, "get", "ingress", "shop", "-n", ns, "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}").stdout().trim();
  }

  private static void apply(Env env, String manifest) {
    var r = env.kubectl(manifest, "apply", "-f", "-");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }
}
