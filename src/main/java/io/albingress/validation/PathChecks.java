package io.albingress.validation;

import io.albingress.model.IngressRoutes;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * Paths an ALB would read differently from Kubernetes. Kubernetes matches Exact and Prefix paths
 * literally, an ALB path pattern takes * and ? as wildcards: the reference controller refuses them.
 */
final class PathChecks {
  private PathChecks() {}

  static void run(Ingress ingress, Findings findings) {
    for (IngressRoutes.Route route : IngressRoutes.of(ingress)) {
      String type = route.pathType();
      if (route.path().isEmpty() || !(type.equals("Exact") || type.equals("Prefix"))) {
        continue;
      }
      String path = route.path().get();
      if ((path.indexOf('*') >= 0 || path.indexOf('?') >= 0)) {
        findings.deny(route.field() + ".path: \"" + path + "\" is of pathType " + type + ", and " + type.toLowerCase(java.util.Locale.ROOT)
            + " paths shouldn't contain wildcards: Kubernetes matches * and ? literally, an ALB as wildcards;"
            + " use pathType ImplementationSpecific for an ALB wildcard pattern");
      }
    }
  }
}
