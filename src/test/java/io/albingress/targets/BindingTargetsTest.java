package io.albingress.targets;

import static io.albingress.targets.TargetFixtures.endpoint;
import static io.albingress.targets.TargetFixtures.node;
import static io.albingress.targets.TargetFixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.TargetType;
import io.albingress.binding.NodeSelector;
import io.albingress.binding.TargetGroupBinding;
import io.albingress.model.Target;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one target sync serves TargetGroupBindings: their model from the Service, then the same desired targets. */
class BindingTargetsTest {
  static final String ARN = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/users-tg/0123456789abcdef";

  static TargetGroupBinding binding(String type, Object port, Map<String, Object> nodeSelector) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("targetGroupARN", ARN);
    spec.put("targetType", type);
    spec.put("serviceRef", Map.of("name", "web", "port", port));
    if (nodeSelector != null) {
      spec.put("nodeSelector", nodeSelector);
    }
    return TargetGroupBinding.of("shop", "web-tgb", "u1", 1, false, spec);
  }

  static Service service(Integer nodePort) {
    return new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata().withNewSpec()
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http-alt")).withNodePort(nodePort).endPort()
        .endSpec().build();
  }

  @Test
  void instanceModeTakesTheNodePortByNumberOrName() {
    for (Object port : List.of(80, "http")) {
      TargetGroup tg = BindingTargets.resolve(binding("instance", port, null), Optional.of(service(30080))).model().orElseThrow();
      assertThat(tg.targetType()).isEqualTo(TargetType.INSTANCE);
      assertThat(tg.port()).isEqualTo(30080);
      assertThat(tg.name()).as("the readiness gate is named after the binding").isEqualTo("web-tgb");
      assertThat(DesiredTargets.instances(tg, List.of(node("a", "i-0a"), node("b", "i-0b"))).targets())
          .containsExactlyInAnyOrder(new Target("i-0a", 30080), new Target("i-0b", 30080));
    }
  }

  @Test
  void ipModeTakesTheReadyEndpointsOnTheTargetPort() {
    TargetGroup tg = BindingTargets.resolve(binding("ip", 80, null), Optional.of(service(null))).model().orElseThrow();
    assertThat(tg.service().targetPort()).isEqualTo("http-alt");
    var slices = List.of(slice("IPv4", "http", 8080, endpoint("10.0.0.1", "p1", true, true, false),
        endpoint("10.0.0.2", "p2", false, false, false)));
    assertThat(DesiredTargets.ips(tg, "http", slices, pod -> false)).containsExactly(new Target("10.0.0.1", 8080));
    // scale up: a second ready pod becomes a target; scale down: gone again
    var more = List.of(slice("IPv4", "http", 8080, endpoint("10.0.0.1", "p1", true, true, false), endpoint("10.0.0.3", "p3", true, true, false)));
    assertThat(DesiredTargets.ips(tg, "http", more, pod -> false)).hasSize(2);
  }

  @Test
  void theNodeSelectorNarrowsInstanceTargets() {
    TargetGroupBinding b = binding("instance", 80, Map.of("matchExpressions",
        List.of(Map.of("key", "pool", "operator", "In", "values", List.of("web")))));
    TargetGroup tg = BindingTargets.resolve(b, Optional.of(service(30080))).model().orElseThrow();
    var web = node("web", "aws:///us-west-2a/i-0w", "True", Map.of("pool", "web"));
    var batch = node("batch", "aws:///us-west-2a/i-0b", "True", Map.of("pool", "batch"));
    assertThat(DesiredTargets.instances(tg, List.of(web, batch), b.nodeSelector()).targets()).containsExactly(new Target("i-0w", 30080));
    assertThat(DesiredTargets.instances(tg, List.of(web, batch), Optional.empty()).targets()).hasSize(2);
  }

  @Test
  void controlPlaneNodesOnlyWhenTheSelectorNamesThem() {
    TargetGroup tg = BindingTargets.resolve(binding("instance", 80, null), Optional.of(service(30080))).model().orElseThrow();
    var cp = node("cp", "aws:///us-west-2a/i-0c", "True", Map.of(DesiredTargets.CONTROL_PLANE_LABEL, ""));
    assertThat(DesiredTargets.instances(tg, List.of(cp), Optional.empty()).targets()).isEmpty();
    NodeSelector onCp = new NodeSelector(Map.of(DesiredTargets.CONTROL_PLANE_LABEL, ""), List.of());
    assertThat(DesiredTargets.instances(tg, List.of(cp), Optional.of(onCp)).targets()).containsExactly(new Target("i-0c", 30080));
  }

  @Test
  void aMissingServicePortOrNodePortIsAProblemNotATarget() {
    assertThat(BindingTargets.resolve(binding("ip", 80, null), Optional.empty()).problem()).contains("Service shop/web not found");
    assertThat(BindingTargets.resolve(binding("ip", 81, null), Optional.of(service(null))).problem()).contains("has no port 81");
    assertThat(BindingTargets.resolve(binding("instance", 80, null), Optional.of(service(null))).problem())
        .contains("has no NodePort").contains("spec.targetType ip");
  }

  @Test
  void theOwnersOfTheOneSyncAreToldApart() {
    TargetsVerticle.Binding tgb = TargetsVerticle.Binding.of(binding("ip", 80, null));
    assertThat(tgb.owner()).isEqualTo("binding:shop/web-tgb");
    assertThat(tgb.arn()).isEqualTo(ARN);
    assertThat(tgb.ipMode()).isTrue();
    assertThat(tgb.uses("shop", "web")).isTrue();
    assertThat(tgb.gateType()).isEqualTo("target-health.elbv2.k8s.aws/web-tgb");
    assertThat(tgb.label()).contains("TargetGroupBinding shop/web-tgb").contains("users-tg");
  }
}
