package io.albingress.aws;

import io.albingress.deploy.Ec2SecurityGroups;
import io.albingress.deploy.RuleDiff;
import io.albingress.model.Permission;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/** {@link Ec2SecurityGroups} over the SDK's EC2 async client: paged describes, filters in batches of 200 values. */
public final class SdkEc2SecurityGroups implements Ec2SecurityGroups {
  static final int FILTER_BATCH = 200;
  static final int PAGE_SIZE = 1000;

  private final AwsClients aws;

  public SdkEc2SecurityGroups(AwsClients aws) {
    this.aws = aws;
  }

  @Override
  public Future<List<Group>> byTags(String vpcId, Map<String, String> tags) {
    List<Filter> filters = new ArrayList<>(vpc(vpcId));
    tags.forEach((k, v) -> filters.add(filter("tag:" + k, List.of(v))));
    return describe(filters);
  }

  @Override
  public Future<List<Group>> byIds(Collection<String> ids) {
    return inBatches(List.copyOf(ids), batch -> describe(List.of(filter("group-id", batch))));
  }

  @Override
  public Future<List<Group>> byNameTags(String vpcId, Collection<String> names) {
    return inBatches(List.copyOf(names), batch -> describe(with(vpc(vpcId), filter("tag:Name", batch))));
  }

  @Override
  public Future<List<Group>> byGroupNames(String vpcId, Collection<String> names) {
    return inBatches(List.copyOf(names), batch -> describe(with(vpc(vpcId), filter("group-name", batch))));
  }

  @Override
  public Future<List<Group>> admitting(String vpcId, String sourceGroupId) {
    return describe(with(vpc(vpcId), filter("ip-permission.group-id", List.of(sourceGroupId))));
  }

