package io.albingress.targets;

import io.albingress.annotations.TargetType;
import io.albingress.binding.TargetGroupBinding;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Map;
import java.util.Optional;

/**
 * The target group model of a TargetGroupBinding, so the one target sync serves it like our own target
 * groups: its Service port resolved from the informer cache (NodePort for instance mode, target port
 * for IP mode). Its name is the binding's, which is also its readiness gate's (as in the reference:
 * `target-health.elbv2.k8s.aws/<binding name>`). Pure.
 */
public final class BindingTargets {
  /** The model, or why there is none (then the target group gets no targets, and the binding an Event). */
  public record Resolution(Optional<TargetGroup> model, String problem) {
    static Resolution of(TargetGroup tg) {
      return new Resolution(Optional.of(tg), "");
    }

    static Resolution problem(String why) {
      return new Resolution(Optional.empty(), why);
    }
  }

  private BindingTargets() {}

  public static Resolution resolve(TargetGroupBinding b, Optional<Service> service) {
    String svcName = b.namespace() + "/" + b.serviceRef().name();
    if (service.isEmpty()) {
      return Resolution.problem("Service " + svcName + " not found: spec.serviceRef.name names no Service in the binding's namespace");
    }
    String want = b.serviceRef().port();
    Optional<ServicePort> port = service.get().getSpec().getPorts().stream()
        .filter(p -> want.equals(String.valueOf(p.getPort())) || want.equals(p.getName())).findFirst();
    if (port.isEmpty()) {
      return Resolution.problem("Service " + svcName + " has no port " + want + " (spec.serviceRef.port)");
    }
    ServicePort p = port.get();
    int nodePort = p.getNodePort() == null ? 0 : p.getNodePort();
    TargetType type = b.ipMode() ? TargetType.IP : TargetType.INSTANCE;
    if (type == TargetType.INSTANCE && nodePort == 0) {
      return Resolution.problem("Service " + svcName + " port " + want
          + " has no NodePort: spec.targetType instance needs a NodePort or LoadBalancer Service (or use spec.targetType ip)");
    }
    String targetPort = p.getTargetPort() == null ? String.valueOf(p.getPort())
        : p.getTargetPort().getStrVal() != null ? p.getTargetPort().getStrVal() : String.valueOf(p.getTargetPort().getIntVal());
    TargetGroup.ServiceRef ref = new TargetGroup.ServiceRef(b.namespace(), b.serviceRef().name(), want, p.getPort(), targetPort, nodePort);
    return Resolution.of(new TargetGroup("binding:" + b.key(), b.name(), ref, type, null, null, type == TargetType.INSTANCE ? nodePort : 0,
        null, Map.of(), Map.of(), Map.of()));
  }
}
