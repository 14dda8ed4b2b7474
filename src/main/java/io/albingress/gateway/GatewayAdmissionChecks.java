package io.albingress.gateway;

import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import java.util.ArrayList;
import java.util.List;

/**
 * What admission judges of Gateway API objects of ours: only what is wrong whatever else exists in
 * the cluster, and exactly what {@link GatewayStackBuilder} refuses in status for the same reason (the
 * same checks are called, none is written twice). A missing Service, Secret, grant or parent is never
 * judged here: objects arrive in any order, so those go to status. Pure.
 */
public final class GatewayAdmissionChecks {
  private GatewayAdmissionChecks() {}

  /** A GatewayClass is ours when its controllerName is {@link GatewayStatuses#CONTROLLER_NAME}. */
  public static boolean ours(GatewayClass gatewayClass) {
    return gatewayClass != null && gatewayClass.getSpec() != null
        && GatewayStatuses.CONTROLLER_NAME.equals(gatewayClass.getSpec().getControllerName());
  }

  /**
   * Nothing of a class is refused; a parametersRef to anything but a gateway.k8s.aws
   * LoadBalancerConfiguration is warned about (the controller reports it as InvalidParameters).
   */
  public static Verdict gatewayClass(GatewayClass gatewayClass) {
    List<String> warnings = new ArrayList<>();
    var ref = gatewayClass.getSpec() == null ? null : gatewayClass.getSpec().getParametersRef();
    if (ref != null && !readable(ref.getGroup(), ref.getKind())) {
      warnings.add(notReadable("spec.parametersRef", ref.getGroup(), ref.getKind(), ref.getName()));
    }
    return new Verdict(List.of(), warnings);
  }

  private static boolean readable(String group, String kind) {
    return "gateway.k8s.aws".equals(group) && "LoadBalancerConfiguration".equals(kind);
  }

  private static String notReadable(String field, String group, String kind, String name) {
    return field + ": " + group + "/" + kind + " " + name + " is not a gateway.k8s.aws LoadBalancerConfiguration, the only"
        + " parameters this controller reads; the Gateway will be Accepted=False InvalidParameters until it names one";
  }

  /** A listener whose protocol ALB cannot serve is denied (the builder refuses it as UnsupportedProtocol). */
  public static Verdict gateway(Gateway gateway) {
    List<String> denials = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (gateway.getSpec() == null) {
      return Verdict.allow();
    }
    denials.addAll(listenerDenials(gateway));
    var infra = gateway.getSpec().getInfrastructure();
    if (infra != null && infra.getParametersRef() != null
        && !readable(infra.getParametersRef().getGroup(), infra.getParametersRef().getKind())) {
      warnings.add(notReadable("spec.infrastructure.parametersRef", infra.getParametersRef().getGroup(),
          infra.getParametersRef().getKind(), infra.getParametersRef().getName()));
    }
    return new Verdict(denials, warnings);
  }

  /** Each listener whose protocol ALB cannot serve (the builder refuses it as UnsupportedProtocol). */
  private static List<String> listenerDenials(Gateway gateway) {
    List<String> denials = new ArrayList<>();
    List<GatewayStackBuilder.ListenerState> listeners = GatewayListeners.listeners(gateway);
    for (int i = 0; i < listeners.size(); i++) {
      int index = i;
      listeners.get(i).notAccepted().ifPresent(r -> denials.add("spec.listeners[" + index + "].protocol: " + r.message()));
    }
    return denials;
  }

  /**
   * A ListenerSet's listeners are judged as a Gateway's ({@link #gateway}: a protocol ALB cannot serve is denied); whether
   * its Gateway allows it, and conflicts with other listeners, depend on other objects and go to status.
   */
  public static Verdict listenerSet(ListenerSet listenerSet) {
    if (listenerSet.getSpec() == null) {
      return Verdict.allow();
    }
    List<io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener> listeners = RouteMapping.nonNull(listenerSet.getSpec().getListeners()).stream()
        .map(e -> new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder().withName(e.getName()).withPort(e.getPort())
            .withProtocol(e.getProtocol()).withHostname(e.getHostname()).build()).toList();
    Gateway asGateway = new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder().withNewSpec().withListeners(listeners).endSpec().build();
    return new Verdict(listenerDenials(asGateway), List.of());
  }

  /** What ALB cannot do of the route on its own: {@link GatewayStackBuilder#routeProblems}. */
  public static Verdict route(HTTPRoute route) {
    return new Verdict(route.getSpec() == null ? List.of() : GatewayStackBuilder.routeProblems(route), List.of());
  }

  /** What ALB cannot do of the GRPCRoute on its own: {@link GrpcRoutes#problems}. */
  public static Verdict grpcRoute(GRPCRoute route) {
    return new Verdict(route.getSpec() == null ? List.of() : GrpcRoutes.problems(route), List.of());
  }
}