  @Override
  public Future<String> create(String vpcId, String name, String description, Map<String, String> tags) {
    TagSpecification spec = TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP).tags(sdkTags(tags)).build();
    return aws.call(() -> aws.ec2().createSecurityGroup(b -> {
      b.groupName(name).description(description).tagSpecifications(spec);
      if (!vpcId.isEmpty()) {
        b.vpcId(vpcId);
      }
    })).map(r -> r.groupId());
  }

  @Override
  public Future<Void> delete(String groupId) {
    return aws.call(() -> aws.ec2().deleteSecurityGroup(b -> b.groupId(groupId))).<Void>mapEmpty()
        .recover(e -> Ec2SecurityGroups.errorCode(e).filter("InvalidGroup.NotFound"::equals).isPresent()
            ? Future.succeededFuture() : Future.failedFuture(e));
  }

  @Override
  public Future<Void> authorizeIngress(String groupId, Collection<Permission> permissions, String description) {
    List<IpPermission> sdk = permissions.stream().map(p -> ipPermission(p, description)).toList();
    return aws.call(() -> aws.ec2().authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(sdk))).mapEmpty();
  }

  @Override
  public Future<Void> revokeIngress(String groupId, Collection<RuleDiff.Rule> rules) {
    List<IpPermission> sdk = rules.stream().map(r -> ipPermission(r.permission(), r.description().isEmpty() ? null : r.description())).toList();
    return aws.call(() -> aws.ec2().revokeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(sdk))).mapEmpty();
  }

  @Override
  public Future<Void> tag(String groupId, Map<String, String> tags) {
    return tags.isEmpty() ? Future.succeededFuture()
        : aws.call(() -> aws.ec2().createTags(b -> b.resources(groupId).tags(sdkTags(tags)))).mapEmpty();
  }

  @Override
  public Future<Map<String, List<String>>> instanceGroups(Collection<String> instanceIds) {
    return inBatches(List.copyOf(instanceIds), batch -> Paging.all(
        token -> aws.call(() -> aws.ec2().describeInstances(b -> b.filters(filter("instance-id", batch)).nextToken(token))),
        r -> r.reservations().stream().flatMap(res -> res.instances().stream()).toList(), r -> r.nextToken()))
        .map(instances -> {
          Map<String, List<String>> out = new HashMap<>();
          instances.forEach(i -> out.put(i.instanceId(), primaryGroups(i)));
          return out;
        });
  }

  @Override
  public Future<Map<String, List<String>>> interfaceGroupsByIp(String vpcId, Collection<String> privateIps) {
    return inBatches(List.copyOf(privateIps), batch -> Paging.all(
        token -> aws.call(() -> aws.ec2().describeNetworkInterfaces(b -> b
            .filters(with(vpc(vpcId), filter("addresses.private-ip-address", batch))).nextToken(token))),
        r -> r.networkInterfaces(), r -> r.nextToken()))
        .map(enis -> {
          Map<String, List<String>> out = new HashMap<>();
          enis.forEach(eni -> {
            List<String> groups = eni.groups().stream().map(GroupIdentifier::groupId).sorted().toList();
            eni.privateIpAddresses().forEach(a -> out.put(a.privateIpAddress(), groups));
            if (eni.privateIpAddress() != null) {
              out.put(eni.privateIpAddress(), groups);
            }
          });
          return out;
        });
  }

  /** The groups of the interface at device index 0; the instance's groups when the interfaces are not reported. */
  static List<String> primaryGroups(Instance instance) {
    return instance.networkInterfaces().stream()
        .filter(n -> n.attachment() != null && Integer.valueOf(0).equals(n.attachment().deviceIndex())).findFirst()
        .map(InstanceNetworkInterface::groups)
        .orElse(instance.securityGroups())
        .stream().map(GroupIdentifier::groupId).sorted().toList();
  }

  private Future<List<Group>> describe(List<Filter> filters) {
    return Paging.all(
        token -> aws.call(() -> aws.ec2().describeSecurityGroups(DescribeSecurityGroupsRequest.builder()
            .filters(filters).maxResults(PAGE_SIZE).nextToken(token).build())),
        r -> r.securityGroups().stream().map(SdkEc2SecurityGroups::group).toList(), r -> r.nextToken());
  }

  static Group group(SecurityGroup sg) {
    Map<String, String> tags = new HashMap<>();
    sg.tags().forEach(t -> tags.put(t.key(), t.value()));
    List<RuleDiff.Rule> rules = new ArrayList<>();
    for (IpPermission p : sg.ipPermissions()) {
      String protocol = p.ipProtocol();
      int from = p.fromPort() == null ? -1 : p.fromPort();
      int to = p.toPort() == null ? -1 : p.toPort();
      p.ipRanges().forEach(r -> rules.add(rule(protocol, from, to, Permission.Peer.IPV4_CIDR, r.cidrIp(), r.description())));
      p.ipv6Ranges().forEach(r -> rules.add(rule(protocol, from, to, Permission.Peer.IPV6_CIDR, r.cidrIpv6(), r.description())));
      p.prefixListIds().forEach(r -> rules.add(rule(protocol, from, to, Permission.Peer.PREFIX_LIST, r.prefixListId(), r.description())));
      p.userIdGroupPairs().forEach(r -> rules.add(rule(protocol, from, to, Permission.Peer.SECURITY_GROUP, r.groupId(), r.description())));
    }
    return new Group(sg.groupId(), sg.groupName(), sg.vpcId(), tags, rules);
  }

  private static RuleDiff.Rule rule(String protocol, int from, int to, Permission.Peer peer, String value, String description) {
    return new RuleDiff.Rule(new Permission(protocol, from, to, peer, value), description == null ? "" : description);
  }

  static IpPermission ipPermission(Permission p, String description) {
    IpPermission.Builder b = IpPermission.builder().ipProtocol(p.protocol()).fromPort(p.fromPort()).toPort(p.toPort());
    switch (p.peer()) {
      case IPV4_CIDR -> b.ipRanges(IpRange.builder().cidrIp(p.peerValue()).description(description).build());
      case IPV6_CIDR -> b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(p.peerValue()).description(description).build());
      case PREFIX_LIST -> b.prefixListIds(PrefixListId.builder().prefixListId(p.peerValue()).description(description).build());
      case SECURITY_GROUP -> b.userIdGroupPairs(UserIdGroupPair.builder().groupId(p.peerValue()).description(description).build());
    }
    return b.build();
  }

  private static <T> Future<List<T>> inBatches(List<String> values, java.util.function.Function<List<String>, Future<List<T>>> call) {
    if (values.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<List<T>>> batches = new ArrayList<>();
    for (int i = 0; i < values.size(); i += FILTER_BATCH) {
      batches.add(call.apply(values.subList(i, Math.min(values.size(), i + FILTER_BATCH))));
    }
    return Future.all(batches).map(all -> {
      List<T> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        out.addAll(all.resultAt(i));
      }
      return out;
    });
  }

  private static List<Filter> vpc(String vpcId) {
    return vpcId.isEmpty() ? List.of() : List.of(filter("vpc-id", List.of(vpcId)));
  }

  private static List<Filter> with(List<Filter> base, Filter more) {
    List<Filter> all = new ArrayList<>(base);
    all.add(more);
    return all;
  }

  private static Filter filter(String name, List<String> values) {
    return Filter.builder().name(name).values(values).build();
  }

  private static List<Tag> sdkTags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }
}
