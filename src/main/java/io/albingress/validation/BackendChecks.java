package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.Action;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.TargetAnnotations;
import io.albingress.annotations.TargetConfig;
import io.albingress.annotations.TargetType;
import io.albingress.model.IngressRoutes;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks each backend Service: it exists, has the port, and suits the target type. */
final class BackendChecks {
  static final String USE_ANNOTATION = "use-annotation";
  private static final Set<String> NODE_PORT_TYPES = Set.of("NodePort", "LoadBalancer");

  private final Ingress ingress;
  private final List<IngressRoutes.Route> routes;
  private final IngressConfig config;
  private final ClusterView cluster;
  private final Findings findings;
  private final Map<String, String> annotations;
  private final String namespace;
  /** Annotation parses by Service name: a Service behind many paths is parsed once per review. */
  private final Map<String, io.albingress.annotations.Parsed<TargetConfig>> targetsByService = new java.util.HashMap<>();
  private final Map<String, List<io.albingress.annotations.FieldError>> tagErrorsByService = new java.util.HashMap<>();
  private io.albingress.annotations.Parsed<TargetConfig> ingressTargets;
  /** The cache's answer for each Service name, looked up once per review however many paths use it. */
  private final Map<String, Optional<Service>> services = new java.util.HashMap<>();

  /** {@code routes}: the Ingress's, as {@link IngressRoutes#of} reads them (read once per review). */
  BackendChecks(Ingress ingress, List<IngressRoutes.Route> routes, IngressConfig config, ClusterView cluster, Findings findings) {
    this.ingress = ingress;
    this.routes = routes;
    this.config = config;
    this.cluster = cluster;
    this.findings = findings;
    this.annotations = IngressValidator.annotations(ingress);
    this.namespace = ingress.getMetadata().getNamespace();
  }

  void run() {
    findings.deny(ingressTargets().errors());
    warnUnusedConditions();
    for (IngressRoutes.Route route : routes) {
      String field = route.isDefaultBackend() ? route.field() : route.field() + ".backend";
      if (route.backend() == null) {
        continue;
      }
      if (route.backend().getResource() != null) {
        findings.deny(field + ".resource: resource backends are not supported by the ALB controller; use a Service backend");
        continue;
      }
      IngressServiceBackend service = route.backend().getService();
      if (service == null || service.getName() == null) {
        continue;
      }
      String portName = service.getPort() == null ? null : service.getPort().getName();
      if (USE_ANNOTATION.equals(portName)) {
        checkAnnotationAction(field, service.getName());
      } else {
        checkService(field, service.getName(), portOf(service));
      }
    }
  }

  private io.albingress.annotations.Parsed<TargetConfig> ingressTargets() {
    if (ingressTargets == null) {
      ingressTargets = TargetAnnotations.parse(annotations);
    }
    return ingressTargets;
  }

