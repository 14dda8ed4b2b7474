package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.Map;

/**
 * Attributes of load balancers and target groups: described only when the model sets some, and only
 * the differing keys modified (attributes the model does not set are left as they are).
 */
final class AttributeSynth {
  static final String LOAD_BALANCER = "LoadBalancerAttributes";
  static final String TARGET_GROUP = "TargetGroupAttributes";

  private final Elbv2 elb;

  AttributeSynth(Elbv2 elb) {
    this.elb = elb;
  }

  /** The desired attributes whose value differs from the current one. Pure. */
  static Map<String, String> drift(Map<String, String> desired, Map<String, String> current) {
    return TagSynth.changed(desired, current);
  }

  Future<Change> loadBalancer(String id, String arn, Map<String, String> desired) {
    return desired.isEmpty() ? Future.succeededFuture(Change.unchanged(LOAD_BALANCER, id, arn))
        : elb.loadBalancerAttributes(arn).compose(current -> apply(LOAD_BALANCER, id, arn, drift(desired, current)));
  }

  Future<Change> targetGroup(String id, String arn, Map<String, String> desired) {
    return desired.isEmpty() ? Future.succeededFuture(Change.unchanged(TARGET_GROUP, id, arn))
        : elb.targetGroupAttributes(arn).compose(current -> apply(TARGET_GROUP, id, arn, drift(desired, current)));
  }

  /** A resource just created has AWS's defaults: set what the model asks for without describing. */
  Future<Change> created(String kind, String id, String arn, Map<String, String> desired) {
    return apply(kind, id, arn, desired);
  }

  private Future<Change> apply(String kind, String id, String arn, Map<String, String> changed) {
    if (changed.isEmpty()) {
      return Future.succeededFuture(Change.unchanged(kind, id, arn));
    }
    Future<Void> modified = LOAD_BALANCER.equals(kind) ? elb.modifyLoadBalancerAttributes(arn, changed)
        : elb.modifyTargetGroupAttributes(arn, changed);
    return modified.map(v -> Change.modified(kind, id, arn));
  }
}
