package io.albingress.deploy;

import static io.albingress.deploy.DeployFixtures.CERT_A;
import static io.albingress.deploy.DeployFixtures.CERT_B;
import static io.albingress.deploy.DeployFixtures.CERT_C;
import static io.albingress.deploy.DeployFixtures.CERT_D;
import static io.albingress.deploy.DeployFixtures.basic;
import static io.albingress.deploy.DeployFixtures.done;
import static io.albingress.deploy.DeployFixtures.http;
import static io.albingress.deploy.DeployFixtures.https;
import static io.albingress.deploy.DeployFixtures.loadBalancer;
import static io.albingress.deploy.DeployFixtures.rule;
import static io.albingress.deploy.DeployFixtures.stack;
import static io.albingress.deploy.DeployFixtures.targetGroup;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Condition;
import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.Scheme;
import io.albingress.annotations.Transform;
import io.albingress.testing.Meters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.albingress.model.ListenerRule;
import io.albingress.model.Ref;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.albingress.model.TargetGroup;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TransformTypeEnum;

/** The deployer over the in-memory ELBv2: which calls it makes, in which order, for each kind of change. */
class StackDeployerTest {
  private static final Reconciliation RUN = new Reconciliation(DeployFixtures.STACK, 1);
  private final FakeElbv2 elb = new FakeElbv2();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
  private final StackDeployer deployer = new StackDeployer(elb, inventory, "vpc-1", registry, new FakeAddOnPorts().addOns());

  private StackDeployer.Outcome deploy(Stack stack, boolean deep) {
    return done(deployer.deploy(stack, deep, RUN));
  }

  @Test
  void aNewStackIsCreatedInDependencyOrder() {
    StackDeployer.Outcome outcome = deploy(basic(Scheme.INTERNET_FACING), false);

    assertThat(outcome.dnsName()).hasValue("k8s-shop-web-0123456789.elb.example");
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsExactly("createTargetGroup", "createTargetGroup",
        "createLoadBalancer", "createListener", "createRule", "createRule", "addTags");
    assertThat(outcome.changes()).filteredOn(c -> c.op() == Change.Op.CREATED).extracting(Change::kind)
        .containsExactlyInAnyOrder("TargetGroup", "TargetGroup", "LoadBalancer", "Listener", "ListenerRule", "ListenerRule");
    assertThat(Meters.count(registry, StackDeployer.CHANGES, "kind", "TargetGroup", "op", "created")).isEqualTo(2);
  }

  @Test
  void aNewTargetGroupSaysItHasNoTargetsAndNoTagSyncOrDeepCheckTouchesThatTag() {
    Stack stack = basic(Scheme.INTERNET_FACING);
    deploy(stack, false);
    assertThat(elb.targetGroups()).isNotEmpty()
        .allSatisfy(tg -> assertThat(tg.tags()).containsEntry(io.albingress.model.Tags.TARGETS_HASH, io.albingress.model.TargetsHash.EMPTY));
    assertThat(inventory.allTargetGroups())
        .allSatisfy(tg -> assertThat(tg.tags()).containsEntry(io.albingress.model.Tags.TARGETS_HASH, io.albingress.model.TargetsHash.EMPTY));

    // the targets loop removes it before registering; a deep check after a restart neither writes it back nor removes another value
    String first = elb.targetGroups().get(0).arn();
    done(elb.removeTags(first, List.of(io.albingress.model.Tags.TARGETS_HASH)));
    String second = elb.targetGroups().get(1).arn();
    done(elb.addTags(second, java.util.Map.of(io.albingress.model.Tags.TARGETS_HASH, "2-abc")));
    StackDeployer restarted = new StackDeployer(elb, new Inventory(elb, DeployFixtures.CLUSTER), "vpc-1", registry,
        new FakeAddOnPorts().addOns());
    elb.clearCalls();
    done(restarted.deploy(stack, true, RUN));
    assertThat(elb.writes()).isEmpty();
    assertThat(elb.targetGroups()).filteredOn(tg -> tg.arn().equals(first)).singleElement()
        .satisfies(tg -> assertThat(tg.tags()).doesNotContainKey(io.albingress.model.Tags.TARGETS_HASH));
    assertThat(elb.targetGroups()).filteredOn(tg -> tg.arn().equals(second)).singleElement()
        .satisfies(tg -> assertThat(tg.tags()).containsEntry(io.albingress.model.Tags.TARGETS_HASH, "2-abc"));
  }

