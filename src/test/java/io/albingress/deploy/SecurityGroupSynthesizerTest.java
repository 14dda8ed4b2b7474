package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Permission;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.Tags;
import io.albingress.model.Target;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecurityGroupSynthesizerTest {
  private static final String VPC = "vpc-1";
  private static final String STACK = "shop/web";
  private static final String DESC = "elbv2.k8s.aws/cluster=prod";

  private FakeEc2SecurityGroups ec2;
  private final List<Duration> slept = new ArrayList<>();
  private SecurityGroupSynthesizer synth;
  private String nodeSg;
  private String otherNodeSg;

  @BeforeEach
  void setUp() {
    ec2 = new FakeEc2SecurityGroups();
    synth = synthesizer(Optional.empty());
    nodeSg = ec2.seed("prod-node", VPC, Map.of("kubernetes.io/cluster/prod", "owned"));
    otherNodeSg = ec2.seed("extra", VPC, Map.of());
    ec2.instances.put("i-1", List.of(nodeSg, otherNodeSg));
    ec2.instances.put("i-2", List.of(nodeSg));
    ec2.interfaceIps.put("10.0.11.20", List.of(otherNodeSg));
  }

  private SecurityGroupSynthesizer synthesizer(Optional<String> backendFlag) {
    return new SecurityGroupSynthesizer(ec2, new SecurityGroupSynthesizer.Settings("prod", VPC, backendFlag, Map.of("team", "a"),
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))), d -> {
          slept.add(d);
          return Future.succeededFuture();
        });
  }

  private static <T> T await(Future<T> f) {
    assertThat(f.isComplete()).as("fake futures complete at once").isTrue();
    if (f.failed()) {
      throw new AssertionError(f.cause());
    }
    return f.result();
  }

  private static SortedSet<Permission> open(int... ports) {
    SortedSet<Permission> s = new TreeSet<>();
    for (int p : ports) {
      s.add(Permission.tcpFromCidr(p, "0.0.0.0/0"));
    }
    return s;
  }

  private static SecurityGroupPlan managed(SortedSet<Permission> ingress, SecurityGroupPlan.BackendPorts... backend) {
    Map<String, String> tags = Map.of(Tags.CLUSTER, "prod", Tags.STACK, STACK, Tags.RESOURCE, SecurityGroupPlan.FRONTEND_RESOURCE_ID);
    return new SecurityGroupPlan(Optional.of(new SecurityGroupPlan.ManagedGroup("k8s-shop-web-0123456789",
        SecurityGroupPlan.FRONTEND_DESCRIPTION, tags, ingress)), List.of(), true, List.of(backend));
  }

  private static SecurityGroupPlan.BackendPorts instancePorts(String tg, Integer... ports) {
    return new SecurityGroupPlan.BackendPorts(tg, false, new TreeSet<>(List.of(ports)));
  }

  private static SecurityGroupSynthesizer.Endpoints endpoints(String tg, String... ids) {
    Set<Target> targets = new java.util.HashSet<>();
    for (String id : ids) {
      targets.add(new Target(id, 0));
    }
    return new SecurityGroupSynthesizer.Endpoints(Map.of(tg, targets));
  }

  private List<Permission> rules(String groupId) {
    return ec2.groups.get(groupId).ingress().stream().map(RuleDiff.Rule::permission).sorted().toList();
  }

  private Permission fromBackend(int port) {
    String backend = await(synth.backendGroup());
    return Permission.tcp(port, Permission.Peer.SECURITY_GROUP, backend);
  }

  @Test
  void managedPlanCreatesFrontendAndBackendGroupsOnceAndThenCostsNothing() {
    List<String> ids = await(synth.loadBalancerGroups(STACK, managed(open(80)), false));
    assertThat(ids).hasSize(2);
    var frontend = ec2.groups.get(ids.get(0));
    var backend = ec2.groups.get(ids.get(1));
    assertThat(frontend.name()).isEqualTo("k8s-shop-web-0123456789");
    assertThat(frontend.tags()).containsEntry(Tags.STACK, STACK);
    assertThat(rules(frontend.id())).containsExactly(Permission.tcpFromCidr(80, "0.0.0.0/0"));
    assertThat(backend.name()).startsWith("k8s-traffic-prod-");
    assertThat(backend.tags()).containsEntry(Tags.CLUSTER, "prod").containsEntry(Tags.RESOURCE, "backend-sg").containsEntry("team", "a");
    assertThat(backend.ingress()).isEmpty();
    // describe frontend, create it, authorize; describe backend, create it
    assertThat(ec2.total()).isEqualTo(5);

    int before = ec2.total();
    assertThat(await(synth.loadBalancerGroups(STACK, managed(open(80)), false))).isEqualTo(ids);
    assertThat(ec2.total()).isEqualTo(before);
    // a deep check reads the frontend group once and finds nothing to change
    assertThat(await(synth.loadBalancerGroups(STACK, managed(open(80)), true))).isEqualTo(ids);
    assertThat(ec2.total()).isEqualTo(before + 1);
  }

  @Test
  void aNewStackCreatesItsGroupWithoutLookingAndItsDeletionNeedsNoLookupEither() {
    List<String> ids = await(synth.loadBalancerGroups(STACK, managed(open(80)), false, true));
    assertThat(ec2.calls).containsEntry("CreateSecurityGroup", 2);
    int describes = ec2.calls.entrySet().stream().filter(e -> e.getKey().startsWith("Describe")).mapToInt(java.util.Map.Entry::getValue).sum();
    // only the backend group was looked up
    assertThat(describes).isEqualTo(1);

    await(synth.deleteFrontend(STACK));
    assertThat(ec2.groups).doesNotContainKey(ids.get(0));
    assertThat(ec2.calls.entrySet().stream().filter(e -> e.getKey().startsWith("Describe")).mapToInt(java.util.Map.Entry::getValue).sum())
        .isEqualTo(describes);
  }

  @Test
  void aNewStacksGroupLeftByAnEarlierRunIsAdoptedByItsName() {
    List<String> ids = await(synth.loadBalancerGroups(STACK, managed(open(80)), false));
    // a new process, and the stack's load balancer is gone (a run failed after the group was made)
    SecurityGroupSynthesizer restarted = synthesizer(Optional.empty());
    assertThat(await(restarted.loadBalancerGroups(STACK, managed(open(80, 443)), false, true))).isEqualTo(ids);
    assertThat(rules(ids.get(0))).containsExactly(Permission.tcpFromCidr(80, "0.0.0.0/0"), Permission.tcpFromCidr(443, "0.0.0.0/0"));
    assertThat(ec2.groups.values()).filteredOn(g -> g.name().equals("k8s-shop-web-0123456789")).hasSize(1);
  }

  @Test
  void changesMoveOnlyTheDifferenceAndAdoptAfterRestart() {
    List<String> ids = await(synth.loadBalancerGroups(STACK, managed(open(80)), false));
    SortedSet<Permission> cidrs = new TreeSet<>(List.of(Permission.tcpFromCidr(443, "10.0.0.0/8")));
    // a new process finds the group by its tags
    SecurityGroupSynthesizer restarted = synthesizer(Optional.empty());
    assertThat(await(restarted.loadBalancerGroups(STACK, managed(cidrs), false))).isEqualTo(ids);
    assertThat(rules(ids.get(0))).containsExactly(Permission.tcpFromCidr(443, "10.0.0.0/8"));
    assertThat(ec2.calls).containsEntry("CreateSecurityGroup", 2).containsEntry("RevokeSecurityGroupIngress", 1)
        .containsEntry("AuthorizeSecurityGroupIngress", 2);
  }

  @Test
  void aRuleAuthorizedOrRevokedByACallThatLandedLateIsSuccessAndTheRestIsStillApplied() {
    List<String> ids = await(synth.loadBalancerGroups(STACK, managed(open(80)), false));
    String frontend = ids.get(0);
    // a crashed run's authorize of 443 lands between this run's read and its own authorize of 443 and 8443:
    // EC2 refuses the whole batch with InvalidPermission.Duplicate
    ec2.landsLate = () -> ec2.groups.get(frontend).ingress().add(new RuleDiff.Rule(Permission.tcpFromCidr(443, "0.0.0.0/0"), ""));
    await(synth.loadBalancerGroups(STACK, managed(open(80, 443, 8443)), true));
    assertThat(rules(frontend)).containsExactlyElementsOf(open(80, 443, 8443));

    // and a revoke of 443 and 8443 of which 443 was already revoked: InvalidPermission.NotFound for the batch
    ec2.landsLate = () -> ec2.groups.get(frontend).ingress().removeIf(r -> r.permission().equals(Permission.tcpFromCidr(443, "0.0.0.0/0")));
    await(synth.loadBalancerGroups(STACK, managed(open(80)), true));
    assertThat(rules(frontend)).containsExactlyElementsOf(open(80));
  }

  @Test
  void aLostCreateIsAdoptedByName() {
    String existing = ec2.seed("k8s-shop-web-0123456789", VPC, Map.of());
    List<String> ids = await(synth.loadBalancerGroups(STACK, managed(open(80)), false));
    assertThat(ids.get(0)).isEqualTo(existing);
    assertThat(ec2.groups.get(existing).tags()).containsEntry(Tags.STACK, STACK);
    assertThat(rules(existing)).containsExactly(Permission.tcpFromCidr(80, "0.0.0.0/0"));
  }

  @Test
  void userGroupsResolveByNameTagOnceAndUnknownNamesFail() {
    String web = ec2.seed("whatever", VPC, Map.of("Name", "web-sg"));
    SecurityGroupPlan plan = new SecurityGroupPlan(Optional.empty(), List.of("web-sg", "sg-0123456789abcdef0"), false, List.of());
    assertThat(await(synth.loadBalancerGroups(STACK, plan, false))).containsExactly(web, "sg-0123456789abcdef0");
    int calls = ec2.total();
    await(synth.loadBalancerGroups(STACK, plan, false));
    assertThat(ec2.total()).isEqualTo(calls);

    Future<List<String>> missing = synth.loadBalancerGroups(STACK,
        new SecurityGroupPlan(Optional.empty(), List.of("nope"), false, List.of()), false);
    assertThat(missing.failed()).isTrue();
    assertThat(missing.cause().getMessage()).contains("no security group named [nope]").contains(VPC);
    assertThat(ec2.calls).doesNotContainKey("CreateSecurityGroup");
  }

  @Test
  void userGroupsWithManagedBackendRulesAlsoCarryTheBackendGroup() {
    SecurityGroupPlan plan = new SecurityGroupPlan(Optional.empty(), List.of("sg-0123456789abcdef0"), true, List.of());
    List<String> ids = await(synth.loadBalancerGroups(STACK, plan, false));
    assertThat(ids).hasSize(2).first().isEqualTo("sg-0123456789abcdef0");
  }

  @Test
  void backendRulesOpenTheNodePortOnTheNodesTaggedGroupAndLeaveForeignRules() {
    Permission foreign = Permission.tcpFromCidr(22, "10.0.0.0/8");
    await(ec2.authorizeIngress(nodeSg, List.of(foreign), "ssh"));
    SecurityGroupPlan plan = managed(open(80), instancePorts("tg1", 30080));
    await(synth.backendRules(STACK, plan, endpoints("tg1", "i-1", "i-2"), Set.of(30080), false, false));
    assertThat(rules(nodeSg)).containsExactly(foreign, fromBackend(30080));
    assertThat(ec2.groups.get(nodeSg).ingress()).filteredOn(r -> r.permission().equals(fromBackend(30080)))
        .singleElement().extracting(RuleDiff.Rule::description).isEqualTo(DESC);
    // i-1 has two groups: only the one tagged for the cluster is opened
    assertThat(ec2.groups.get(otherNodeSg).ingress()).isEmpty();

    // unchanged inputs: no call at all
    int calls = ec2.total();
    await(synth.backendRules(STACK, plan, endpoints("tg1", "i-1", "i-2"), Set.of(30080), false, false));
    assertThat(ec2.total()).isEqualTo(calls);

    // the NodePort changes: the rule moves
    SecurityGroupPlan moved = managed(open(80), instancePorts("tg1", 30090));
    await(synth.backendRules(STACK, moved, endpoints("tg1", "i-1", "i-2"), Set.of(30090), false, false));
    assertThat(rules(nodeSg)).containsExactly(foreign, fromBackend(30090));
  }

  @Test
  void afterARestartAnUnchangedStackTrustsItsRulesUntilInputsChange() {
    SecurityGroupPlan plan = managed(open(80), instancePorts("tg1", 30080));
    await(synth.backendRules(STACK, plan, endpoints("tg1", "i-2"), Set.of(30080), false, true));
    assertThat(ec2.total()).isZero();
    await(synth.backendRules(STACK, plan, endpoints("tg1", "i-1", "i-2"), Set.of(30080), false, true));
    assertThat(rules(nodeSg)).containsExactly(fromBackend(30080));
  }

  private static SecurityGroupSynthesizer.Endpoints nodes(List<String> tgs, String... ids) {
    Map<String, Set<Target>> byTg = new java.util.HashMap<>();
    for (String tg : tgs) {
      byTg.put(tg, endpoints(tg, ids).byTargetGroup().get(tg));
    }
    return new SecurityGroupSynthesizer.Endpoints(byTg);
  }

  @Test
  void aTargetGroupRemovedOrAddedOnAPortAlreadyOpenCostsNoCall() {
    SecurityGroupPlan two = managed(open(80), instancePorts("tg1", 30080), instancePorts("tg2", 30080));
    await(synth.backendRules(STACK, two, nodes(List.of("tg1", "tg2"), "i-1", "i-2"), Set.of(30080), false, false));
    int calls = ec2.total();
    // a route removed: the other target group keeps the port open
    SecurityGroupPlan one = managed(open(80), instancePorts("tg1", 30080));
    await(synth.backendRules(STACK, one, nodes(List.of("tg1"), "i-1", "i-2"), Set.of(30080), false, false));
    // a route added on the same port, its endpoints known or not yet
    SecurityGroupPlan three = managed(open(80), instancePorts("tg1", 30080), instancePorts("tg3", 30080));
    await(synth.backendRules(STACK, three, nodes(List.of("tg1"), "i-1", "i-2"), Set.of(30080), false, false));
    await(synth.backendRules(STACK, three, nodes(List.of("tg1", "tg3"), "i-1", "i-2"), Set.of(30080), false, false));
    assertThat(ec2.total()).isEqualTo(calls);
    assertThat(rules(nodeSg)).containsExactly(fromBackend(30080));

    // a deep check reads and applies all the same
    await(synth.backendRules(STACK, three, nodes(List.of("tg1", "tg3"), "i-1", "i-2"), Set.of(30080), true, false));
    assertThat(ec2.calls).containsEntry("DescribeInstances", 2);
  }

  @Test
  void aPortNoTargetGroupNeedsAnyMoreOrANewNodeIsReadAndApplied() {
    SecurityGroupPlan two = managed(open(80), instancePorts("tg1", 30080), instancePorts("tg2", 30081));
    await(synth.backendRules(STACK, two, nodes(List.of("tg1", "tg2"), "i-2"), Set.of(30080, 30081), false, false));
    assertThat(rules(nodeSg)).containsExactly(fromBackend(30080), fromBackend(30081));
    SecurityGroupPlan one = managed(open(80), instancePorts("tg1", 30080));
    await(synth.backendRules(STACK, one, nodes(List.of("tg1"), "i-2"), Set.of(30080), false, false));
    assertThat(rules(nodeSg)).containsExactly(fromBackend(30080));
    assertThat(ec2.calls).containsEntry("DescribeInstances", 2);

    // a new node: read, its group opened
    await(synth.backendRules(STACK, one, nodes(List.of("tg1"), "i-1", "i-2"), Set.of(30080), false, false));
    assertThat(ec2.calls).containsEntry("DescribeInstances", 3);
    // a new port on the known nodes: read
    SecurityGroupPlan moved = managed(open(80), instancePorts("tg1", 30080), instancePorts("tg2", 30082));
    await(synth.backendRules(STACK, moved, nodes(List.of("tg1", "tg2"), "i-1", "i-2"), Set.of(30080, 30082), false, false));
    assertThat(ec2.calls).containsEntry("DescribeInstances", 4);
    assertThat(rules(nodeSg)).containsExactly(fromBackend(30080), fromBackend(30082));
  }

  @Test
  void aFailureOrALostLeaseForgetsWhatWasVerified() {
    SecurityGroupPlan plan = managed(open(80), instancePorts("tg1", 30080));
    await(synth.backendRules(STACK, plan, endpoints("tg1", "i-2"), Set.of(30080), false, false));
    assertThat(ec2.calls).containsEntry("DescribeInstances", 1);

    // the stack's deployment failed: the next sync reads, even for a stack found unchanged
    synth.forgetBackend(STACK);
    await(ec2.revokeIngress(nodeSg, ec2.groups.get(nodeSg).ingress()));
    await(synth.backendRules(STACK, plan, endpoints("tg1", "i-2"), Set.of(30080), false, true));
    assertThat(ec2.calls).containsEntry("DescribeInstances", 2);
    assertThat(rules(nodeSg)).containsExactly(fromBackend(30080));

    // the lease was lost and taken again: read again (the backend group looked up again too)
    synth.forgetAll();
    await(ec2.revokeIngress(nodeSg, ec2.groups.get(nodeSg).ingress()));
    await(synth.backendRules(STACK, plan, endpoints("tg1", "i-2"), Set.of(30080), false, true));
    assertThat(ec2.calls).containsEntry("DescribeInstances", 3);
    assertThat(rules(nodeSg)).containsExactly(fromBackend(30080));
  }

  @Test
  void portsAnotherStackNeedsAreKept() {
    await(synth.backendRules("other/stack", managed(open(80), instancePorts("tgA", 30081)), endpoints("tgA", "i-2"), Set.of(30081), false, false));
    await(synth.backendRules(STACK, managed(open(80), instancePorts("tg1", 30080)), endpoints("tg1", "i-2"), Set.of(30080, 30081), false, false));
    assertThat(rules(nodeSg)).containsExactly(fromBackend(30080), fromBackend(30081));
  }

  @Test
  void ipModeOpensThePodPortOnThePodsInterfaceGroup() {
    // a named pod port: the plan knows only the health-check port, the endpoint brings 8080
    SecurityGroupPlan plan = managed(open(80), new SecurityGroupPlan.BackendPorts("tg1", true, new TreeSet<>(List.of(9000))));
    var pods = new SecurityGroupSynthesizer.Endpoints(Map.of("tg1", Set.of(new Target("10.0.11.20", 8080))));
    await(synth.backendRules(STACK, plan, pods, Set.of(8080, 9000), false, false));
    assertThat(rules(otherNodeSg)).containsExactly(fromBackend(8080), fromBackend(9000));
    assertThat(ec2.calls).containsEntry("DescribeNetworkInterfaces", 1).doesNotContainKey("DescribeInstances");
  }

  @Test
  void releaseRevokesOurUnneededRulesEverywhereAndNothingElse() {
    Permission foreign = Permission.tcpFromCidr(22, "10.0.0.0/8");
    await(ec2.authorizeIngress(nodeSg, List.of(foreign), "ssh"));
    await(synth.backendRules(STACK, managed(open(80), instancePorts("tg1", 30080, 30081)), endpoints("tg1", "i-2"), Set.of(30080, 30081), false, false));
    // someone else admits the backend group on 30080 with their own description
    await(ec2.authorizeIngress(otherNodeSg, List.of(fromBackend(30080)), "manual"));
    await(synth.releaseBackendRules(STACK, Set.of(30081)));
    assertThat(rules(nodeSg)).containsExactly(foreign, fromBackend(30081));
    assertThat(rules(otherNodeSg)).containsExactly(fromBackend(30080));
  }

  @Test
  void releasingAStackWhosePortsOthersStillNeedCostsNoCall() {
    await(synth.backendRules(STACK, managed(open(80), instancePorts("tg1", 30080, 30081)), endpoints("tg1", "i-2"), Set.of(30080, 30081), false, false));
    int calls = ec2.total();
    await(synth.releaseBackendRules(STACK, Set.of(30080, 30081, 30082)));
    assertThat(ec2.total()).isEqualTo(calls);
    assertThat(rules(nodeSg)).contains(fromBackend(30080), fromBackend(30081));

    // a new process does not know what the stack opened: it looks
    SecurityGroupSynthesizer restarted = synthesizer(Optional.empty());
    await(restarted.releaseBackendRules(STACK, Set.of(30080, 30081)));
    assertThat(ec2.total()).isGreaterThan(calls);
  }

  @Test
  void backendGroupFlagIsUsedAsIsAndItsRulesOnlyAreOurs() {
    String mine = ec2.seed("controller-b", VPC, Map.of());
    String theirs = ec2.seed("controller-a", VPC, Map.of());
    await(ec2.authorizeIngress(nodeSg, List.of(Permission.tcp(30080, Permission.Peer.SECURITY_GROUP, theirs)), DESC));
    synth = synthesizer(Optional.of(mine));
    assertThat(await(synth.loadBalancerGroups(STACK, managed(open(80)), false))).endsWith(mine);
    await(synth.backendRules(STACK, managed(open(80), instancePorts("tg1", 30090)), endpoints("tg1", "i-2"), Set.of(30090), false, false));
    await(synth.releaseBackendRules(STACK, Set.of()));
    assertThat(rules(nodeSg)).containsExactly(Permission.tcp(30080, Permission.Peer.SECURITY_GROUP, theirs));
    assertThat(ec2.groups.values()).noneMatch(g -> g.name().startsWith("k8s-traffic-"));
  }

  @Test
  void deletionRetriesWhileInUseThenSucceeds() {
    String id = await(synth.loadBalancerGroups(STACK, managed(open(80)), false)).get(0);
    ec2.inUse.put(id, 2);
    await(synth.deleteFrontend(STACK));
    assertThat(ec2.groups).doesNotContainKey(id);
    assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void deletionThatStaysInUseFailsWithTheGroupNamed() {
    String id = await(synth.loadBalancerGroups(STACK, managed(open(80)), false)).get(0);
    ec2.inUse.put(id, 10);
    Future<Void> f = synth.deleteFrontend(STACK);
    assertThat(f.failed()).isTrue();
    assertThat(f.cause().getMessage()).contains(id).contains("still in use after 3 attempts");
    assertThat(ec2.groups).containsKey(id);
  }

  @Test
  void aRepeatedDeletionCostsNothingUntilTheStackComesBack() {
    String id = await(synth.loadBalancerGroups(STACK, managed(open(80)), false)).get(0);
    await(synth.deleteFrontend(STACK));
    await(synth.releaseBackendRules(STACK, Set.of()));
    synth.cleanedUp(STACK);
    int calls = ec2.total();
    await(synth.deleteFrontend(STACK));
    await(synth.releaseBackendRules(STACK, Set.of()));
    assertThat(ec2.total()).isEqualTo(calls);
    assertThat(ec2.groups).doesNotContainKey(id);
    String again = await(synth.loadBalancerGroups(STACK, managed(open(80)), false)).get(0);
    await(synth.deleteFrontend(STACK));
    assertThat(ec2.groups).doesNotContainKey(again);
  }

  @Test
  void deletingAStackWithoutAGroupCostsOneDescribe() {
    await(synth.deleteFrontend(STACK));
    assertThat(ec2.calls).containsExactly(Map.entry("DescribeSecurityGroups", 1));
  }
}
