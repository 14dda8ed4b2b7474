package io.albingress.model;

import java.util.List;

/**
 * Everything one ALB needs, as built from an IngressGroup: the desired state the reconciler deploys.
 * {@code errors} lists the members left out and why; they do not block the others.
 */
public record Stack(
    StackId id,
    List<String> members,
    LoadBalancer loadBalancer,
    List<Listener> listeners,
    List<ListenerRule> rules,
    List<TargetGroup> targetGroups,
    List<MemberError> errors) {

  public record MemberError(String ingress, List<String> problems) {}

  /** No member is left: the stack's AWS resources should be deleted. */
  public boolean empty() {
    return members.isEmpty();
  }

  public Stack withLoadBalancer(LoadBalancer lb) {
    return new Stack(id, members, lb, listeners, rules, targetGroups, errors);
  }
}
