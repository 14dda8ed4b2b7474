package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tags of any resource: only the keys that differ are added or removed. */
final class TagSynth {
  static final String KIND = "Tags";

  /** What to add (new or different values) and which keys to remove. Pure. */
  record Drift(Map<String, String> add, List<String> remove) {
    boolean none() {
      return add.isEmpty() && remove.isEmpty();
    }
  }

  private final Elbv2 elb;

  TagSynth(Elbv2 elb) {
    this.elb = elb;
  }

  static Drift drift(Map<String, String> current, Map<String, String> desired) {
    return new Drift(changed(desired, current), current.keySet().stream().filter(k -> !desired.containsKey(k)).sorted().toList());
  }

  /** @param id the tagged resource's id, e.g. "TargetGroup/ns/svc:80" */
  Future<Change> sync(String id, String arn, Map<String, String> current, Map<String, String> desired) {
    Drift drift = drift(current, desired);
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
