package io.albingress.deploy;

import io.albingress.model.Listener;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Target;
import io.albingress.model.TargetGroup;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The ELBv2 operations the controller uses, by name: the only way deploy code reaches AWS.
 * Implemented once over the SDK (io.albingress.aws.SdkElbv2) and in memory for tests. Failures are
 * {@link AwsFailure}s, classified once by the implementation. Futures complete on the caller's context.
 */
public interface Elbv2 {

  // ---- load balancers

  /** Every load balancer of the account, with its tags (paged, tags in batches). */
  Future<List<ActualLoadBalancer>> describeLoadBalancers();

  /** Never retried: a create whose answer is lost fails with {@link AwsFailure.Kind#UNKNOWN_OUTCOME}. */
  Future<ActualLoadBalancer> createLoadBalancer(LoadBalancer desired);

  Future<Void> deleteLoadBalancer(String arn);

  Future<Void> setSubnets(String arn, List<String> subnetIds);

  Future<Void> setSecurityGroups(String arn, List<String> securityGroups);

  Future<Void> setIpAddressType(String arn, String ipAddressType);

  Future<Map<String, String>> loadBalancerAttributes(String arn);

  Future<Void> modifyLoadBalancerAttributes(String arn, Map<String, String> attributes);

  // ---- target groups

  /** Every target group of the account, with its tags. */
  Future<List<ActualTargetGroup>> describeTargetGroups();

  /**
   * Every target group of the account without its tags (empty maps): DescribeTargetGroups only, 400 a
   * page, no DescribeTags. A restart finds the target groups of stacks its load balancers vouch for here.
   */
  Future<List<ActualTargetGroup>> listTargetGroups();

  /**
   * The ARNs of the named target groups, anyone's (a forward action may name a target group this
   * controller does not manage). A name that does not exist is absent from the answer.
   */
  Future<Map<String, String>> targetGroupArnsByName(List<String> names);

  /** Never retried, like {@link #createLoadBalancer}. */
  Future<ActualTargetGroup> createTargetGroup(TargetGroup desired, String vpcId);

  /** Sets the health check; returns the target group as it is now (with the given tags). */
  Future<ActualTargetGroup> modifyTargetGroup(String arn, TargetGroup desired, Map<String, String> tags);

  Future<Void> deleteTargetGroup(String arn);

  Future<Map<String, String>> targetGroupAttributes(String arn);

  Future<Void> modifyTargetGroupAttributes(String arn, Map<String, String> attributes);

  // ---- listeners and their certificates

  /** The listeners of a load balancer, HTTPS ones with their certificates. */
  Future<List<ActualListener>> describeListeners(String loadBalancerArn);

  /** Creates a listener with its default certificate only; returns its ARN. Never retried. */
  Future<String> createListener(String loadBalancerArn, Listener desired, List<Action> defaultActions);

  /** HTTPS listeners also get their mutual TLS: the desired one (trust store as ARN), or off when the listener has none. */
  Future<Void> modifyListener(String arn, Listener desired, List<Action> defaultActions);

  Future<Map<String, String>> listenerAttributes(String listenerArn);

  Future<Void> modifyListenerAttributes(String listenerArn, Map<String, String> attributes);

  /** The ARNs of the named ELBv2 trust stores (DescribeTrustStores); a name that does not exist is absent. */
  Future<Map<String, String>> trustStoreArnsByName(List<String> names);

  Future<Void> deleteListener(String arn);

  Future<Void> addListenerCertificates(String listenerArn, List<String> certificateArns);

  Future<Void> removeListenerCertificates(String listenerArn, List<String> certificateArns);

  // ---- rules

  /** The rules of a listener, the default rule left out (paged). */
  Future<List<ActualRule>> describeRules(String listenerArn);

  /** Never retried. @return the new rule's ARN */
  Future<String> createRule(String listenerArn, int priority, List<RuleCondition> conditions, List<Action> actions,
      List<RuleTransform> transforms, Map<String, String> tags);

  /** Sets conditions, actions (authenticate first, with Order) and transforms; no transforms clears the rule's transforms. */
  Future<Void> modifyRule(String arn, List<RuleCondition> conditions, List<Action> actions, List<RuleTransform> transforms);

  Future<Void> deleteRule(String arn);

  /**
   * Moves rules of one listener in one call (rule ARN to priority). The priorities must be unique on the
   * listener once the call is done (a rule may take the priority another rule of the call leaves);
   * PriorityInUse otherwise. The default rule cannot be moved.
   */
  Future<Void> setRulePriorities(Map<String, Integer> priorities);

  // ---- tags

  Future<Void> addTags(String arn, Map<String, String> tags);

  Future<Void> removeTags(String arn, List<String> keys);

  /** The tags of these resources by ARN (DescribeTags, 20 ARNs a call); an ARN AWS does not answer for is absent. */
  Future<Map<String, Map<String, String>>> tags(List<String> arns);

  // ---- targets

  /** The targets registered in a target group, with their health. */
  Future<List<TargetHealthDescription>> targetHealth(String targetGroupArn);

  /** At most 500 targets a call, the calls in parallel. */
  Future<Void> registerTargets(String targetGroupArn, List<Target> targets);

  Future<Void> deregisterTargets(String targetGroupArn, List<Target> targets);
}
