package io.albingress.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process last applied to each stack, so that an unchanged or slightly changed stack does
 * not read AWS again. Trusted only by this process and only until the stack fails, is deep-checked
 * or deleted, or the lease is lost (another replica may have changed it meanwhile).
 */
final class AppliedMemory {
  /**
   * @param listenersHash the load balancer, desired listeners and their resolved default actions the listeners were synced to
   * @param listeners the listeners' changes of that sync, as unchanged (their ARNs)
   * @param rules per listener ARN, its rules as the sync left them
   */
  record KnownFront(String listenersHash, List<Change> listeners, Map<String, List<ActualRule>> rules) {}

  /** Per stack: the hash of the listeners and rules this process last applied, with the ARNs they use. */
  private final Map<String, String> front = new ConcurrentHashMap<>();
  /**
   * Per stack: its listeners and rules as this process last read or wrote them since the last deep
   * check, so that a change (a route added or removed) does not describe them again.
   */
  private final Map<String, KnownFront> known = new ConcurrentHashMap<>();
  /**
   * Per stack: a model hash this process applied in full without tagging it, because the run changed
   * nothing but target-group settings (or nothing at all): the tag write would double the calls of a
   * health-check change, and would be a restart's only mutating call.
   */
  private final Map<String, String> untagged = new ConcurrentHashMap<>();

  boolean frontIs(String stackTag, String hash) {
    return hash.equals(front.get(stackTag));
  }

  void frontApplied(String stackTag, String hash) {
    front.put(stackTag, hash);
  }

  void forgetFront(String stackTag) {
    front.remove(stackTag);
  }

  /** The stack's known listeners and rules, forgotten until the run that uses them puts them back. */
  Optional<KnownFront> takeKnownFront(String stackTag) {
    return Optional.ofNullable(known.remove(stackTag));
  }

  void knownFront(String stackTag, KnownFront front) {
    known.put(stackTag, front);
  }

  boolean untaggedIs(String stackTag, String hash) {
    return hash.equals(untagged.get(stackTag));
  }

  void appliedUntagged(String stackTag, String hash) {
    untagged.put(stackTag, hash);
  }

  void forgetUntagged(String stackTag) {
    untagged.remove(stackTag);
  }

  /** The stack failed or is deleted: nothing of it is trusted any more. */
  void forget(String stackTag) {
    front.remove(stackTag);
    known.remove(stackTag);
    untagged.remove(stackTag);
  }

  /** The lease is lost or taken again: listeners and rules are read again. */
  void forgetFronts() {
    front.clear();
    known.clear();
  }
}
