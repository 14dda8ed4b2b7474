package io.albingress.deploy;

import io.albingress.model.ListenerRule;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleTransform;

/**
 * The rules of one listener, placed by {@link RulePlan}: a rule keeps its priority while its neighbours
 * come and go (ALB priorities need only be in order, not contiguous). Deletions first (they free their
 * priorities), then the moves in one SetRulePriorities call, then modifications, then creations; each
 * group in parallel. A rule's tags are set when it is created and never compared, so a move costs
 * nothing more (its resource tag names the listener, not the priority: see the builders).
 */
final class RuleSynth {
  static final String KIND = "ListenerRule";

  private final Elbv2 elb;

  RuleSynth(Elbv2 elb) {
    this.elb = elb;
  }

  /** What RulePlan compares: conditions, actions and transforms in canonical form (AWS's equivalent spellings ignored). */
  record Settings(String conditions, String actions, String transforms) {
    static Settings of(List<RuleCondition> conditions, List<Action> actions, List<RuleTransform> transforms) {
      return new Settings(SdkModel.canonicalConditions(conditions), SdkModel.canonical(actions), SdkModel.canonicalTransforms(transforms));
    }
  }

  /** A desired rule in SDK form. */
  private record Wanted(ListenerRule rule, List<RuleCondition> conditions, List<Action> actions, List<RuleTransform> transforms) {
    Settings settings() {
      return Settings.of(conditions, actions, transforms);
    }
  }

  /** Conditions, actions or transforms differ, compared in canonical form. Pure. */
  static boolean drifted(List<RuleCondition> conditions, List<Action> action, List<RuleTransform> transforms, ActualRule actual) {
    return !Settings.of(conditions, action, transforms).equals(Settings.of(actual.conditions(), actual.actions(), actual.transforms()));
  }

  /** @param actual the listener's rules (none for a listener created in this run) */
  Future<List<Change>> sync(String listenerArn, List<ListenerRule> desired, List<ActualRule> actual, Refs refs) {
    return sync(listenerArn, desired, actual, refs, false);
  }

  /**
   * @param desired in any order: their priorities give the order only
   * @param reapplyOidc the OIDC client secrets changed: modify every rule that authenticates with OIDC
   */
  Future<List<Change>> sync(String listenerArn, List<ListenerRule> desired, List<ActualRule> actual, Refs refs, boolean reapplyOidc) {
    return synced(listenerArn, desired, actual, refs, reapplyOidc).map(Synced::changes);
  }

  /**
   * What a sync did, and the listener's rules as it left them (desired settings at their placed
   * priorities); {@code rules} is empty when an ARN of them is not known (a create answered without one).
   */
  record Synced(List<Change> changes, java.util.Optional<List<ActualRule>> rules) {}

  Future<Synced> synced(String listenerArn, List<ListenerRule> desired, List<ActualRule> actual, Refs refs, boolean reapplyOidc) {
    List<Wanted> wanted = desired.stream().sorted(Comparator.comparingInt(ListenerRule::priority))
        .map(r -> new Wanted(r, conditions(r), SdkModel.actions(r.action(), refs), transforms(r))).toList();
    RulePlan plan = RulePlan.of(wanted.stream().map(Wanted::settings).toList(), actual.stream()
        .map(a -> new RulePlan.Actual<>(a.arn(), a.priority(), Settings.of(a.conditions(), a.actions(), a.transforms()))).toList());
    List<Integer> kept = IntStream.range(0, wanted.size()).filter(i -> !plan.placed().get(i).create()).boxed().toList();
    List<Integer> created = IntStream.range(0, wanted.size()).filter(i -> plan.placed().get(i).create()).boxed().toList();
    return all(plan.deletes().stream().map(arn -> elb.deleteRule(arn).map(v -> Change.deleted(KIND, arn))).toList())
        .compose(deleted -> (plan.moves().isEmpty() ? Future.<Void>succeededFuture() : elb.setRulePriorities(plan.moves()))
            .compose(v -> all(kept.stream().map(i -> update(wanted.get(i), plan.placed().get(i), reapplyOidc)).toList()))
            .compose(updated -> all(created.stream().map(i -> create(listenerArn, wanted.get(i), plan.placed().get(i).priority())).toList())
                .map(made -> new Synced(Change.concat(deleted, updated, made), after(wanted, plan, created, made)))));
  }

  /** The rules as the sync left them: kept ones at their placed priorities, created ones by the ARNs their creates answered. */
  private static java.util.Optional<List<ActualRule>> after(List<Wanted> wanted, RulePlan plan, List<Integer> created, List<Change> made) {
    List<ActualRule> rules = new java.util.ArrayList<>();
    for (int i = 0; i < wanted.size(); i++) {
      RulePlan.Placed placed = plan.placed().get(i);
      int c = created.indexOf(i);
      String arn = c >= 0 ? made.get(c).arn() : placed.arn();
      if (arn == null || arn.isEmpty()) {
        return java.util.Optional.empty();
      }
      Wanted w = wanted.get(i);
      rules.add(new ActualRule(arn, placed.priority(), w.conditions(), w.actions(), w.transforms()));
    }
    return java.util.Optional.of(List.copyOf(rules));
  }

  private Future<Change> create(String listenerArn, Wanted w, int priority) {
    // after a lost answer: the rule at this priority is adopted when it is the one we asked for (PriorityInUse otherwise)
    return SafeCreate.create(() -> elb.createRule(listenerArn, priority, w.conditions(), w.actions(), w.transforms(), w.rule().tags()),
            () -> elb.describeRules(listenerArn).map(rs -> rs.stream()
                .filter(r -> r.priority() == priority && !drifted(w.conditions(), w.actions(), w.transforms(), r)).map(ActualRule::arn).findFirst()),
            java.util.Set.of("PriorityInUse"))
        .map(arn -> Change.created(KIND, w.rule().resourceId(), arn));
  }

  /** A rule taken over: modified when its settings differ (or its OIDC secret is to be sent again); moved already. */
  private Future<Change> update(Wanted w, RulePlan.Placed placed, boolean reapplyOidc) {
    String id = w.rule().resourceId();
    if (!placed.same() || reapplyOidc && SdkModel.hasOidc(w.actions())) {
      return elb.modifyRule(placed.arn(), w.conditions(), w.actions(), w.transforms()).map(v -> Change.modified(KIND, id, placed.arn()));
    }
    return Future.succeededFuture(placed.moves() ? Change.modified(KIND, id, placed.arn()) : Change.unchanged(KIND, id, placed.arn()));
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
