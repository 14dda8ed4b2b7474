package io.albingress.deploy;

import static io.albingress.deploy.DeployFixtures.basic;
import static io.albingress.deploy.DeployFixtures.done;
import static io.albingress.deploy.DeployFixtures.loadBalancer;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Scheme;
import io.albingress.model.Permission;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.Stack;
import io.albingress.model.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A new stack with a managed frontend group: the target groups are created beside the group and the
 * load balancer, the group's rules beside the load balancer's create, and a load balancer returned
 * with the group this run created needs no DescribeTags; anything else is still checked.
 */
class NewStackCallsTest {
  private static final Reconciliation RUN = new Reconciliation(DeployFixtures.STACK, 1);
  private final FakeElbv2 elb = new FakeElbv2();
  private final FakeEc2SecurityGroups ec2 = new FakeEc2SecurityGroups();
  private final SecurityGroupSynthesizer synth = new SecurityGroupSynthesizer(ec2, new SecurityGroupSynthesizer.Settings(
      DeployFixtures.CLUSTER, "vpc-1", Optional.empty(), Map.of(), List.of(Duration.ofSeconds(1))), d -> Future.succeededFuture());
  private final Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
  private final StackDeployer deployer = new StackDeployer(elb, inventory, "vpc-1", new SimpleMeterRegistry(),
      new FakeAddOnPorts().addOns(), Optional.of(synth));

  private static Optional<SecurityGroupPlan> managed() {
    Map<String, String> tags = Map.of(Tags.CLUSTER, DeployFixtures.CLUSTER, Tags.STACK, DeployFixtures.STACK.tagValue(),
        Tags.RESOURCE, SecurityGroupPlan.FRONTEND_RESOURCE_ID);
    return Optional.of(new SecurityGroupPlan(Optional.of(new SecurityGroupPlan.ManagedGroup("k8s-shop-web-0123456789",
        SecurityGroupPlan.FRONTEND_DESCRIPTION, tags, new TreeSet<>(List.of(Permission.tcpFromCidr(80, "0.0.0.0/0"))))), List.of(), false,
        List.of()));
  }

  private List<String> tagReads() {
    return elb.calls().stream().filter(c -> c.startsWith("tags ")).toList();
  }

  @Test
  void aLoadBalancerCreatedWithTheGroupThisRunCreatedIsNotReadBack() {
    Stack stack = basic(Scheme.INTERNET_FACING);

    done(deployer.deploy(stack, managed(), false, RUN));

    ActualLoadBalancer lb = elb.loadBalancers().get(0);
    String group = ec2.groups.keySet().iterator().next();
    assertThat(lb.securityGroups()).containsExactly(group);
    assertThat(ec2.groups.get(group).ingress()).extracting(RuleDiff.Rule::permission).containsExactly(Permission.tcpFromCidr(80, "0.0.0.0/0"));
    // the target groups' creates are still checked (one DescribeTags), the load balancer's is not
    assertThat(tagReads()).singleElement().satisfies(c -> assertThat(c).doesNotContain(lb.arn()).contains(
        elb.targetGroups().get(0).arn()).contains(elb.targetGroups().get(1).arn()));
    assertThat(lb.tags()).containsKey(Tags.MODEL_HASH);
  }

  @Test
  void aForeignLoadBalancerWithOurNameIsRefusedEvenWhenTheGroupIsNew() {
    // ELBv2 may return an existing load balancer of that name whatever groups the create names: it lists its own groups
    elb.addForeignLoadBalancer(loadBalancer(Scheme.INTERNET_FACING), Map.of(Tags.CLUSTER, "other"));
    String theirs = elb.loadBalancers().get(0).arn();

    Future<StackDeployer.Outcome> refused = deployer.deploy(basic(Scheme.INTERNET_FACING), managed(), false, RUN);

    assertThat(refused.cause()).isInstanceOfSatisfying(AwsFailure.class, f -> assertThat(f.code()).isEqualTo("NotOurs"));
    assertThat(tagReads()).anySatisfy(c -> assertThat(c).contains(theirs));
    assertThat(elb.listenersOf(theirs)).isEmpty();
    assertThat(elb.writes()).noneMatch(c -> c.contains(theirs));
  }

  @Test
  void withoutANewGroupTheLoadBalancerAndTargetGroupsAreCheckedInOneCall() {
    Stack stack = basic(Scheme.INTERNET_FACING);

    done(deployer.deploy(stack, Optional.empty(), false, RUN));

    String lb = elb.loadBalancers().get(0).arn();
    assertThat(tagReads()).singleElement().satisfies(c -> assertThat(c).contains(lb).contains(elb.targetGroups().get(0).arn()));
  }

  @Test
  void aFailedAuthorizeFailsTheRunAndTheNextRunAppliesTheRules() {
    Stack stack = basic(Scheme.INTERNET_FACING);
    ec2.authorizeFailures = 1;

    assertThat(deployer.deploy(stack, managed(), false, RUN).failed()).isTrue();
    String group = ec2.groups.keySet().iterator().next();
    assertThat(ec2.groups.get(group).ingress()).isEmpty();
    assertThat(elb.loadBalancers().get(0).tags()).as("no model hash: the run did not finish").doesNotContainKey(Tags.MODEL_HASH);

    done(deployer.deploy(stack, managed(), false, RUN));

    assertThat(ec2.groups).hasSize(1);
    assertThat(ec2.groups.get(group).ingress()).extracting(RuleDiff.Rule::permission).containsExactly(Permission.tcpFromCidr(80, "0.0.0.0/0"));
    assertThat(elb.loadBalancers()).singleElement().satisfies(lb -> assertThat(lb.tags()).containsKey(Tags.MODEL_HASH));
  }
}
