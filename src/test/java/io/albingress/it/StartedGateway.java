package io.albingress.it;

import static io.albingress.it.GatewayIT.apply;
import static io.albingress.it.GatewayIT.applyClass;
import static io.albingress.it.GatewayIT.jsonpath;
import static io.albingress.it.GatewayIT.ours;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * What most Gateway ITs begin with: a started controller, moto, a GatewayClass of ours and the
 * Services web and api; and what they end with: the Gateway {@code gw} deleted and its ALB gone.
 */
record StartedGateway(Env env, String namespace, String gatewayClass, ControllerApp app, MotoElbv2 moto) implements AutoCloseable {

  static StartedGateway start(Env env, TestNamespace ns, String classPrefix) throws Exception {
    String cls = classPrefix + ns.name();
    ControllerApp app = Controllers.start(env, ns);
    StartedGateway started = new StartedGateway(env, ns.name(), cls, app, new MotoElbv2(env));
    try {
      applyClass(env, cls);
      apply(env, ReconcilerIT.services(ns.name()));
    } catch (Exception | AssertionError e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** Waits until {@code path} of the object reads {@code expected}. */
  void awaitStatus(String kind, String name, String path, String expected, Duration atMost) {
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(500))
        .until(() -> jsonpath(env, namespace, kind, name, path).equals(expected));
  }

  /** Waits until the Gateway {@code gw} has an address: its ALB exists and status was written. */
  void awaitAddress() {
    Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
        .until(() -> !jsonpath(env, namespace, "gateway", "gw", "{.status.addresses[0].value}").isEmpty());
  }

  /** Deletes the Gateway {@code gw}, waits until its finalizer let it go, and checks that its ALB is gone. */
  void deleteGatewayAndExpectNoAlb() {
    assertThat(env.kubectl(null, "delete", "gateway", "gw", "-n", namespace, "--wait=false").exit()).isZero();
    Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
        .until(() -> env.kubectl(null, "get", "gateway", "gw", "-n", namespace, "--ignore-not-found", "-o", "name").stdout().isBlank());
    assertThat(ours(moto, namespace)).isEmpty();
  }

  @Override
  public void close() {
    try {
      moto.close();
    } finally {
      app.stop();
      env.kubectl(null, "delete", "gatewayclass", gatewayClass, "--ignore-not-found", "--wait=false");
    }
  }
}
