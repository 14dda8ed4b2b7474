package io.albingress.model;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The routes of an Ingress in spec order: each rule path, then the default backend. */
public final class IngressRoutes {

  /**
   * One path (or the default backend, with an empty path). {@code field} names it for messages, e.g.
   * {@code spec.rules[0].http.paths[1]}.
   */
  public record Route(String field, Optional<String> host, Optional<String> path, String pathType, IngressBackend backend) {
    public boolean isDefaultBackend() {
      return path.isEmpty() && host.isEmpty() && field.equals("spec.defaultBackend");
    }
  }

  private IngressRoutes() {}

  public static List<Route> of(Ingress ingress) {
    return routes(ingress, false);
  }

  /**
   * As {@link #of}, with the paths of each rule in the order ALB rules must match them for Ingress
   * semantics, as the reference controller sorts them: Exact paths, then Prefix paths longest first,
   * then ImplementationSpecific paths as written.
   */
  public static List<Route> byPrecedence(Ingress ingress) {
    return routes(ingress, true);
  }

  private static List<Route> routes(Ingress ingress, boolean sorted) {
    List<Route> routes = new ArrayList<>();
    IngressSpec spec = ingress.getSpec();
    if (spec == null) {
      return routes;
    }
    List<IngressRule> rules = spec.getRules() == null ? List.of() : spec.getRules();
    for (int i = 0; i < rules.size(); i++) {
      IngressRule rule = rules.get(i);
      Optional<String> host = Optional.ofNullable(rule.getHost()).filter(h -> !h.isEmpty());
      if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
        continue;
      }
      List<Route> ofRule = new ArrayList<>();
      List<HTTPIngressPath> paths = rule.getHttp().getPaths();
      for (int j = 0; j < paths.size(); j++) {
        HTTPIngressPath p = paths.get(j);
        String type = p.getPathType() == null ? "ImplementationSpecific" : p.getPathType();
        ofRule.add(new Route("spec.rules[" + i + "].http.paths[" + j + "]", host,
            Optional.ofNullable(p.getPath()).filter(s -> !s.isEmpty()), type, p.getBackend()));
      }
      if (sorted) {
        ofRule.sort(PRECEDENCE); // stable: equal ranks keep spec order
      }
      routes.addAll(ofRule);
    }
    if (spec.getDefaultBackend() != null) {
      routes.add(new Route("spec.defaultBackend", Optional.empty(), Optional.empty(), "", spec.getDefaultBackend()));
    }
    return routes;
  }

  private static final Comparator<Route> PRECEDENCE = Comparator.comparingInt((Route r) -> switch (r.pathType()) {
    case "Exact" -> 0;
    case "Prefix" -> 1;
    default -> 2;
  }).thenComparingInt(r -> r.pathType().equals("Prefix") ? -r.path().map(String::length).orElse(0) : 0);

  /** Hosts named in rules and tls, which certificates should cover. */
  public static List<String> hosts(Ingress ingress) {
    List<String> hosts = new ArrayList<>();
    IngressSpec spec = ingress.getSpec();
    if (spec == null) {
      return hosts;
    }
    if (spec.getRules() != null) {
      spec.getRules().stream().map(IngressRule::getHost).filter(h -> h != null && !h.isEmpty()).forEach(hosts::add);
    }
    if (spec.getTls() != null) {
      spec.getTls().stream().filter(t -> t.getHosts() != null).flatMap(t -> t.getHosts().stream())
          .filter(h -> h != null && !h.isEmpty()).forEach(hosts::add);
    }
    return hosts.stream().distinct().toList();
  }

  /** use-regex-path-match makes ImplementationSpecific paths regular expressions, as in the reference. */
  public static boolean usesRegexPath(io.albingress.annotations.IngressConfig config, Route route) {
    return config.useRegexPathMatch() && route.path().isPresent() && route.pathType().equals("ImplementationSpecific");
  }

  public static boolean hasTls(Ingress ingress) {
    return ingress.getSpec() != null && ingress.getSpec().getTls() != null && !ingress.getSpec().getTls().isEmpty();
  }
}
