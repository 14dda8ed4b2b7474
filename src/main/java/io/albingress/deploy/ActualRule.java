package io.albingress.deploy;

import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;

/** A listener rule as AWS has it (never the default rule). */
public record ActualRule(String arn, int priority, List<RuleCondition> conditions, List<Action> actions,
    List<RuleTransform> transforms) {
  public ActualRule {
    transforms = transforms == null ? List.of() : List.copyOf(transforms);
  }

  /** A rule without transforms. */
  public ActualRule(String arn, int priority, List<RuleCondition> conditions, List<Action> actions) {
    this(arn, priority, conditions, actions, List.of());
  }
}
