package io.albingress.deploy;

import io.albingress.model.Permission;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Security groups, instances and network interfaces in memory, with EC2's error codes; counts calls. */
final class FakeEc2SecurityGroups implements Ec2SecurityGroups {
  final Map<String, Group> groups = new LinkedHashMap<>();
  final Map<String, List<String>> instances = new HashMap<>();
  final Map<String, List<String>> interfaceIps = new HashMap<>();
  /** How many more deletes of a group answer DependencyViolation. */
  final Map<String, Integer> inUse = new HashMap<>();
  /** How many more authorizes fail (a fault EC2 could answer: RequestLimitExceeded). */
  int authorizeFailures;
  final Map<String, Integer> calls = new TreeMap<>();
  private int next = 1;
  /** Runs once before the next authorize or revoke: an earlier call of a crashed process landing late. */
  Runnable landsLate = () -> {};

  private void landLate() {
    Runnable late = landsLate;
    landsLate = () -> {};
    late.run();
  }

  String seed(String name, String vpcId, Map<String, String> tags) {
    String id = String.format("sg-%017x", next++);
    groups.put(id, new Group(id, name, vpcId, new HashMap<>(tags), new ArrayList<>()));
    return id;
  }

  int total() {
    return calls.values().stream().mapToInt(Integer::intValue).sum();
  }

  private void count(String op) {
    calls.merge(op, 1, Integer::sum);
  }

  private static <T> Future<T> error(String code, String message) {
    return Future.failedFuture(new Ec2Error(code, message));
  }

  @Override
  public Future<List<Group>> byTags(String vpcId, Map<String, String> tags) {
    count("DescribeSecurityGroups");
    return Future.succeededFuture(groups.values().stream().filter(g -> g.vpcId().equals(vpcId))
        .filter(g -> tags.entrySet().stream().allMatch(e -> e.getValue().equals(g.tags().get(e.getKey())))).map(FakeEc2SecurityGroups::copy).toList());
  }

  @Override
  public Future<List<Group>> byIds(Collection<String> ids) {
    count("DescribeSecurityGroups");
    return Future.succeededFuture(ids.stream().filter(groups::containsKey).map(groups::get).map(FakeEc2SecurityGroups::copy).toList());
  }

  @Override
  public Future<List<Group>> byNameTags(String vpcId, Collection<String> names) {
    count("DescribeSecurityGroups");
    return Future.succeededFuture(groups.values().stream().filter(g -> g.vpcId().equals(vpcId) && names.contains(g.tags().get("Name")))
        .map(FakeEc2SecurityGroups::copy).toList());
  }

  @Override
  public Future<List<Group>> byGroupNames(String vpcId, Collection<String> names) {
    count("DescribeSecurityGroups");
    return Future.succeededFuture(groups.values().stream().filter(g -> g.vpcId().equals(vpcId) && names.contains(g.name()))
        .map(FakeEc2SecurityGroups::copy).toList());
  }

  @Override
  public Future<List<Group>> admitting(String vpcId, String sourceGroupId) {
    count("DescribeSecurityGroups");
    return Future.succeededFuture(groups.values().stream().filter(g -> g.vpcId().equals(vpcId) && g.ingress().stream()
        .anyMatch(r -> r.permission().peer() == Permission.Peer.SECURITY_GROUP && r.permission().peerValue().equals(sourceGroupId)))
        .map(FakeEc2SecurityGroups::copy).toList());
  }

  @Override
  public Future<String> create(String vpcId, String name, String description, Map<String, String> tags) {
    count("CreateSecurityGroup");
    if (groups.values().stream().anyMatch(g -> g.vpcId().equals(vpcId) && g.name().equals(name))) {
      return error("InvalidGroup.Duplicate", "The security group '" + name + "' already exists");
    }
    return Future.succeededFuture(seed(name, vpcId, tags));
  }

  @Override
  public Future<Void> delete(String groupId) {
    count("DeleteSecurityGroup");
    if (!groups.containsKey(groupId)) {
      return Future.succeededFuture();
    }
    int left = inUse.getOrDefault(groupId, 0);
    if (left > 0) {
      inUse.put(groupId, left - 1);
      return error("DependencyViolation", "resource " + groupId + " has a dependent object");
    }
    groups.remove(groupId);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> authorizeIngress(String groupId, Collection<Permission> permissions, String description) {
    landLate();
    count("AuthorizeSecurityGroupIngress");
    if (authorizeFailures > 0) {
      authorizeFailures--;
      return error("RequestLimitExceeded", "Request limit exceeded.");
    }
    Group g = groups.get(groupId);
    if (g == null) {
      return error("InvalidGroup.NotFound", groupId);
    }
    for (Permission p : permissions) {
      if (g.ingress().stream().anyMatch(r -> r.permission().equals(p))) {
        return error("InvalidPermission.Duplicate", "the specified rule " + p + " already exists");
      }
    }
    permissions.forEach(p -> g.ingress().add(new RuleDiff.Rule(p, description == null ? "" : description)));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> revokeIngress(String groupId, Collection<RuleDiff.Rule> rules) {
    List<Permission> permissions = rules.stream().map(RuleDiff.Rule::permission).toList();
    landLate();
    count("RevokeSecurityGroupIngress");
    Group g = groups.get(groupId);
    if (g == null) {
      return error("InvalidGroup.NotFound", groupId);
    }
    for (Permission p : permissions) {
      if (g.ingress().stream().noneMatch(r -> r.permission().equals(p))) {
        return error("InvalidPermission.NotFound", "the specified rule " + p + " does not exist");
      }
    }
    g.ingress().removeIf(r -> permissions.contains(r.permission()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> tag(String groupId, Map<String, String> tags) {
    count("CreateTags");
    groups.get(groupId).tags().putAll(tags);
    return Future.succeededFuture();
  }

  @Override
  public Future<Map<String, List<String>>> instanceGroups(Collection<String> instanceIds) {
    count("DescribeInstances");
    Map<String, List<String>> out = new HashMap<>();
    instanceIds.stream().filter(instances::containsKey).forEach(i -> out.put(i, instances.get(i)));
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Map<String, List<String>>> interfaceGroupsByIp(String vpcId, Collection<String> privateIps) {
    count("DescribeNetworkInterfaces");
    Map<String, List<String>> out = new HashMap<>();
    privateIps.stream().filter(interfaceIps::containsKey).forEach(i -> out.put(i, interfaceIps.get(i)));
    return Future.succeededFuture(out);
  }

  private static Group copy(Group g) {
    return new Group(g.id(), g.name(), g.vpcId(), Map.copyOf(g.tags()), List.copyOf(g.ingress()));
  }
}
