package io.albingress.deploy;

import io.albingress.annotations.HealthCheck;
import io.albingress.model.TargetGroup;
import io.albingress.model.Tags;
import io.albingress.model.TargetsHash;
import java.util.Map;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Target groups, matched by name: the name encodes every immutable field (protocol, port, target
 * type, protocol version, IP address type), so an immutable change yields a new name, a new target group, and the old
 * one becomes surplus, deleted by {@link #deleteSurplus} once the rules point elsewhere.
 */
final class TargetGroupSynth {
  static final String KIND = "TargetGroup";

  private final Elbv2 elb;
  private final Inventory inventory;
  private final AttributeSynth attributes;
  private final TagSynth tags;
  private final String vpcId;
  private final Function<Duration, Future<Void>> sleep;

  /** Waits between deletions answered ResourceInUse, retried in place (ELBv2 keeps a target group in use a while after its rules went). */
  static final List<Duration> IN_USE_RETRIES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofSeconds(8));

  private final StackDeployer.Creations creations;

  TargetGroupSynth(Elbv2 elb, Inventory inventory, String vpcId, Set<String> externalManagedTags, Function<Duration, Future<Void>> sleep) {
    this(elb, inventory, vpcId, externalManagedTags, sleep, StackDeployer.Creations.NONE);
  }

  TargetGroupSynth(Elbv2 elb, Inventory inventory, String vpcId, Set<String> externalManagedTags, Function<Duration, Future<Void>> sleep,
      StackDeployer.Creations creations) {
    this.creations = creations;
    this.sleep = sleep;
    this.elb = elb;
    this.inventory = inventory;
    this.attributes = new AttributeSynth(elb);
    this.tags = new TagSynth(elb, externalManagedTags);
    this.vpcId = vpcId;
  }

  /** ResourceInUse is retried here after 1, 2, 4 and 8 s, not through the stack's backoff. */
  private Future<Void> deleteRetryingInUse(String arn, int attempt) {
    return elb.deleteTargetGroup(arn).recover(e -> AwsFailure.is(e, AwsFailure.Kind.IN_USE) && attempt < IN_USE_RETRIES.size()
        ? sleep.apply(IN_USE_RETRIES.get(attempt)).compose(v -> deleteRetryingInUse(arn, attempt + 1))
        : Future.failedFuture(e));
  }

  static Matching<TargetGroup, ActualTargetGroup> match(List<TargetGroup> desired, List<ActualTargetGroup> actual) {
    // among duplicates of one name the first is kept: by ARN, so every run and every replica keeps the same one
    return Matching.match(desired, TargetGroup::name, actual.stream().sorted(java.util.Comparator.comparing(ActualTargetGroup::arn)).toList(),
        ActualTargetGroup::name);
  }

  /** The health check differs from what AWS has: the one field modified in place. Pure. */
  static boolean drifted(TargetGroup desired, ActualTargetGroup actual) {
    return !healthCheck(desired.healthCheck()).equals(actual.healthCheck());
  }

  static ActualTargetGroup.HealthCheckState healthCheck(HealthCheck hc) {
    return new ActualTargetGroup.HealthCheckState(hc.protocol().wireName(), hc.port(), hc.path(), hc.intervalSeconds(),
        hc.timeoutSeconds(), hc.healthyThreshold(), hc.unhealthyThreshold(), hc.successCodes());
  }

  /** Creates and updates; never deletes (see {@link #deleteSurplus}). Changes carry each target group's ARN. */
  Future<List<Change>> sync(List<TargetGroup> desired, List<ActualTargetGroup> actual) {
    Matching<TargetGroup, ActualTargetGroup> m = match(desired, actual);
    List<Future<List<Change>>> steps = new ArrayList<>();
    m.toCreate().forEach(tg -> steps.add(create(tg)));
    m.matched().forEach(p -> steps.add(update(p.desired(), p.actual())));
    return Future.join(steps).map(f -> f.<List<Change>>list().stream().flatMap(List::stream).toList());
  }

  private Future<List<Change>> create(TargetGroup tg) {
    boolean filled = creations.expectsTargets(tg);
    return SafeCreate.create(() -> elb.createTargetGroup(filled ? tg : withEmptyTargets(tg), vpcId), SafeCreate.idempotent(), Set.of())
        .compose(created -> {
          inventory.put(created);
          if (filled) {
            creations.createdUntagged(created.arn());
          }
          Change change = Change.created(KIND, tg.resourceId(), created.arn());
          return tg.attributes().isEmpty() ? Future.succeededFuture(List.of(change))
              : attributes.created(AttributeSynth.TARGET_GROUP, tg.resourceId(), created.arn(), tg.attributes())
                  .map(a -> List.of(change, a));
        });
  }

  /**
   * A new target group has no targets: one that no endpoint waits for is created with the
   * {@link Tags#TARGETS_HASH} of none, so the targets loop needs no DescribeTargetHealth for it (now or
   * after a restart). Only the create carries it; the model's tags, which the tag sync keeps, do not.
   */
  static TargetGroup withEmptyTargets(TargetGroup tg) {
    Map<String, String> tags = new java.util.LinkedHashMap<>(tg.tags());
    tags.put(Tags.TARGETS_HASH, TargetsHash.EMPTY);
    return new TargetGroup(tg.resourceId(), tg.name(), tg.service(), tg.targetType(), tg.protocol(), tg.protocolVersion(), tg.port(),
        tg.healthCheck(), tg.attributes(), tg.nodeLabels(), Map.copyOf(tags), tg.ipAddressType());
  }

  private Future<List<Change>> update(TargetGroup desired, ActualTargetGroup actual) {
    String id = desired.resourceId();
    Future<Change> healthCheck = !drifted(desired, actual) ? Future.succeededFuture(Change.unchanged(KIND, id, actual.arn()))
        : elb.modifyTargetGroup(actual.arn(), desired, actual.tags()).map(now -> {
          inventory.put(now);
          return Change.modified(KIND, id, actual.arn());
        });
    Future<Change> attributesSynced = attributes.targetGroup(id, actual.arn(), desired.attributes());
    Future<Change> tagged = tags.sync(KIND + "/" + id, actual.arn(), actual.tags(), desired.tags());
    return Future.join(healthCheck, attributesSynced, tagged).map(f -> f.<Change>list());
  }

  /** Deletes the target groups no longer desired; call it after the rules stopped forwarding to them. */
  Future<List<Change>> deleteSurplus(List<TargetGroup> desired, List<ActualTargetGroup> actual) {
    return Future.join(match(desired, actual).toDelete().stream().map(this::delete).toList()).map(f -> f.<Change>list());
  }

  Future<Change> delete(ActualTargetGroup tg) {
    return deleteRetryingInUse(tg.arn(), 0)
        .recover(e -> AwsFailure.is(e, AwsFailure.Kind.NOT_FOUND) ? Future.succeededFuture() : Future.failedFuture(e))
        .map(v -> {
          inventory.removeTargetGroup(tg.arn());
          return Change.deleted(KIND, tg.name());
        });
  }
}
