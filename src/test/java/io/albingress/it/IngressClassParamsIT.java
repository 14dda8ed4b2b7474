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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IngressClassParams (the CRD from deploy/crds, installed by hack/testenv) with the webhooks registered in a real
 * kube-apiserver: params checked at admission, a namespace the params do not select refused at kubectl apply, and
 * the params' scheme winning over the annotation in moto.
 */
@ExtendWith(TestEnvironment.class)
class IngressClassParamsIT {
  private ControllerApp app;
  private String cls;

  @BeforeEach
  void start(Env env, TestNamespace ns) throws Exception {
    cls = "params-" + ns.name();
    app = Controllers.start(env, ns);
    WebhookRegistration.register(env, app);
  }

  @AfterEach
  void stop(Env env) {
    WebhookRegistration.unregister(env);
    env.kubectl(null, "delete", "ingressclass", cls, "--ignore-not-found");
    env.kubectl(null, "delete", "ingressclassparams", cls, "--ignore-not-found");
    if (app != null) {
      app.stop();
    }
  }

  private String classAndParams(String spec) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: %1$s}
        spec:
          controller: ingress.k8s.aws/alb
          parameters: {apiGroup: elbv2.k8s.aws, kind: IngressClassParams, name: %1$s}
        ---
        apiVersion: elbv2.k8s.aws/v1beta1
        kind: IngressClassParams
        metadata: {name: %1$s}
        spec:
        %2$s
        """.formatted(cls, spec.indent(2).stripTrailing());
  }

  private String shop(String ns) {
    return ReconcilerIT.shop(ns, "shop", "", "", "/api").replace("ingressClassName: alb", "ingressClassName: " + cls)
        .replace("scheme: internet-facing", "scheme: internal");
  }

  /** Applies until the webhook's caches have seen what the test just created (informers are eventual). */
  private static Result applyUntil(Env env, String manifest, java.util.function.Predicate<Result> expected) {
    Result[] last = new Result[1];
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
      last[0] = env.kubectl(manifest, "apply", "-f", "-");
      return expected.test(last[0]);
    });
    return last[0];
  }

  @Test
  void badParamsAreDeniedAtApply(Env env) {
    Result r = env.kubectl(classAndParams("scheme: internet-facing\ninboundCIDRs: [10.0.0.1]\nipamConfiguration: {ipv4IPAMPoolId: ipam-pool-1}"),
        "apply", "-f", "-");
    assertThat(r.exit()).isNotZero();
    assertThat(r.stderr()).contains("admission webhook \"vingressclassparams.elbv2.k8s.aws\" denied the request")
        .contains("spec.inboundCIDRs").contains("spec.ipamConfiguration.ipv4IPAMPoolId: is not applied by this controller yet");
  }

  @Test
  void aMemberFromAnUnselectedNamespaceIsDeniedAtApply(Env env, TestNamespace ns) {
    assertThat(env.kubectl(null, "label", "namespace", ns.name(), "team=blog").exit()).isZero();
    Result params = env.kubectl(classAndParams("namespaceSelector: {matchLabels: {team: shop}}\ngroup: {name: shop-" + ns.name() + "}"),
        "apply", "-f", "-");
    assertThat(params.exit()).as(params.stderr()).isZero();
    assertThat(env.kubectl(ReconcilerIT.services(ns.name()), "apply", "-f", "-").exit()).isZero();
    Result denied = applyUntil(env, shop(ns.name()), r -> r.stderr().contains("does not select it"));
    assertThat(denied.exit()).isNotZero();
    assertThat(denied.stderr()).contains("IngressClass " + cls + " may not be used in namespace " + ns.name())
        .contains("IngressClassParams " + cls + " (team=shop)").contains("team=blog");
  }

  @Test
  void paramsSchemeOverridesTheAnnotation(Env env, TestNamespace ns) {
    try (MotoElbv2 moto = new MotoElbv2(env)) {
      assertThat(env.kubectl(null, "label", "namespace", ns.name(), "team=shop").exit()).isZero();
      Result params = env.kubectl(classAndParams("namespaceSelector: {matchLabels: {team: shop}}\nscheme: internet-facing"),
          "apply", "-f", "-");
      assertThat(params.exit()).as(params.stderr()).isZero();
      assertThat(env.kubectl(ReconcilerIT.services(ns.name()), "apply", "-f", "-").exit()).isZero();
      Result applied = applyUntil(env, shop(ns.name()), r -> r.exit() == 0);
      assertThat(applied.stderr()).doesNotContain("denied");
      Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> !moto.loadBalancers().isEmpty());
      assertThat(moto.loadBalancers()).singleElement().satisfies(lb -> assertThat(lb.schemeAsString()).isEqualTo("internet-facing"));
    }
  }
}
