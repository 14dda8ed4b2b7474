package io.albingress.deploy;

import io.albingress.model.Tags;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Our load balancers and target groups (found by the cluster tag), kept in memory and updated by our
 * own changes, so a reconciliation does not list the whole account. Load balancers load at start-up;
 * target groups only when a stack first needs a deep check, so a restart of unchanged stacks costs
 * just the load balancer listing and its tags.
 */
public final class Inventory {
  private final Elbv2 elb;
  private final String cluster;
  private final Map<String, ActualResources.LoadBalancer> loadBalancers = new ConcurrentHashMap<>();
  private final Map<String, ActualResources.TargetGroup> targetGroups = new ConcurrentHashMap<>();
  private Future<Void> lbLoad;
  private Future<Void> tgLoad;
  /** Our own changes while a listing is in flight; replayed over it, which may predate them. */
  private final List<Runnable> changesDuringLoad = new ArrayList<>();
  private int loadsInFlight;

  public Inventory(Elbv2 elb, String cluster) {
    this.elb = elb;
    this.cluster = cluster;
  }

  /** Forgets everything, e.g. after a create whose outcome is unknown (a timeout). */
  public synchronized void invalidate() {
    lbLoad = null;
    tgLoad = null;
  }

  public synchronized Future<Void> loadBalancersLoaded() {
    if (lbLoad == null || lbLoad.failed()) {
      loadStarted();
      lbLoad = elb.allLoadBalancers()
          .compose(all -> elb.tags(all.stream().map(lb -> lb.loadBalancerArn()).toList()).map(tags -> {
            Map<String, ActualResources.LoadBalancer> fresh = new java.util.HashMap<>();
            all.stream().filter(lb -> ours(tags.get(lb.loadBalancerArn())))
                .forEach(lb -> fresh.put(lb.loadBalancerArn(), Convert.loadBalancer(lb, tags.get(lb.loadBalancerArn()))));
            replace(loadBalancers, fresh);
            return (Void) null;
          }))
          .onComplete(ar -> loadFinished());
    }
    return lbLoad;
  }

  public synchronized Future<Void> targetGroupsLoaded() {
    if (tgLoad == null || tgLoad.failed()) {
      loadStarted();
      tgLoad = elb.allTargetGroups()
          .compose(all -> elb.tags(all.stream().map(tg -> tg.targetGroupArn()).toList()).map(tags -> {
            Map<String, ActualResources.TargetGroup> fresh = new java.util.HashMap<>();
            all.stream().filter(tg -> ours(tags.get(tg.targetGroupArn())))
                .forEach(tg -> fresh.put(tg.targetGroupArn(), Convert.targetGroup(tg, tags.get(tg.targetGroupArn()))));
            replace(targetGroups, fresh);
            return (Void) null;
          }))
          .onComplete(ar -> loadFinished());
    }
    return tgLoad;
  }

  private synchronized void loadStarted() {
    loadsInFlight++;
  }

  private synchronized void loadFinished() {
    if (--loadsInFlight == 0) {
      changesDuringLoad.clear();
    }
  }

  /** Swaps in a fresh listing, then replays our own changes made while it was taken. */
  private synchronized <T> void replace(Map<String, T> current, Map<String, T> fresh) {
    current.clear();
    current.putAll(fresh);
    changesDuringLoad.forEach(Runnable::run);
  }

  /** Applies one of our own changes now, and again over any listing that is in flight. */
  private synchronized void change(Runnable change) {
    change.run();
    if (loadsInFlight > 0) {
      changesDuringLoad.add(change);
    }
  }

  private boolean ours(Map<String, String> tags) {
    return tags != null && cluster.equals(tags.get(Tags.CLUSTER));
  }

  public List<ActualResources.LoadBalancer> loadBalancers(String stack) {
    return loadBalancers.values().stream().filter(lb -> stack.equals(lb.tags().get(Tags.STACK))).toList();
  }

  public List<ActualResources.TargetGroup> targetGroups(String stack) {
    return targetGroups.values().stream().filter(tg -> stack.equals(tg.tags().get(Tags.STACK))).toList();
  }

  /** Stacks that own resources in AWS. */
  public Set<String> stacks() {
    return loadBalancers.values().stream().map(lb -> lb.tags().get(Tags.STACK)).collect(Collectors.toSet());
  }

  public int loadBalancerCount() {
    return loadBalancers.size();
  }

  void put(ActualResources.LoadBalancer lb) {
    change(() -> loadBalancers.put(lb.arn(), lb));
  }

  void put(ActualResources.TargetGroup tg) {
    change(() -> targetGroups.put(tg.arn(), tg));
  }

  void removeLoadBalancer(String arn) {
    change(() -> loadBalancers.remove(arn));
  }

  void removeTargetGroup(String arn) {
    change(() -> targetGroups.remove(arn));
  }

  List<ActualResources.TargetGroup> allTargetGroups() {
    return new ArrayList<>(targetGroups.values());
  }
}
