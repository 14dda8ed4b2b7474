package io.albingress.deploy;

import io.albingress.model.Listener;
import io.albingress.model.ListenerRule;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Target groups that forward actions name (actions.* with targetGroupName): resolved to their ARNs
 * with one call a deployment, before the listeners and rules that use them. A name that does not
 * exist fails the deployment, naming it.
 */
final class TargetGroupNames {
  private TargetGroupNames() {}

  /** The names the stack's listeners and rules forward to, sorted. Pure. */
  static List<String> used(Stack stack) {
    return Stream.concat(stack.listeners().stream().map(Listener::defaultAction), stack.rules().stream().map(ListenerRule::action))
        .map(RuleAction::last).filter(RuleAction.Forward.class::isInstance).map(RuleAction.Forward.class::cast)
        .flatMap(f -> f.targets().stream()).flatMap(t -> t.targetGroupName().stream())
        .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
  }

  /** The refs with every name the stack uses resolved; no call when it uses none. */
  static Future<Refs> resolve(Elbv2 elb, Stack stack, Refs refs) {
    List<String> names = used(stack);
    if (names.isEmpty()) {
      return Future.succeededFuture(refs);
    }
    return elb.targetGroupArnsByName(names).compose(found -> {
      List<String> missing = names.stream().filter(n -> !found.containsKey(n)).toList();
      if (!missing.isEmpty()) {
        return Future.failedFuture(new AwsFailure(AwsFailure.Kind.NOT_FOUND, "TargetGroupNotFound",
            "forward action names target group" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                + (missing.size() > 1 ? ", which do not exist" : ", which does not exist"), null));
      }
      Refs resolved = refs;
      for (Map.Entry<String, String> e : found.entrySet()) {
        resolved = resolved.with(Refs.targetGroupNamed(e.getKey()), e.getValue());
      }
      return Future.succeededFuture(resolved);
    });
  }
}
