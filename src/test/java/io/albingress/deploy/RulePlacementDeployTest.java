package io.albingress.deploy;

import static io.albingress.deploy.DeployFixtures.done;
import static io.albingress.deploy.DeployFixtures.http;
import static io.albingress.deploy.DeployFixtures.loadBalancer;
import static io.albingress.deploy.DeployFixtures.rule;
import static io.albingress.deploy.DeployFixtures.stack;
import static io.albingress.deploy.DeployFixtures.targetGroup;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Scheme;
import io.albingress.model.ListenerRule;
import io.albingress.model.TargetGroup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Changing one rule of a listener writes only that rule (issues 18, 21): the calls over the in-memory ELBv2. */
class RulePlacementDeployTest {
  private static final Reconciliation RUN = new Reconciliation(DeployFixtures.STACK, 1);
  private static final TargetGroup WEB = targetGroup("web", 8080);
  private final FakeElbv2 elb = new FakeElbv2();
  private final Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
  private final StackDeployer deployer = new StackDeployer(elb, inventory, "vpc-1", new SimpleMeterRegistry(), new FakeAddOnPorts().addOns());

  /** The rules in precedence order, numbered 1..n as the builders number them. */
  private void deploy(String... paths) {
    List<ListenerRule> rules = new ArrayList<>();
    for (String p : paths) {
      rules.add(rule(80, rules.size() + 1, p, WEB));
    }
    done(deployer.deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), rules, List.of(WEB)), false, RUN));
  }

  /** The paths AWS has, in priority order. */
  private List<String> paths() {
    return elb.rulesOf(elb.listenersOf(elb.loadBalancers().get(0).arn()).get(0).arn()).stream()
        .sorted(Comparator.comparingInt(ActualRule::priority)).map(r -> r.conditions().get(0).pathPatternConfig().values().get(0)).toList();
  }

  private List<String> ruleWrites() {
    return elb.writes().stream().map(c -> c.split(" ")[0]).filter(c -> !c.equals("addTags")).toList();
  }

  @BeforeEach
  void tenRules() {
    elb.limitRules(100);
    deploy("/0", "/1", "/2", "/3", "/4", "/5", "/6", "/7", "/8", "/9");
    elb.clearCalls();
  }

  @Test
  void removingARuleFromTheMiddleDeletesItAndMovesNothing() {
    deploy("/0", "/1", "/2", "/3", "/5", "/6", "/7", "/8", "/9");
    assertThat(ruleWrites()).containsExactly("deleteRule");
    assertThat(paths()).containsExactly("/0", "/1", "/2", "/3", "/5", "/6", "/7", "/8", "/9");
  }

  @Test
  void addingARuleThatSortsLastCreatesItAfterTheGap() {
    deploy("/0", "/1", "/2", "/3", "/5", "/6", "/7", "/8", "/9");
    elb.clearCalls();
    deploy("/0", "/1", "/2", "/3", "/5", "/6", "/7", "/8", "/9", "/10");
    assertThat(ruleWrites()).containsExactly("createRule");
    assertThat(elb.writes()).contains("createRule 11");
  }

  @Test
  void aRuleInsertedIntoTheGapIsOneCreate() {
    deploy("/0", "/1", "/2", "/3", "/5", "/6", "/7", "/8", "/9");
    elb.clearCalls();
    deploy("/0", "/1", "/2", "/3", "/x", "/5", "/6", "/7", "/8", "/9");
    assertThat(ruleWrites()).containsExactly("createRule");
    assertThat(paths()).containsExactly("/0", "/1", "/2", "/3", "/x", "/5", "/6", "/7", "/8", "/9");
  }

  @Test
  void aRuleInsertedBetweenPackedRulesIsOneMoveOfTheRulesAfterItAndOneCreate() {
    deploy("/0", "/1", "/2", "/x", "/3", "/4", "/5", "/6", "/7", "/8", "/9");
    assertThat(ruleWrites()).containsExactly("setRulePriorities", "createRule");
    assertThat(elb.writes()).contains("setRulePriorities 7", "createRule 4");
    assertThat(paths()).containsExactly("/0", "/1", "/2", "/x", "/3", "/4", "/5", "/6", "/7", "/8", "/9");
  }

  @Test
  void swappedRulesAreOneMove() {
    deploy("/0", "/1", "/2", "/3", "/4", "/6", "/5", "/7", "/8", "/9");
    assertThat(ruleWrites()).containsExactly("setRulePriorities");
    assertThat(paths()).containsExactly("/0", "/1", "/2", "/3", "/4", "/6", "/5", "/7", "/8", "/9");
  }

  @Test
  void aChangedRuleIsModifiedInPlace() {
    deploy("/0", "/1", "/2", "/3", "/4", "/five", "/6", "/7", "/8", "/9");
    assertThat(ruleWrites()).containsExactly("modifyRule");
    assertThat(paths()).containsExactly("/0", "/1", "/2", "/3", "/4", "/five", "/6", "/7", "/8", "/9");
  }

  @Test
  void aRuleReplacedAndTheOrderReversedStillEndsInTheDesiredOrder() {
    deploy("/9", "/8", "/7", "/new", "/5", "/4", "/3", "/2", "/1", "/0");
    assertThat(paths()).containsExactly("/9", "/8", "/7", "/new", "/5", "/4", "/3", "/2", "/1", "/0");
    assertThat(ruleWrites()).filteredOn("setRulePriorities"::equals).hasSize(1);
    assertThat(ruleWrites()).doesNotContain("modifyRule");
  }
}
