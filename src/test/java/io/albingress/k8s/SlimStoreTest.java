package io.albingress.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.targets.DesiredTargets;
import io.albingress.targets.ReadinessGates;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlimStoreTest {
  private static final String GATE = ReadinessGates.conditionType("k8s-shop-web-0123456789");

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u1").withResourceVersion("7")
        .withLabels(Map.of("app", "web")).withAnnotations(Map.of("big", "x".repeat(1000)))
        .addNewManagedField().withManager("kubelet").endManagedField().endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("nginx").addNewEnv().withName("A").withValue("1").endEnv().endContainer()
        .addNewReadinessGate().withConditionType(GATE).endReadinessGate().withNodeName("n1").endSpec()
        .withNewStatus().withPodIP("10.0.0.5").addNewCondition().withType("ContainersReady").withStatus("True").endCondition()
        .addNewCondition().withType(GATE).withStatus("False").endCondition().addNewContainerStatus().withName("web").endContainerStatus()
        .endStatus().build();
  }

  @Test
  void aSlimPodAnswersEveryReadinessGateQuestionAsTheWholeOne() {
    Pod full = pod();
    Pod slim = SlimStore.pod(full);
    assertThat(ReadinessGates.gates(slim)).isEqualTo(ReadinessGates.gates(full)).containsExactly(GATE);
    assertThat(ReadinessGates.waiting(slim, GATE)).isTrue();
    assertThat(ReadinessGates.waitsOnlyOnGates(slim)).isEqualTo(ReadinessGates.waitsOnlyOnGates(full)).isTrue();
    assertThat(slim.getStatus().getPodIP()).isEqualTo("10.0.0.5");
    assertThat(slim.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(slim.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(slim.getSpec().getContainers()).isEmpty();
    assertThat(slim.getStatus().getContainerStatuses()).isEmpty();
    assertThat(slim.getMetadata().getManagedFields()).isEmpty();
    assertThat(slim.getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void aSlimNodeIsTheSameNodeViewAndAStoreKeepsOnlyTheSlimOne() {
    Node full = new NodeBuilder().withNewMetadata().withName("n1").withUid("u").withLabels(Map.of("zone", "a"))
        .addNewManagedField().withManager("kubelet").endManagedField().endMetadata()
        .withNewSpec().withProviderID("aws:///us-west-2a/i-0123").addNewTaint().withKey("k").withEffect("NoSchedule").endTaint().endSpec()
        .withNewStatus().addNewImage().withNames("registry/very/large/image:tag").endImage().endStatus().build();
    assertThat(DesiredTargets.NodeView.of(SlimStore.node(full))).isEqualTo(DesiredTargets.NodeView.of(full));

    SlimStore<Node> store = new SlimStore<>(SlimStore::node);
    store.put(store.getKey(full), full);
    Node kept = store.get("n1");
    assertThat(kept.getStatus()).isNull();
    assertThat(kept.getMetadata().getManagedFields()).isEmpty();
  }

  @Test
  void aSlimEndpointSliceKeepsItsEndpointsPortsAndServiceLabel() {
    EndpointSlice full = new EndpointSliceBuilder().withNewMetadata().withName("web-abc").withNamespace("shop")
        .withLabels(Map.of(Informers.SERVICE_NAME_LABEL, "web")).withAnnotations(Map.of("a", "b")).endMetadata()
        .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).endPort()
        .addNewEndpoint().withAddresses(List.of("10.0.0.5")).withNewConditions().withReady(true).endConditions().endEndpoint().build();
    EndpointSlice slim = SlimStore.endpointSlice(full);
    assertThat(slim.getEndpoints()).isEqualTo(full.getEndpoints());
    assertThat(slim.getPorts()).isEqualTo(full.getPorts());
    assertThat(slim.getAddressType()).isEqualTo("IPv4");
    assertThat(slim.getMetadata().getLabels()).containsEntry(Informers.SERVICE_NAME_LABEL, "web");
    assertThat(slim.getMetadata().getAnnotations()).isNullOrEmpty();
  }
}
