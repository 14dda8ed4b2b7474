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
import io.albingress.model.Stack;
import io.albingress.model.TargetGroup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route added or removed describes neither listeners nor rules: the deployer uses what it read or
 * wrote since the last deep check (issues 18, 21); a failure, a deep check or a lost lease reads again.
 */
class KnownFrontDeployTest {
  private static final Reconciliation RUN = new Reconciliation(DeployFixtures.STACK, 1);
  private final FakeElbv2 elb = new FakeElbv2();
  private final Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
  private final StackDeployer deployer = new StackDeployer(elb, inventory, "vpc-1", new SimpleMeterRegistry(), new FakeAddOnPorts().addOns());

  /** One target group per path, as a route per path builds them. */
  private static Stack routes(String... paths) {
    List<ListenerRule> rules = new ArrayList<>();
    List<TargetGroup> tgs = new ArrayList<>();
    for (String p : paths) {
      TargetGroup tg = targetGroup("svc" + p.substring(1), 8080);
      tgs.add(tg);
      rules.add(rule(80, rules.size() + 1, p, tg));
    }
    return stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), rules, tgs);
  }

  private StackDeployer.Outcome deploy(boolean deep, String... paths) {
    return done(deployer.deploy(routes(paths), deep, RUN));
  }

  private List<String> paths() {
    return elb.rulesOf(elb.listenersOf(elb.loadBalancers().get(0).arn()).get(0).arn()).stream()
        .sorted(Comparator.comparingInt(ActualRule::priority)).map(r -> r.conditions().get(0).pathPatternConfig().values().get(0)).toList();
  }

  private List<String> describes() {
    return elb.calls().stream().map(c -> c.split(" ")[0]).filter(c -> c.equals("describeListeners") || c.equals("describeRules")).toList();
  }

  @BeforeEach
  void fiveRoutes() {
    deploy(false, "/a", "/b", "/c", "/d", "/e");
    elb.clearCalls();
  }

  @Test
  void routesRemovedAndAddedDescribeNothing() {
    deploy(false, "/a", "/b", "/d", "/e");
    assertThat(describes()).isEmpty();
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).contains("deleteRule").doesNotContain("createRule", "modifyRule");
    assertThat(paths()).containsExactly("/a", "/b", "/d", "/e");

    // the created rules' ARNs are known: removing one just created deletes it without a describe
    deploy(false, "/a", "/b", "/d", "/e", "/f");
    deploy(false, "/a", "/b", "/d", "/e");
    assertThat(describes()).isEmpty();
    assertThat(paths()).containsExactly("/a", "/b", "/d", "/e");
  }

  @Test
  void aDeepCheckReadsAndRepairsWhatChangedOutOfBand() {
    String listener = elb.listenersOf(elb.loadBalancers().get(0).arn()).get(0).arn();
    done(elb.deleteRule(elb.rulesOf(listener).stream().filter(r -> r.priority() == 2).findFirst().orElseThrow().arn()));
    elb.clearCalls();
    deploy(true, "/a", "/b", "/c", "/d", "/e");
    assertThat(describes()).containsExactly("describeListeners", "describeRules");
    assertThat(paths()).containsExactly("/a", "/b", "/c", "/d", "/e");
  }

  @Test
  void aFailedRunOrALostLeaseReadsAgain() {
    elb.failNext("createRule", AwsFailure.Kind.THROTTLING);
    assertThat(deployer.deploy(routes("/a", "/b", "/c", "/d", "/e", "/f"), false, RUN).failed()).isTrue();
    elb.clearCalls();
    deploy(false, "/a", "/b", "/c", "/d", "/e", "/f");
    assertThat(describes()).containsExactly("describeListeners", "describeRules");
    assertThat(paths()).containsExactly("/a", "/b", "/c", "/d", "/e", "/f");

    deployer.forgetAll();
    elb.clearCalls();
    deploy(false, "/a", "/c", "/d", "/e", "/f");
    assertThat(describes()).containsExactly("describeListeners", "describeRules");
    assertThat(paths()).containsExactly("/a", "/c", "/d", "/e", "/f");
  }

  @Test
  void aRuleFoundGoneFailsTheRunAndTheNextOneReads() {
    String listener = elb.listenersOf(elb.loadBalancers().get(0).arn()).get(0).arn();
    done(elb.deleteRule(elb.rulesOf(listener).stream().filter(r -> r.priority() == 2).findFirst().orElseThrow().arn()));
    elb.clearCalls();
    // the removal of /b meets its rule gone: deleting a rule already gone counts as done, or the run fails and the next reads
    done(deployer.deploy(routes("/a", "/c", "/d", "/e"), false, RUN).recover(e -> io.vertx.core.Future.succeededFuture(null)));
    deploy(false, "/a", "/c", "/d", "/e");
    deploy(true, "/a", "/c", "/d", "/e");
    assertThat(paths()).containsExactly("/a", "/c", "/d", "/e");
  }
}
