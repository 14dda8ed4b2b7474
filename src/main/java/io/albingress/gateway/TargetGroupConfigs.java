package io.albingress.gateway;

import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.albingress.gateway.GatewayExtensions.ConfigSpec;
import io.albingress.gateway.TargetGroupConfigParser.RouteProps;
import io.albingress.gateway.TargetGroupConfigParser.TargetGroupConfig;
import java.util.List;
import java.util.Optional;

/**
 * Finds the TargetGroupConfiguration of one backend as the reference does ({@code pkg/gateway/routeutils/backend.go},
 * {@code tg_config_constructor.go}): the one in the Service's namespace whose {@code targetReference} names the
 * Service; its {@code defaultConfiguration} with the most specific {@code routeConfigurations} entry for the route
 * merged over it (kind + namespace + name, else kind + namespace, else kind). Two configurations naming one Service,
 * or one that does not parse, is a problem of that backend, never half applied. Pure.
 */
public final class TargetGroupConfigs {
  public static final String KIND = "TargetGroupConfiguration";

  private TargetGroupConfigs() {}

  /** The props for one backend ({@link TargetGroupProps#EMPTY} without a configuration), the configuration used, or the problem. */
  public record ForBackend(TargetGroupProps props, Optional<String> used, Optional<String> problem) {
    public static final ForBackend NONE = new ForBackend(TargetGroupProps.EMPTY, Optional.empty(), Optional.empty());
  }

  public static ForBackend forBackend(List<ConfigSpec> configs, String serviceNamespace, String service, String routeKind,
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
