package io.albingress.deploy;

import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/** A listener rule as AWS has it (never the default rule). */
public record ActualRule(String arn, int priority, List<RuleCondition> conditions, List<Action> actions) {}
