package io.albingress.validation;

import io.albingress.model.ParsedIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only cluster state: informer caches in the controller, manifest files in plan. */
public interface ClusterView {
  Optional<Service> service(String namespace, String name);

  /** The annotations of a Service of the view; empty when it has none or is not known. */
  default Map<String, String> serviceAnnotations(String namespace, String name) {
    return service(namespace, name).map(ClusterView::annotations).orElse(Map.of());
  }

  /** A Service's annotations; empty when it has none. */
  static Map<String, String> annotations(Service service) {
    Map<String, String> a = service.getMetadata() == null ? null : service.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  Optional<IngressClass> ingressClass(String name);

  /** Ingresses carrying this group.name annotation, of any class. */
  List<Ingress> groupMembers(String groupName);

  /** {@link #groupMembers} parsed; a view that already holds them parsed (the builder's) returns those. */
  default List<ParsedIngress> parsedGroupMembers(String groupName) {
    return groupMembers(groupName).stream().map(ParsedIngress::of).toList();
  }

  /**
   * Ingresses, of any class, whose load-balancer-name annotation is {@code name}; empty where that is
   * not indexed, which only skips the check that two stacks do not claim one name.
   */
  default List<Ingress> withLoadBalancerName(String name) {
    return List.of();
  }

  /** The OIDC client credentials in the cluster's Secrets; offline (not checked) where Secrets are not known. */
  default io.albingress.model.OidcSecrets oidcSecrets() {
    return io.albingress.model.OidcSecrets.OFFLINE;
  }

  /** False when Services are not known at all (e.g. plan without Service manifests). */
  default boolean knowsServices() {
    return true;
  }
}
