package io.albingress.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The status a GatewayClass of ours gets as soon as it appears or changes (no Gateway needed): the same
 * conditions again when nothing changed, so the writer, which compares, writes nothing.
 */
class GatewayClassStatusTest {
  static final String T0 = "2025-01-01T00:00:00Z";
  static final String T1 = "2025-01-02T00:00:00Z";
  static final Function<String, Optional<Map<String, Object>>> NONE = key -> Optional.empty();

  static GatewayClass gatewayClass(String parametersRef) {
    return GatewayFixtures.yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: alb, generation: 4}
        spec:
          controllerName: gateway.k8s.aws/alb
        """ + parametersRef.indent(2), GatewayClass.class);
  }

  static List<Condition> conditions(GatewayClass gc, String now, Function<String, Optional<Map<String, Object>>> lookup) {
    return GatewayStatuses.classConditions(gc, now, LoadBalancerConfigs.classProblems(gc, lookup));
  }

  static GatewayClass withStatus(GatewayClass gc, List<Condition> conditions) {
    GatewayClassStatus status = new GatewayClassStatus();
    status.setConditions(conditions);
    gc.setStatus(status);
    return gc;
  }

  @Test
  void acceptedWithoutParametersAndUnchangedTheNextTime() {
    GatewayClass gc = gatewayClass("");
    List<Condition> first = conditions(gc, T0, NONE);
    assertThat(first).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("Accepted");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getObservedGeneration()).isEqualTo(4L);
      assertThat(c.getLastTransitionTime()).isEqualTo(T0);
    });
    // later, nothing changed: equal, so no status write
    assertThat(conditions(withStatus(gc, first), T1, NONE)).isEqualTo(first);
  }

  @Test
  void aMissingLoadBalancerConfigurationIsInvalidParametersUntilItExists() {
    GatewayClass gc = gatewayClass("parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, namespace: infra, name: lbc}\n");
    List<Condition> missing = conditions(gc, T0, NONE);
    assertThat(missing).singleElement().satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo(GatewayStackBuilder.INVALID_PARAMETERS);
      assertThat(c.getMessage()).contains("infra/lbc", "not found");
    });
    assertThat(conditions(withStatus(gc, missing), T1, NONE)).isEqualTo(missing);
    List<Condition> found = conditions(withStatus(gc, missing), T1, key -> Optional.of(Map.of("scheme", "internal")));
    assertThat(found).singleElement().satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getLastTransitionTime()).isEqualTo(T1);
    });
  }
}
