package io.albingress.deploy;

import io.albingress.model.StackId;
import io.albingress.model.Tags;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Our load balancers and target groups (found by the cluster tag), kept in memory and updated by our
 * own changes, so a reconciliation does not list the whole account. Load balancers load at start-up;
 * target groups only when a stack first needs a deep check, so a restart of unchanged stacks costs
 * just the load balancer listing and its tags.
 *
 * <p>All state is one immutable {@link State}, replaced by reference (compare-and-set): readers on
 * any thread see a consistent snapshot, writers never lock, and nobody else holds a mutable map.
 */
public final class Inventory {
  private final Elbv2 elb;
  private final String cluster;
  private final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);
  private final AtomicReference<Future<Void>> lbLoad = new AtomicReference<>();
  private final AtomicReference<Future<Void>> tgLoad = new AtomicReference<>();
  /** Every target group's ARN by name, listed without tags (see {@link #targetGroupArnsListed}). */
  private final AtomicReference<Future<Map<String, String>>> tgNames = new AtomicReference<>();

  /**
   * @param replay our own changes made while a listing is in flight, replayed over it (the listing
   *     may predate them); cleared when no listing is in flight
   */
  private record State(Map<String, ActualLoadBalancer> loadBalancers, Map<String, ActualTargetGroup> targetGroups, int loadsInFlight,
      List<UnaryOperator<State>> replay) {
    static final State EMPTY = new State(Map.of(), Map.of(), 0, List.of());

    State withLoadBalancers(UnaryOperator<Map<String, ActualLoadBalancer>> change) {
      return new State(Map.copyOf(change.apply(new HashMap<>(loadBalancers))), targetGroups, loadsInFlight, replay);
    }

    State withTargetGroups(UnaryOperator<Map<String, ActualTargetGroup>> change) {
      return new State(loadBalancers, Map.copyOf(change.apply(new HashMap<>(targetGroups))), loadsInFlight, replay);
    }

    State loads(int delta) {
      int loads = loadsInFlight + delta;
      return new State(loadBalancers, targetGroups, loads, loads == 0 ? List.of() : replay);
    }

    State replayed() {
      State s = this;
      for (UnaryOperator<State> change : replay) {
        s = change.apply(s);
      }
      return new State(s.loadBalancers, s.targetGroups, loadsInFlight, replay);
    }
  }

  public Inventory(Elbv2 elb, String cluster) {
    this.elb = elb;
    this.cluster = cluster;
  }

  /** Forgets everything, e.g. after a create whose outcome is unknown (a timeout). */
  public void invalidate() {
    lbLoad.set(null);
    tgLoad.set(null);
    tgNames.set(null);
  }

  public Future<Void> loadBalancersLoaded() {
    return loadOnce(lbLoad, () -> elb.describeLoadBalancers().map(all -> byArn(all, ActualLoadBalancer::tags, ActualLoadBalancer::arn)),
        fresh -> s -> s.withLoadBalancers(m -> fresh));
  }

  public Future<Void> targetGroupsLoaded() {
    return loadOnce(tgLoad, () -> elb.describeTargetGroups().map(all -> byArn(all, ActualTargetGroup::tags, ActualTargetGroup::arn)),
        fresh -> s -> s.withTargetGroups(m -> fresh));
  }

  /**
   * Every target group of the account, anyone's, by name (unique in an account and region): one
   * DescribeTargetGroups listing (400 a page) without DescribeTags, taken once. Not a proof of
   * ownership: the targets loop trusts an ARN found here only when its stack's load balancer vouches
   * for it ({@link io.albingress.model.StackTargets}). Once the tagged listing is loaded, that one answers.
   */
  public Future<Map<String, String>> targetGroupArnsListed() {
    Future<Void> tagged = tgLoad.get();
    if (tagged != null && tagged.succeeded()) {
      return Future.succeededFuture(state.get().targetGroups().values().stream()
          .collect(Collectors.toMap(ActualTargetGroup::name, ActualTargetGroup::arn, (a, b) -> a)));
    }
    Future<Map<String, String>> current = tgNames.get();
    if (current != null && !current.failed()) {
      return current;
    }
    Promise<Map<String, String>> listed = Promise.promise();
    if (!tgNames.compareAndSet(current, listed.future())) {
      return tgNames.get();
    }
    elb.listTargetGroups().map(all -> all.stream().collect(Collectors.toMap(ActualTargetGroup::name, ActualTargetGroup::arn, (a, b) -> a)))
        .onComplete(listed);
    return listed.future();
  }

  /** {@link #targetGroupArnsListed()} when it is at hand without waiting (no call is started). */
  public Optional<Map<String, String>> targetGroupArnsIfListed() {
    Future<Void> tagged = tgLoad.get();
    Future<Map<String, String>> names = tgNames.get();
    if (tagged != null && tagged.succeeded() || names != null && names.succeeded()) {
      return Optional.of(targetGroupArnsListed().result());
    }
    return Optional.empty();
  }

  /** Whether every target group of ours is known with its tags (the tagged listing was taken). */
  public boolean targetGroupsListedWithTags() {
    Future<Void> tagged = tgLoad.get();
    return tagged != null && tagged.succeeded();
  }

  /** One listing at a time per kind; a failed one is tried again by the next caller. */
  private <T> Future<Void> loadOnce(AtomicReference<Future<Void>> slot, Supplier<Future<Map<String, T>>> list,
      Function<Map<String, T>, UnaryOperator<State>> swapIn) {
    Future<Void> current = slot.get();
    if (current != null && !current.failed()) {
      return current;
    }
    Promise<Void> loaded = Promise.promise();
    if (!slot.compareAndSet(current, loaded.future())) {
      return slot.get();
    }
    state.updateAndGet(s -> s.loads(1));
    list.get().onComplete(ar -> {
      if (ar.succeeded()) {
        // the fresh listing, then our own changes made while it was taken, in one swap
        state.updateAndGet(s -> swapIn.apply(ar.result()).apply(s).replayed().loads(-1));
        loaded.complete();
      } else {
        state.updateAndGet(s -> s.loads(-1));
        loaded.fail(ar.cause());
      }
    });
    return loaded.future();
  }

  private <T> Map<String, T> byArn(List<T> all, Function<T, Map<String, String>> tags, Function<T, String> arn) {
    Map<String, T> out = new HashMap<>();
    all.stream().filter(r -> cluster.equals(tags.apply(r).get(Tags.CLUSTER))).forEach(r -> out.put(arn.apply(r), r));
    return out;
  }

  /** Applies one of our own changes now, and again over any listing in flight. */
  private void change(UnaryOperator<State> change) {
    state.updateAndGet(s -> {
      State changed = change.apply(s);
      if (s.loadsInFlight() == 0) {
        return changed;
      }
      List<UnaryOperator<State>> replay = new ArrayList<>(s.replay());
      replay.add(change);
      return new State(changed.loadBalancers(), changed.targetGroups(), s.loadsInFlight(), List.copyOf(replay));
    });
  }

  /** @param stack the stack key ({@link StackId#key()}) */
  public List<ActualLoadBalancer> loadBalancers(String stack) {
    return state.get().loadBalancers().values().stream().filter(lb -> StackId.keyOf(lb.tags()).filter(stack::equals).isPresent()).toList();
  }

  public List<ActualTargetGroup> targetGroups(String stack) {
    return state.get().targetGroups().values().stream().filter(tg -> StackId.keyOf(tg.tags()).filter(stack::equals).isPresent()).toList();
  }

  /** One of our target groups by ARN, as last listed or changed by this process. */
  public Optional<ActualTargetGroup> targetGroup(String arn) {
    return Optional.ofNullable(state.get().targetGroups().get(arn));
  }

  /** Every target group of this controller, whichever stack it belongs to. */
  public List<ActualTargetGroup> allTargetGroups() {
    return List.copyOf(state.get().targetGroups().values());
  }

  /** Stacks that own resources in AWS. */
  public Set<String> stacks() {
    return state.get().loadBalancers().values().stream().flatMap(lb -> StackId.keyOf(lb.tags()).stream()).collect(Collectors.toSet());
  }

  /**
   * Lists AWS again and answers the stacks that own a load balancer or a target group of this
   * cluster: the orphan sweep's input (a create that landed after its stack was deleted is found here).
   */
  public Future<Set<String>> relistStacks() {
    invalidate();
    return Future.all(loadBalancersLoaded(), targetGroupsLoaded()).map(v -> {
      State now = state.get();
      Set<String> stacks = new java.util.HashSet<>();
      now.loadBalancers().values().forEach(lb -> StackId.keyOf(lb.tags()).ifPresent(stacks::add));
      now.targetGroups().values().forEach(tg -> StackId.keyOf(tg.tags()).ifPresent(stacks::add));
      return Set.copyOf(stacks);
    });
  }

  /** The cluster name our resources are tagged with. */
  public String cluster() {
    return cluster;
  }

  public int loadBalancerCount() {
    return state.get().loadBalancers().size();
  }

  void put(ActualLoadBalancer lb) {
    change(s -> s.withLoadBalancers(m -> {
      m.put(lb.arn(), lb);
      return m;
    }));
  }

  void put(ActualTargetGroup tg) {
    change(s -> s.withTargetGroups(m -> {
      m.put(tg.arn(), tg);
      return m;
    }));
  }

  void removeLoadBalancer(String arn) {
    change(s -> s.withLoadBalancers(m -> {
      m.remove(arn);
      return m;
    }));
  }

  void removeTargetGroup(String arn) {
    change(s -> s.withTargetGroups(m -> {
      m.remove(arn);
      return m;
    }));
  }
}
