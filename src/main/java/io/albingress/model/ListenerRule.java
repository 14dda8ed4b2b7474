package io.albingress.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.albingress.annotations.Condition;
import io.albingress.annotations.Transform;
import java.util.List;
import java.util.Map;

/**
 * A listener rule; {@code source} names the Ingress path it came from. {@code transforms} are the
 * backend's `transforms.<name>` rewrites (ALB rule transforms), applied before the action.
 */
public record ListenerRule(
    String resourceId,
    Ref listener,
    int priority,
    List<Condition> conditions,
    RuleAction action,
    String source,
    Map<String, String> tags,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Transform> transforms) {

  /**
   * The value of a rule's resource tag: its listener's port and "rule", not its priority (the reference's
   * {@code port:priority}): rules keep their priorities or move by SetRulePriorities, and a tag naming the
   * priority would go stale or cost a tag write per moved rule.
   */
  public static String resourceTag(int port) {
    return port + ":rule";
  }
}
