package io.albingress.gateway;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one Gateway's stack is built from, read from the informer caches beforehand so building stays
 * pure: the Gateway, the HTTPRoutes that may attach to it (any whose parentRefs name it), the
 * Services they may use and the labels of their namespaces (for allowedRoutes selectors).
 */
public record GatewayInputs(Gateway gateway, List<HTTPRoute> routes, List<Service> services,
    Map<String, Map<String, String>> namespaceLabels) {

  public Optional<Service> service(String namespace, String name) {
    return services.stream().filter(s -> s.getMetadata().getNamespace().equals(namespace) && s.getMetadata().getName().equals(name))
        .findFirst();
  }

  public String gatewayName() {
    return gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
  }

  public static String name(HTTPRoute route) {
    return route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
  }
}
