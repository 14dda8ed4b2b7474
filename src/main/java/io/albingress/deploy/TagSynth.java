package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tags of any resource: only the keys that differ are added or removed. Keys other tools manage
 * (--external-managed-tags) are never set nor removed.
 */
final class TagSynth {
  static final String KIND = "Tags";

  /** What to add (new or different values) and which keys to remove. Pure. */
  record Drift(Map<String, String> add, List<String> remove) {
    boolean none() {
      return add.isEmpty() && remove.isEmpty();
    }
  }

  private final Elbv2 elb;
  private final Set<String> external;

  TagSynth(Elbv2 elb, Set<String> external) {
    this.elb = elb;
    this.external = Set.copyOf(external);
  }

  static Drift drift(Map<String, String> current, Map<String, String> desired) {
    return drift(current, desired, Set.of());
  }

  static Drift drift(Map<String, String> current, Map<String, String> desired, Set<String> external) {
    Map<String, String> add = changed(desired, current);
    add.keySet().removeAll(external);
    return new Drift(add, current.keySet().stream().filter(k -> !desired.containsKey(k) && !external.contains(k)).sorted().toList());
  }

  /** @param id the tagged resource's id, e.g. "TargetGroup/ns/svc:80" */
  Future<Change> sync(String id, String arn, Map<String, String> current, Map<String, String> desired) {
    Drift drift = drift(current, desired, external);
    if (drift.none()) {
      return Future.succeededFuture(Change.unchanged(KIND, id, arn));
    }
    Future<Void> added = drift.add().isEmpty() ? Future.succeededFuture() : elb.addTags(arn, drift.add());
    return added.compose(v -> drift.remove().isEmpty() ? Future.succeededFuture() : elb.removeTags(arn, drift.remove()))
        .map(v -> Change.modified(KIND, id, arn));
  }

  /** The desired entries whose value differs from the current one. Pure. */
  static Map<String, String> changed(Map<String, String> desired, Map<String, String> current) {
    Map<String, String> changed = new HashMap<>();
    desired.forEach((k, v) -> {
      if (!v.equals(current.get(k))) {
        changed.put(k, v);
      }
    });
    return changed;
  }
}
