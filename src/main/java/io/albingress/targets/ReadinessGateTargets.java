package io.albingress.targets;

import io.albingress.binding.TargetGroupBinding;
import io.albingress.k8s.Informers;
import io.albingress.model.ClusterFacts;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.Known;
import io.albingress.model.StackId;
import io.albingress.model.TargetGroup;
import io.albingress.stack.StackBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.Collectors;

/**
 * The IP-mode target groups of ours that send to a Service, built from the informer caches alone
 * (our Ingresses and their Services, our Gateways and their routes), so every replica answers the readiness-gate webhook the same,
 * leader or not, and before any stack was reconciled. Target group names depend on the cluster, the
 * stack and the backend only, not on AWS facts, which are left unknown here.
 */
public final class ReadinessGateTargets {
  static final String NO_FACTS = "readiness gates are computed from Kubernetes objects only";

  private final Informers informers;
  private final IngressClassMatcher classes;
  private final StackBuilder builder;
  private final ClusterFacts facts;

  private final Supplier<List<TargetGroupBinding>> bindings;
  private volatile BiFunction<String, String, List<TargetGroup>> gateways = (namespace, service) -> List.of();

  public ReadinessGateTargets(Informers informers, IngressClassMatcher classes, String clusterName, String region) {
    this(informers, List::of, classes, clusterName, region);
  }

  /** @param bindings the TargetGroupBindings in the cache: an IP-mode binding's gate is named after the binding */
  public ReadinessGateTargets(Informers informers, Supplier<List<TargetGroupBinding>> bindings, IngressClassMatcher classes,
      String clusterName, String region) {
    this.informers = informers;
    this.bindings = bindings;
    this.classes = classes;
    this.builder = new StackBuilder(classes);
    this.facts = new ClusterFacts(clusterName, region, "", Known.unknown(NO_FACTS), Known.unknown(NO_FACTS), Map.of());
  }

  /**
   * Also the target groups of our Gateways' routes: (namespace, Service) to the target groups that send to
   * it, computed from the caches alone (the Gateway reconciler's, which is made after this).
   */
  public void gateways(BiFunction<String, String, List<TargetGroup>> targetGroups) {
    this.gateways = targetGroups;
  }

  /**
   * Names of the IP-mode target groups of a Service (namespace, name), and of the IP-mode
   * TargetGroupBindings that use it: each names a readiness gate.
   */
  public List<String> ipTargetGroups(String namespace, String service) {
    Set<StackId> stacks = informers.ingresses(namespace)
        .stream().filter(this::live).map(classes::stackOf).collect(Collectors.toSet());
    Stream<String> ours = stacks.stream().flatMap(id -> builder.build(group(id, namespace), facts).targetGroups().stream())
        .filter(tg -> DesiredTargets.ipMode(tg) && tg.service().namespace().equals(namespace) && tg.service().name().equals(service))
        .map(TargetGroup::name);
    Stream<String> routes = gateways.apply(namespace, service).stream().filter(DesiredTargets::ipMode).map(TargetGroup::name);
    Stream<String> bound = bindings.get().stream().filter(b -> b.ipMode() && !b.deleting() && b.namespace().equals(namespace)
        && b.serviceRef().name().equals(service)).map(TargetGroupBinding::name);
    return Stream.of(ours, routes, bound).flatMap(x -> x).distinct().sorted().toList();
  }

  /** The readiness-gate condition types a pod should carry now. */
  public Set<String> expectedGates(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    return informers.services(namespace).stream().filter(s -> ReadinessGates.selects(s, pod))
        .flatMap(s -> ipTargetGroups(namespace, s.getMetadata().getName()).stream())
        .map(ReadinessGates::conditionType).collect(Collectors.toSet());
  }

  private boolean live(Ingress ingress) {
    return classes.isOurs(ingress) && ingress.getMetadata().getDeletionTimestamp() == null;
  }

  private IngressGroup group(StackId id, String namespace) {
    List<Ingress> members = id.explicitGroup()
        ? informers.groupMembers(id.name()).stream().filter(this::live).toList()
        : informers.ingresses(namespace).stream()
            .filter(i -> live(i) && classes.stackOf(i).equals(id)).toList();
    List<Service> services = members.stream().map(i -> i.getMetadata().getNamespace()).distinct()
        .flatMap(ns -> informers.services(ns).stream()).toList();
    return new IngressGroup(id, members, services);
  }
}
