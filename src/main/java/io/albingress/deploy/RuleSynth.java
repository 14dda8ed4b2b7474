package io.albingress.deploy;

import io.albingress.model.ListenerRule;
import io.vertx.core.Future;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;

/**
 * The rules of one listener, matched by priority: deletions first (they free their priorities), then
 * modifications, then creations; each group in parallel.
 */
final class RuleSynth {
  static final String KIND = "ListenerRule";

  private final Elbv2 elb;

  RuleSynth(Elbv2 elb) {
    this.elb = elb;
  }

  /** Conditions, actions or transforms differ, compared in canonical form (AWS's equivalent spellings ignored). Pure. */
  static boolean drifted(List<RuleCondition> conditions, List<Action> action, List<RuleTransform> transforms, ActualRule actual) {
    return !SdkModel.canonical(action).equals(SdkModel.canonical(actual.actions()))
        || !SdkModel.canonicalConditions(conditions).equals(SdkModel.canonicalConditions(actual.conditions()))
        || !SdkModel.canonicalTransforms(transforms).equals(SdkModel.canonicalTransforms(actual.transforms()));
  }

  /** @param actual the listener's rules (none for a listener created in this run) */
  Future<List<Change>> sync(String listenerArn, List<ListenerRule> desired, List<ActualRule> actual, Refs refs) {
    return sync(listenerArn, desired, actual, refs, false);
  }

  /** @param reapplyOidc the OIDC client secrets changed: modify every rule that authenticates with OIDC */
  Future<List<Change>> sync(String listenerArn, List<ListenerRule> desired, List<ActualRule> actual, Refs refs, boolean reapplyOidc) {
    Matching<ListenerRule, ActualRule> m = Matching.match(desired, ListenerRule::priority, actual, ActualRule::priority);
    return all(m.toDelete().stream().map(r -> elb.deleteRule(r.arn()).map(v -> Change.deleted(KIND, r.arn()))).toList())
        .compose(deleted -> all(m.matched().stream().map(p -> update(p.desired(), p.actual(), refs, reapplyOidc)).toList())
            .compose(updated -> all(m.toCreate().stream().map(r -> create(listenerArn, r, refs)).toList())
                .map(created -> Change.concat(deleted, updated, created))));
  }

  private Future<Change> create(String listenerArn, ListenerRule rule, Refs refs) {
    List<RuleCondition> conditions = conditions(rule);
    List<Action> action = SdkModel.actions(rule.action(), refs);
    List<RuleTransform> transforms = transforms(rule);
    // after a lost answer: the rule at this priority is adopted when it is the one we asked for (PriorityInUse otherwise)
    return SafeCreate.create(() -> elb.createRule(listenerArn, rule.priority(), conditions, action, transforms, rule.tags()).map(v -> ""),
            () -> elb.describeRules(listenerArn).map(rs -> rs.stream()
                .filter(r -> r.priority() == rule.priority() && !drifted(conditions, action, transforms, r)).map(ActualRule::arn).findFirst()),
            java.util.Set.of("PriorityInUse"))
        .map(arn -> Change.created(KIND, rule.resourceId(), arn));
  }

  private Future<Change> update(ListenerRule desired, ActualRule actual, Refs refs, boolean reapplyOidc) {
    List<Action> action = SdkModel.actions(desired.action(), refs);
    List<RuleCondition> conditions = conditions(desired);
    List<RuleTransform> transforms = transforms(desired);
    return !drifted(conditions, action, transforms, actual) && !(reapplyOidc && SdkModel.hasOidc(action))
        ? Future.succeededFuture(Change.unchanged(KIND, desired.resourceId(), actual.arn()))
        : elb.modifyRule(actual.arn(), conditions, action, transforms).map(v -> Change.modified(KIND, desired.resourceId(), actual.arn()));
  }

  private static List<RuleTransform> transforms(ListenerRule rule) {
    return rule.transforms() == null ? List.of() : rule.transforms().stream().map(SdkModel::transform).toList();
  }

  private static List<RuleCondition> conditions(ListenerRule rule) {
    return rule.conditions().stream().map(SdkModel::condition).toList();
  }

  private static Future<List<Change>> all(List<Future<Change>> steps) {
    return Future.join(steps).map(f -> f.<Change>list());
  }
}
