package io.albingress.deploy;

import io.albingress.model.StackId;
import io.albingress.model.Tags;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * ELBv2 answers a create with an existing resource of the same name and settings, whoever made it:
 * what the creates of a run returned is adopted only when its tags say it is this stack's (one
 * DescribeTags for them all). A resource AWS does not answer for yet (eventual consistency) passes.
 * A load balancer returned with a security group created moments before by this run needs no check:
 * it was created with that group, whose ID nobody else knew (a load balancer that existed already,
 * whatever settings ELBv2 compares, lists the groups it was made with).
 */
final class OwnedCreates {
  private final Elbv2 elb;
  private final Inventory inventory;

  OwnedCreates(Elbv2 elb, Inventory inventory) {
    this.elb = elb;
    this.inventory = inventory;
  }

  /**
   * With a security group made by this run, the target groups' creates are checked as soon as they exist
   * (the load balancer's is proven by the group); without one, {@link #loadBalancer} checks them.
   */
  Future<Void> targetGroups(String stackTag, List<Change> tgChanges, SecurityGroupSynthesizer.Groups groups) {
    return groups.created().isEmpty() ? Future.succeededFuture() : check(stackTag, createdArns(tgChanges, TargetGroupSynth.KIND));
  }

  /** The load balancer's create unless its group proves it, with the target groups' ones when {@link #targetGroups} left them: one check. */
  Future<Void> loadBalancer(String stackTag, LoadBalancerSynth.Synced lb, SecurityGroupSynthesizer.Groups groups,
      Future<List<Change>> tgChanges) {
    List<String> arns = provenByGroup(lb, groups) ? List.of() : createdArns(lb.changes(), LoadBalancerSynth.KIND);
    if (groups.created().isPresent()) {
      return check(stackTag, arns);
    }
    return tgChanges.compose(changes -> check(stackTag, Stream.concat(arns.stream(), createdArns(changes, TargetGroupSynth.KIND).stream()).toList()));
  }

  /** Not created by this run, or created with a group made by this run. */
  private static boolean provenByGroup(LoadBalancerSynth.Synced lb, SecurityGroupSynthesizer.Groups groups) {
    return !lb.created() || groups.created().filter(lb.loadBalancer().securityGroups()::contains).isPresent();
  }

  private static List<String> createdArns(List<Change> changes, String kind) {
    return changes.stream().filter(c -> c.op() == Change.Op.CREATED && c.kind().equals(kind)).map(Change::arn).distinct().toList();
  }

  private Future<Void> check(String stackTag, List<String> created) {
    if (created.isEmpty()) {
      return Future.succeededFuture();
    }
    return elb.tags(created).recover(e -> AwsFailure.is(e, AwsFailure.Kind.NOT_FOUND) ? Future.succeededFuture(Map.of()) : Future.failedFuture(e))
        .compose(tags -> {
          keepTargetsHashes(created, tags);
          List<String> foreign = created.stream().filter(arn -> tags.containsKey(arn) && !ours(tags.get(arn), stackTag)).toList();
          return foreign.isEmpty() ? Future.succeededFuture() : notOurs(foreign);
        });
  }

  /** A target group AWS returned from an earlier create keeps its own targets hash (or none): the targets loop reads it. */
  private void keepTargetsHashes(List<String> created, Map<String, Map<String, String>> tags) {
    created.stream().filter(tags::containsKey).forEach(arn -> inventory.targetGroup(arn)
        .filter(tg -> !Objects.equals(tg.tags().get(Tags.TARGETS_HASH), tags.get(arn).get(Tags.TARGETS_HASH)))
        .ifPresent(tg -> inventory.put(new ActualTargetGroup(tg.arn(), tg.name(), tg.protocol(), tg.protocolVersion(), tg.port(),
            tg.targetType(), tg.healthCheck(), tg.loadBalancerArns(), Map.copyOf(tags.get(arn))))));
  }

  private Future<Void> notOurs(List<String> foreign) {
    foreign.forEach(arn -> {
      inventory.removeLoadBalancer(arn);
      inventory.removeTargetGroup(arn);
    });
    return Future.failedFuture(new AwsFailure(AwsFailure.Kind.VALIDATION, "NotOurs", "a create returned " + foreign
        + ", which exists with the same name but is not tagged for this stack (" + Tags.CLUSTER + ", " + Tags.STACK
        + " or " + Tags.GATEWAY_STACK + "); it is left alone: rename or delete it", null));
  }

  private boolean ours(Map<String, String> tags, String stackTag) {
    return inventory.cluster().equals(tags.get(Tags.CLUSTER)) && StackId.keyOf(tags).filter(stackTag::equals).isPresent();
  }
}
