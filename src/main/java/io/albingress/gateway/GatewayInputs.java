package io.albingress.gateway;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one Gateway's stack is built from, read from the informer caches beforehand so building stays
 * pure: the Gateway, the HTTPRoutes that may attach to it (any whose parentRefs name it), the
 * Services they may use, the labels of their namespaces (for allowedRoutes selectors) and the
 * ReferenceGrants that let routes use Services of other namespaces, and its LoadBalancerConfigurations, resolved and merged,
 * the TargetGroupConfigurations and ListenerRuleConfigurations its backends and route rules may use, and the ACM
 * certificates its listeners' tls.certificateRefs were imported as, and the ListenerSets that may add listeners to it
 * (any whose parentRef names it; {@link ListenerSets#of} decides, with the labels of their namespaces).
 */
public record GatewayInputs(Gateway gateway, List<HTTPRoute> routes, List<Service> services,
    Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrant> grants, LoadBalancerConfigs.Resolved parameters,
    GatewayExtensions extensions, CertificateRefs.ListenerCertificates certificates, List<ListenerSet> listenerSets) {

  /** Without ListenerSets. */
  public GatewayInputs(Gateway gateway, List<HTTPRoute> routes, List<Service> services,
      Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrant> grants, LoadBalancerConfigs.Resolved parameters,
      GatewayExtensions extensions, CertificateRefs.ListenerCertificates certificates) {
    this(gateway, routes, services, namespaceLabels, grants, parameters, extensions, certificates, List.of());
  }

  /** The ListenerSets naming the Gateway, accepted or rejected by it. */
  public ListenerSets.Sets sets() {
    return ListenerSets.of(gateway, listenerSets, namespaceLabels);
  }

  /** Without imported certificateRefs. */
  public GatewayInputs(Gateway gateway, List<HTTPRoute> routes, List<Service> services,
      Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrant> grants, LoadBalancerConfigs.Resolved parameters,
      GatewayExtensions extensions) {
    this(gateway, routes, services, namespaceLabels, grants, parameters, extensions, CertificateRefs.ListenerCertificates.NONE);
  }

  /** Without TargetGroupConfigurations and ListenerRuleConfigurations. */
  public GatewayInputs(Gateway gateway, List<HTTPRoute> routes, List<Service> services,
      Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrant> grants, LoadBalancerConfigs.Resolved parameters) {
    this(gateway, routes, services, namespaceLabels, grants, parameters, GatewayExtensions.NONE);
  }

  /** Without LoadBalancerConfigurations. */
  public GatewayInputs(Gateway gateway, List<HTTPRoute> routes, List<Service> services,
      Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrant> grants) {
    this(gateway, routes, services, namespaceLabels, grants, LoadBalancerConfigs.Resolved.NONE);
  }

  public GatewayInputs(Gateway gateway, List<HTTPRoute> routes, List<Service> services, Map<String, Map<String, String>> namespaceLabels) {
    this(gateway, routes, services, namespaceLabels, List.of());
  }

  /**
   * Whether a ReferenceGrant in the Service's namespace lets HTTPRoutes of {@code routeNamespace} use it
   * (to: core Service, by name or all of them).
   */
  public boolean granted(String routeNamespace, String serviceNamespace, String service) {
    return granted(Attachment.HTTP_ROUTE, routeNamespace, serviceNamespace, service);
  }

  /** As {@link #granted(String, String, String)} for routes of {@code kind} (HTTPRoute or GRPCRoute). */
  public boolean granted(String kind, String routeNamespace, String serviceNamespace, String service) {
    return grants.stream().filter(g -> serviceNamespace.equals(g.getMetadata().getNamespace()) && g.getSpec() != null)
        .anyMatch(g -> RouteMapping.nonNull(g.getSpec().getFrom()).stream().anyMatch(f -> Attachment.GROUP.equals(f.getGroup())
                && kind.equals(f.getKind()) && routeNamespace.equals(f.getNamespace()))
            && RouteMapping.nonNull(g.getSpec().getTo()).stream().anyMatch(t -> (t.getGroup() == null || t.getGroup().isEmpty())
                && "Service".equals(t.getKind()) && (t.getName() == null || t.getName().isEmpty() || t.getName().equals(service))));
  }

  public Optional<Service> service(String namespace, String name) {
    return services.stream().filter(s -> s.getMetadata().getNamespace().equals(namespace) && s.getMetadata().getName().equals(name))
        .findFirst();
  }

  public String gatewayName() {
    return gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
  }

  /** "namespace/name" of an HTTPRoute, "GRPCRoute/namespace/name" of a GRPCRoute (so the two kinds never share a key). */
  public static String name(HTTPRoute route) {
    return (GrpcRoutes.isGrpc(route) ? GrpcRoutes.KIND + "/" : "") + route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
  }
}
