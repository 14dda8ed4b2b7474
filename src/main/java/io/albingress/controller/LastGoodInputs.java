package io.albingress.controller;

import io.albingress.model.Certificate;
import io.albingress.model.ClusterFacts;
import io.albingress.model.IngressGroup;
import io.albingress.model.Known;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * What each stack's last deployed build used from outside its Ingresses: the Services of its target
 * groups and the certificates of its listeners, and each member's generation. A member left out only
 * because such an input went away for a moment (a Service deleted and re-created by Helm or Argo, a
 * certificate briefly not ISSUED) is built again from the remembered input, so its rules stay on a
 * shared ALB. A member whose Ingress changed since gets no such help: its own problems count.
 */
final class LastGoodInputs {
  /** The inputs of one deployed build. */
  record Inputs(Map<String, Long> generations, List<Service> services, List<Certificate> certificates) {}

  /** A rebuild that kept members (with the reasons they would have been left out), and the inputs it used. */
  record Kept(Stack stack, Map<String, List<String>> reasons, IngressGroup group, ClusterFacts facts) {}

  /** Stack runs are one at a time per stack, but different stacks run concurrently. */
  private final Map<StackId, Inputs> byStack = new ConcurrentHashMap<>();

  void remember(Stack stack, IngressGroup group, ClusterFacts facts) {
    if (stack.empty()) {
      byStack.remove(stack.id());
      return;
    }
    Set<String> members = Set.copyOf(stack.members());
    Map<String, Long> generations = group.members().stream().filter(i -> members.contains(name(i)))
        .collect(Collectors.toMap(LastGoodInputs::name, i -> Objects.requireNonNullElse(i.getMetadata().getGeneration(), 0L)));
    Set<String> serviceKeys = stack.targetGroups().stream().map(TargetGroup::service).map(s -> s.namespace() + "/" + s.name())
        .collect(Collectors.toSet());
    List<Service> services = group.services().stream().filter(s -> serviceKeys.contains(key(s))).toList();
    Set<String> arns = stack.listeners().stream().flatMap(l -> l.certificateArns().stream()).collect(Collectors.toSet());
    List<Certificate> certificates = facts.certificates().value().orElse(List.of()).stream().filter(c -> arns.contains(c.arn())).toList();
    byStack.put(stack.id(), new Inputs(generations, services, certificates));
  }

  /**
   * Builds again with the remembered Services (where the current one is missing) and certificates
   * (where the current one is missing or not ISSUED), when a member of the last good build that is
   * unchanged since was left out. Empty when there is nothing to keep.
   */
  Optional<Kept> keep(Stack built, IngressGroup group, ClusterFacts facts, BiFunction<IngressGroup, ClusterFacts, Stack> build) {
    Inputs last = byStack.get(built.id());
    if (last == null || built.errors().isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<String>> reasons = new LinkedHashMap<>();
    built.errors().stream().filter(e -> unchanged(e.ingress(), group, last)).forEach(e -> reasons.put(e.ingress(), e.problems()));
    if (reasons.isEmpty()) {
      return Optional.empty();
    }
    IngressGroup withServices = withServices(group, last.services());
    ClusterFacts withCertificates = withCertificates(facts, last.certificates());
    Stack again = build.apply(withServices, withCertificates);
    Map<String, List<String>> kept = new LinkedHashMap<>(reasons);
    kept.keySet().retainAll(again.members());
    // what the first build accepted must stay accepted: otherwise the remembered inputs changed more than they kept
    return kept.isEmpty() || !again.members().containsAll(built.members()) ? Optional.empty()
        : Optional.of(new Kept(again, kept, withServices, withCertificates));
  }

  void forget(StackId id) {
    byStack.remove(id);
  }

  private static boolean unchanged(String member, IngressGroup group, Inputs last) {
    Long before = last.generations().get(member);
    return before != null && group.members().stream().anyMatch(i -> name(i).equals(member)
        && before.equals(Objects.requireNonNullElse(i.getMetadata().getGeneration(), 0L)));
  }

  private static IngressGroup withServices(IngressGroup group, List<Service> remembered) {
    Map<String, Service> services = new HashMap<>();
    remembered.forEach(s -> services.put(key(s), s));
    group.services().forEach(s -> services.put(key(s), s));
    return new IngressGroup(group.id(), group.members(), new ArrayList<>(services.values()));
  }

  private static ClusterFacts withCertificates(ClusterFacts facts, List<Certificate> remembered) {
    if (remembered.isEmpty() || !facts.certificates().known()) {
      return facts;
    }
    Map<String, Certificate> certificates = new LinkedHashMap<>();
    facts.certificates().get().forEach(c -> certificates.put(c.arn(), c));
    remembered.stream().filter(c -> !certificates.containsKey(c.arn()) || !certificates.get(c.arn()).issued())
        .forEach(c -> certificates.put(c.arn(), c));
    return new ClusterFacts(facts.clusterName(), facts.region(), facts.vpcId(), facts.subnets(),
        Known.of(List.copyOf(certificates.values())), facts.defaultTags());
  }

  private static String key(Service s) {
    return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
  }

  private static String name(Ingress i) {
    return i.getMetadata().getNamespace() + "/" + i.getMetadata().getName();
  }
}
