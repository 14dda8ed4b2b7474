package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.AwsContent;
import io.albingress.testing.Controllers;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.StrictAws;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drift repair on the strict ELBv2 layer (issue 17, defect 1): resources deleted out of band behind a
 * running controller are found by the next drift check (any *NotFound drops the inventory and retries
 * soon) and re-created, and the Ingress status follows.
 */
@ExtendWith(TestEnvironment.class)
class DriftRepairIT {
  /** Defect 1: someone deletes the ALB in the console; the next resync must re-create it and update the status. */
  @Test
  void aLoadBalancerDeletedOutOfBandIsRecreated(Env env, TestNamespace ns) throws Exception {
    StrictAws strict = StrictAws.start(env, 1);
    ControllerApp app = null;
    try (MotoElbv2 moto = new MotoElbv2(env)) {
      app = Controllers.start(env, ns, Duration.ofSeconds(10));
      String n = ns.name();
      assertThat(env.kubectl(ReconcilerIT.services(n), "apply", "-f", "-").exit()).isZero();
      assertThat(env.kubectl(ReconcilerIT.shop(n, "alpha", "", "", "/api"), "apply", "-f", "-").exit()).isZero();
      Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> !hostname(env, n).isEmpty());
      String before = hostname(env, n);
      var lb = moto.loadBalancers().stream().filter(l -> l.dnsName().equals(before)).findFirst().orElseThrow();
      moto.client().deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn())).join();
      Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
          .until(() -> moto.loadBalancers().stream().anyMatch(l -> l.dnsName().equals(hostname(env, n)))
              && AwsContent.read(moto, env.clusterName()).getJsonObject("loadBalancers").size() == 1);
    } finally {
      if (app != null) {
        app.stop();
      }
      strict.close();
    }
  }

  private static String hostname(Env env, String ns) {
    return env.kubectl(null, "get", "ingress", "alpha", "-n", ns, "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}").stdout().trim();
  }
}
