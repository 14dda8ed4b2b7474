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
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;

/**
 * OIDC authentication against the real apiserver and moto: with the Secret in place the HTTPS rule
 * authenticates before it forwards; a Secret lacking clientSecret is denied at kubectl apply;
 * removing the annotation removes the authenticate action.
 */
@ExtendWith(TestEnvironment.class)
class AuthIT {
  static final String OIDC = "{\"issuer\":\"https://idp.example.com\",\"authorizationEndpoint\":\"https://idp.example.com/auth\","
      + "\"tokenEndpoint\":\"https://idp.example.com/token\",\"userInfoEndpoint\":\"https://idp.example.com/userinfo\",\"secretName\":\"oidc\"}";
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

  static String secret(String ns, String data) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: oidc, namespace: %s}
        stringData: {%s}
        """.formatted(ns, data);
  }

  static String ingress(String ns, String certificate, boolean auth) {
    String a = "    alb.ingress.kubernetes.io/scheme: internet-facing\n"
        + "    alb.ingress.kubernetes.io/certificate-arn: " + certificate + "\n"
        + (auth ? "    alb.ingress.kubernetes.io/auth-type: oidc\n    alb.ingress.kubernetes.io/auth-idp-oidc: '" + OIDC + "'\n" : "");
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %1$s}
        spec: {type: NodePort, selector: {app: web}, ports: [{name: http, port: 80}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: shop
          namespace: %1$s
          annotations:
        %2$s
        spec:
          ingressClassName: alb
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """.formatted(ns, a.stripTrailing());
  }

  private static Result apply(Env env, String manifest) {
    return env.kubectl(manifest, "apply", "-f", "-");
  }

  @SuppressWarnings("unchecked")
  private static <T> T await(Supplier<T> value, Predicate<T> done) {
    Object[] last = new Object[1];
    try {
      Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() -> {
        last[0] = value.get();
        return done.test((T) last[0]);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not reached within 120 s; the last value seen was " + last[0], e);
    }
    return (T) last[0];
  }

  /** The action types of the first rule of our load balancer's listener, in Order. */
  private List<String> ruleActions(Env env) {
    String lb = moto.loadBalancers().stream()
        .filter(l -> env.clusterName().equals(moto.tags(l.loadBalancerArn()).get("elbv2.k8s.aws/cluster")))
        .map(l -> l.loadBalancerArn()).findFirst().orElseThrow();
    String listener = moto.listeners(lb).get(0).listenerArn();
    return moto.rules(listener).stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).findFirst().orElseThrow().actions().stream()
        .sorted(java.util.Comparator.comparingInt(a -> a.order() == null ? 0 : a.order())).map(Action::typeAsString).toList();
  }

  @Test
  void authenticatesBeforeTheForwardAndRemovalRemovesIt(Env env, TestNamespace ns) {
    String certificate = env.seed().getString("certificateArn");
    Result lacking = apply(env, secret(ns.name(), "clientID: id1") + "---\n");
    assertThat(lacking.exit()).as(lacking.stderr()).isZero();
    // the webhook is registered once the apiserver calls it, and its cache may take a moment to see the
    // Secret (then the answer is a warning, not a denial): a server-side dry run asks it again each time
    Result denied = await(() -> env.kubectl(ingress(ns.name(), certificate, true), "create", "--dry-run=server", "-f", "-"),
        r -> r.exit() != 0);
    assertThat(denied.stderr()).contains("Secret " + ns.name() + "/oidc").contains("has no key clientSecret");

    Result ok = apply(env, secret(ns.name(), "clientID: id1, clientSecret: s1"));
    assertThat(ok.exit()).as(ok.stderr()).isZero();
    await(() -> apply(env, ingress(ns.name(), certificate, true)), r -> r.exit() == 0);
    await(() -> ruleActions(env), a -> a.equals(List.of("authenticate-oidc", "forward")));

    Result off = apply(env, ingress(ns.name(), certificate, false));
    assertThat(off.exit()).as(off.stderr()).isZero();
    await(() -> ruleActions(env), a -> a.equals(List.of("forward")));
  }
}
