package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What an add-on synthesizer last saw or set on each load balancer (by ARN), so that a run that
 * changes something else of the stack costs no call for the add-on. Forgotten on failure.
 */
public final class AddOnMemory<T> {
  /** How a synthesizer learns the current state. */
  public enum Lookup {
    /** created in this run: nothing is associated yet */
    NEW_LOAD_BALANCER,
    /** what this process last saw or set, or a read if it has seen nothing */
    REMEMBERED,
    /** always read (the periodic deep check) */
    FRESH
  }

  private final Map<String, T> known = new ConcurrentHashMap<>();

  Future<T> current(String lbArn, Lookup lookup, T none, Supplier<Future<T>> read) {
    if (lookup == Lookup.NEW_LOAD_BALANCER) {
      return Future.succeededFuture(none);
    }
    T remembered = lookup == Lookup.REMEMBERED ? known.get(lbArn) : null;
    return remembered != null ? Future.succeededFuture(remembered) : read.get().onSuccess(v -> known.put(lbArn, v));
  }

  void remember(String lbArn, T value) {
    known.put(lbArn, value);
  }

  void forget(String lbArn) {
    known.remove(lbArn);
  }
}
