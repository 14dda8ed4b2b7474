package io.albingress.gateway;

import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the LoadBalancerConfigurations of a Gateway, as the reference: the GatewayClass's
 * {@code spec.parametersRef} (namespace required) and the Gateway's {@code spec.infrastructure.parametersRef}
 * (the Gateway's namespace), both of group {@code gateway.k8s.aws} and kind LoadBalancerConfiguration; parses
 * both and merges them. Any problem (wrong kind, not found, a field that does not parse or is not applied)
 * makes the Gateway Accepted=False InvalidParameters, and nothing is built from it. Pure.
 */
public final class LoadBalancerConfigs {
  public static final String GROUP = "gateway.k8s.aws";
  public static final String KIND = "LoadBalancerConfiguration";

  private LoadBalancerConfigs() {}

  /** The merged configuration, the configurations used ("ns/name"), and every problem (empty when usable). */
  public record Resolved(LoadBalancerConfig config, List<String> used, List<String> problems) {
    public static final Resolved NONE = new Resolved(LoadBalancerConfig.EMPTY, List.of(), List.of());

    public Resolved {
      used = List.copyOf(used);
      problems = List.copyOf(problems);
    }
  }

  /**
   * @param lookup the spec of a LoadBalancerConfiguration by "namespace/name", empty when it does not exist (or the
   *     CRD is not served)
   */
  public static Resolved resolve(Optional<GatewayClass> gc, Gateway gw, Function<String, Optional<Map<String, Object>>> lookup) {
    List<String> problems = new ArrayList<>();
    List<String> used = new ArrayList<>();
    LoadBalancerConfig ofClass = LoadBalancerConfig.EMPTY;
    var classRef = gc.map(GatewayClass::getSpec).map(s -> s.getParametersRef());
    if (classRef.isPresent()) {
      var ref = classRef.get();
      String where = "GatewayClass " + gc.get().getMetadata().getName() + " spec.parametersRef";
      if (!GROUP.equals(ref.getGroup()) || !KIND.equals(ref.getKind())) {
        problems.add(where + ": " + ref.getGroup() + "/" + ref.getKind() + " is not supported (expected " + GROUP + "/" + KIND + ")");
      } else if (ref.getNamespace() == null || ref.getNamespace().isEmpty()) {
        problems.add(where + ": namespace is required for a LoadBalancerConfiguration");
      } else {
        ofClass = load(where, ref.getNamespace() + "/" + ref.getName(), lookup, used, problems);
      }
    }
    LoadBalancerConfig ofGateway = LoadBalancerConfig.EMPTY;
    var infra = gw.getSpec().getInfrastructure();
    if (infra != null && infra.getParametersRef() != null) {
      var ref = infra.getParametersRef();
      String where = "spec.infrastructure.parametersRef";
      if (!GROUP.equals(ref.getGroup()) || !KIND.equals(ref.getKind())) {
        problems.add(where + ": " + ref.getGroup() + "/" + ref.getKind() + " is not supported (expected " + GROUP + "/" + KIND + ")");
      } else {
        ofGateway = load(where, gw.getMetadata().getNamespace() + "/" + ref.getName(), lookup, used, problems);
      }
    }
    return new Resolved(LoadBalancerConfig.merge(ofClass, ofGateway), used, problems);
  }

  /** The problems of the GatewayClass's own parametersRef: its Accepted=False InvalidParameters when any. */
  public static List<String> classProblems(GatewayClass gc, Function<String, Optional<Map<String, Object>>> lookup) {
    if (gc.getSpec() == null || gc.getSpec().getParametersRef() == null) {
      return List.of();
    }
    Gateway none = new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder().withNewMetadata().withNamespace("").endMetadata()
        .withNewSpec().endSpec().build();
    return resolve(Optional.of(gc), none, lookup).problems();
  }

  private static LoadBalancerConfig load(String where, String key, Function<String, Optional<Map<String, Object>>> lookup,
      List<String> used, List<String> problems) {
    Optional<Map<String, Object>> spec = lookup.apply(key);
    if (spec.isEmpty()) {
      problems.add(where + ": LoadBalancerConfiguration " + key + " not found");
      return LoadBalancerConfig.EMPTY;
    }
    used.add(key);
    Parsed<LoadBalancerConfig> parsed = LoadBalancerConfigParser.parse(spec.get());
    parsed.errors().stream().map(FieldError::render).forEach(e -> problems.add("LoadBalancerConfiguration " + key + " " + e));
    return parsed.value();
  }
}
