package io.albingress.aws;

import io.albingress.binding.TargetGroupFacts;
import io.albingress.webhook.TargetGroupLookup;
import io.vertx.core.Future;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;

/** DescribeTargetGroups by ARN or name for the TargetGroupBinding webhooks; TargetGroupNotFound is an empty answer. */
public final class SdkTargetGroupLookup implements TargetGroupLookup {
  private final AwsClients aws;

  public SdkTargetGroupLookup(AwsClients aws) {
    this.aws = aws;
  }

  @Override
  public Future<Optional<TargetGroupFacts>> find(String arn, String name) {
    return aws.call(() -> aws.elbv2Admission().describeTargetGroups(b -> {
      if (arn != null && !arn.isEmpty()) {
        b.targetGroupArns(arn);
      } else {
        b.names(name);
      }
    })).map(r -> r.targetGroups().stream().findFirst().map(SdkTargetGroupLookup::facts)).recover(e -> {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof TargetGroupNotFoundException) {
          return Future.succeededFuture(Optional.empty());
        }
      }
      return Future.failedFuture(AwsErrors.classify(e));
    });
  }

  static TargetGroupFacts facts(TargetGroup tg) {
    return new TargetGroupFacts(tg.targetGroupArn(), tg.targetGroupName(), tg.targetTypeAsString(), tg.ipAddressTypeAsString(),
        tg.vpcId(), tg.protocolAsString());
  }
}
