package io.albingress.targets;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Pod readiness gates for IP-mode target groups: which gates a pod gets and what its conditions say. Pure. */
public final class ReadinessGates {
  public static final String CONDITION_PREFIX = "target-health.elbv2.k8s.aws/";
  public static final String INJECT_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";

  /** A target's health as DescribeTargetHealth reports it. */
  public record Health(String state, String reason, String description) {
    public boolean healthy() {
      return "healthy".equals(state);
    }
  }

  private ReadinessGates() {}

  /** Target group names are unique in the account, deterministic and at most 32 characters. */
  public static String conditionType(String targetGroupName) {
    return CONDITION_PREFIX + targetGroupName;
  }

  public static boolean injectionEnabled(Namespace namespace) {
    Map<String, String> labels = namespace.getMetadata().getLabels();
    return labels != null && "enabled".equals(labels.get(INJECT_LABEL));
  }

  /** A Service with a selector selects the pods whose labels include all of it. */
  public static boolean selects(Service service, Pod pod) {
    Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
    Map<String, String> labels = pod.getMetadata().getLabels();
    return selector != null && !selector.isEmpty() && labels != null
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** The pod with a readiness gate for each condition type it does not have yet. */
  public static Pod inject(Pod pod, Collection<String> conditionTypes) {
    List<String> present = gates(pod);
    List<String> missing = conditionTypes.stream().filter(t -> !present.contains(t)).distinct().sorted().toList();
    if (missing.isEmpty()) {
      return pod;
    }
    List<PodReadinessGate> all = new ArrayList<>(Objects.requireNonNullElse(pod.getSpec().getReadinessGates(), List.of()));
    missing.forEach(t -> all.add(new PodReadinessGate(t)));
    pod.getSpec().setReadinessGates(all);
    return pod;
  }

  /** Our gates on the pod (condition types). */
  public static List<String> gates(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getReadinessGates() == null) {
      return List.of();
    }
    return pod.getSpec().getReadinessGates().stream().map(PodReadinessGate::getConditionType)
        .filter(t -> t != null && t.startsWith(CONDITION_PREFIX)).toList();
  }

  public static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Its containers are ready and it is not going away: what keeps it from Ready are readiness gates,
   * so its target may be registered for the load balancer to check.
   */
  public static boolean waitsOnlyOnGates(Pod pod) {
    boolean containersReady = pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(c -> "ContainersReady".equals(c.getType()) && "True".equals(c.getStatus()));
    return containersReady && pod.getMetadata().getDeletionTimestamp() == null;
  }

  /** The gate is still closed: the controller has to look at the target's health. */
  public static boolean waiting(Pod pod, String type) {
    return condition(pod, type).map(c -> !"True".equals(c.getStatus())).orElse(true);
  }

  /** The condition that opens a gate no Ingress asks for any more. */
  public static PodCondition stale(String type, String now) {
    return new PodConditionBuilder().withType(type).withStatus("True").withReason("TargetGroupRemoved")
        .withMessage("no Ingress sends traffic to this pod through this target group any more").withLastProbeTime(now)
        .withLastTransitionTime(now).build();
  }

  /** The condition to write for the target's health, or empty when the pod already says that. */
  public static Optional<PodCondition> update(Pod pod, String type, Health health, String now) {
    String status = health.healthy() ? "True" : "False";
    String reason = health.healthy() ? null : Objects.requireNonNullElse(health.reason(), health.state());
    String message = health.healthy() ? null : health.description();
    Optional<PodCondition> current = condition(pod, type);
    if (current.isPresent() && status.equals(current.get().getStatus()) && Objects.equals(reason, current.get().getReason())
        && Objects.equals(message, current.get().getMessage())) {
      return Optional.empty();
    }
    String since = current.filter(c -> status.equals(c.getStatus())).map(PodCondition::getLastTransitionTime).orElse(now);
    return Optional.of(new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastProbeTime(now).withLastTransitionTime(since).build());
  }
}
