package io.albingress.aws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Lookups of single items, at most one in flight per key: callers asking for the same key meanwhile
 * share its answer. Lookups run on the home context; each caller gets the answer on its own context.
 */
public final class SingleFlight<K, V> {
  private final Context home;
  private final Function<K, Future<V>> lookup;
  private final Map<K, Promise<V>> inflight = new ConcurrentHashMap<>();

  public SingleFlight(Context home, Function<K, Future<V>> lookup) {
    this.home = home;
    this.lookup = lookup;
  }

  public Future<V> get(K key) {
    Promise<V> mine = Promise.promise();
    Promise<V> shared = inflight.putIfAbsent(key, mine);
    if (shared == null) {
      shared = mine;
      home.runOnContext(v -> run(key).onComplete(ar -> {
        inflight.remove(key, mine);
        mine.handle(ar);
      }));
    }
    return AsyncCache.onCallersContext(shared.future());
  }

  /** How many lookups are in flight (tests). */
  int inFlight() {
    return inflight.size();
  }

  private Future<V> run(K key) {
    try {
      return lookup.apply(key);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
