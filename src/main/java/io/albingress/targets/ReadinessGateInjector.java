package io.albingress.targets;

import io.albingress.webhook.PodMutator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The mutating webhook's pod mutator: in namespaces that opt in, a pod selected by a Service behind
 * an IP-mode target group of ours gets one readiness gate per such target group.
 */
public final class ReadinessGateInjector implements PodMutator {
  private final Predicate<String> enabled;
  private final Function<String, List<Service>> services;
  private final BiFunction<String, String, List<String>> ipTargetGroups;

  /**
   * @param enabled whether a namespace carries the injection label
   * @param services the Services of a namespace
   * @param ipTargetGroups names of the IP-mode target groups of a Service (namespace, name)
   */
  public ReadinessGateInjector(Predicate<String> enabled, Function<String, List<Service>> services,
      BiFunction<String, String, List<String>> ipTargetGroups) {
    this.enabled = enabled;
    this.services = services;
    this.ipTargetGroups = ipTargetGroups;
  }

  @Override
  public Pod mutate(Pod pod, String namespace) {
    if (!enabled.test(namespace) || pod.getSpec() == null) {
      return pod;
    }
    List<String> types = services.apply(namespace).stream().filter(s -> ReadinessGates.selects(s, pod))
        .flatMap(s -> ipTargetGroups.apply(namespace, s.getMetadata().getName()).stream())
        .map(ReadinessGates::conditionType).toList();
    return ReadinessGates.inject(pod, types);
  }
}
