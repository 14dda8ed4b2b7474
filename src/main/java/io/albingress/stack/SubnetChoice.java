package io.albingress.stack;

import io.albingress.annotations.Formats;
import io.albingress.annotations.Scheme;
import io.albingress.model.Subnet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Resolves explicit subnets, or discovers them by role and cluster tags: one per AZ, at least two AZs. */
public final class SubnetChoice {
  private SubnetChoice() {}

  /** Subnet IDs, or a problem. */
  public record Result(List<String> subnetIds, Optional<String> problem) {}

  public static Result explicit(List<String> entries, List<Subnet> known) {
    List<String> ids = entries.stream().map(e -> known.stream()
            .filter(s -> Formats.SUBNET_ID.matcher(e).matches() ? s.id().equals(e) : s.name().equals(e))
            .map(Subnet::id).findFirst().orElse(e))
        .toList();
    return new Result(ids, Optional.empty());
  }

  /**
   * IngressClassParams {@code subnets.tags}: subnets whose tag of each key has one of its values (any value when the
   * list is empty), not tagged for another cluster; one per AZ, at least two AZs.
   */
  static Result byTags(String cluster, Map<String, List<String>> tags, List<Subnet> known) {
    return byTags(cluster, tags, known, "IngressClassParams subnets.tags");
  }

  /** The same, for another source of the tag selector, named by {@code what} in the problem. */
  public static Result byTags(String cluster, Map<String, List<String>> tags, List<Subnet> known, String what) {
    String ourTag = Subnet.CLUSTER_TAG_PREFIX + cluster;
    Map<String, Subnet> byAz = new LinkedHashMap<>();
    known.stream()
        .filter(s -> tags.entrySet().stream().allMatch(t -> s.tags().containsKey(t.getKey())
            && (t.getValue().isEmpty() || t.getValue().contains(s.tags().get(t.getKey())))))
        .filter(s -> s.tags().containsKey(ourTag) || s.tags().keySet().stream().noneMatch(k -> k.startsWith(Subnet.CLUSTER_TAG_PREFIX)))
        .sorted(Comparator.comparing((Subnet s) -> !s.tags().containsKey(ourTag)).thenComparing(Subnet::id))
        .forEach(s -> byAz.putIfAbsent(s.availabilityZone(), s));
    List<String> ids = byAz.values().stream().sorted(Comparator.comparing(Subnet::availabilityZone)).map(Subnet::id).toList();
    if (ids.size() < 2) {
      return new Result(ids, Optional.of(what + " " + new java.util.TreeMap<>(tags) + " select subnets in "
          + ids.size() + " Availability Zone(s) (not tagged for another cluster); an ALB needs at least 2"));
    }
    return new Result(ids, Optional.empty());
  }

  public static Result discover(String cluster, Scheme scheme, List<Subnet> known) {
    String role = scheme == Scheme.INTERNET_FACING ? Subnet.ROLE_ELB : Subnet.ROLE_INTERNAL_ELB;
    String ourTag = Subnet.CLUSTER_TAG_PREFIX + cluster;
    Map<String, Subnet> byAz = new LinkedHashMap<>();
    known.stream()
        // as the reference controller filters them: the role tag with the value "" or "1"
        .filter(s -> "".equals(s.tags().get(role)) || "1".equals(s.tags().get(role)))
        .filter(s -> s.tags().containsKey(ourTag) || s.tags().keySet().stream().noneMatch(k -> k.startsWith(Subnet.CLUSTER_TAG_PREFIX)))
        // prefer subnets tagged for our cluster, then the lowest ID, so the choice is stable
        .sorted(Comparator.comparing((Subnet s) -> !s.tags().containsKey(ourTag)).thenComparing(Subnet::id))
        .forEach(s -> byAz.putIfAbsent(s.availabilityZone(), s));
    List<String> ids = byAz.values().stream().sorted(Comparator.comparing(Subnet::availabilityZone)).map(Subnet::id).toList();
    if (ids.size() < 2) {
      return new Result(ids, Optional.of("subnet discovery found " + ids.size() + " Availability Zone(s) with subnets tagged "
          + role + " (and not tagged for another cluster); an ALB needs at least 2. Tag subnets, or set alb.ingress.kubernetes.io/subnets"));
    }
    return new Result(ids, Optional.empty());
  }
}
