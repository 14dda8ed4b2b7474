package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.aws.CallMetrics;
import io.albingress.deploy.ShieldProtection;
import io.albingress.testing.Controllers;
import io.albingress.testing.Meters;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.shield.ShieldAsyncClient;
import software.amazon.awssdk.services.shield.model.ResourceNotFoundException;
import software.amazon.awssdk.services.wafv2.Wafv2AsyncClient;
import software.amazon.awssdk.services.wafv2.model.Scope;

/**
 * WAFv2 and Shield Advanced on the ALB, against the real apiserver and moto: associated and
 * protected after create, changed and removed with the annotations, left alone when they are
 * absent, and a restart of the unchanged stack makes no mutating call. moto has no WAF Classic
 * regional API, and its AssociateWebACL adds a second association instead of replacing the first
 * (AWS allows one web ACL per resource), so WAF Classic and a direct change from one web ACL to
 * another are covered by LoadBalancerAddOnsTest; here the change goes through none.
 */
@ExtendWith(TestEnvironment.class)
class AddOnsIT {
  private ControllerApp app;
  private MotoElbv2 moto;
  private Wafv2AsyncClient wafv2;
  private ShieldAsyncClient shield;

  @BeforeEach
  void start(Env env, TestNamespace ns) throws Exception {
    app = Controllers.start(env, ns);
    moto = new MotoElbv2(env);
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    wafv2 = Wafv2AsyncClient.builder().endpointOverride(URI.create(env.awsEndpoint())).region(Region.of(env.region()))
        .credentialsProvider(creds).build();
    shield = ShieldAsyncClient.builder().endpointOverride(URI.create(env.awsEndpoint())).region(Region.of(env.region()))
        .credentialsProvider(creds).build();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
    moto.close();
    wafv2.close();
    shield.close();
  }

  private String webAcl(String name) {
    return wafv2.createWebACL(b -> b.name(name).scope(Scope.REGIONAL).defaultAction(a -> a.allow(x -> {}))
        .visibilityConfig(v -> v.sampledRequestsEnabled(false).cloudWatchMetricsEnabled(false).metricName(name)))
        .join().summary().arn();
  }

  private Optional<String> webAclOf(String lbArn) {
    return Optional.ofNullable(wafv2.getWebACLForResource(b -> b.resourceArn(lbArn)).join().webACL()).map(a -> a.arn());
  }

