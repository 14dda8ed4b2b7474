package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.testing.Controllers;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import io.albingress.testing.TestEnvironment.TestNamespace;
import io.albingress.testing.WebhookRegistration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * `listener-attributes.HTTP-80` against the real apiserver and moto: the attribute is on the
 * listener after create, follows a change of the annotation, and a bad key is denied at
 * `kubectl apply`. (Mutual TLS needs trust stores, which moto does not implement:
 * ListenerSettingsDeployTest covers it on the in-memory ELBv2.)
 */
@ExtendWith(TestEnvironment.class)
class ListenerAttributesIT {
  private static final String SERVER = "routing.http.response.server.enabled";
  private static final String NOSNIFF = "routing.http.response.x_content_type_options.header_value";

  private ControllerApp app;
  private MotoElbv2 moto;
  private Env env;

  @BeforeEach
  void start(Env env, TestNamespace ns) throws Exception {
    this.env = env;
    app = Controllers.start(env, ns);
    moto = new MotoElbv2(env);
    WebhookRegistration.register(env, app);
  }

  @AfterEach
  void stop() {
    WebhookRegistration.unregister(env);
    if (app != null) {
      app.stop();
    }
    moto.close();
  }

  @Test
  void listenerAttributesAreAppliedAndFollowTheAnnotation(Env env, TestNamespace ns) {
    AddOnsIT.apply(env, AddOnsIT.ingress(ns.name(), "listener-attributes.HTTP-80", SERVER + "=false"));
    String listener = listenerArn(env);
    AddOnsIT.await(() -> attributes(listener), a -> "false".equals(a.get(SERVER)));

    AddOnsIT.apply(env, AddOnsIT.ingress(ns.name(), "listener-attributes.HTTP-80", SERVER + "=true," + NOSNIFF + "=nosniff"));
    Map<String, String> now = AddOnsIT.await(() -> attributes(listener), a -> "true".equals(a.get(SERVER)) && "nosniff".equals(a.get(NOSNIFF)));
    assertThat(now).containsEntry(SERVER, "true").containsEntry(NOSNIFF, "nosniff");
  }

  @Test
  void anUnknownAttributeOrAPortWithoutListenerIsDeniedAtApply(Env env, TestNamespace ns) {
    // a server-side dry run asks the webhook each time: the apiserver may take a moment to call it
    Result unknown = AddOnsIT.await(() -> env.kubectl(AddOnsIT.ingress(ns.name(), "listener-attributes.HTTP-80", "routing.http.nonsense=true"),
        "create", "--dry-run=server", "-f", "-"), r -> r.exit() != 0);
    assertThat(unknown.stderr()).contains("listener-attributes.HTTP-80").contains("routing.http.nonsense");

    Result noListener = env.kubectl(AddOnsIT.ingress(ns.name(), "listener-attributes.HTTPS-443", SERVER + "=false"),
        "create", "--dry-run=server", "-f", "-");
    assertThat(noListener.exit()).isNotZero();
    assertThat(noListener.stderr()).contains("listener-attributes.HTTPS-443");
  }

  private Map<String, String> attributes(String listenerArn) {
    return moto.client().describeListenerAttributes(b -> b.listenerArn(listenerArn)).join().attributes().stream()
        .collect(Collectors.toMap(a -> a.key(), a -> a.value() == null ? "" : a.value(), (a, b) -> b));
  }

  private String listenerArn(Env env) {
    String lb = AddOnsIT.await(() -> moto.loadBalancers().stream()
        .filter(l -> env.clusterName().equals(moto.tags(l.loadBalancerArn()).get("elbv2.k8s.aws/cluster")))
        .map(l -> l.loadBalancerArn()).findFirst().orElse(""), arn -> !arn.isEmpty());
    return AddOnsIT.await(() -> moto.listeners(lb).stream().filter(l -> l.port() == 80).map(l -> l.listenerArn()).findFirst().orElse(""),
        arn -> !arn.isEmpty());
  }
}
