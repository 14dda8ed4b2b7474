package io.albingress.model;

import io.albingress.annotations.Action;
import io.albingress.annotations.IngressAnnotations;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.Parsed;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An Ingress with its annotations parsed and its routes read, built once and passed to validation,
 * group checks, the builder and the event mapper. {@code services} are the names of the Services
 * (in the Ingress's namespace) its paths, default backend and forward actions reach.
 */
public record ParsedIngress(Ingress ingress, Parsed<IngressConfig> parsed, List<IngressRoutes.Route> routes, Set<String> services) {
  /** The backend port name that points a path at the actions.NAME annotation. */
  public static final String USE_ANNOTATION = "use-annotation";
  private static final int MEMO_LIMIT = 4096;
  /** Parsing depends only on the annotations, so equal annotation maps (the usual case: one object seen again) share a result. */
  private static final Map<Map<String, String>, Parsed<IngressConfig>> MEMO = new ConcurrentHashMap<>();
  private static final LongAdder BUILT = new LongAdder();

  public ParsedIngress {
    routes = List.copyOf(routes);
    services = Set.copyOf(services);
  }

  public static ParsedIngress of(Ingress ingress) {
    BUILT.increment();
    Parsed<IngressConfig> parsed = parse(annotations(ingress));
    List<IngressRoutes.Route> routes = IngressRoutes.of(ingress);
    Set<String> services = new LinkedHashSet<>();
    routes.forEach(r -> services.addAll(servicesOf(r, parsed.value().actions())));
    return new ParsedIngress(ingress, parsed, routes, services);
  }

  /** How many ParsedIngress values were built: lets tests prove a group build parses each member once. */
  public static long built() {
    return BUILT.sum();
  }

  public IngressConfig config() {
    return parsed.value();
  }

  public Map<String, String> annotations() {
    return annotations(ingress);
  }

  public String namespace() {
    return ingress.getMetadata().getNamespace();
  }

  /** The Services a route sends to: its backend Service, or the targets of the forward action it names. */
  public static List<String> servicesOf(IngressRoutes.Route route, Map<String, Action> actions) {
    if (route.backend() == null || route.backend().getService() == null) {
      return List.of();
    }
    var svc = route.backend().getService();
    if (svc.getPort() != null && USE_ANNOTATION.equals(svc.getPort().getName())) {
      return actions.get(svc.getName()) instanceof Action.Forward f
          ? f.targets().stream().flatMap(t -> t.serviceName().stream()).toList()
          : List.of();
    }
    return List.of(svc.getName());
  }

  /** "namespace/service" of every Service the Ingress uses: the keys of the informers' Service → Ingress index. */
  public static List<String> serviceKeys(Ingress ingress) {
    ParsedIngress parsed = of(ingress);
    return parsed.services().stream().sorted().map(s -> parsed.namespace() + "/" + s).toList();
  }

  private static Parsed<IngressConfig> parse(Map<String, String> annotations) {
    Parsed<IngressConfig> known = MEMO.get(annotations);
    if (known != null) {
      return known;
    }
    Parsed<IngressConfig> parsed = IngressAnnotations.parse(annotations);
    if (annotations.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
      return parsed; // Map.copyOf refuses nulls; such a map is not remembered
    }
    if (MEMO.size() >= MEMO_LIMIT) {
      MEMO.clear(); // a crude bound: a full cache is rebuilt from the Ingresses still being read
    }
    MEMO.put(Map.copyOf(annotations), parsed);
    return parsed;
  }

  private static Map<String, String> annotations(Ingress ingress) {
    Map<String, String> a = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }
}
