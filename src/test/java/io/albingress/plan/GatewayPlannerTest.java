package io.albingress.plan;

import static io.albingress.plan.GatewayManifests.gateway;
import static io.albingress.plan.GatewayManifests.gatewayClass;
import static io.albingress.plan.GatewayManifests.listenerSet;
import static io.albingress.plan.GatewayManifests.nodePortService;
import static io.albingress.plan.GatewayManifests.of;
import static io.albingress.plan.GatewayManifests.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.ListenerRule;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `plan` over Gateway API manifests mixed with Ingresses: the Gateway's stack and what its status would report. */
class GatewayPlannerTest {
  private static final String FILE = "src/test/resources/plan/gateway/shop.yaml";

  private static PlanReport plan(String... sources) throws Exception {
    Manifests m = new Manifests(new KubernetesSerialization());
    for (String s : sources) {
      m.read(s, null);
    }
    return new Planner("prod", "alb", "us-west-2", m).plan();
  }

  private static PlanReport planYaml(String yaml) throws Exception {
    Manifests m = new Manifests(new KubernetesSerialization())
        .read("-", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    return new Planner("prod", "alb", "us-west-2", m).plan();
  }

  private static Stack gatewayStack(PlanReport report) {
    return report.stacks().stream().filter(s -> s.id().gateway()).findFirst().orElseThrow();
  }

  private static List<String> rulesOn(Stack stack, int port) {
    return stack.rules().stream().filter(r -> r.listener().resourceId().equals(String.valueOf(port)))
        .map(r -> r.priority() + " " + r.conditions().stream().map(c -> c.field() + "=" + c.values()).toList() + " " + kind(r)).toList();
  }

  private static String kind(ListenerRule r) {
    return r.action() instanceof RuleAction.Forward f ? "forward" + f.targets().size()
        : r.action() instanceof RuleAction.Redirect ? "redirect" : "fixed" + ((RuleAction.FixedResponse) r.action()).statusCode();
  }

  @Test
  void gatewaysOfOurClassAreBuiltBesideIngresses() throws Exception {
    PlanReport report = plan(FILE);
    assertThat(report.ingresses()).extracting(PlanReport.IngressResult::ingress).containsExactly("shop/legacy");
    assertThat(report.gateways()).extracting(PlanReport.GatewayResult::gateway).containsExactly("shop/shop"); // not the other class's
    assertThat(report.stacks()).hasSize(2);
    Stack gw = gatewayStack(report);
    assertThat(gw.members()).containsExactly("shop/shop", "blog/blog", "shop/redirect", "shop/web"); // the refused route is no member
    assertThat(gw.loadBalancer().scheme().wireName()).isEqualTo("internet-facing"); // from the LoadBalancerConfiguration
    assertThat(gw.loadBalancer().attributes()).containsEntry("idle_timeout.timeout_seconds", "120");
    assertThat(gw.listeners()).extracting(l -> l.protocol().wireName() + ":" + l.port()).containsExactly("HTTP:80", "HTTPS:443");
    assertThat(gw.listeners().get(1).certificateArns()).containsExactly("arn:aws:acm:us-west-2:111122223333:certificate/aaaa");
    assertThat(rulesOn(gw, 80)).containsExactly(
        "1 [path-pattern=[/healthz]] forward1",
        "2 [path-pattern=[/old, /old/*]] redirect",
        "3 [path-pattern=[/api, /api/*]] forward2",
        "4 [path-pattern=[/*]] forward1");
    assertThat(rulesOn(gw, 443)).containsExactly(
        "1 [host-header=[shop.example.com], path-pattern=[/healthz]] forward1",
        "2 [host-header=[shop.example.com], path-pattern=[/missing, /missing/*]] fixed500",
        "3 [host-header=[shop.example.com], path-pattern=[/blog, /blog/*]] forward1",
        "4 [host-header=[shop.example.com], path-pattern=[/api, /api/*]] forward2",
        "5 [host-header=[shop.example.com]] forward1");
    assertThat(gw.targetGroups()).extracting(t -> t.resourceId())
        .containsExactly("shop/web:shop/web:80", "shop/web:shop/api:80", "shop/web:shop/api-canary:80", "blog/blog:shop/web:80");
  }

  @Test
  void whatStatusWouldReportIsAProblemOfTheGateway() throws Exception {
    PlanReport report = plan(FILE);
    assertThat(report.valid()).isFalse();
    PlanReport.GatewayResult r = report.gateways().get(0);
    assertThat(r.problems()).satisfiesExactly(
        p -> assertThat(p).startsWith("listener tcp (TCP:9000) Accepted=False UnsupportedProtocol"),
        p -> assertThat(p).startsWith("HTTPRoute blog/blog ResolvedRefs=False BackendNotFound: spec.rules[1].backendRefs[0]: Service blog/gone"),
        p -> assertThat(p).startsWith("HTTPRoute shop/mirror Accepted=False UnsupportedValue: spec.rules[0].filters[0].type: RequestMirror"));
    String text = PlanText.render(report);
    assertThat(text).contains("Gateway shop/shop: INVALID").contains("Stack gateway:shop/shop (members: ")
        .contains("redirect HTTP_301 HTTPS:443");
  }

  /** The class alb (with more spec fields), the Gateway team/gw listening on HTTP:80 and HTTPS:443, an HTTPRoute to Service svc. */
  private static String small(String classMore) {
    return of(gatewayClass(classMore), gateway("""
        listeners:
          - {name: http, port: 80, protocol: HTTP}
          - {name: https, port: 443, protocol: HTTPS}
        """), route("HTTPRoute", "r", """
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{name: svc, port: 80}]}]
        """));
  }

  @Test
  void withoutServicesInTheManifestsMissingBackendsAreNotVerifiedAndHttpsWithoutHostnameIsAnError() throws Exception {
    PlanReport report = planYaml(small(""));
    PlanReport.GatewayResult r = report.gateways().get(0);
    assertThat(r.notVerified()).containsExactly("HTTPRoute team/r backends: no Service is in the manifests (its rules are shown answering 500)");
    assertThat(r.problems()).singleElement().asString()
        .startsWith("listener https (HTTPS:443) Programmed=False Invalid: HTTPS needs a certificate");
  }

  @Test
  void aLoadBalancerConfigurationThatIsMissingMakesTheGatewayNotAccepted() throws Exception {
    PlanReport report = planYaml(small(", parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, "
        + "name: absent, namespace: team}"));
    PlanReport.GatewayResult r = report.gateways().get(0);
    assertThat(r.valid()).isFalse();
    assertThat(r.problems().get(0)).isEqualTo("Accepted=False InvalidParameters: GatewayClass alb spec.parametersRef: "
        + "LoadBalancerConfiguration team/absent not found");
    assertThat(report.stacks()).isEmpty();
    assertThat(PlanText.render(report)).startsWith("Gateway team/gw: INVALID\n");
  }

  @Test
  void grpcRoutesAreBuiltBesideHttpRoutes() throws Exception {
    PlanReport report = planYaml(of(gatewayClass(), gateway("""
        listeners:
          - {name: http, port: 80, protocol: HTTP, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}
        """), nodePortService("greeter", 50051, 30051), route("GRPCRoute", "g", """
        parentRefs: [{name: gw, sectionName: http}]
        rules:
          - matches: [{method: {service: helloworld.Greeter, method: SayHello}}]
            backendRefs: [{name: greeter, port: 50051}]
        """)));
    Stack gw = gatewayStack(report);
    assertThat(gw.members()).containsExactly("team/gw", "GRPCRoute/team/g");
    assertThat(rulesOn(gw, 80)).containsExactly("1 [path-pattern=[/helloworld.Greeter/SayHello]] forward1");
    assertThat(report.valid()).isTrue();
  }

  @Test
  void listenerSetsInTheManifestsAddListenersAndTheirRoutes() throws Exception {
    PlanReport report = planYaml(of(gatewayClass(), gateway("""
        allowedListeners: {namespaces: {from: Same}}
        listeners: [{name: http, port: 80, protocol: HTTP}]
        """), listenerSet("extra", "team", """
        parentRef: {name: gw}
        listeners: [{name: app, port: 8080, protocol: HTTP}]
        """), listenerSet("far", "other", """
        parentRef: {name: gw, namespace: team}
        listeners: [{name: app, port: 8081, protocol: HTTP}]
        """), route("HTTPRoute", "r", """
        parentRefs: [{name: extra, kind: ListenerSet, group: gateway.networking.k8s.io, sectionName: app}]
        rules: [{backendRefs: [{name: svc, port: 80}]}]
        """), nodePortService("svc", 80, 30080)));
    Stack gw = gatewayStack(report);
    assertThat(gw.listeners()).extracting(l -> l.protocol().wireName() + ":" + l.port()).containsExactly("HTTP:80", "HTTP:8080");
    assertThat(rulesOn(gw, 8080)).containsExactly("1 [path-pattern=[/*]] forward1");
    assertThat(report.gateways().get(0).problems()).singleElement().asString()
        .startsWith("ListenerSet other/far Accepted=False NotAllowed");
  }
}