  private Optional<String> protectionNameOf(String lbArn) {
    try {
      return Optional.ofNullable(shield.describeProtection(b -> b.resourceArn(lbArn)).join().protection()).map(p -> p.name());
    } catch (CompletionException e) {
      if (e.getCause() instanceof ResourceNotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static String ingress(String ns, String... annotations) {
    StringBuilder a = new StringBuilder("    alb.ingress.kubernetes.io/scheme: internet-facing\n");
    for (int i = 0; i < annotations.length; i += 2) {
      a.append("    alb.ingress.kubernetes.io/").append(annotations[i]).append(": '").append(annotations[i + 1]).append("'\n");
    }
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
        """.formatted(ns, a.toString().stripTrailing());
  }

  static void apply(Env env, String manifest) {
    Result r = env.kubectl(manifest, "apply", "-f", "-");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }

  /** The last value of {@code value}, once {@code done} holds (at most 120 s); the assertion names the last value seen. */
  @SuppressWarnings("unchecked")
  static <T> T await(Supplier<T> value, Predicate<T> done) {
    Object[] last = new Object[1];
    try {
      Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
        last[0] = value.get();
        return done.test((T) last[0]);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not reached within 120 s; the last value seen was " + last[0], e);
    }
    return (T) last[0];
  }

  private String loadBalancerArn(Env env) {
    return await(() -> moto.loadBalancers().stream()
        .filter(lb -> env.clusterName().equals(moto.tags(lb.loadBalancerArn()).get("elbv2.k8s.aws/cluster")))
        .map(lb -> lb.loadBalancerArn()).findFirst().orElse(""), arn -> !arn.isEmpty());
  }

  private long successfulReconciles() {
    return Meters.count(app.registry(), "alb_reconciles_total", "result", "success");
  }

  /** Waits until a reconciliation that started after {@code before} successes has finished. */
  private void awaitReconciled(long before) {
    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> successfulReconciles() > before && app.reconcilerIdle());
  }

  private long addOnCalls(boolean mutating) {
    return Meters.series(app.registry(), CallMetrics.CALLS).entrySet().stream()
        .filter(e -> Map.of("Wafv2", 1, "Shield", 1, "WafRegional", 1).containsKey(e.getKey().get("service")))
        .filter(e -> !mutating || !e.getKey().get("operation").matches("(Get|List|Describe).*"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  @Test
  void associatesProtectsRemovesAndLeavesAloneWhenAbsent(Env env, TestNamespace ns) {
    String a = webAcl(ns.name() + "-a");
    String b = webAcl(ns.name() + "-b");
    apply(env, ingress(ns.name(), "wafv2-acl-arn", a, "shield-advanced-protection", "true"));
    String lb = loadBalancerArn(env);
    await(() -> webAclOf(lb), acl -> acl.equals(Optional.of(a)));
    await(() -> protectionNameOf(lb), p -> p.equals(Optional.of(ShieldProtection.MANAGED_NAME)));

    // none / false remove
    apply(env, ingress(ns.name(), "wafv2-acl-arn", "none", "shield-advanced-protection", "false"));
    await(() -> webAclOf(lb).isEmpty() && protectionNameOf(lb).isEmpty(), done -> done);

    // by name, resolved to the ARN
    apply(env, ingress(ns.name(), "wafv2-acl-name", ns.name() + "-b"));
    await(() -> webAclOf(lb), acl -> acl.equals(Optional.of(b)));

    // absent: the association stays as it is, and the add-ons cost no call
    long callsBefore = addOnCalls(false);
    apply(env, ingress(ns.name(), "tags", "team=shop"));
    await(() -> moto.tags(lb).getOrDefault("team", ""), "shop"::equals);
    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> app.reconcilerIdle());
    assertThat(webAclOf(lb)).contains(b);
    assertThat(addOnCalls(false)).isEqualTo(callsBefore);
  }

  @Test
  void anUnknownWebAclNameIsReportedAndAppliedOnceItExists(Env env, TestNamespace ns) {
    apply(env, ingress(ns.name(), "wafv2-acl-name", ns.name() + "-later"));
    String lb = loadBalancerArn(env);
    await(() -> env.kubectl(null, "get", "events", "-n", ns.name(), "-o", "jsonpath={.items[*].message}").stdout(),
        m -> m.contains("no regional WAFv2 web ACL named \"" + ns.name() + "-later\""));
    String later = webAcl(ns.name() + "-later");
    await(() -> webAclOf(lb), acl -> acl.equals(Optional.of(later)));
  }

  @Test
  void aRestartOfTheUnchangedStackMakesNoMutatingCall(Env env, TestNamespace ns) throws Exception {
    String a = webAcl(ns.name() + "-a");
    apply(env, ingress(ns.name(), "wafv2-acl-arn", a, "shield-advanced-protection", "true"));
    String lb = loadBalancerArn(env);
    await(() -> webAclOf(lb).isPresent() && protectionNameOf(lb).isPresent(), done -> done);
    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> app.reconcilerIdle());
    app.stop();

    app = Controllers.start(env, ns);
    awaitReconciled(0);
    assertThat(addOnCalls(true)).isZero();
    assertThat(Meters.series(app.registry(), CallMetrics.CALLS).keySet()).extracting(k -> k.get("operation"))
        .noneMatch(op -> op.matches("(Create|Modify|Delete|Set|Add|Remove|Register|Deregister|Associate|Disassociate).*"));
    assertThat(webAclOf(lb)).contains(a);
    assertThat(protectionNameOf(lb)).contains(ShieldProtection.MANAGED_NAME);
  }
}
