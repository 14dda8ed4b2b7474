package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Tags;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryTest {
  private static final Map<String, String> OURS = Map.of(Tags.CLUSTER, "test", Tags.STACK, "shop/web");

  /** An ELBv2 whose load balancer listing completes when the test says so. */
  private static final class SlowListing extends FakeElbv2 {
    Promise<List<ActualLoadBalancer>> listing = Promise.promise();
    int listings;

    @Override
    public Future<List<ActualLoadBalancer>> describeLoadBalancers() {
      listings++;
      return listing.future();
    }
  }

  private static ActualLoadBalancer lb(String arn, Map<String, String> tags) {
    return new ActualLoadBalancer(arn, "name-" + arn, "dns", "internal", "ipv4", List.of(), List.of(), tags);
  }

  @Test
  void ourOwnChangeMadeDuringAListingSurvivesTheOlderListing() {
    SlowListing elb = new SlowListing();
    Inventory inventory = new Inventory(elb, "test");
    Future<Void> loaded = inventory.loadBalancersLoaded();
    assertThat(inventory.loadBalancersLoaded()).as("one listing at a time").isSameAs(loaded);

    inventory.put(lb("arn:new", OURS));
    elb.listing.complete(List.of(lb("arn:old", OURS), lb("arn:theirs", Map.of(Tags.CLUSTER, "other"))));

    assertThat(loaded.succeeded()).isTrue();
    assertThat(inventory.loadBalancers("shop/web")).extracting(ActualLoadBalancer::arn).containsExactlyInAnyOrder("arn:old", "arn:new");
    assertThat(elb.listings).isEqualTo(1);
  }

  @Test
  void targetGroupNamesAreListedOnceWithoutTagsAndFromTheTaggedListingOnceItIsLoaded() {
    FakeElbv2 elb = new FakeElbv2();
    Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
    DeployFixtures.done(new StackDeployer(elb, inventory, "vpc-1", new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
        new FakeAddOnPorts().addOns()).deploy(DeployFixtures.basic(io.albingress.annotations.Scheme.INTERNET_FACING), false,
        new Reconciliation(DeployFixtures.STACK, 1)));

    Inventory restarted = new Inventory(elb, DeployFixtures.CLUSTER);
    elb.clearCalls();
    Map<String, String> byName = DeployFixtures.done(restarted.targetGroupArnsListed());
    assertThat(DeployFixtures.done(restarted.targetGroupArnsListed())).isEqualTo(byName);
    assertThat(byName).hasSize(2).containsValues(elb.targetGroups().stream().map(ActualTargetGroup::arn).toArray(String[]::new));
    // one listing, no tags read
    assertThat(elb.calls()).extracting(c -> c.split(" ")[0]).containsExactly("listTargetGroups");

    DeployFixtures.done(restarted.targetGroupsLoaded());
    elb.clearCalls();
    assertThat(DeployFixtures.done(restarted.targetGroupArnsListed())).isEqualTo(byName);
    assertThat(elb.calls()).isEmpty();
  }

  @Test
  void aFailedListingIsTriedAgainAndInvalidateForcesANewOne() {
    SlowListing elb = new SlowListing();
    Inventory inventory = new Inventory(elb, "test");
    elb.listing.fail("throttled");
    assertThat(inventory.loadBalancersLoaded().failed()).isTrue();

    elb.listing = Promise.promise();
    elb.listing.complete(List.of(lb("arn:a", OURS)));
    assertThat(inventory.loadBalancersLoaded().succeeded()).isTrue();
    assertThat(inventory.loadBalancerCount()).isEqualTo(1);
    assertThat(elb.listings).isEqualTo(2);

    inventory.invalidate();
    elb.listing = Promise.promise();
    elb.listing.complete(List.of());
    assertThat(inventory.loadBalancersLoaded().succeeded()).isTrue();
    assertThat(inventory.stacks()).isEmpty();
    assertThat(elb.listings).isEqualTo(3);
  }

  @Test
  void aRemovalMadeDuringAListingIsNotUndoneByIt() {
    SlowListing elb = new SlowListing();
    Inventory inventory = new Inventory(elb, "test");
    Future<Void> loaded = inventory.loadBalancersLoaded();
    inventory.removeLoadBalancer("arn:gone");
    elb.listing.complete(List.of(lb("arn:gone", OURS), lb("arn:kept", OURS)));

    assertThat(loaded.succeeded()).isTrue();
    assertThat(inventory.loadBalancers("shop/web")).extracting(ActualLoadBalancer::arn).containsExactly("arn:kept");
  }

  @Test
  void relistStacksListsAgainAndFindsATargetGroupThatLandedAfterItsStackWasDeleted() {
    FakeElbv2 elb = new FakeElbv2();
    Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
    assertThat(inventory.loadBalancersLoaded().succeeded()).isTrue();
    assertThat(inventory.targetGroupsLoaded().succeeded()).isTrue();
    // a late CreateTargetGroup of a stack deleted meanwhile
    DeployFixtures.done(elb.createTargetGroup(DeployFixtures.targetGroup("web", 8080), "vpc-1"));
    assertThat(inventory.stacks()).isEmpty();

    assertThat(DeployFixtures.done(inventory.relistStacks())).containsExactly(DeployFixtures.STACK.tagValue());
  }
}
