package io.albingress.deploy;

import io.albingress.model.Permission;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What to authorize and revoke so a security group's ingress matches what is wanted, touching only
 * rules that are ours. Pure.
 *
 * @param authorize wanted permissions the group lacks (an identical rule of anyone's counts as present:
 *     EC2 rejects a duplicate whatever its description)
 * @param revoke our rules no longer kept, as EC2 reported them (with their descriptions)
 */
public record RuleDiff(SortedSet<Permission> authorize, List<Rule> revoke) {

  /** An ingress rule as EC2 reports it: one peer per rule, with its description (may be empty). */
  public record Rule(Permission permission, String description) {}

  public SortedSet<Permission> revokedPermissions() {
    SortedSet<Permission> out = new TreeSet<>();
    revoke.forEach(r -> out.add(r.permission()));
    return out;
  }

  public boolean empty() {
    return authorize.isEmpty() && revoke.isEmpty();
  }

  /** The whole group is ours: make it exactly {@code desired}. */
  public static RuleDiff exact(Set<Permission> desired, Collection<Rule> actual) {
    return of(desired, desired, actual, r -> true);
  }

  /**
   * @param wanted permissions to add when missing
   * @param keep permissions of ours that stay even when not wanted here (another stack needs them)
   * @param ours which existing rules this controller may revoke
   */
  public static RuleDiff of(Set<Permission> wanted, Set<Permission> keep, Collection<Rule> actual, Predicate<Rule> ours) {
    Set<Permission> present = new TreeSet<>();
    actual.forEach(r -> present.add(r.permission()));
    SortedSet<Permission> authorize = new TreeSet<>(wanted);
    authorize.removeAll(present);
    List<Rule> revoke = actual.stream()
        .filter(r -> ours.test(r) && !wanted.contains(r.permission()) && !keep.contains(r.permission()))
        .sorted(Comparator.comparing(Rule::permission)).toList();
    return new RuleDiff(authorize, revoke);
  }
}
