package io.albingress.targets;

import io.albingress.deploy.AwsFailure;
import io.albingress.deploy.Elbv2;
import io.albingress.model.Target;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The register and deregister calls of one target group sync, so that one refused target does not
 * block the rest (issue 17, defect 6). ELBv2 refuses a whole RegisterTargets call with InvalidTarget
 * for one bad target (a terminated instance, an IP outside the VPC): the batch is then split, each
 * target registered on its own, and the refused ones are returned, to be reported and retried alone.
 * Deregistrations go through either way.
 */
final class TargetWrites {
  static final String INVALID_TARGET = "InvalidTarget";

  private TargetWrites() {}

  /** @return the targets ELBv2 refused (InvalidTarget); empty when all were registered */
  static Future<Set<Target>> apply(Elbv2 elb, String arn, List<Target> register, List<Target> deregister) {
    Future<Set<Target>> registered = register.isEmpty() ? Future.succeededFuture(Set.of()) : register(elb, arn, register);
    return registered.compose(refused -> deregister.isEmpty() ? Future.succeededFuture(refused)
        : elb.deregisterTargets(arn, deregister).map(refused));
  }

  private static Future<Set<Target>> register(Elbv2 elb, String arn, List<Target> targets) {
    return elb.registerTargets(arn, targets).<Set<Target>>map(v -> Set.of()).recover(e -> {
      if (!refused(e)) {
        return Future.failedFuture(e);
      }
      if (targets.size() == 1) {
        return Future.succeededFuture(Set.of(targets.get(0)));
      }
      List<Future<Set<Target>>> each = targets.stream().map(t -> register(elb, arn, List.of(t))).toList();
      return Future.all(each).map(all -> {
        Set<Target> out = new TreeSet<>(java.util.Comparator.comparing(Target::id).thenComparingInt(Target::port));
        each.forEach(f -> out.addAll(f.result()));
        return Set.copyOf(new ArrayList<>(out));
      });
    });
  }

  static boolean refused(Throwable e) {
    return e instanceof AwsFailure f && INVALID_TARGET.equals(f.code());
  }
}
