package io.albingress.it;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.TestNamespace;
import io.albingress.testing.WebhookRegistration;

/**
 * What the Ingress ITs begin with: a controller started for the test's namespace, moto's ELBv2 and ACM
 * (opened on first use), and for those that go through admission the webhooks registered with the
 * apiserver; and what they end with: the webhooks removed (a stopped controller must block no later
 * test), the controller stopped, moto closed.
 */
final class StartedController implements AutoCloseable {
  private final Env env;
  private final TestNamespace namespace;
  private final boolean webhooks;
  private ControllerApp app;
  private MotoElbv2 moto;

  private StartedController(Env env, TestNamespace namespace, boolean webhooks, ControllerApp app) {
    this.env = env;
    this.namespace = namespace;
    this.webhooks = webhooks;
    this.app = app;
  }

  static StartedController start(Env env, TestNamespace ns) throws Exception {
    return new StartedController(env, ns, false, Controllers.start(env, ns));
  }

  /** With the webhooks registered: what kubectl applies goes through this controller's admission. */
  static StartedController withWebhooks(Env env, TestNamespace ns) throws Exception {
    StartedController started = new StartedController(env, ns, true, Controllers.start(env, ns));
    try {
      WebhookRegistration.register(env, started.app);
    } catch (Exception | AssertionError e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** The running controller (null once {@link #stopController} stopped it). */
  ControllerApp app() {
    return app;
  }

  MotoElbv2 moto() {
    if (moto == null) {
      moto = new MotoElbv2(env);
    }
    return moto;
  }

  /** Stops the controller; registered webhooks stay until {@link #close} (the apiserver then finds nobody answering). */
  void stopController() {
    if (app != null) {
      app.stop();
      app = null;
    }
  }

  /** A restart: the controller stopped and a new one started for the same namespace. */
  ControllerApp restart() throws Exception {
    stopController();
    app = Controllers.start(env, namespace);
    return app;
  }

  @Override
  public void close() {
    try {
      if (webhooks) {
        WebhookRegistration.unregister(env);
      }
    } finally {
      try {
        stopController();
      } finally {
        if (moto != null) {
          moto.close();
        }
      }
    }
  }
}
