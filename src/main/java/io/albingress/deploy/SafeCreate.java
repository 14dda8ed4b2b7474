package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A create whose answer may be lost, made safe to retry (issue 17, defect 3). ELBv2 creates load
 * balancers, target groups and listeners idempotently (the same settings return the existing one), so
 * after an unknown outcome (timeout, reset, 5xx) the same create is sent again, after looking up what
 * it would have made where the create is not idempotent (a rule: PriorityInUse). A create refused
 * with the code of "already there" after an unknown outcome adopts what the look-up finds. Throttled
 * or refused creates are known outcomes: they fail at once and never make anyone list AWS again.
 */
final class SafeCreate {
  /** Attempts in all, the first one included. */
  static final int ATTEMPTS = 3;

  private SafeCreate() {}

  /** Nothing to look up: the create itself is idempotent by name. */
  static <T> Supplier<Future<Optional<T>>> idempotent() {
    return () -> Future.succeededFuture(Optional.empty());
  }

  /**
   * @param lookup what an earlier attempt made, if anything (only asked after an unknown outcome)
   * @param alreadyThere the codes meaning an earlier attempt landed (DuplicateListener, PriorityInUse)
   */
  static <T> Future<T> create(Supplier<Future<T>> create, Supplier<Future<Optional<T>>> lookup, Set<String> alreadyThere) {
    return attempt(create, lookup, alreadyThere, ATTEMPTS, false);
  }

  private static <T> Future<T> attempt(Supplier<Future<T>> create, Supplier<Future<Optional<T>>> lookup, Set<String> alreadyThere,
      int left, boolean uncertain) {
    return create.get().recover(e -> {
      boolean landedEarlier = uncertain && e instanceof AwsFailure f && alreadyThere.contains(f.code());
      boolean unknown = AwsFailure.is(e, AwsFailure.Kind.UNKNOWN_OUTCOME);
      if (!landedEarlier && !(unknown && left > 1)) {
        return Future.failedFuture(e);
      }
      return lookup.get().compose(found -> {
        if (found.isPresent()) {
          return Future.succeededFuture(found.get());
        }
        if (landedEarlier) {
          // there, but not listed yet (Describe* is eventually consistent): soon again, not the validation backoff
          return Future.failedFuture(new AwsFailure(AwsFailure.Kind.UNKNOWN_OUTCOME, f(e).code(), e.getMessage()
              + " (an earlier attempt landed; not listed yet)", null));
        }
        return attempt(create, lookup, alreadyThere, left - 1, true);
      });
    });
  }

  private static AwsFailure f(Throwable e) {
    return (AwsFailure) e;
  }
}
