package io.albingress.deploy;

import io.albingress.model.Permission;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.Tags;
import io.albingress.model.Target;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes EC2 security groups match a stack's {@link SecurityGroupPlan}: the managed frontend group
 * per load balancer, the cluster's shared backend group, user groups resolved by name, and the
 * backend group's rules on the security groups of the targets. Backend rules carry a description
 * naming the cluster and have the backend group as peer; no other rule is ever revoked.
 */
public final class SecurityGroupSynthesizer {
  private static final Logger LOG = LoggerFactory.getLogger(SecurityGroupSynthesizer.class);
  public static final String BACKEND_RESOURCE = "backend-sg";
  public static final String BACKEND_DESCRIPTION = "[k8s] Shared Backend SecurityGroup for LoadBalancer";
  static final String NODE_CLUSTER_TAG_PREFIX = "kubernetes.io/cluster/";
  static final Duration NAME_TTL = Duration.ofMinutes(5);

  /**
   * @param backendGroupId `--backend-security-group`: use this group instead of creating the shared one
   * @param deleteDelays the waits between attempts to delete a frontend group still in use
   */
  public record Settings(String clusterName, String vpcId, Optional<String> backendGroupId, Map<String, String> defaultTags,
      List<Duration> deleteDelays) {}

  /**
   * What a backend rule sync works on: per target group (resource ID), its targets (instance IDs or pod
   * IPs, with their ports; a target's port is opened along with the plan's).
   */
  public record Endpoints(Map<String, Set<Target>> byTargetGroup) {
    Set<String> ids(String targetGroup) {
      Set<String> ids = new TreeSet<>();
      byTargetGroup.getOrDefault(targetGroup, Set.of()).forEach(t -> ids.add(t.id()));
      return ids;
    }

    SortedSet<Integer> ports(SecurityGroupPlan.BackendPorts tg) {
      SortedSet<Integer> ports = new TreeSet<>(tg.ports());
      byTargetGroup.getOrDefault(tg.targetGroupResourceId(), Set.of()).stream().filter(t -> t.port() > 0).forEach(t -> ports.add(t.port()));
      return ports;
    }
  }

  private final Ec2SecurityGroups ec2;
  private final Settings settings;
  private final Function<Duration, Future<Void>> sleep;
  private final String ruleDescription;
  private Future<String> backendGroup;
  private final Map<String, Resolved> names = new ConcurrentHashMap<>();
  /** Per stack: the hash of the frontend group last applied, with its ID. */
  private final Map<String, Applied> appliedFrontend = new ConcurrentHashMap<>();
  /** Per stack: what its backend rules last verified or applied (see {@link Verified}). */
  private final Map<String, Verified> appliedBackend = new ConcurrentHashMap<>();
  /**
   * Stacks whose backend rules this process must read before trusting them again (a failure, a group
   * found gone, a lost lease): the restart shortcut of an unchanged stack is not taken for them.
   */
  private final Set<String> distrusted = ConcurrentHashMap.newKeySet();
  /** Per stack: the ports its backend rules opened, as this process last applied them. */
  private final Map<String, Set<Integer>> backendPortsOf = new ConcurrentHashMap<>();
  /** Stacks whose groups and rules this process has already cleaned up: a repeated deletion costs no call. */
  private final Set<String> cleanedUp = ConcurrentHashMap.newKeySet();

  private record Resolved(String id, long at) {}

  private record Applied(String hash, String groupId) {}

