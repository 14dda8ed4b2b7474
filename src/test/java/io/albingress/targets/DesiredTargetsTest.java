package io.albingress.targets;

import static io.albingress.targets.TargetFixtures.endpoint;
import static io.albingress.targets.TargetFixtures.instanceMode;
import static io.albingress.targets.TargetFixtures.ipMode;
import static io.albingress.targets.TargetFixtures.node;
import static io.albingress.targets.TargetFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Target;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredTargetsTest {

  @Test
  void instanceModeRegistersEveryReadyNodeOnTheNodePort() {
    var result = DesiredTargets.instances(instanceMode(Map.of()), List.of(node("a", "i-0a"), node("b", "i-0b")));
    assertThat(result.targets()).containsExactlyInAnyOrder(new Target("i-0a", 30080), new Target("i-0b", 30080));
    assertThat(result.unusable()).isEmpty();
  }

  @Test
  void leavesOutNodesThatAreExcludedDeletedOrBeingScaledAway() {
    // the label excludes whatever its value
    Node excluded = node("excluded", "aws:///us-west-2a/i-04", "True", Map.of(DesiredTargets.EXCLUDE_LABEL, "false"));
    Node leaving = new NodeBuilder(node("leaving", "i-05")).editSpec().addNewTaint().withKey("ToBeDeletedByClusterAutoscaler")
        .withEffect("NoSchedule").endTaint().endSpec().build();
    Node deleting = new NodeBuilder(node("deleting", "i-07")).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
        .endMetadata().build();
    var result = DesiredTargets.instances(instanceMode(Map.of()), List.of(excluded, leaving, deleting, node("ok", "i-06")));
    assertThat(result.targets()).containsExactly(new Target("i-06", 30080));
  }

  @Test
  void notReadyNodesStayRegistered() {
    Node notReady = node("not-ready", "aws:///us-west-2a/i-01", "False", Map.of());
    Node unknown = node("unknown", "aws:///us-west-2a/i-02", "Unknown", Map.of());
    Node noStatus = new NodeBuilder(node("no-status", "i-03")).withStatus(null).build();
    var result = DesiredTargets.instances(instanceMode(Map.of()), List.of(notReady, unknown, noStatus));
    assertThat(result.targets()).containsExactlyInAnyOrder(new Target("i-01", 30080), new Target("i-02", 30080), new Target("i-03", 30080));
  }

  @Test
  void controlPlaneNodesOnlyWhenTargetNodeLabelsSelectThem() {
    Node control = node("cp", "aws:///us-west-2a/i-0c", "True", Map.of(DesiredTargets.CONTROL_PLANE_LABEL, ""));
    List<Node> nodes = List.of(control, node("worker", "i-0w"));
    assertThat(DesiredTargets.instances(instanceMode(Map.of()), nodes).targets()).containsExactly(new Target("i-0w", 30080));
    assertThat(DesiredTargets.instances(instanceMode(Map.of(DesiredTargets.CONTROL_PLANE_LABEL, "")), nodes).targets())
        .containsExactly(new Target("i-0c", 30080));
  }

  @Test
  void targetNodeLabelsSelectByEveryPair() {
    Node web = node("web", "aws:///us-west-2a/i-01", "True", Map.of("pool", "web", "zone", "a"));
    Node webB = node("web-b", "aws:///us-west-2b/i-02", "True", Map.of("pool", "web", "zone", "b"));
    Node batch = node("batch", "aws:///us-west-2a/i-03", "True", Map.of("pool", "batch", "zone", "a"));
    var result = DesiredTargets.instances(instanceMode(Map.of("pool", "web", "zone", "a")), List.of(web, webB, batch));
    assertThat(result.targets()).containsExactly(new Target("i-01", 30080));
  }

  @Test
  void aNodeWithoutAnInstanceIdIsReportedNotRegistered() {
    Node none = node("none", null, "True", Map.of());
    Node kind = node("kind", "kind://docker/kind/kind-worker", "True", Map.of());
    Node notInstance = node("odd", "aws:///us-west-2a/", "True", Map.of());
    var result = DesiredTargets.instances(instanceMode(Map.of()), List.of(none, kind, notInstance, node("ok", "i-0abc")));
    assertThat(result.targets()).containsExactly(new Target("i-0abc", 30080));
    assertThat(result.unusable()).extracting(n -> n.getMetadata().getName()).containsExactly("none", "kind", "odd");
  }

  @Test
  void readsTheInstanceIdFromTheProviderId() {
    assertThat(DesiredTargets.instanceId("aws:///us-west-2a/i-0123456789abcdef0")).contains("i-0123456789abcdef0");
    assertThat(DesiredTargets.instanceId("aws:///i-0123")).contains("i-0123");
    assertThat(DesiredTargets.instanceId("gce://project/zone/i-0123")).isEmpty();
    assertThat(DesiredTargets.instanceId("aws:///us-west-2a/fargate-ip-10-0-1-1")).isEmpty();
  }

  @Test
  void aNodeUpdateThatKeepsTheViewChangesNothing() {
    Node before = node("a", "i-0a");
    Node heartbeat = new NodeBuilder(before).editMetadata().withResourceVersion("2").endMetadata()
        .editStatus().editFirstCondition().withLastHeartbeatTime("2026-01-01T00:00:00Z").endCondition().endStatus().build();
    Node notReady = new NodeBuilder(before).editStatus().editFirstCondition().withStatus("False").endCondition().endStatus().build();
    Node labelled = new NodeBuilder(before).editMetadata().addToLabels(DesiredTargets.EXCLUDE_LABEL, "true").endMetadata().build();
    assertThat(DesiredTargets.NodeView.of(heartbeat)).isEqualTo(DesiredTargets.NodeView.of(before));
    assertThat(DesiredTargets.NodeView.of(notReady)).isEqualTo(DesiredTargets.NodeView.of(before));
    assertThat(DesiredTargets.NodeView.of(labelled)).isNotEqualTo(DesiredTargets.NodeView.of(before));
  }

  @Test
  void ipModeRegistersReadyEndpointsOfEverySliceOnTheTargetPort() {
    var one = slice("IPv4", "http", 8080, endpoint("10.0.1.1", "a", true, true, false), endpoint("10.0.1.2", "b", null, null, null));
    var two = slice("IPv4", "http", 8080, endpoint("10.0.2.1", "c", true, true, false));
    assertThat(DesiredTargets.ips(ipMode("8080"), "http", List.of(one, two), p -> false))
        .containsExactlyInAnyOrder(new Target("10.0.1.1", 8080), new Target("10.0.1.2", 8080), new Target("10.0.2.1", 8080));
  }

  @Test
  void aNamedTargetPortTakesThePortNumberTheSliceResolved() {
    // the EndpointSlice port carries the Service port's name and the container port the name resolved to
    var s = slice("IPv4", "http", 9000, endpoint("10.0.1.1", "a", true, true, false));
    assertThat(DesiredTargets.ips(ipMode("web"), "http", List.of(s), p -> false)).containsExactly(new Target("10.0.1.1", 9000));
  }

  @Test
  void slicesWithoutTheServicePortNameAreMatchedByTargetPort() {
    var byName = slice("IPv4", "web", 9000, endpoint("10.0.1.1", "a", true, true, false));
    var byNumber = slice("IPv4", "", 8080, endpoint("10.0.1.2", "b", true, true, false));
    var other = slice("IPv4", "metrics", 9090, endpoint("10.0.1.3", "c", true, true, false));
    assertThat(DesiredTargets.ips(ipMode("web"), "http", List.of(byName, other), p -> false)).containsExactly(new Target("10.0.1.1", 9000));
    assertThat(DesiredTargets.ips(ipMode("8080"), "http", List.of(byNumber, other), p -> false)).containsExactly(new Target("10.0.1.2", 8080));
  }

  @Test
  void notReadyPodsCountOnlyWhenTheyWaitOnlyOnThisTargetGroupsGate() {
    // as the EndpointSlice controller writes a gated pod: not ready, not serving (serving follows Ready)
    var s = slice("IPv4", "http", 8080,
        endpoint("10.0.1.1", "gated", false, false, false),
        endpoint("10.0.1.2", "plain", false, false, false),
        endpoint("10.0.1.3", "terminating", false, false, true));
    Set<String> gated = Set.of("shop/gated", "shop/terminating");
    assertThat(DesiredTargets.ips(ipMode("8080"), "http", List.of(s), gated::contains)).containsExactly(new Target("10.0.1.1", 8080));
  }

  @Test
  void skipsNonIpv4SlicesAndEndpointsWithoutAddresses() {
    var fqdn = slice("FQDN", "http", 8080, endpoint("web.example.test", "a", true, true, false));
    var v6 = slice("IPv6", "http", 8080, endpoint("fd00::1", "b", true, true, false));
    var empty = slice("IPv4", "http", 8080, new EndpointBuilder().withAddresses(List.of()).build());
    assertThat(DesiredTargets.ips(ipMode("8080"), "http", List.of(fqdn, v6, empty), p -> false)).isEmpty();
  }
}