  @Test
  void anUnchangedStackMakesNoCallAndADeepCheckNoWrite() {
    Stack stack = basic(Scheme.INTERNET_FACING);
    deploy(stack, false);
    elb.clearCalls();

    StackDeployer.Outcome again = deploy(stack, false);
    assertThat(elb.calls()).isEmpty();
    assertThat(again.changed()).isFalse();

    StackDeployer.Outcome deep = deploy(stack, true);
    assertThat(elb.writes()).isEmpty();
    assertThat(deep.changes()).isNotEmpty().allMatch(c -> !c.changed());
  }

  @Test
  void aRulePriorityTakenBehindAStaleListingIsRetriedSoonNotAfterTheValidationBackoff() {
    // ELBv2 lists a rule created moments ago only eventually: CreateRule at a priority the listing showed free
    Throwable e = io.albingress.aws.AwsErrors.classify(software.amazon.awssdk.services.elasticloadbalancingv2.model.PriorityInUseException
        .builder().message("The specified priority is in use.").statusCode(400)
        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode("PriorityInUse").build()).build());
    assertThat(StackDeployer.staleView(e)).isTrue();
    assertThat(StackDeployer.notFound(e)).isFalse();
    assertThat(io.albingress.controller.ReconcilerVerticle.isValidationError(e)).isFalse();
  }

  @Test
  void aLoadBalancerDeletedOutOfBandIsListedAgainSoonAndRecreated() {
    Stack stack = basic(Scheme.INTERNET_FACING);
    deploy(stack, false);
    String old = elb.loadBalancers().get(0).arn();
    done(elb.deleteLoadBalancer(old));
    elb.clearCalls();

    // the deep check meets LoadBalancerNotFound: a failure retried soon (not the validation backoff)
    io.vertx.core.Future<StackDeployer.Outcome> deep = deployer.deploy(stack, true, RUN);
    assertThat(deep.failed()).isTrue();
    assertThat(StackDeployer.notFound(deep.cause())).isTrue();
    assertThat(io.albingress.controller.ReconcilerVerticle.isValidationError(deep.cause())).isFalse();
    // a missing input (a certificate, an instance) is no resource of ours: no relist can repair it
    assertThat(StackDeployer.notFound(new AwsFailure(AwsFailure.Kind.NOT_FOUND, "CertificateNotFound", "gone", null))).isFalse();
    assertThat(StackDeployer.notFound(new Ec2SecurityGroups.Ec2Error("InvalidInstanceID.NotFound", "gone"))).isFalse();
    assertThat(StackDeployer.notFound(new Ec2SecurityGroups.Ec2Error("InvalidGroup.NotFound", "gone"))).isTrue();

    // the next run, even a shallow one, does not trust the model hash of the dead load balancer
    StackDeployer.Outcome repaired = deploy(stack, false);
    assertThat(elb.calls()).contains("describeLoadBalancers ");
    assertThat(elb.loadBalancers()).singleElement().satisfies(lb -> {
      assertThat(lb.arn()).isNotEqualTo(old);
      assertThat(repaired.dnsName()).hasValue(lb.dnsName());
      assertThat(elb.listenersOf(lb.arn())).hasSize(1);
    });
    assertThat(elb.targetGroups()).hasSize(2);
  }

  @Test
  void aSchemeChangeReplacesTheLoadBalancer() {
    deploy(basic(Scheme.INTERNET_FACING), false);
    String old = elb.loadBalancers().get(0).arn();
    elb.clearCalls();

    StackDeployer.Outcome outcome = deploy(basic(Scheme.INTERNAL), false);

    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsSubsequence("deleteLoadBalancer", "createLoadBalancer",
        "createListener", "createRule");
    assertThat(elb.writes()).noneMatch(c -> c.startsWith("createTargetGroup") || c.startsWith("deleteTargetGroup"));
    assertThat(elb.loadBalancers()).singleElement().satisfies(lb -> {
      assertThat(lb.scheme()).isEqualTo("internal");
      assertThat(lb.arn()).isNotEqualTo(old);
      assertThat(elb.listenersOf(lb.arn())).hasSize(1);
    });
    assertThat(outcome.changes()).filteredOn(c -> c.kind().equals("LoadBalancer")).extracting(Change::op)
        .containsExactly(Change.Op.DELETED, Change.Op.CREATED);
  }

  @Test
  void sniCertificatesAreAddedAndRemovedWithoutTouchingTheListener() {
    TargetGroup web = targetGroup("web", 8080);
    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(https(443, List.of(CERT_A, CERT_B, CERT_C))),
        List.of(rule(443, 1, "/", web)), List.of(web)), false);
    assertThat(elb.writes()).contains("addListenerCertificates " + CERT_B + "," + CERT_C);
    elb.clearCalls();

    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(https(443, List.of(CERT_A, CERT_C, CERT_D))),
        List.of(rule(443, 1, "/", web)), List.of(web)), false);

    assertThat(elb.writes()).containsExactly("addListenerCertificates " + CERT_D, "removeListenerCertificates " + CERT_B,
        "addTags " + elb.loadBalancers().get(0).arn());
    String lb = elb.loadBalancers().get(0).arn();
    assertThat(elb.listenersOf(lb).get(0).certificateArns()).containsExactly(CERT_A, CERT_C, CERT_D);
  }

  @Test
  void ruleDeletionsComeBeforeCreations() {
    // at most two rules per load balancer, as a real limit: creating first would exceed it
    elb.limitRules(2);
    TargetGroup web = targetGroup("web", 8080);
    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)),
        List.of(rule(80, 1, "/a", web), rule(80, 2, "/b", web)), List.of(web)), false);
    elb.clearCalls();

    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)),
        List.of(rule(80, 2, "/b", web), rule(80, 3, "/c", web)), List.of(web)), false);

    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsExactly("deleteRule", "createRule", "addTags");
    assertThat(elb.writes()).containsSubsequence("deleteRule 1", "createRule 3");
  }

  @Test
  void anImmutableChangeReplacesTheTargetGroupAndDeletesTheOldOneAfterTheRulesMoved() {
    TargetGroup before = targetGroup("web", 8080);
    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), List.of(rule(80, 1, "/", before)), List.of(before)), false);
    String oldArn = elb.targetGroups().get(0).arn();
    elb.clearCalls();

    TargetGroup after = targetGroup("web", 9090);
    StackDeployer.Outcome outcome = deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)),
        List.of(rule(80, 1, "/", after)), List.of(after)), false);

    assertThat(elb.writes()).containsSubsequence("createTargetGroup k8s-shop-web-9090", "modifyRule 1", "deleteTargetGroup " + oldArn);
    assertThat(elb.targetGroups()).extracting(ActualTargetGroup::name).containsExactly("k8s-shop-web-9090");
    assertThat(outcome.changes()).filteredOn(c -> c.kind().equals("TargetGroup") && c.changed())
        .extracting(c -> c.op() + " " + c.id()).containsExactlyInAnyOrder("CREATED shop/web:9090", "DELETED k8s-shop-web-8080");
  }

  @Test
  void aHealthCheckChangeModifiesTheTargetGroupInPlace() {
    deploy(basic(Scheme.INTERNET_FACING), false);
    elb.clearCalls();
    TargetGroup web = targetGroup("web", 8080, new HealthCheck("traffic-port", Protocol.HTTP, "/healthz", 15, 5, 2, 2, "200"));
    TargetGroup api = targetGroup("api", 9000);

    Stack changed = stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), List.of(rule(80, 1, "/web", web), rule(80, 2, "/api", api)),
        List.of(web, api));
    deploy(changed, false);

    // one call: the model hash is not rewritten for a change of target-group settings alone
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsExactly("modifyTargetGroup");
    elb.clearCalls();
    deploy(changed, false);
    assertThat(elb.calls()).isEmpty();

    // a restart re-checks the stack (its tag is older) with reads only, and still writes nothing
    StackDeployer restarted = new StackDeployer(elb, new Inventory(elb, DeployFixtures.CLUSTER), "vpc-1", registry, new FakeAddOnPorts().addOns());
    done(restarted.deploy(changed, false, RUN));
    assertThat(elb.writes()).isEmpty();
    // the next change of anything else writes the hash with it
    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), List.of(rule(80, 1, "/web2", web), rule(80, 2, "/api", api)),
        List.of(web, api)), false);
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).contains("modifyRule", "addTags");
  }

  @Test
  void theStackTargetsHashOnTheLoadBalancerIsNeitherRemovedNorInTheWayOfTheModelHashAndTheInventoryKeepsIt() {
    deploy(basic(Scheme.INTERNET_FACING), false);
    String lbArn = elb.loadBalancers().get(0).arn();
    // the targets loop's tag: a restart's deep check leaves it
    done(elb.addTags(lbArn, java.util.Map.of(io.albingress.model.Tags.TARGETS_HASH, "2-abc")));
    Inventory listed = new Inventory(elb, DeployFixtures.CLUSTER);
    StackDeployer restarted = new StackDeployer(elb, listed, "vpc-1", registry, new FakeAddOnPorts().addOns());
    elb.clearCalls();
    done(restarted.deploy(basic(Scheme.INTERNET_FACING), true, RUN));
    assertThat(elb.writes()).isEmpty();

    // a change of target-group settings alone still leaves the model hash as it is (one call)
    TargetGroup web = targetGroup("web", 8080, new HealthCheck("traffic-port", Protocol.HTTP, "/healthz", 15, 5, 2, 2, "200"));
    TargetGroup api = targetGroup("api", 9000);
    done(restarted.deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), List.of(rule(80, 1, "/web", web),
        rule(80, 2, "/api", api)), List.of(web, api)), false, RUN));
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsExactly("modifyTargetGroup");

    // a change that writes the model hash keeps the targets hash, in AWS and in the inventory the targets loop reads
    elb.clearCalls();
    done(restarted.deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), List.of(rule(80, 1, "/web2", web),
        rule(80, 2, "/api", api)), List.of(web, api)), false, RUN));
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).contains("addTags").doesNotContain("removeTags");
    assertThat(elb.loadBalancers().get(0).tags()).containsEntry(io.albingress.model.Tags.TARGETS_HASH, "2-abc");
    assertThat(listed.loadBalancers(DeployFixtures.STACK.key())).singleElement()
        .satisfies(lb -> assertThat(lb.tags()).containsEntry(io.albingress.model.Tags.TARGETS_HASH, "2-abc")
            .containsKey(io.albingress.model.Tags.MODEL_HASH));
  }

  @Test
  void createsWhoseAnswerIsLostAreRetriedInPlaceWithoutListingAwsAgain() {
    Stack stack = basic(Scheme.INTERNET_FACING);
    elb.loseAnswerOfNext("createTargetGroup").loseAnswerOfNext("createLoadBalancer").loseAnswerOfNext("createListener")
        .loseAnswerOfNext("createRule");

    StackDeployer.Outcome outcome = deploy(stack, false);

    // ELBv2 creates load balancers, target groups and listeners idempotently by name: the same create again
    assertThat(elb.calls()).filteredOn(c -> c.startsWith("createLoadBalancer")).hasSize(2);
    assertThat(elb.calls()).filteredOn(c -> c.startsWith("createTargetGroup")).hasSize(3);
    assertThat(elb.calls()).filteredOn(c -> c.startsWith("describeLoadBalancers") || c.startsWith("describeTargetGroups")).hasSize(2);
    assertThat(elb.loadBalancers()).singleElement().satisfies(lb -> {
      assertThat(outcome.dnsName()).hasValue(lb.dnsName());
      assertThat(elb.listenersOf(lb.arn())).singleElement()
          .satisfies(l -> assertThat(elb.rulesOf(l.arn())).extracting(ActualRule::priority).containsExactlyInAnyOrder(1, 2));
    });
    assertThat(elb.targetGroups()).extracting(ActualTargetGroup::name).containsExactlyInAnyOrder("k8s-shop-web-8080", "k8s-shop-api-9000");
  }

  @Test
  void aRuleCreateThatLandsAfterItsRetryIsAdoptedNotDuplicated() {
    Stack stack = basic(Scheme.INTERNET_FACING);
    // no answer; the call lands just before the retry, which is refused PriorityInUse
    elb.landLateOnNext("createRule");

    deploy(stack, false);

    String listener = elb.listenersOf(elb.loadBalancers().get(0).arn()).get(0).arn();
    assertThat(elb.rulesOf(listener)).extracting(ActualRule::priority).containsExactlyInAnyOrder(1, 2);
    assertThat(elb.calls()).filteredOn(c -> c.startsWith("describeRules")).hasSizeGreaterThanOrEqualTo(1);
  }

  @Test
  void throttledCreatesNeverMakeAnyStackListAwsAgain() {
    int stacks = 200;
    List<Stack> all = java.util.stream.IntStream.range(0, stacks).mapToObj(DeployFixtures::numbered).toList();
    all.forEach(s -> elb.failNext("createLoadBalancer", AwsFailure.Kind.THROTTLING));
    all.forEach(s -> assertThat(deployer.deploy(s, false, RUN).failed()).isTrue());
    all.forEach(s -> deploy(s, false));

    assertThat(elb.loadBalancers()).hasSize(stacks);
    // one listing for all stacks, not one per failed stack
    assertThat(elb.calls()).filteredOn(c -> c.startsWith("describeLoadBalancers")).hasSize(1);
    assertThat(elb.calls()).filteredOn(c -> c.startsWith("describeTargetGroups")).hasSize(1);
  }

  @Test
  void aReplacedTargetGroupGetsItsTargetsBeforeTheSwitchAndTheOldOneIsDeletedRetryingInUseInPlace() {
    List<java.time.Duration> slept = new java.util.ArrayList<>();
    StackDeployer hooked = new StackDeployer(elb, inventory, "vpc-1", registry, new FakeAddOnPorts().addOns(), Optional.empty(),
        java.util.Set.of(), new StackDeployer.Hooks((id, tg, arn) -> elb.registerTargets(arn, List.of(new io.albingress.model.Target("10.0.0.1",
            tg.port()))), d -> {
              slept.add(d);
              return io.vertx.core.Future.succeededFuture();
            }));
    done(hooked.deploy(basic(Scheme.INTERNET_FACING), false, RUN));
    String oldWeb = elb.targetGroups().stream().filter(tg -> tg.name().equals("k8s-shop-web-8080")).findFirst().orElseThrow().arn();
    elb.clearCalls();
    // ELBv2 keeps a target group in use a while after the rule left it: two refusals, retried in place
    elb.failNext("deleteTargetGroup", AwsFailure.Kind.IN_USE).failNext("deleteTargetGroup", AwsFailure.Kind.IN_USE);

    // the port is immutable (it is in the name): a new target group replaces the old one
    TargetGroup web = targetGroup("web", 8081);
    TargetGroup api = targetGroup("api", 9000);
    done(hooked.deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)),
        List.of(rule(80, 1, "/web", web), rule(80, 2, "/api", api)), List.of(web, api)), false, RUN));

    String newWeb = elb.targetGroups().stream().filter(tg -> tg.name().equals("k8s-shop-web-8081")).findFirst().orElseThrow().arn();
    assertThat(elb.writes()).containsSubsequence("createTargetGroup k8s-shop-web-8081", "registerTargets " + newWeb + " [10.0.0.1]", "modifyRule 1",
        "deleteTargetGroup " + oldWeb, "deleteTargetGroup " + oldWeb, "deleteTargetGroup " + oldWeb);
    assertThat(slept).containsExactly(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2));
    assertThat(elb.targetGroups()).extracting(ActualTargetGroup::name).containsExactlyInAnyOrder("k8s-shop-web-8081", "k8s-shop-api-9000");
  }

  @Test
  void tagsAnotherToolAddedSurviveAndOnlyKeysTheControllerSetAreRemoved() {
    TargetGroup web = targetGroup("web", 8080);
    java.util.function.Function<java.util.Map<String, String>, Stack> withTags = extra -> {
      java.util.Map<String, String> tags = new java.util.HashMap<>(DeployFixtures.tags(io.albingress.model.LoadBalancer.RESOURCE_ID));
      tags.putAll(extra);
      io.albingress.model.LoadBalancer lb = loadBalancer(Scheme.INTERNET_FACING);
      return stack(new io.albingress.model.LoadBalancer(lb.resourceId(), lb.name(), lb.scheme(), lb.ipAddressType(), lb.subnetIds(),
          lb.securityGroups(), lb.attributes(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), tags),
          List.of(http(80)), List.of(rule(80, 1, "/", web)), List.of(web));
    };
    deploy(withTags.apply(java.util.Map.of("team", "a")), false);
    String lb = elb.loadBalancers().get(0).arn();
    // someone else tags the load balancer (a cost allocation tool), then the controller restarts and lists AWS
    done(elb.addTags(lb, java.util.Map.of("CostCenter", "42")));
    StackDeployer restarted = new StackDeployer(elb, new Inventory(elb, DeployFixtures.CLUSTER), "vpc-1", registry,
        new FakeAddOnPorts().addOns());
    elb.clearCalls();

    done(restarted.deploy(withTags.apply(java.util.Map.of("team", "a")), true, RUN));
    assertThat(elb.writes()).noneMatch(c -> c.startsWith("removeTags"));
    assertThat(elb.loadBalancers().get(0).tags()).containsEntry("CostCenter", "42").containsEntry("team", "a");

    // a key the controller set and no longer wants is removed; the other tool's stays
    done(restarted.deploy(withTags.apply(java.util.Map.of()), true, RUN));
    assertThat(elb.writes()).contains("removeTags " + lb);
    assertThat(elb.loadBalancers().get(0).tags()).containsEntry("CostCenter", "42").doesNotContainKey("team");
  }

  @Test
  void aRunPastItsBoundStopsIssuingCallsBetweenSteps() {
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    Reconciliation bounded = new Reconciliation(DeployFixtures.STACK, 2, cancelled::get);
    // the bound passes while the target groups and the load balancer are being created
    elb.failNext("describeTargetGroups", AwsFailure.Kind.THROTTLING);
    assertThat(deployer.deploy(basic(Scheme.INTERNET_FACING), false, bounded).failed()).isTrue();
    cancelled.set(true);
    elb.clearCalls();

    io.vertx.core.Future<StackDeployer.Outcome> late = deployer.deploy(basic(Scheme.INTERNET_FACING), false, bounded);

    assertThat(late.cause()).isInstanceOf(java.util.concurrent.CancellationException.class);
    assertThat(elb.writes()).as("no listener, rule or tag after the bound").noneMatch(c -> c.startsWith("createListener")
        || c.startsWith("createRule") || c.startsWith("addTags"));
  }

  @Test
  void aLoadBalancerACreateReturnsIsAdoptedOnlyWhenItsTagsSayItIsThisStacks() {
    // someone else's load balancer with exactly our name and settings: ELBv2's idempotent create returns it
    elb.addForeignLoadBalancer(loadBalancer(Scheme.INTERNET_FACING), java.util.Map.of(io.albingress.model.Tags.CLUSTER, "other"));
    String theirs = elb.loadBalancers().get(0).arn();

    io.vertx.core.Future<StackDeployer.Outcome> refused = deployer.deploy(basic(Scheme.INTERNET_FACING), false, RUN);

    assertThat(refused.cause()).isInstanceOfSatisfying(AwsFailure.class, f -> assertThat(f.code()).isEqualTo("NotOurs"));
    assertThat(elb.listenersOf(theirs)).isEmpty();
    assertThat(elb.writes()).noneMatch(c -> c.contains(theirs));
    assertThat(elb.loadBalancers()).singleElement().satisfies(lb -> assertThat(lb.tags()).containsEntry(io.albingress.model.Tags.CLUSTER, "other"));
    assertThat(inventory.loadBalancers(DeployFixtures.STACK.tagValue())).isEmpty();
  }

  @Test
  void amongDuplicateLoadBalancersOfAStackTheOneTheStatusNamesIsKept() {
    Stack stack = basic(Scheme.INTERNET_FACING);
    deploy(stack, false);
    String first = elb.loadBalancers().get(0).arn();
    io.albingress.model.LoadBalancer lb = loadBalancer(Scheme.INTERNET_FACING);
    // a duplicate claiming the same stack and resource (e.g. left by an older version under another name)
    elb.addForeignLoadBalancer(new io.albingress.model.LoadBalancer(lb.resourceId(), "k8s-shop-web-9999999999", lb.scheme(), lb.ipAddressType(),
        lb.subnetIds(), lb.securityGroups(), lb.attributes(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        lb.tags()), lb.tags());
    ActualLoadBalancer second = elb.loadBalancers().get(1);
    StackDeployer restarted = new StackDeployer(elb, new Inventory(elb, DeployFixtures.CLUSTER), "vpc-1", registry, new FakeAddOnPorts().addOns());

    StackDeployer.Outcome outcome = done(restarted.deploy(stack, Optional.empty(), true, RUN, Optional.of(second.dnsName())));

    assertThat(elb.loadBalancers()).extracting(ActualLoadBalancer::arn).containsExactly(second.arn());
    assertThat(outcome.dnsName()).hasValue(second.dnsName());
    assertThat(elb.writes()).contains("deleteLoadBalancer " + first);

    // without a status, the one with the desired name is kept
    ActualLoadBalancer otherName = new ActualLoadBalancer("arn:a", "k8s-shop-web-9999999999", "a.elb", "internet-facing", "ipv4", List.of(),
        List.of(), lb.tags());
    ActualLoadBalancer desiredName = new ActualLoadBalancer("arn:b", lb.name(), "b.elb", "internet-facing", "ipv4", List.of(), List.of(), lb.tags());
    assertThat(LoadBalancerSynth.keptFirst(List.of(otherName, desiredName), lb, Optional.empty())).containsExactly(desiredName, otherName);
    assertThat(LoadBalancerSynth.keptFirst(List.of(desiredName, otherName), lb, Optional.of("a.elb"))).containsExactly(otherName, desiredName);
  }

  @Test
  void anEmptyStackDeletesTheLoadBalancerThenTheTargetGroups() {
    deploy(basic(Scheme.INTERNET_FACING), false);
    elb.clearCalls();

    Stack empty = new Stack(DeployFixtures.STACK, List.of(), loadBalancer(Scheme.INTERNET_FACING), List.of(), List.of(), List.of(), List.of());
    StackDeployer.Outcome outcome = deploy(empty, false);

    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsExactly("deleteLoadBalancer", "deleteTargetGroup", "deleteTargetGroup");
    assertThat(elb.loadBalancers()).isEmpty();
    assertThat(elb.targetGroups()).isEmpty();
    assertThat(Change.summary(outcome.changes())).isEqualTo("deleted 1 LoadBalancer, deleted 2 TargetGroup");
  }

  @Test
  void aDeletionWhoseAnswerWasLostFindsTheResourceGoneAndSucceeds() {
    deploy(basic(Scheme.INTERNET_FACING), false);
    elb.loseAnswerOfNext("deleteLoadBalancer");
    Stack empty = new Stack(DeployFixtures.STACK, List.of(), loadBalancer(Scheme.INTERNET_FACING), List.of(), List.of(), List.of(), List.of());
    assertThat(deployer.deploy(empty, false, RUN).cause()).isInstanceOfSatisfying(AwsFailure.class,
        f -> assertThat(f.kind()).isEqualTo(AwsFailure.Kind.UNKNOWN_OUTCOME));
    elb.clearCalls();

    // the second attempt is answered LoadBalancerNotFound: gone is what was wanted
    assertThat(deploy(empty, false).changed()).isTrue();
    assertThat(elb.calls()).first().asString().startsWith("deleteLoadBalancer");
    assertThat(elb.loadBalancers()).isEmpty();
    assertThat(elb.targetGroups()).isEmpty();
  }

  // ---- routing fields: forward by name, regex conditions, transforms, IPv6 target groups

  private static ListenerRule routed(int priority, List<Condition> conditions, RuleAction action, List<Transform> transforms) {
    ListenerRule base = rule(80, priority, "/", targetGroup("web", 8080));
    return new ListenerRule(base.resourceId(), base.listener(), priority, conditions, action, base.source(), base.tags(), transforms);
  }

  private static RuleAction.Forward forwardByName(String... names) {
    return new RuleAction.Forward(Stream.of(names)
        .map(n -> new RuleAction.WeightedTarget(Optional.empty(), Optional.empty(), Optional.of(n), 1)).toList(), Optional.empty());
  }

  private static Stack withRules(ListenerRule... rules) {
    TargetGroup web = targetGroup("web", 8080);
    return stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), List.of(rules), List.of(web));
  }

  private static final Condition PATH = new Condition("path-pattern", Optional.empty(), List.of("/"));
  private static final Transform REWRITE = new Transform("url-rewrite", List.of(new Transform.Rewrite("^/api/(.*)$", "/$1")));

  private List<ActualRule> rules() {
    return elb.rulesOf(elb.listenersOf(elb.loadBalancers().get(0).arn()).get(0).arn());
  }

  @Test
  void aForwardByNameIsResolvedOnceAndSentAsTheArn() {
    String legacy = elb.addForeignTargetGroup("legacy-tg");
    String canary = elb.addForeignTargetGroup("canary-tg");

    deploy(withRules(routed(1, List.of(PATH), forwardByName("legacy-tg", "canary-tg"), List.of()),
        routed(2, List.of(new Condition("path-pattern", Optional.empty(), List.of("/old"))), forwardByName("legacy-tg"), List.of())), false);

    assertThat(elb.calls()).filteredOn(c -> c.startsWith("targetGroupArnsByName")).containsExactly("targetGroupArnsByName canary-tg,legacy-tg");
    assertThat(rules()).extracting(r -> SdkModel.canonical(r.actions()))
        .containsExactlyInAnyOrder("forward " + canary + "@1," + legacy + "@1", "forward " + legacy);
  }

  @Test
  void aForwardToATargetGroupNameThatDoesNotExistFailsTheRunNamingIt() {
    elb.addForeignTargetGroup("legacy-tg");

    var run = deployer.deploy(withRules(routed(1, List.of(PATH), forwardByName("legacy-tg", "gone-tg"), List.of())), false, RUN);

    assertThat(run.failed()).isTrue();
    assertThat(run.cause()).hasMessageContaining("gone-tg").hasMessageNotContaining("legacy-tg");
    assertThat(elb.writes()).noneMatch(c -> c.startsWith("createRule") || c.startsWith("addTags"));
  }

  @Test
  void aRegexConditionIsSentAndAChangeOfItsValuesModifiesTheRule() {
    String web = "k8s-shop-web-8080";
    Condition api = new Condition("host-header", Optional.empty(), List.of(), List.of("^api\\..*$"));
    deploy(withRules(routed(1, List.of(api), forwardByName(web), List.of())), false);
    assertThat(rules()).singleElement().satisfies(r -> {
      assertThat(r.conditions().get(0).hostHeaderConfig().regexValues()).containsExactly("^api\\..*$");
      assertThat(r.conditions().get(0).hostHeaderConfig().hasValues()).isFalse();
    });
    elb.clearCalls();

    deploy(withRules(routed(1, List.of(api), forwardByName(web), List.of())), true);
    assertThat(elb.writes()).isEmpty();

    Condition www = new Condition("host-header", Optional.empty(), List.of(), List.of("^www\\..*$"));
    deploy(withRules(routed(1, List.of(www), forwardByName(web), List.of())), false);
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsExactly("modifyRule", "addTags");
    assertThat(rules().get(0).conditions().get(0).hostHeaderConfig().regexValues()).containsExactly("^www\\..*$");
  }

  @Test
  void aTransformAddedOrRemovedModifiesTheRuleAndAnUnchangedOneMakesNoWrite() {
    Stack plain = withRules(routed(1, List.of(PATH), RuleAction.Forward.to(Ref.to("TargetGroup", "shop/web:8080")), List.of()));
    Stack rewritten = withRules(routed(1, List.of(PATH), RuleAction.Forward.to(Ref.to("TargetGroup", "shop/web:8080")), List.of(REWRITE)));
    deploy(plain, false);
    elb.clearCalls();

    deploy(rewritten, false);
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsExactly("modifyRule", "addTags");
    assertThat(rules().get(0).transforms()).singleElement().satisfies(t -> {
      assertThat(t.type()).isEqualTo(TransformTypeEnum.URL_REWRITE);
      assertThat(t.urlRewriteConfig().rewrites()).singleElement()
          .satisfies(w -> assertThat(w.regex() + " " + w.replace()).isEqualTo("^/api/(.*)$ /$1"));
    });
    elb.clearCalls();

    deploy(rewritten, true);
    assertThat(elb.writes()).isEmpty();

    deploy(plain, false);
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsExactly("modifyRule", "addTags");
    assertThat(rules().get(0).transforms()).isEmpty();
  }

  @Test
  void aNewRuleIsCreatedWithItsTransforms() {
    deploy(withRules(routed(1, List.of(PATH), RuleAction.Forward.to(Ref.to("TargetGroup", "shop/web:8080")), List.of(REWRITE))), false);

    assertThat(rules()).singleElement().satisfies(r -> assertThat(r.transforms()).hasSize(1));
  }

  @Test
  void anIpv6TargetGroupIsCreatedWithThatAddressType() {
    TargetGroup v4 = targetGroup("web", 8080);
    TargetGroup v6 = new TargetGroup(v4.resourceId(), v4.name() + "-v6", v4.service(), v4.targetType(), v4.protocol(),
        v4.protocolVersion(), v4.port(), v4.healthCheck(), v4.attributes(), v4.nodeLabels(), v4.tags(), Optional.of(TargetGroup.IPV6));
    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), List.of(rule(80, 1, "/", v4)), List.of(v4)), false);
    String v4Arn = elb.targetGroups().get(0).arn();
    elb.clearCalls();

    // immutable: the name differs, so a new target group replaces the old one
    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(http(80)), List.of(rule(80, 1, "/", v6)), List.of(v6)), false);

    assertThat(elb.writes()).containsSubsequence("createTargetGroup " + v6.name(), "modifyRule 1", "deleteTargetGroup " + v4Arn);
    assertThat(elb.targetGroups()).singleElement().satisfies(tg -> assertThat(elb.ipAddressTypeOf(tg.arn())).isEqualTo("ipv6"));
    assertThat(elb.ipAddressTypeOf(v4Arn)).isEqualTo("ipv4");
  }
}