  /**
   * What a stack's backend rules were last verified against: per endpoint (instance ID or pod IP) the
   * ports opened for it, the ports every target group of the controller needed (kept, never revoked),
   * and the backend group they admit (null: not looked up yet by this process). Every rule of ours in the endpoints' groups was then in
   * {@code ports} or in {@code kept}; a later sync whose endpoints need no port beyond these, drops
   * only ports still kept, and keeps at least as much has nothing to read nor write.
   */
  record Verified(Map<String, Set<Integer>> ports, Set<Integer> kept, String backend) {
    boolean covers(Map<String, Set<Integer>> wanted, Set<Integer> keep, String backendNow) {
      if (backend != null && backendNow != null && !backend.equals(backendNow) || !keep.containsAll(kept)) {
        return false;
      }
      for (Map.Entry<String, Set<Integer>> e : wanted.entrySet()) {
        if (!ports.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue())) {
          return false;
        }
      }
      for (Map.Entry<String, Set<Integer>> e : ports.entrySet()) {
        // a port no endpoint needs any more stays open only when some target group still needs it
        for (Integer port : e.getValue()) {
          if (!keep.contains(port) && !wanted.getOrDefault(e.getKey(), Set.of()).contains(port)) {
            return false;
          }
        }
      }
      return true;
    }
  }

  public SecurityGroupSynthesizer(Ec2SecurityGroups ec2, Settings settings, Function<Duration, Future<Void>> sleep) {
    this.ec2 = ec2;
    this.settings = settings;
    this.sleep = sleep;
    this.ruleDescription = "elbv2.k8s.aws/cluster=" + settings.clusterName();
  }

  /** The description our backend rules carry. */
  public String ruleDescription() {
    return ruleDescription;
  }

  // ---- the groups a load balancer carries

  /** Ensures the plan's groups exist and returns their IDs, in the order the load balancer lists them. */
  public Future<List<String>> loadBalancerGroups(String stackTag, SecurityGroupPlan plan, boolean deepCheck) {
    return loadBalancerGroups(stackTag, plan, deepCheck, false);
  }

  /**
   * @param newStack the stack has no load balancer yet: its managed group is created without looking
   *     for it first (one that exists already, e.g. left by a run that failed later, answers the create
   *     with InvalidGroup.Duplicate and is adopted by its name)
   */
  public Future<List<String>> loadBalancerGroups(String stackTag, SecurityGroupPlan plan, boolean deepCheck, boolean newStack) {
    return groups(stackTag, plan, deepCheck, newStack).compose(g -> g.rules().map(g.ids()));
  }

  /**
   * A load balancer's groups as soon as they exist.
   *
   * @param ids the groups, in the order the load balancer lists them
   * @param created the managed frontend group when this call created it (nobody else can know its ID yet)
   * @param rules completes once the frontend group's ingress rules are applied: a load balancer may be
   *     created with the group meanwhile (a group without rules admits nothing), the run waits for it
   */
  public record Groups(List<String> ids, Optional<String> created, Future<Void> rules) {}

  /** Like {@link #loadBalancerGroups(String, SecurityGroupPlan, boolean, boolean)}, answering before a new group's rules are applied. */
  public Future<Groups> groups(String stackTag, SecurityGroupPlan plan, boolean deepCheck, boolean newStack) {
    cleanedUp.remove(stackTag);
    Future<Frontend> front = plan.frontend().isPresent()
        ? frontend(stackTag, plan.frontend().get(), deepCheck, newStack)
        : resolve(plan.userGroups()).map(ids -> new Frontend(ids, Optional.empty(), Future.succeededFuture()));
    return front.compose(f -> !plan.manageBackendRules() ? Future.succeededFuture(new Groups(f.ids(), f.created(), f.rules()))
        : backendGroup().map(backend -> {
          List<String> all = new ArrayList<>(f.ids());
          if (!all.contains(backend)) {
            all.add(backend);
          }
          return new Groups(List.copyOf(all), f.created(), f.rules());
        }).recover(e -> f.rules().transform(x -> Future.failedFuture(e))));
  }

  /** The frontend's groups, the one created by this call, and its pending rules. */
  private record Frontend(List<String> ids, Optional<String> created, Future<Void> rules) {}

  private Future<Frontend> frontend(String stackTag, SecurityGroupPlan.ManagedGroup desired, boolean deepCheck, boolean newStack) {
    String hash = ModelHash.of(desired);
    Applied applied = appliedFrontend.get(stackTag);
    if (!deepCheck && applied != null && applied.hash().equals(hash)) {
      return Future.succeededFuture(new Frontend(List.of(applied.groupId()), Optional.empty(), Future.succeededFuture()));
    }
    Future<List<Ec2SecurityGroups.Group>> existing = newStack && applied == null && !deepCheck ? Future.succeededFuture(List.of())
        : ec2.byTags(settings.vpcId(), frontendTags(stackTag));
    return existing
        .compose(found -> found.isEmpty() ? createFrontend(desired)
            : updateFrontend(desired, found.get(0)).map(id -> new Frontend(List.of(id), Optional.empty(), Future.succeededFuture())))
        .onSuccess(f -> f.rules().onSuccess(v -> appliedFrontend.put(stackTag, new Applied(hash, f.ids().get(0))))
            .onFailure(e -> appliedFrontend.remove(stackTag)))
        .onFailure(e -> appliedFrontend.remove(stackTag));
  }

  /** A new group answers at once; its rules follow (see {@link Groups#rules}). */
  private Future<Frontend> createFrontend(SecurityGroupPlan.ManagedGroup desired) {
    LOG.info("creating security group {}", desired.name());
    return ec2.create(settings.vpcId(), desired.name(), desired.description(), desired.tags())
        // a new group has no ingress rules
        .map(id -> new Frontend(List.of(id), Optional.of(id), apply(id, RuleDiff.exact(desired.ingress(), List.of()), desired.description())))
        .recover(e -> Ec2SecurityGroups.errorCode(e).filter("InvalidGroup.Duplicate"::equals).isPresent()
            // an earlier create whose answer was lost, or a group whose tags were removed: adopt it by name
            ? ec2.byGroupNames(settings.vpcId(), List.of(desired.name()))
                .compose(g -> g.isEmpty() ? Future.failedFuture(e) : updateFrontend(desired, g.get(0)))
                .map(id -> new Frontend(List.of(id), Optional.empty(), Future.succeededFuture()))
            : Future.failedFuture(e));
  }

  private Future<String> updateFrontend(SecurityGroupPlan.ManagedGroup desired, Ec2SecurityGroups.Group actual) {
    Map<String, String> add = TagSynth.changed(desired.tags(), actual.tags());
    Future<Void> tagged = add.isEmpty() ? Future.succeededFuture() : ec2.tag(actual.id(), add);
    return tagged.compose(v -> apply(actual.id(), RuleDiff.exact(desired.ingress(), actual.ingress()), desired.description()))
        .map(actual.id());
  }

  private Future<Void> apply(String groupId, RuleDiff diff, String description) {
    if (diff.empty()) {
      return Future.succeededFuture();
    }
    LOG.info("security group {}: authorize {}, revoke {}", groupId, diff.authorize(), diff.revokedPermissions());
    // revoke first: a listen-port move then never holds both ports open at once for long
    Future<Void> revoked = diff.revoke().isEmpty() ? Future.succeededFuture() : revoke(groupId, diff.revoke());
    return revoked.compose(v -> diff.authorize().isEmpty() ? Future.succeededFuture() : authorize(groupId, diff.authorize(), description));
  }

  /**
   * Authorizes; a rule that already exists (an earlier call landed after a crash or a lost answer) is
   * success. EC2 refuses the whole call for one duplicate, so a batch is then authorized rule by rule.
   */
  private Future<Void> authorize(String groupId, java.util.Collection<Permission> permissions, String description) {
    return ec2.authorizeIngress(groupId, permissions, description).recover(e -> {
      if (!isCode(e, "InvalidPermission.Duplicate")) {
        return Future.failedFuture(e);
      }
      return permissions.size() == 1 ? Future.succeededFuture() : Future.all(permissions.stream()
          .map(p -> authorize(groupId, List.of(p), description)).toList()).mapEmpty();
    });
  }

  /** Revokes; a rule already gone is success (rule by rule, as for {@link #authorize}). */
  private Future<Void> revoke(String groupId, java.util.Collection<RuleDiff.Rule> rules) {
    return ec2.revokeIngress(groupId, rules).recover(e -> {
      if (!isCode(e, "InvalidPermission.NotFound")) {
        return Future.failedFuture(e);
      }
      return rules.size() == 1 ? Future.succeededFuture() : Future.all(rules.stream().map(r -> revoke(groupId, List.of(r))).toList()).mapEmpty();
    });
  }

  private static boolean isCode(Throwable e, String code) {
    return Ec2SecurityGroups.errorCode(e).filter(code::equals).isPresent();
  }

  private Map<String, String> frontendTags(String stackTag) {
    return io.albingress.model.StackId.parse(stackTag).ownerTags(settings.clusterName(), SecurityGroupPlan.FRONTEND_RESOURCE_ID);
  }

  /** User groups: IDs as written, names through the `Name` tag in the VPC (cached); an unknown name fails. */
  Future<List<String>> resolve(List<String> namesOrIds) {
    long now = System.nanoTime();
    List<String> unresolved = namesOrIds.stream().filter(n -> !n.startsWith("sg-"))
        .filter(n -> names.get(n) == null || now - names.get(n).at() > NAME_TTL.toNanos()).distinct().toList();
    Future<Void> looked = unresolved.isEmpty() ? Future.succeededFuture()
        : ec2.byNameTags(settings.vpcId(), unresolved).compose(groups -> {
          Map<String, List<String>> byName = new TreeMap<>();
          groups.forEach(g -> byName.computeIfAbsent(g.tags().get("Name"), k -> new ArrayList<>()).add(g.id()));
          List<String> ambiguous = byName.entrySet().stream().filter(e -> e.getValue().size() > 1)
              .map(e -> e.getKey() + " " + e.getValue()).toList();
          if (!ambiguous.isEmpty()) {
            return Future.failedFuture("security-groups: a Name matches several security groups, use IDs: " + ambiguous);
          }
          byName.forEach((name, ids) -> names.put(name, new Resolved(ids.get(0), now)));
          return Future.<Void>succeededFuture();
        });
    return looked.compose(v -> {
      List<String> ids = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (String n : namesOrIds) {
        if (n.startsWith("sg-")) {
          ids.add(n);
        } else if (names.containsKey(n)) {
          ids.add(names.get(n).id());
        } else {
          missing.add(n);
        }
      }
      return missing.isEmpty() ? Future.succeededFuture(ids.stream().distinct().toList())
          : Future.failedFuture("security-groups: no security group named " + missing + " (Name tag) in VPC " + settings.vpcId());
    });
  }

  /** The shared backend group: the flag's, or the cluster's (found by tags, created on first need). */
  public synchronized Future<String> backendGroup() {
    if (backendGroup == null || backendGroup.failed()) {
      backendGroup = settings.backendGroupId().isPresent() ? Future.succeededFuture(settings.backendGroupId().get())
          : ec2.byTags(settings.vpcId(), Map.of(Tags.CLUSTER, settings.clusterName(), Tags.RESOURCE, BACKEND_RESOURCE))
              .compose(found -> found.isEmpty() ? createBackend() : Future.succeededFuture(found.get(0).id()));
    }
    return backendGroup;
  }

  private Future<String> createBackend() {
    Map<String, String> tags = new LinkedHashMap<>(settings.defaultTags());
    tags.put(Tags.CLUSTER, settings.clusterName());
    tags.put(Tags.RESOURCE, BACKEND_RESOURCE);
    String name = io.albingress.stack.SecurityGroupPlanner.backendName(settings.clusterName());
    LOG.info("creating the cluster's backend security group {}", name);
    return ec2.create(settings.vpcId(), name, BACKEND_DESCRIPTION, tags)
        .recover(e -> Ec2SecurityGroups.errorCode(e).filter("InvalidGroup.Duplicate"::equals).isPresent()
            ? ec2.byGroupNames(settings.vpcId(), List.of(name)).compose(g -> g.isEmpty() ? Future.failedFuture(e)
                : ec2.tag(g.get(0).id(), tags).map(g.get(0).id()))
            : Future.failedFuture(e));
  }

  // ---- backend rules on the targets' groups

  /**
   * Opens the backend group on each target group's ports in its endpoints' security groups, and
   * revokes our rules there for ports no target group of the cluster needs any more.
   *
   * @param neededPorts every port some target group of this controller still needs (all stacks)
   * @param stackUnchanged the stack was found deployed as built (its model hash matched): after a
   *     restart its rules are taken as applied, like the rest of the stack, until inputs change or a deep check
   */
  public Future<Void> backendRules(String stackTag, SecurityGroupPlan plan, Endpoints endpoints, Set<Integer> neededPorts,
      boolean deepCheck, boolean stackUnchanged) {
    if (!plan.manageBackendRules()) {
      appliedBackend.remove(stackTag);
      backendPortsOf.remove(stackTag);
      return Future.succeededFuture();
    }
    Map<String, Set<Integer>> wanted = wantedPorts(plan, endpoints);
    Set<Integer> keep = Set.copyOf(neededPorts);
    Verified verified = appliedBackend.get(stackTag);
    String knownBackend = knownBackendGroup();
    if (!deepCheck && verified != null && verified.covers(wanted, keep, knownBackend)) {
      // e.g. a route removed while other target groups keep its port, or one added on a port already open
      return Future.succeededFuture();
    }
    if (!deepCheck && stackUnchanged && verified == null && !distrusted.contains(stackTag)) {
      appliedBackend.put(stackTag, new Verified(wanted, keep, knownBackend));
      return Future.succeededFuture();
    }
    Set<String> instances = new TreeSet<>();
    Set<String> ips = new TreeSet<>();
    for (SecurityGroupPlan.BackendPorts tg : plan.backendPorts()) {
      (tg.ipMode() ? ips : instances).addAll(endpoints.ids(tg.targetGroupResourceId()));
    }
    Future<Map<String, List<String>>> instanceGroups = instances.isEmpty() ? Future.succeededFuture(Map.of()) : ec2.instanceGroups(instances);
    Future<Map<String, List<String>>> ipGroups = ips.isEmpty() ? Future.succeededFuture(Map.of())
        : ec2.interfaceGroupsByIp(settings.vpcId(), ips);
    return Future.all(backendGroup(), instanceGroups, ipGroups)
        .compose(all -> syncEndpointGroups(backendGroup().result(), plan, endpoints, instanceGroups.result(), ipGroups.result(), neededPorts))
        .onSuccess(v -> {
          appliedBackend.put(stackTag, new Verified(wanted, keep, backendGroup().result()));
          distrusted.remove(stackTag);
          Set<Integer> ports = new TreeSet<>();
          plan.backendPorts().forEach(tg -> ports.addAll(endpoints.ports(tg)));
          backendPortsOf.put(stackTag, Set.copyOf(ports));
        })
        .onFailure(e -> {
          forgetBackend(stackTag);
          backendPortsOf.remove(stackTag);
        });
  }

  /** Per endpoint, the ports its target groups need opened (a target group without endpoints needs none). */
  private static Map<String, Set<Integer>> wantedPorts(SecurityGroupPlan plan, Endpoints endpoints) {
    Map<String, Set<Integer>> wanted = new TreeMap<>();
    for (SecurityGroupPlan.BackendPorts tg : plan.backendPorts()) {
      SortedSet<Integer> ports = endpoints.ports(tg);
      endpoints.ids(tg.targetGroupResourceId()).forEach(id -> wanted.computeIfAbsent(id, k -> new TreeSet<>()).addAll(ports));
    }
    return wanted;
  }

  /** The backend group's ID when this process already knows it, without a call; null otherwise. */
  private synchronized String knownBackendGroup() {
    return backendGroup != null && backendGroup.succeeded() ? backendGroup.result() : null;
  }

  /** The next backend rule sync of the stack reads EC2 (after any failure of the stack's deployment). */
  public void forgetBackend(String stackTag) {
    appliedBackend.remove(stackTag);
    distrusted.add(stackTag);
  }

  /**
   * The lease is lost (or taken again): another replica may have changed the rules meanwhile; every
   * stack reads EC2 at its next backend rule sync, and the shared backend group is looked up again.
   */
  public synchronized void forgetAll() {
    distrusted.addAll(appliedBackend.keySet());
    appliedBackend.clear();
    appliedFrontend.clear();
    backendGroup = null;
  }

  private Future<Void> syncEndpointGroups(String backend, SecurityGroupPlan plan, Endpoints endpoints,
      Map<String, List<String>> instanceGroups, Map<String, List<String>> ipGroups, Set<Integer> neededPorts) {
    // every group any endpoint has, described once for its tags and rules
    Map<String, List<String>> candidates = new LinkedHashMap<>();
    for (SecurityGroupPlan.BackendPorts tg : plan.backendPorts()) {
      Map<String, List<String>> groupsOf = tg.ipMode() ? ipGroups : instanceGroups;
      endpoints.ids(tg.targetGroupResourceId()).forEach(e -> candidates.put(e, groupsOf.getOrDefault(e, List.of())));
    }
    Set<String> allGroups = new TreeSet<>();
    candidates.values().forEach(allGroups::addAll);
    if (allGroups.isEmpty()) {
      return Future.succeededFuture();
    }
    return ec2.byIds(allGroups).compose(described -> {
      Map<String, Ec2SecurityGroups.Group> byId = new HashMap<>();
      described.forEach(g -> byId.put(g.id(), g));
      Map<String, SortedSet<Permission>> wanted = new TreeMap<>();
      for (SecurityGroupPlan.BackendPorts tg : plan.backendPorts()) {
        SortedSet<Integer> ports = endpoints.ports(tg);
        for (String endpoint : endpoints.ids(tg.targetGroupResourceId())) {
          for (String groupId : endpointGroups(candidates.getOrDefault(endpoint, List.of()), byId)) {
            SortedSet<Permission> perms = wanted.computeIfAbsent(groupId, k -> new TreeSet<>());
            ports.forEach(p -> perms.add(Permission.tcp(p, Permission.Peer.SECURITY_GROUP, backend)));
          }
        }
      }
      Set<Permission> keep = permissions(neededPorts, backend);
      List<Future<Void>> steps = new ArrayList<>();
      wanted.forEach((groupId, perms) -> {
        Ec2SecurityGroups.Group g = byId.get(groupId);
        if (g != null) {
          steps.add(apply(groupId, RuleDiff.of(perms, keep, g.ingress(), r -> isOurs(r, backend)), ruleDescription));
        }
      });
      return Future.all(steps).mapEmpty();
    });
  }

  /**
   * Of an endpoint's groups, the one(s) tagged `kubernetes.io/cluster/<cluster>` when it has several
   * (as the reference controller picks them); its only group otherwise; all when none is tagged.
   */
  private List<String> endpointGroups(List<String> groups, Map<String, Ec2SecurityGroups.Group> byId) {
    if (groups.size() <= 1) {
      return groups;
    }
    String tag = NODE_CLUSTER_TAG_PREFIX + settings.clusterName();
    List<String> tagged = groups.stream().filter(id -> byId.containsKey(id) && byId.get(id).tags().containsKey(tag)).toList();
    return tagged.isEmpty() ? groups : tagged;
  }

  private boolean isOurs(RuleDiff.Rule r, String backend) {
    return ruleDescription.equals(r.description()) && r.permission().peer() == Permission.Peer.SECURITY_GROUP
        && backend.equals(r.permission().peerValue());
  }

  private static Set<Permission> permissions(Set<Integer> ports, String backend) {
    Set<Permission> out = new LinkedHashSet<>();
    ports.forEach(p -> out.add(Permission.tcp(p, Permission.Peer.SECURITY_GROUP, backend)));
    return out;
  }

  /**
   * After a stack is deleted: revokes our backend rules, in every group of the VPC that admits the
   * backend group, on ports no remaining target group needs.
   */
  public Future<Void> releaseBackendRules(String stackTag, Set<Integer> neededPorts) {
    appliedBackend.remove(stackTag);
    distrusted.remove(stackTag);
    Set<Integer> opened = backendPortsOf.remove(stackTag);
    if (cleanedUp.contains(stackTag)) {
      return Future.succeededFuture();
    }
    if (opened != null && neededPorts.containsAll(opened)) {
      // every port this stack opened (as this process applied it) is still needed by another target group: nothing to revoke
      return Future.succeededFuture();
    }
    if (settings.backendGroupId().isEmpty() && backendGroup == null) {
      // never needed by this process: look it up without creating it
      return ec2.byTags(settings.vpcId(), Map.of(Tags.CLUSTER, settings.clusterName(), Tags.RESOURCE, BACKEND_RESOURCE))
          .compose(found -> found.isEmpty() ? Future.succeededFuture() : release(found.get(0).id(), neededPorts));
    }
    return backendGroup().compose(backend -> release(backend, neededPorts));
  }

  private Future<Void> release(String backend, Set<Integer> neededPorts) {
    Set<Permission> keep = permissions(neededPorts, backend);
    return ec2.admitting(settings.vpcId(), backend).compose(groups -> Future.all(groups.stream()
        .map(g -> apply(g.id(), RuleDiff.of(Set.of(), keep, g.ingress(), r -> isOurs(r, backend)), ruleDescription)).toList()))
        .mapEmpty();
  }

  // ---- deletion

  /**
   * Deletes the stack's managed frontend group once the load balancer is gone. EC2 answers
   * DependencyViolation while the load balancer's network interfaces linger; each such answer waits
   * the next delay and tries again, and after the last the run fails (and is retried later).
   */
  public Future<Void> deleteFrontend(String stackTag) {
    Applied applied = appliedFrontend.remove(stackTag);
    if (cleanedUp.contains(stackTag)) {
      return Future.succeededFuture();
    }
    if (applied != null) {
      // this process made or found it: deleted by ID, no lookup (gone already counts as deleted)
      return deleteWithRetries(new Ec2SecurityGroups.Group(applied.groupId(), applied.groupId(), settings.vpcId(), Map.of(), List.of()), 0)
          .recover(e -> Ec2SecurityGroups.errorCode(e).filter("InvalidGroup.NotFound"::equals).isPresent() ? Future.succeededFuture()
              : Future.failedFuture(e));
    }
    return ec2.byTags(settings.vpcId(), frontendTags(stackTag))
        .compose(found -> Future.all(found.stream().map(g -> deleteWithRetries(g, 0)).toList()))
        .mapEmpty();
  }

  private Future<Void> deleteWithRetries(Ec2SecurityGroups.Group group, int attempt) {
    if (attempt == 0) {
      LOG.info("deleting security group {} ({})", group.name(), group.id());
    }
    return ec2.delete(group.id()).recover(e -> {
      boolean inUse = Ec2SecurityGroups.errorCode(e).filter("DependencyViolation"::equals).isPresent();
      if (!inUse) {
        return Future.failedFuture(e);
      }
      if (attempt >= settings.deleteDelays().size()) {
        return Future.failedFuture("security group " + group.name() + " (" + group.id() + ") is still in use after "
            + (attempt + 1) + " attempts to delete it (DependencyViolation); it is tried again on the next reconciliation");
      }
      return sleep.apply(settings.deleteDelays().get(attempt)).compose(v -> deleteWithRetries(group, attempt + 1));
    });
  }

  /**
   * Forgets what this process last applied for a stack (and the shared backend group when it was
   * found gone): something was deleted out of band, the next run reads EC2 again.
   */
  public synchronized void forget(String stackTag, boolean backendGone) {
    appliedFrontend.remove(stackTag);
    forgetBackend(stackTag);
    if (backendGone) {
      backendGroup = null;
      distrusted.addAll(appliedBackend.keySet());
      appliedBackend.clear();
    }
  }

  /** Marks a stack's deletion done: until it deploys again, deleting it makes no call. */
  public void cleanedUp(String stackTag) {
    cleanedUp.add(stackTag);
  }

  /** The delays between deletion attempts: 2, 4, 8, 16, 30, 30 s (about 90 s in all). */
  public static List<Duration> defaultDeleteDelays() {
    return List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16),
        Duration.ofSeconds(30), Duration.ofSeconds(30));
  }
}
