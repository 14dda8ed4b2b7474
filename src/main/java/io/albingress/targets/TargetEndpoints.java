package io.albingress.targets;

import io.albingress.deploy.SecurityGroupSynthesizer;
import io.albingress.k8s.Informers;
import io.albingress.model.Stack;
import io.albingress.model.Target;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Each target group's targets as the targets verticle registers them, pods not yet ready included: what the backend rules open. */
public final class TargetEndpoints {
  private TargetEndpoints() {}

  public static SecurityGroupSynthesizer.Endpoints of(Informers informers, Stack stack) {
    Map<String, Set<Target>> byTargetGroup = new HashMap<>();
    for (TargetGroup tg : stack.targetGroups()) {
      if (DesiredTargets.ipMode(tg)) {
        String portName = informers.service(tg.service().namespace(), tg.service().name())
            .flatMap(svc -> svc.getSpec().getPorts().stream().filter(p -> p.getPort() == tg.service().servicePort()).findFirst())
            .map(ServicePort::getName).orElse("");
        byTargetGroup.put(tg.resourceId(), DesiredTargets.ips(tg, portName,
            informers.endpointSlices(tg.service().namespace(), tg.service().name()), pod -> true));
      } else {
        byTargetGroup.put(tg.resourceId(), DesiredTargets.instances(tg, informers.nodes().getStore().list()).targets());
      }
    }
    return new SecurityGroupSynthesizer.Endpoints(byTargetGroup);
  }
}
