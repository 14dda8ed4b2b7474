package io.albingress.webhook;

import io.albingress.binding.TargetGroupFacts;
import io.vertx.core.Future;
import java.util.Optional;

/** DescribeTargetGroups for the TargetGroupBinding webhooks (any replica, leader or not); implemented in aws. */
public interface TargetGroupLookup {
  /** By ARN when {@code arn} is set, else by name; empty when the account has no such target group. */
  Future<Optional<TargetGroupFacts>> find(String arn, String name);
}
