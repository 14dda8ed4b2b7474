package io.albingress.deploy;

import static io.albingress.deploy.DeployFixtures.basic;
import static io.albingress.deploy.DeployFixtures.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Scheme;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.Stack;
import io.albingress.model.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The deployer with managed backend rules: what a run costs in EC2 reads, and what a failed run forgets. */
class BackendRulesDeployTest {
  private static final Reconciliation RUN = new Reconciliation(DeployFixtures.STACK, 1);
  private final FakeElbv2 elb = new FakeElbv2();
  private final FakeEc2SecurityGroups ec2 = new FakeEc2SecurityGroups();
  private final SecurityGroupSynthesizer synth = new SecurityGroupSynthesizer(ec2, new SecurityGroupSynthesizer.Settings(
      DeployFixtures.CLUSTER, "vpc-1", Optional.empty(), Map.of(), List.of(Duration.ofSeconds(1))), d -> Future.succeededFuture());
  private final StackDeployer deployer = new StackDeployer(elb, new Inventory(elb, DeployFixtures.CLUSTER), "vpc-1",
      new SimpleMeterRegistry(), new FakeAddOnPorts().addOns(), Optional.of(synth));

  private static Optional<SecurityGroupPlan> plan(Stack stack) {
    return Optional.of(new SecurityGroupPlan(Optional.empty(), List.of(), true, stack.targetGroups().stream()
        .map(tg -> new SecurityGroupPlan.BackendPorts(tg.resourceId(), false, new TreeSet<>(Set.of(tg.port())))).toList()));
  }

  private static SecurityGroupSynthesizer.Endpoints onNode(Stack stack) {
    return new SecurityGroupSynthesizer.Endpoints(stack.targetGroups().stream()
        .collect(Collectors.toMap(tg -> tg.resourceId(), tg -> Set.of(new Target("i-1", 0)))));
  }

  private int describeInstances() {
    return ec2.calls.getOrDefault("DescribeInstances", 0);
  }

  @Test
  void backendRulesAreReadOnceThenTrustedUntilTheStacksDeploymentFails() {
    String node = ec2.seed("node", "vpc-1", Map.of());
    ec2.instances.put("i-1", List.of(node));
    Stack stack = basic(Scheme.INTERNET_FACING);
    done(deployer.deploy(stack, plan(stack), false, RUN));
    done(deployer.backendRules(stack, plan(stack), onNode(stack), false, false));
    assertThat(describeInstances()).isEqualTo(1);
    assertThat(ec2.groups.get(node).ingress()).hasSize(2);
    done(deployer.backendRules(stack, plan(stack), onNode(stack), false, false));
    assertThat(describeInstances()).isEqualTo(1);

    // a deep check that fails: the next sync reads, even with the stack found unchanged
    elb.failNext("describeListeners", AwsFailure.Kind.THROTTLING);
    assertThat(deployer.deploy(stack, plan(stack), true, RUN).failed()).isTrue();
    done(deployer.backendRules(stack, plan(stack), onNode(stack), false, true));
    assertThat(describeInstances()).isEqualTo(2);
  }
}
