package io.albingress.gateway;

import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.albingress.gateway.GatewayExtensions.ConfigSpec;
import io.albingress.gateway.TargetGroupConfigParser.RouteProps;
import io.albingress.gateway.TargetGroupConfigParser.TargetGroupConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the TargetGroupConfiguration of one backend as the reference does ({@code pkg/gateway/routeutils/backend.go},
 * {@code tg_config_constructor.go}): the one in the Service's namespace whose {@code targetReference} names the
 * Service; its {@code defaultConfiguration} with the most specific {@code routeConfigurations} entry for the route
 * merged over it (kind + namespace + name, else kind + namespace, else kind). Two configurations naming one Service,
 * or one that does not parse, is a problem of that backend, never half applied. The Gateway's default
 * TargetGroupConfiguration (a LoadBalancerConfiguration's {@code defaultTargetGroupConfiguration}), resolved for the route
 * the same way, is the fallback field by field: the Service's props win, tags and targetGroupAttributes merge by key
 * ({@code backend_service.go}: MergeProps(serviceProps, gatewayProps)). Pure.
 */
public final class TargetGroupConfigs {
  public static final String KIND = "TargetGroupConfiguration";

  private TargetGroupConfigs() {}

  /**
   * The props for one backend ({@link TargetGroupProps#EMPTY} without a configuration), the Service's configuration used, or the
   * problem; {@code own} are the Service configuration's props alone and {@code defaultSource} names the Gateway's default
   * configuration merged under them (empty without one).
   */
  public record ForBackend(TargetGroupProps props, Optional<String> used, Optional<String> problem, TargetGroupProps own,
      Optional<String> defaultSource) {
    public static final ForBackend NONE = new ForBackend(TargetGroupProps.EMPTY, Optional.empty(), Optional.empty());

    public ForBackend(TargetGroupProps props, Optional<String> used, Optional<String> problem) {
      this(props, used, problem, props, Optional.empty());
    }

    /**
     * The annotations the target group is built from: the Service configuration's fields over the Service's own annotations over
     * the Gateway's default configuration (a Service-level statement wins over the Gateway-wide default; a default health check
     * the Service configuration replaces whole is gone already, as in the reference's merge).
     */
    public Map<String, String> annotations(Map<String, String> service) {
      Map<String, String> out = new LinkedHashMap<>(props.annotations());
      out.putAll(service);
      out.putAll(own.annotations());
      if (!own.attributes().isEmpty()) {
        // targetGroupAttributes merge by key with the default's (the reference's mergeAttributes), the Service configuration's winning
        out.put(io.albingress.annotations.AnnotationCatalog.key("target-group-attributes"), TargetGroupConfigParser.render(props.attributes()));
      }
      return out;
    }

    /**
     * "TargetGroupConfiguration ns/name spec.path" (or the default configuration's) of the field an annotation parser error
     * stands for; empty when it is the Service's own annotation.
     */
    public Optional<String> describe(FieldError e, Map<String, String> service) {
      String key = TargetGroupProps.keyOf(e);
      String path = TargetGroupProps.pathOf(e, props.paths());
      if (own.paths().containsKey(key)) {
        return Optional.of("TargetGroupConfiguration " + used.orElse("") + " " + own.paths().get(key));
      }
      if (service.containsKey(key) || path.equals(e.field())) {
        return Optional.empty();
      }
      return Optional.of(defaultSource.orElse("TargetGroupConfiguration " + used.orElse("")) + " " + path);
    }

    /** Where targetGroupName comes from. */
    public String nameSource() {
      return own.targetGroupName().isPresent() || defaultSource.isEmpty() ? "TargetGroupConfiguration " + used.orElse("") : defaultSource.get();
    }
  }

  public static ForBackend forBackend(List<ConfigSpec> configs, String serviceNamespace, String service, String routeKind,
      String routeNamespace, String routeName) {
    return forBackend(configs, Optional.empty(), serviceNamespace, service, routeKind, routeNamespace, routeName);
  }

  /** @param defaults the Gateway's default TargetGroupConfiguration, if its LoadBalancerConfigurations name one */
  public static ForBackend forBackend(List<ConfigSpec> configs, Optional<LoadBalancerConfigs.DefaultTargetGroups> defaults,
      String serviceNamespace, String service, String routeKind, String routeNamespace, String routeName) {
    ForBackend own = ofService(configs, serviceNamespace, service, routeKind, routeNamespace, routeName);
    if (defaults.isEmpty() || own.problem().isPresent()) {
      return own;
    }
    TargetGroupProps fallback = forRoute(defaults.get().config(), routeKind, routeNamespace, routeName);
    return new ForBackend(TargetGroupProps.merge(own.props(), fallback), own.used(), Optional.empty(), own.props(),
        Optional.of(defaults.get().source()));
  }

  private static ForBackend ofService(List<ConfigSpec> configs, String serviceNamespace, String service, String routeKind,
      String routeNamespace, String routeName) {
    List<ConfigSpec> naming = configs.stream().filter(c -> c.namespace().equals(serviceNamespace))
        .filter(c -> TargetGroupConfigParser.parse(c.spec()).value().service().filter(service::equals).isPresent()).toList();
    if (naming.isEmpty()) {
      return ForBackend.NONE;
    }
    if (naming.size() > 1) {
      return new ForBackend(TargetGroupProps.EMPTY, Optional.empty(), Optional.of("TargetGroupConfigurations "
          + String.join(", ", naming.stream().map(ConfigSpec::key).toList()) + " all name Service " + serviceNamespace + "/" + service
          + " in spec.targetReference; keep one"));
    }
    ConfigSpec c = naming.get(0);
    Parsed<TargetGroupConfig> parsed = TargetGroupConfigParser.parse(c.spec());
    if (!parsed.errors().isEmpty()) {
      return new ForBackend(TargetGroupProps.EMPTY, Optional.of(c.key()), Optional.of("TargetGroupConfiguration " + c.key() + " "
          + String.join("; ", parsed.errors().stream().map(FieldError::render).toList())));
    }
    return new ForBackend(forRoute(parsed.value(), routeKind, routeNamespace, routeName), Optional.of(c.key()), Optional.empty());
  }

  /** The reference's mergeWithLongestMatch: an exact kind/namespace/name entry, else the most specific one without a name. */
  static TargetGroupProps forRoute(TargetGroupConfig config, String kind, String namespace, String name) {
    TargetGroupProps matched = null;
    int longest = 0;
    for (RouteProps r : config.routes()) {
      boolean kindEquals = r.route().kind().equals(kind);
      boolean nsEquals = r.route().namespace().equals(namespace);
      if (kindEquals && nsEquals && r.route().name().equals(name)) {
        matched = r.props();
        break;
      }
      if (!r.route().name().isEmpty()) {
        continue;
      }
      if (kindEquals && nsEquals && longest < 2) {
        matched = r.props();
        longest = 2;
      } else if (kindEquals && r.route().namespace().isEmpty() && longest < 1) {
        matched = r.props();
        longest = 1;
      }
    }
    return matched == null ? config.defaults() : TargetGroupProps.merge(matched, config.defaults());
  }
}
