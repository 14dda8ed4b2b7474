package io.albingress.deploy;

import io.albingress.deploy.ShieldPort.Protection;
import io.albingress.model.LoadBalancer;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Shield Advanced protection of a load balancer (shield-advanced-protection). Absent leaves it
 * alone without a call; false deletes a protection this controller (or the reference) created, never
 * one someone else named.
 */
public final class ShieldProtection {
  private static final Logger LOG = LoggerFactory.getLogger(ShieldProtection.class);
  /** The reference controller's name, so that either controller recognises the other's protections. */
  public static final String MANAGED_NAME = "managed by aws-load-balancer-controller";
  static final Set<String> MANAGED_NAMES = Set.of(MANAGED_NAME, "managed by aws-alb-ingress-controller");

  /** A change to the protection. */
  public sealed interface Change extends AddOnChange permits Create, Delete {}

  public record Create() implements Change {}

  public record Delete(String protectionId) implements Change {}

  private final ShieldPort shield;
  private final AddOnMemory<Optional<Protection>> memory = new AddOnMemory<>();

  public ShieldProtection(ShieldPort shield) {
    this.shield = shield;
  }

  /** Drift predicate; empty when nothing needs doing (or the protection is not ours to delete). */
  public static Optional<Change> change(boolean enabled, Optional<Protection> current) {
    if (enabled) {
      return current.isPresent() ? Optional.empty() : Optional.of(new Create());
    }
    return current.filter(p -> MANAGED_NAMES.contains(p.name())).map(p -> new Delete(p.id()));
  }

  /** Makes the load balancer's protection match {@code desired}; answers the change made, if any. */
  public Future<Optional<Change>> apply(LoadBalancer desired, String lbArn, AddOnMemory.Lookup lookup) {
    if (desired.shieldAdvancedProtection().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    boolean enabled = desired.shieldAdvancedProtection().get();
    return memory.current(lbArn, lookup, Optional.empty(), () -> shield.protectionForResource(lbArn))
        .compose(current -> {
          if (!enabled && current.isPresent() && !MANAGED_NAMES.contains(current.get().name())) {
            LOG.info("leaving Shield protection \"{}\" of {} alone: this controller did not create it", current.get().name(), lbArn);
          }
          return change(enabled, current).map(c -> make(lbArn, c)).orElse(Future.succeededFuture(Optional.empty()));
        })
        .onFailure(e -> memory.forget(lbArn));
  }

  void forget(String lbArn) {
    memory.forget(lbArn);
  }

  private Future<Optional<Change>> make(String lbArn, Change change) {
    Future<Void> done;
    if (change instanceof Delete d) {
      LOG.info("deleting Shield protection {} of {}", d.protectionId(), lbArn);
      done = shield.deleteProtection(d.protectionId()).onSuccess(v -> memory.remember(lbArn, Optional.empty()));
    } else {
      LOG.info("creating Shield protection of {}", lbArn);
      done = shield.createProtection(lbArn, MANAGED_NAME)
          .onSuccess(id -> memory.remember(lbArn, Optional.of(new Protection(id, MANAGED_NAME)))).mapEmpty();
    }
    return done.map(Optional.of(change));
  }
}
