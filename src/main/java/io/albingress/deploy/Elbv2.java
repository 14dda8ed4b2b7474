package io.albingress.deploy;

import io.albingress.aws.AwsClients;
import io.albingress.aws.Paging;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/** ELBv2 reads done once here: paged describes (400 a page) and DescribeTags in batches of 20 ARNs. */
public final class Elbv2 {
  static final int PAGE_SIZE = 400;
  static final int TAG_BATCH = 20;

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
    List<Future<Map<String, Map<String, String>>>> batches = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += TAG_BATCH) {
      List<String> batch = arns.subList(i, Math.min(arns.size(), i + TAG_BATCH));
      batches.add(aws.call(() -> aws.elbv2().describeTags(b -> b.resourceArns(batch))).map(r -> {
        Map<String, Map<String, String>> out = new HashMap<>();
        r.tagDescriptions().forEach(d -> out.put(d.resourceArn(), toMap(d.tags())));
        return out;
      }));
    }
    return Future.all(batches).map(all -> {
      Map<String, Map<String, String>> merged = new HashMap<>();
      for (int i = 0; i < all.size(); i++) {
        merged.putAll(all.resultAt(i));
      }
      return merged;
    });
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
