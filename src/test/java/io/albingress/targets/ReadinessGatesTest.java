package io.albingress.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessGatesTest {
  private static final String TG = "k8s-shop-web-0123456789";
  private static final String TYPE = ReadinessGates.CONDITION_PREFIX + TG;

  static Pod pod(Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-1").withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("web").endContainer().endSpec().build();
  }

  static Service service(String name, Map<String, String> selector) {
    return new ServiceBuilder().withNewMetadata().withNamespace("shop").withName(name).endMetadata()
        .withNewSpec().withSelector(selector).endSpec().build();
  }

  static Pod withCondition(Pod pod, String status, String reason, String message, String since) {
    return new PodBuilder(pod).withNewStatus().addNewCondition().withType(TYPE).withStatus(status).withReason(reason)
        .withMessage(message).withLastTransitionTime(since).endCondition().endStatus().build();
  }

  @Test
  void aPodWaitsOnlyOnGatesWhenItsContainersAreReadyAndItIsNotGoingAway() {
    Pod starting = pod(Map.of("app", "web"));
    Pod containersReady = new PodBuilder(starting).withNewStatus().addNewCondition().withType("ContainersReady").withStatus("True")
        .endCondition().addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus().build();
    Pod deleting = new PodBuilder(containersReady).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
    Pod notReady = new PodBuilder(starting).withNewStatus().addNewCondition().withType("ContainersReady").withStatus("False")
        .endCondition().endStatus().build();
    assertThat(ReadinessGates.waitsOnlyOnGates(containersReady)).isTrue();
    assertThat(ReadinessGates.waitsOnlyOnGates(starting)).isFalse();
    assertThat(ReadinessGates.waitsOnlyOnGates(notReady)).isFalse();
    assertThat(ReadinessGates.waitsOnlyOnGates(deleting)).isFalse();
  }

  @Test
  void theConditionTypeIsAValidQualifiedName() {
    String type = ReadinessGates.conditionType("k8s-verylong-verylong-0123456789");
    assertThat(type).startsWith("target-health.elbv2.k8s.aws/");
    assertThat(type.substring(type.indexOf('/') + 1)).hasSizeLessThanOrEqualTo(63).matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  }

  @Test
  void injectionIsEnabledByTheNamespaceLabel() {
    assertThat(ReadinessGates.injectionEnabled(new NamespaceBuilder().withNewMetadata().withName("shop")
        .addToLabels(ReadinessGates.INJECT_LABEL, "enabled").endMetadata().build())).isTrue();
    assertThat(ReadinessGates.injectionEnabled(new NamespaceBuilder().withNewMetadata().withName("shop")
        .addToLabels(ReadinessGates.INJECT_LABEL, "disabled").endMetadata().build())).isFalse();
    assertThat(ReadinessGates.injectionEnabled(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())).isFalse();
  }

  @Test
  void aServiceSelectsPodsWithAllItsLabels() {
    Pod pod = pod(Map.of("app", "web", "tier", "front"));
    assertThat(ReadinessGates.selects(service("web", Map.of("app", "web")), pod)).isTrue();
    assertThat(ReadinessGates.selects(service("web", Map.of("app", "web", "tier", "back")), pod)).isFalse();
    // a Service without a selector has hand-made endpoints: it selects no pod
    assertThat(ReadinessGates.selects(service("web", Map.of()), pod)).isFalse();
    assertThat(ReadinessGates.selects(service("web", null), pod)).isFalse();
  }

  @Test
  void injectAddsMissingGatesOnceAndKeepsOthers() {
    Pod pod = new PodBuilder(pod(Map.of())).editSpec().withReadinessGates(new PodReadinessGate("example.com/ready")).endSpec().build();
    Pod once = ReadinessGates.inject(pod, List.of(TYPE, TYPE));
    assertThat(once.getSpec().getReadinessGates()).extracting(PodReadinessGate::getConditionType).containsExactly("example.com/ready", TYPE);
    assertThat(ReadinessGates.gates(once)).containsExactly(TYPE);
    Pod twice = ReadinessGates.inject(once, List.of(TYPE));
    assertThat(twice.getSpec().getReadinessGates()).hasSize(2);
  }

  @Test
  void aGateWaitsUntilItsConditionIsTrue() {
    Pod pod = pod(Map.of());
    assertThat(ReadinessGates.waiting(pod, TYPE)).isTrue();
    assertThat(ReadinessGates.waiting(withCondition(pod, "False", "Elb.InitialHealthChecking", null, "t0"), TYPE)).isTrue();
    assertThat(ReadinessGates.waiting(withCondition(pod, "True", null, null, "t0"), TYPE)).isFalse();
  }

  @Test
  void theConditionFollowsTheTargetHealthAndIsWrittenOnlyWhenItChanges() {
    Pod pod = pod(Map.of());
    var initial = new ReadinessGates.Health("initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
    PodCondition first = ReadinessGates.update(pod, TYPE, initial, "t1").orElseThrow();
    assertThat(first.getStatus()).isEqualTo("False");
    assertThat(first.getReason()).isEqualTo("Elb.InitialHealthChecking");
    assertThat(first.getMessage()).isEqualTo("Initial health checks in progress");
    assertThat(first.getLastTransitionTime()).isEqualTo("t1");

    Pod checking = withCondition(pod, "False", "Elb.InitialHealthChecking", "Initial health checks in progress", "t1");
    assertThat(ReadinessGates.update(checking, TYPE, initial, "t2")).isEmpty();
    // still False for another reason: the transition time stays
    var failing = new ReadinessGates.Health("unhealthy", "Target.Timeout", "Request timed out");
    assertThat(ReadinessGates.update(checking, TYPE, failing, "t3").orElseThrow().getLastTransitionTime()).isEqualTo("t1");

    PodCondition healthy = ReadinessGates.update(checking, TYPE, new ReadinessGates.Health("healthy", null, null), "t4").orElseThrow();
    assertThat(healthy.getStatus()).isEqualTo("True");
    assertThat(healthy.getReason()).isNull();
    assertThat(healthy.getLastTransitionTime()).isEqualTo("t4");
  }

  @Test
  void theInjectorGatesPodsOfIpModeServicesInEnabledNamespacesOnly() {
    List<Service> services = List.of(service("web", Map.of("app", "web")), service("api", Map.of("app", "api")));
    Map<String, List<String>> targetGroups = Map.of("web", List.of(TG, "k8s-shop-web-abcdefabcd"), "api", List.of("k8s-shop-api-0000000000"));
    ReadinessGateInjector injector = new ReadinessGateInjector("shop"::equals, ns -> services,
        (ns, svc) -> targetGroups.getOrDefault(svc, List.of()));

    Pod web = injector.mutate(pod(Map.of("app", "web")), "shop");
    assertThat(ReadinessGates.gates(web)).containsExactly(TYPE, ReadinessGates.conditionType("k8s-shop-web-abcdefabcd"));
    assertThat(ReadinessGates.gates(injector.mutate(pod(Map.of("app", "batch")), "shop"))).isEmpty();
    assertThat(ReadinessGates.gates(injector.mutate(pod(Map.of("app", "web")), "other"))).isEmpty();
  }
}
