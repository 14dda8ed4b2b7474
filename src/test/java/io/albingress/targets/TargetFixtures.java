package io.albingress.targets;

import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.ProtocolVersion;
import io.albingress.annotations.TargetType;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/** Target groups, Nodes and EndpointSlices for the pure target tests. */
final class TargetFixtures {
  private TargetFixtures() {}

  static TargetGroup targetGroup(TargetType type, int port, String targetPort, Map<String, String> nodeLabels) {
    return new TargetGroup("shop/web:80", "k8s-shop-web-0123456789", new TargetGroup.ServiceRef("shop", "web", "80", 80, targetPort, 30080),
        type, Protocol.HTTP, ProtocolVersion.HTTP1, port, new HealthCheck("traffic-port", Protocol.HTTP, "/", 15, 5, 2, 2, "200"),
        Map.of(), nodeLabels, Map.of());
  }

  static TargetGroup instanceMode(Map<String, String> nodeLabels) {
    return targetGroup(TargetType.INSTANCE, 30080, "8080", nodeLabels);
  }

  static TargetGroup ipMode(String targetPort) {
    return targetGroup(TargetType.IP, 8080, targetPort, Map.of());
  }

  static Node node(String name, String providerId, String ready, Map<String, String> labels) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus().build();
  }

  static Node node(String name, String instanceId) {
    return node(name, "aws:///us-west-2a/" + instanceId, "True", Map.of());
  }

  static EndpointSlice slice(String addressType, String portName, int port, Endpoint... endpoints) {
    return new EndpointSliceBuilder().withNewMetadata().withNamespace("shop").withName("web-" + port)
        .withLabels(Map.of("kubernetes.io/service-name", "web")).endMetadata()
        .withAddressType(addressType).withPorts(new EndpointPortBuilder().withName(portName).withPort(port).withProtocol("TCP").build())
        .withEndpoints(endpoints).build();
  }

  /** An endpoint of pod shop/<pod>; null conditions stay unset. */
  static Endpoint endpoint(String ip, String pod, Boolean ready, Boolean serving, Boolean terminating) {
    return new EndpointBuilder().withAddresses(List.of(ip))
        .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
        .withNewTargetRef().withKind("Pod").withNamespace("shop").withName(pod).endTargetRef().build();
  }
}
