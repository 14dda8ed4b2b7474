package io.albingress.model;

import io.albingress.annotations.AnnotationCatalog;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Ingresses that share one ALB, in group order (group.order, then namespace/name), with the
 * Services they reference.
 */
public record IngressGroup(StackId id, List<Ingress> members, List<Service> services) {
  /** group.order, then the string namespace/name as the reference compares it ("shop-eu/x" before "shop/x"). */
  static final Comparator<Ingress> ORDER = Comparator.comparingInt(IngressGroup::order)
      .thenComparing(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName());

  public IngressGroup {
    members = members.stream().sorted(ORDER).toList();
    services = List.copyOf(services);
  }

  /** The stack an Ingress belongs to: its group.name, or itself. */
  public static StackId stackOf(Ingress ingress) {
    return groupName(ingress).map(StackId::group)
        .orElse(StackId.ingress(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName()));
  }

  /** Groups Ingresses of this controller by stack, each with the Services its members reference. */
  public static List<IngressGroup> of(List<Ingress> ours, List<Service> services) {
    return of(ours, services, IngressGroup::stackOf);
  }

  /** As {@link #of(List, List)}, with the stack of each Ingress decided by {@code stackOf} (class params may fix the group). */
  public static List<IngressGroup> of(List<Ingress> ours, List<Service> services, java.util.function.Function<Ingress, StackId> stackOf) {
    Map<StackId, List<Ingress>> byStack = new LinkedHashMap<>();
    for (Ingress ingress : ours) {
      byStack.computeIfAbsent(stackOf.apply(ingress), k -> new ArrayList<>()).add(ingress);
    }
    List<IngressGroup> groups = new ArrayList<>();
    byStack.forEach((id, members) -> groups.add(new IngressGroup(id, members, referenced(members, services))));
    return groups;
  }

  public Optional<Service> service(String namespace, String name) {
    return services.stream()
        .filter(s -> namespace.equals(s.getMetadata().getNamespace()) && name.equals(s.getMetadata().getName())).findFirst();
  }

  private static List<Service> referenced(List<Ingress> members, List<Service> services) {
    return services.stream().filter(s -> members.stream().anyMatch(m ->
        m.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))).toList();
  }

  /** The group.name annotation, trimmed; empty when absent or blank. Group indexes use it too. */
  public static Optional<String> groupName(Ingress ingress) {
    Map<String, String> a = ingress.getMetadata().getAnnotations();
    return Optional.ofNullable(a == null ? null : a.get(AnnotationCatalog.key("group.name"))).map(String::trim).filter(s -> !s.isEmpty());
  }

  static int order(Ingress ingress) {
    Map<String, String> a = ingress.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(AnnotationCatalog.key("group.order"));
    return v == null ? 0 : intOr(v.trim(), 0);
  }

  /** Lenient: an invalid group.order is reported by validation; for ordering it counts as 0. */
  private static int intOr(String value, int fallback) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
