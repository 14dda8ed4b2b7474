package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import io.albingress.model.Tags;

/**
 * Tags of any resource: only the keys that differ are added or removed. Keys other tools manage
 * (--external-managed-tags) are never set nor removed; AWS's own (`aws:`) neither, as the reference's
 * DiffStringMapIgnoreAWSTags. Unlike the reference, which removes every key it does not want, a key
 * is removed only when the controller set it itself: one of its own keys ({@link Tags#OWN}) or one
 * this process desired on that resource before (e.g. a key dropped from the `tags` annotation). A
 * tag another tool added survives without being listed in --external-managed-tags. (After a restart,
 * a key dropped meanwhile stays: leaving a tag is the safe side.)
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
  /** Per ARN: the keys this process last desired there. */
  private final Map<String, Set<String>> ownedKeys = new ConcurrentHashMap<>();

  TagSynth(Elbv2 elb, Set<String> external) {
    this.elb = elb;
    this.external = Set.copyOf(external);
  }

  static Drift drift(Map<String, String> current, Map<String, String> desired) {
    return drift(current, desired, Set.of(), Set.of());
  }

  /** @param owned keys the controller set on this resource before, besides its own ({@link Tags#OWN}) */
  static Drift drift(Map<String, String> current, Map<String, String> desired, Set<String> external, Set<String> owned) {
    Map<String, String> add = changed(desired, current);
    add.keySet().removeAll(external);
    add.keySet().removeIf(TagSynth::awsReserved);
    return new Drift(add, current.keySet().stream().filter(k -> !desired.containsKey(k) && !external.contains(k) && !awsReserved(k)
        && (Tags.OWN.contains(k) || owned.contains(k))).sorted().toList());
  }

  /** AWS's own keys: no one may set or remove them. */
  static boolean awsReserved(String key) {
    return key.startsWith("aws:");
  }

  /** @param id the tagged resource's id, e.g. "TargetGroup/ns/svc:80" */
  Future<Change> sync(String id, String arn, Map<String, String> current, Map<String, String> desired) {
    Drift drift = drift(current, desired, external, ownedKeys.getOrDefault(arn, Set.of()));
    Set<String> owned = desired.keySet().stream().filter(k -> !external.contains(k)).collect(Collectors.toUnmodifiableSet());
    if (drift.none()) {
      ownedKeys.put(arn, owned);
      return Future.succeededFuture(Change.unchanged(KIND, id, arn));
    }
    Future<Void> added = drift.add().isEmpty() ? Future.succeededFuture() : elb.addTags(arn, drift.add());
    return added.compose(v -> drift.remove().isEmpty() ? Future.succeededFuture() : elb.removeTags(arn, drift.remove()))
        .map(v -> {
          ownedKeys.put(arn, owned);
          return Change.modified(KIND, id, arn);
        });
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
