package io.albingress.deploy;

import io.albingress.aws.AwsClients;
import io.albingress.aws.Paging;
import io.albingress.model.Target;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * ELBv2 calls done once here: paged describes (400 a page), DescribeTags in batches of 20 ARNs,
 * target (de)registration in batches of 500 targets.
 */
public final class Elbv2 {
  static final int PAGE_SIZE = 400;
  static final int TAG_BATCH = 20;
  static final int TARGET_BATCH = 500;

  private final AwsClients aws;

  public Elbv2(AwsClients aws) {
    this.aws = aws;
  }

  public ElasticLoadBalancingV2AsyncClient client() {
    return aws.elbv2();
  }

  /** The client for Create* calls, which never retries (see {@link AwsClients#elbv2Creates()}). */
  public ElasticLoadBalancingV2AsyncClient creates() {
    return aws.elbv2Creates();
  }

  public AwsClients aws() {
    return aws;
  }

  public Future<List<LoadBalancer>> allLoadBalancers() {
    return Paging.all(
        marker -> aws.call(() -> aws.elbv2().describeLoadBalancers(b -> b.marker(marker).pageSize(PAGE_SIZE))),
        r -> r.loadBalancers(), r -> r.nextMarker());
  }

  public Future<List<TargetGroup>> allTargetGroups() {
    return Paging.all(
        marker -> aws.call(() -> aws.elbv2().describeTargetGroups(b -> b.marker(marker).pageSize(PAGE_SIZE))),
        r -> r.targetGroups(), r -> r.nextMarker());
  }

  /** Tags of many resources, 20 ARNs a call, the calls in parallel. */
  public Future<Map<String, Map<String, String>>> tags(List<String> arns) {
    List<Future<Map<String, Map<String, String>>>> batches = batches(arns, TAG_BATCH).stream()
        .map(batch -> aws.call(() -> aws.elbv2().describeTags(b -> b.resourceArns(batch))).map(r -> {
          Map<String, Map<String, String>> out = new HashMap<>();
          r.tagDescriptions().forEach(d -> out.put(d.resourceArn(), toMap(d.tags())));
          return out;
        })).toList();
    return Future.all(batches).map(all -> {
      Map<String, Map<String, String>> merged = new HashMap<>();
      for (int i = 0; i < all.size(); i++) {
        merged.putAll(all.resultAt(i));
      }
      return merged;
    });
  }

  /** The targets registered in a target group, with their health (the API does not page this one). */
  public Future<List<TargetHealthDescription>> targetHealth(String targetGroupArn) {
    return aws.call(() -> aws.elbv2().describeTargetHealth(b -> b.targetGroupArn(targetGroupArn)))
        .map(r -> r.targetHealthDescriptions());
  }

  public Future<Void> registerTargets(String targetGroupArn, List<Target> targets) {
    return Future.all(batches(targets, TARGET_BATCH).stream().map(batch -> aws.call(() -> aws.elbv2()
        .registerTargets(b -> b.targetGroupArn(targetGroupArn).targets(descriptions(batch))))).toList()).mapEmpty();
  }

  public Future<Void> deregisterTargets(String targetGroupArn, List<Target> targets) {
    return Future.all(batches(targets, TARGET_BATCH).stream().map(batch -> aws.call(() -> aws.elbv2()
        .deregisterTargets(b -> b.targetGroupArn(targetGroupArn).targets(descriptions(batch))))).toList()).mapEmpty();
  }

  private static List<TargetDescription> descriptions(List<Target> targets) {
    return targets.stream().map(t -> TargetDescription.builder().id(t.id()).port(t.port()).build()).toList();
  }

  static <T> List<List<T>> batches(List<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      out.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
    }
    return out;
  }

  public static Map<String, String> toMap(List<Tag> tags) {
    Map<String, String> m = new HashMap<>();
    tags.forEach(t -> m.put(t.key(), t.value()));
    return m;
  }

  public static List<Tag> toTags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }
}
