package io.albingress.deploy;

import io.albingress.model.LoadBalancer;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The load balancer of a stack: subnets, security groups, IP address type and attributes modified in
 * place; replaced only when the scheme changes (immutable in AWS). Surplus duplicates are deleted.
 */
final class LoadBalancerSynth {
  static final String KIND = "LoadBalancer";

  /** The load balancer after the sync, and what was done to get there. */
  record Synced(ActualLoadBalancer loadBalancer, boolean created, List<Change> changes) {}

  /** What differs between the model and AWS. Pure. */
  record Drift(boolean scheme, boolean subnets, boolean securityGroups, boolean ipAddressType) {
    boolean inPlace() {
      return subnets || securityGroups || ipAddressType;
    }
  }

  private final Elbv2 elb;
  private final Inventory inventory;
  private final AttributeSynth attributes;

  LoadBalancerSynth(Elbv2 elb, Inventory inventory) {
    this.elb = elb;
    this.inventory = inventory;
    this.attributes = new AttributeSynth(elb);
  }

  static Drift drift(LoadBalancer desired, ActualLoadBalancer actual) {
    return new Drift(!desired.scheme().wireName().equals(actual.scheme()),
        !new HashSet<>(desired.subnetIds()).equals(new HashSet<>(actual.subnetIds())),
        !desired.securityGroups().isEmpty() && !new HashSet<>(desired.securityGroups()).equals(new HashSet<>(actual.securityGroups())),
        actual.ipAddressType() != null && !desired.ipAddressType().wireName().equals(actual.ipAddressType()));
  }

  /**
   * Duplicates of one stack (a create that landed twice), the one to keep first: the one the Ingress
   * status points at, then one with the desired name and scheme, then by ARN, so every run and every
   * replica decides alike. Pure.
   */
  static List<ActualLoadBalancer> keptFirst(List<ActualLoadBalancer> actual, LoadBalancer desired, Optional<String> statusDns) {
    return actual.stream().sorted(java.util.Comparator
            .comparing((ActualLoadBalancer lb) -> !statusDns.map(lb.dnsName()::equals).orElse(false))
            .thenComparing(lb -> !(lb.name().equals(desired.name()) && lb.scheme().equals(desired.scheme().wireName())))
            .thenComparing(ActualLoadBalancer::arn))
        .toList();
  }

  /** @param actual the stack's load balancers in AWS, the one to keep first (see {@link #keptFirst}) */
  Future<Synced> sync(LoadBalancer desired, List<ActualLoadBalancer> actual) {
    Future<List<Change>> duplicates = Future.join(actual.stream().skip(1).map(this::delete).toList()).map(f -> f.<Change>list());
    Optional<ActualLoadBalancer> current = actual.stream().findFirst();
    if (current.isPresent() && drift(desired, current.get()).scheme()) {
      // the scheme is immutable: the change shows as the old one deleted and a new one created
      return duplicates.compose(gone -> delete(current.get()).compose(old -> create(desired)
          .map(s -> new Synced(s.loadBalancer(), true, Change.concat(gone, List.of(old), s.changes())))));
    }
    return duplicates.compose(gone -> (current.isPresent() ? update(desired, current.get()) : create(desired))
        .map(s -> new Synced(s.loadBalancer(), s.created(), Change.concat(gone, s.changes()))));
  }

  private Future<Synced> create(LoadBalancer desired) {
    // idempotent by name: after a lost answer the same create returns the load balancer; nothing is listed again
    return SafeCreate.create(() -> elb.createLoadBalancer(desired), SafeCreate.idempotent(), java.util.Set.of())
        .compose(lb -> {
          inventory.put(lb);
          Change change = Change.created(KIND, desired.resourceId(), lb.arn());
          Future<List<Change>> attributesSet = desired.attributes().isEmpty() ? Future.succeededFuture(List.of())
              : attributes.created(AttributeSynth.LOAD_BALANCER, desired.resourceId(), lb.arn(), desired.attributes()).map(List::of);
          return attributesSet.map(a -> new Synced(lb, true, Change.concat(List.of(change), a)));
        });
  }

  private Future<Synced> update(LoadBalancer desired, ActualLoadBalancer actual) {
    Drift drift = drift(desired, actual);
    List<Future<Void>> steps = new ArrayList<>();
    if (drift.subnets()) {
      steps.add(elb.setSubnets(actual.arn(), desired.subnetIds()));
    }
    if (drift.securityGroups()) {
      steps.add(elb.setSecurityGroups(actual.arn(), desired.securityGroups()));
    }
    if (drift.ipAddressType()) {
      steps.add(elb.setIpAddressType(actual.arn(), desired.ipAddressType().wireName()));
    }
    Change self = drift.inPlace() ? Change.modified(KIND, desired.resourceId(), actual.arn())
        : Change.unchanged(KIND, desired.resourceId(), actual.arn());
    return Future.join(Future.join(steps), attributes.loadBalancer(desired.resourceId(), actual.arn(), desired.attributes()))
        .map(f -> new Synced(actual, false, List.of(self, f.resultAt(1))));
  }

  Future<Change> delete(ActualLoadBalancer lb) {
    return elb.deleteLoadBalancer(lb.arn())
        .recover(e -> AwsFailure.is(e, AwsFailure.Kind.NOT_FOUND) ? Future.succeededFuture() : Future.failedFuture(e))
        .map(v -> {
          inventory.removeLoadBalancer(lb.arn());
          return Change.deleted(KIND, lb.name());
        });
  }
}
