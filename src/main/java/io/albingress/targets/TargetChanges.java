package io.albingress.targets;

import io.albingress.model.Target;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** What to register and deregister to turn the actual targets into the desired ones. Pure; sorted for stable calls. */
public record TargetChanges(List<Target> register, List<Target> deregister) {
  private static final Comparator<Target> ORDER = Comparator.comparing(Target::id).thenComparingInt(Target::port);

  public static TargetChanges between(Set<Target> desired, Set<Target> actual) {
    return new TargetChanges(
        desired.stream().filter(t -> !actual.contains(t)).sorted(ORDER).toList(),
        actual.stream().filter(t -> !desired.contains(t)).sorted(ORDER).toList());
  }

  public boolean none() {
    return register.isEmpty() && deregister.isEmpty();
  }
}
