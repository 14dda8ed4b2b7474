package io.albingress.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Splits desired and actual resources into matched pairs, ones to create and ones to delete. Pure. */
public record Matching<D, A>(List<Pair<D, A>> matched, List<D> toCreate, List<A> toDelete) {

  public record Pair<D, A>(D desired, A actual) {}

  public static <D, A, K> Matching<D, A> match(List<D> desired, Function<D, K> desiredKey, List<A> actual, Function<A, K> actualKey) {
    Map<K, A> byKey = new LinkedHashMap<>();
    List<A> toDelete = new ArrayList<>();
    for (A a : actual) {
      // a duplicate (e.g. left by a crash between create and tag) is surplus: delete it
      if (byKey.putIfAbsent(actualKey.apply(a), a) != null) {
        toDelete.add(a);
      }
    }
    List<Pair<D, A>> matched = new ArrayList<>();
    List<D> toCreate = new ArrayList<>();
    for (D d : desired) {
      A a = byKey.remove(desiredKey.apply(d));
      if (a == null) {
        toCreate.add(d);
      } else {
        matched.add(new Pair<>(d, a));
      }
    }
    toDelete.addAll(byKey.values());
    return new Matching<>(matched, toCreate, toDelete);
  }
}
