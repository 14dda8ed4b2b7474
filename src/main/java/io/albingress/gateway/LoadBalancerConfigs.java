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
 * both and merges them. Each one's {@code defaultTargetGroupConfiguration} names a TargetGroupConfiguration of its own
 * namespace without {@code targetReference} ({@code controllers/gateway/config_resolver.go}); the two are merged as the
 * reference's MergeDefaultTGCs does: the side the GatewayClass's mergingMode prefers (default the class) wins field by
 * field in {@code defaultConfiguration}, and its {@code routeConfigurations} are kept. Any problem (wrong kind, not found,
 * a field that does not parse or is not applied, a default TargetGroupConfiguration that is missing or not usable) makes
 * the Gateway Accepted=False InvalidParameters (with a Warning Event), and nothing is built from it: the live ALB stays
 * as it is (the reference fails the reconciliation the same way). Pure.
 */
public final class LoadBalancerConfigs {
  public static final String GROUP = "gateway.k8s.aws";
  public static final String KIND = "LoadBalancerConfiguration";

  private LoadBalancerConfigs() {}

  /**
   * The merged configuration, the configurations used ("ns/name"), every problem (empty when usable), and the default
   * TargetGroupConfiguration(s) the LoadBalancerConfigurations name, merged.
   */
  public record Resolved(LoadBalancerConfig config, List<String> used, List<String> problems, Optional<DefaultTargetGroups> defaults) {
    public static final Resolved NONE = new Resolved(LoadBalancerConfig.EMPTY, List.of(), List.of());

    public Resolved {
      used = List.copyOf(used);
      problems = List.copyOf(problems);
    }

    public Resolved(LoadBalancerConfig config, List<String> used, List<String> problems) {
      this(config, used, problems, Optional.empty());
    }
  }

  /**
   * The default TargetGroupConfiguration of a Gateway: its parsed spec and where it comes from ("default
   * TargetGroupConfiguration ns/name", both names when the GatewayClass's and the Gateway's are merged), for messages.
   */
  public record DefaultTargetGroups(String source, TargetGroupConfigParser.TargetGroupConfig config) {}

  /** Without TargetGroupConfigurations: a defaultTargetGroupConfiguration is then not found. */
  public static Resolved resolve(Optional<GatewayClass> gc, Gateway gw, Function<String, Optional<Map<String, Object>>> lookup) {
    return resolve(gc, gw, lookup, k -> Optional.empty());
  }

  /**
   * @param lookup the spec of a LoadBalancerConfiguration by "namespace/name", empty when it does not exist (or the
   *     CRD is not served)
   */
  /**
   * @param targetGroupConfigs the spec of a TargetGroupConfiguration by "namespace/name", empty when it does not exist (or the
   *     CRD is not served)
   */
  public static Resolved resolve(Optional<GatewayClass> gc, Gateway gw, Function<String, Optional<Map<String, Object>>> lookup,
      Function<String, Optional<Map<String, Object>>> targetGroupConfigs) {
    List<String> problems = new ArrayList<>();
    List<String> used = new ArrayList<>();
    LoadBalancerConfig ofClass = LoadBalancerConfig.EMPTY;
    Optional<DefaultTargetGroups> classDefaults = Optional.empty();
    Optional<DefaultTargetGroups> gatewayDefaults = Optional.empty();
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
        classDefaults = defaults(ref.getNamespace(), ref.getName(), ofClass, targetGroupConfigs, problems);
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
        gatewayDefaults = defaults(gw.getMetadata().getNamespace(), ref.getName(), ofGateway, targetGroupConfigs, problems);
      }
    }
    boolean preferGateway = ofClass.mergingMode().map(LoadBalancerConfig.PREFER_GATEWAY::equals).orElse(false);
    Optional<DefaultTargetGroups> defaults = preferGateway ? mergeDefaults(gatewayDefaults, classDefaults)
        : mergeDefaults(classDefaults, gatewayDefaults);
    return new Resolved(LoadBalancerConfig.merge(ofClass, ofGateway), used, problems, defaults);
  }

  /**
   * The default TargetGroupConfiguration a LoadBalancerConfiguration names, from its own namespace: it must exist, parse and
   * have no targetReference (as the reference's lookUpDefaultTGCByName).
   */
  private static Optional<DefaultTargetGroups> defaults(String namespace, String lbc, LoadBalancerConfig config,
      Function<String, Optional<Map<String, Object>>> targetGroupConfigs, List<String> problems) {
    if (config.defaultTargetGroupConfiguration().isEmpty()) {
      return Optional.empty();
    }
    String key = namespace + "/" + config.defaultTargetGroupConfiguration().get();
    String where = "LoadBalancerConfiguration " + namespace + "/" + lbc + " spec.defaultTargetGroupConfiguration.name: ";
    Optional<Map<String, Object>> spec = targetGroupConfigs.apply(key);
    if (spec.isEmpty()) {
      problems.add(where + "TargetGroupConfiguration " + key + " not found");
      return Optional.empty();
    }
    Parsed<TargetGroupConfigParser.TargetGroupConfig> parsed = TargetGroupConfigParser.parse(spec.get());
    if (!parsed.errors().isEmpty()) {
      problems.add(where + "TargetGroupConfiguration " + key + " " + String.join("; ", parsed.errors().stream().map(FieldError::render).toList()));
      return Optional.empty();
    }
    if (parsed.value().service().isPresent()) {
      problems.add(where + "TargetGroupConfiguration " + key + " has spec.targetReference (Service " + parsed.value().service().get()
          + "); a default TargetGroupConfiguration must not have one: name another, or remove its targetReference");
      return Optional.empty();
    }
    return Optional.of(new DefaultTargetGroups("default TargetGroupConfiguration " + key + " (of LoadBalancerConfiguration " + namespace
        + "/" + lbc + ")", parsed.value()));
  }

  /** The reference's MergeDefaultTGCs: {@code high}'s defaultConfiguration over {@code low}'s, {@code high}'s routeConfigurations. */
  static Optional<DefaultTargetGroups> mergeDefaults(Optional<DefaultTargetGroups> high, Optional<DefaultTargetGroups> low) {
    if (high.isEmpty() || low.isEmpty()) {
      return high.or(() -> low);
    }
    var h = high.get().config();
    return Optional.of(new DefaultTargetGroups(high.get().source() + " over " + low.get().source(),
        new TargetGroupConfigParser.TargetGroupConfig(Optional.empty(), TargetGroupProps.merge(h.defaults(), low.get().config().defaults()),
            h.routes())));
  }

  /** The problems of the GatewayClass's own parametersRef: its Accepted=False InvalidParameters when any. */
  public static List<String> classProblems(GatewayClass gc, Function<String, Optional<Map<String, Object>>> lookup) {
    return classProblems(gc, lookup, k -> Optional.empty());
  }

  /** As {@link #classProblems(GatewayClass, Function)}, its default TargetGroupConfiguration looked up in {@code targetGroupConfigs}. */
  public static List<String> classProblems(GatewayClass gc, Function<String, Optional<Map<String, Object>>> lookup,
      Function<String, Optional<Map<String, Object>>> targetGroupConfigs) {
    if (gc.getSpec() == null || gc.getSpec().getParametersRef() == null) {
      return List.of();
    }
    Gateway none = new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder().withNewMetadata().withNamespace("").endMetadata()
        .withNewSpec().endSpec().build();
    return resolve(Optional.of(gc), none, lookup, targetGroupConfigs).problems();
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