  /**
   * `conditions.<name>` applies to the paths whose backend is Service {@code name} (a real Service or
   * a use-annotation action); a typo in the name silently drops the extra conditions, such as a
   * source-ip restriction.
   */
  private void warnUnusedConditions() {
    Set<String> backends = routes.stream()
        .map(r -> r.backend() == null || r.backend().getService() == null ? null : r.backend().getService().getName())
        .filter(n -> n != null).collect(Collectors.toSet());
    for (String name : config.conditions().keySet()) {
      if (!backends.contains(name)) {
        findings.warn(key("conditions." + name) + " applies to no path: no backend of this Ingress is named \"" + name
            + "\" (backends: " + (backends.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(backends)))
            + "), so these conditions are ignored");
      }
    }
  }

  private void checkAnnotationAction(String field, String actionName) {
    Action action = config.actions().get(actionName);
    if (action == null) {
      if (!annotations.containsKey(key("actions." + actionName))) {
        findings.deny(field + ".service.port.name: \"" + USE_ANNOTATION + "\" needs the annotation "
            + key("actions." + actionName) + ", which is missing");
      }
      return;
    }
    if (action instanceof Action.Forward forward) {
      for (Action.ForwardTarget target : forward.targets()) {
        if (target.serviceName().isPresent()) {
          checkService(key("actions." + actionName), target.serviceName().get(), target.servicePort().orElse(""));
        }
      }
    }
  }

  private void checkService(String field, String name, String port) {
    String id = "Service " + namespace + "/" + name;
    if (!cluster.knowsServices()) {
      return;
    }
    Optional<Service> found = services.computeIfAbsent(name, n -> cluster.service(namespace, n));
    if (found.isEmpty()) {
      boolean instance = ingressTargets().value().targetType() == TargetType.INSTANCE;
      findings.warn(field + ": " + id + " does not exist yet; the ALB routes to it once it is created"
          + (instance ? " (with target-type instance it must be of type NodePort or LoadBalancer)" : ""));
      return;
    }
    Service svc = found.get();
    // a Service without annotations of ours reads as the Ingress alone: its parse is the Ingress's, and it has no tags
    boolean own = hasOurs(ClusterView.annotations(svc));
    var parsed = own ? targetsByService.computeIfAbsent(name, n -> TargetAnnotations.parse(annotations, ClusterView.annotations(svc), id))
        : ingressTargets();
    findings.deny(parsed.errors());
    if (own) {
      findings.deny(tagErrorsByService.computeIfAbsent(name, n -> TargetAnnotations.serviceTags(ClusterView.annotations(svc), id).errors()));
    }
    TargetConfig target = parsed.value();
    String type = svc.getSpec() == null || svc.getSpec().getType() == null ? "ClusterIP" : svc.getSpec().getType();
    if (type.equals("ExternalName")) {
      findings.deny(field + ": " + id + " is of type ExternalName, which has no endpoints or node ports an ALB can reach");
      return;
    }
    List<ServicePort> ports = svc.getSpec() == null || svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
    boolean hasPort = ports.stream().anyMatch(p -> port.equals(String.valueOf(p.getPort())) || port.equals(p.getName()));
    if (!hasPort) {
      findings.deny(field + ": " + id + " has no port " + (port.isEmpty() ? "(none given)" : "\"" + port + "\"")
          + "; it has " + describe(ports));
    }
    if (target.targetType() == TargetType.INSTANCE && !NODE_PORT_TYPES.contains(type)) {
      findings.deny(field + ": " + id + " is of type " + type + ", but target-type instance sends traffic to a NodePort;"
          + " change the Service to type: NodePort, or set " + key("target-type") + ": ip");
    } else if (target.targetType() == TargetType.INSTANCE && Boolean.FALSE.equals(svc.getSpec().getAllocateLoadBalancerNodePorts())) {
      findings.deny(field + ": " + id + " sets allocateLoadBalancerNodePorts: false, so it has no NodePort for target-type instance;"
          + " allocate node ports, or set " + key("target-type") + ": ip");
    } else {
      checkNamedHealthCheckPort(id, target, ports);
    }
    boolean ipv6 = svc.getSpec().getIpFamilies() != null && svc.getSpec().getIpFamilies().contains("IPv6");
    if (ipv6 && target.targetType() == TargetType.IP && loadBalancerIpType() == IpAddressType.IPV4) {
      findings.deny(field + ": " + id + " has IPv6 endpoints (ipFamilies " + svc.getSpec().getIpFamilies() + "), so its target-type ip"
          + " target group is ipv6, which an ipv4 load balancer cannot reach; set " + key("ip-address-type") + ": dualstack");
    }
  }

  /** The ALB's ip-address-type: this Ingress's, else another group member's (members that set it must agree), else ipv4. */
  private IpAddressType loadBalancerIpType() {
    if (annotations.containsKey(key("ip-address-type")) || config.groupName().isEmpty()) {
      return config.ipAddressType();
    }
    return cluster.parsedGroupMembers(config.groupName().get()).stream()
        .filter(m -> m.annotations().containsKey(key("ip-address-type")))
        .map(m -> m.config().ipAddressType()).findFirst().orElse(IpAddressType.IPV4);
  }

  /**
   * As in the reference, a named healthcheck-port is a port name of the Service: its NodePort in
   * instance mode, its numeric targetPort in IP mode.
   */
  private void checkNamedHealthCheckPort(String id, TargetConfig target, List<ServicePort> ports) {
    String hcPort = target.healthCheck().port();
    boolean named = !hcPort.equals(TargetAnnotations.TRAFFIC_PORT) && !hcPort.chars().allMatch(Character::isDigit);
    if (!named) {
      return;
    }
    boolean instance = target.targetType() == TargetType.INSTANCE;
    Optional<ServicePort> port = ports.stream().filter(p -> hcPort.equals(p.getName())).findFirst();
    if (port.isEmpty()) {
      findings.deny(key("healthcheck-port") + ": \"" + hcPort + "\" is not a port name of " + id + ", which target-type "
          + (instance ? "instance needs to find the health check NodePort" : "ip needs to find the health check target port")
          + "; it has " + describe(ports) + " (or give a port number)");
    } else if (!instance && (port.get().getTargetPort() == null || port.get().getTargetPort().getIntVal() == null)) {
      findings.deny(key("healthcheck-port") + ": \"" + hcPort + "\" is Service port " + port.get().getPort() + " of " + id
          + ", whose targetPort is the named port \"" + port.get().getTargetPort().getStrVal() + "\"; target-type ip needs a"
          + " numeric health check port, so give the container port number");
    }
  }

  private static String portOf(IngressServiceBackend service) {
    if (service.getPort() == null) {
      return "";
    }
    if (service.getPort().getNumber() != null) {
      return String.valueOf(service.getPort().getNumber());
    }
    return service.getPort().getName() == null ? "" : service.getPort().getName();
  }

  private static boolean hasOurs(Map<String, String> annotations) {
    for (String k : annotations.keySet()) {
      if (k.startsWith(io.albingress.annotations.AnnotationCatalog.PREFIX)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(List<ServicePort> ports) {
    if (ports.isEmpty()) {
      return "no ports";
    }
    return ports.stream()
        .map(p -> p.getName() == null || p.getName().isEmpty() ? String.valueOf(p.getPort()) : p.getName() + " (" + p.getPort() + ")")
        .collect(Collectors.joining(", ", "ports ", ""));
  }
}
