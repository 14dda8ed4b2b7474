package io.albingress.deploy;

import io.albingress.annotations.IngressAnnotations;
import io.albingress.model.LoadBalancer;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAFv2 web ACL of a load balancer (wafv2-acl-arn, or wafv2-acl-name resolved to its ARN).
 * Absent leaves the association alone without a call; "none" removes it.
 */
public final class Wafv2Association {
  private static final Logger LOG = LoggerFactory.getLogger(Wafv2Association.class);
  /** Web ACL names rarely change; the reference controller keeps them as long. */
  static final Duration NAMES_TTL = Duration.ofMinutes(10);
  static final Duration NAMES_FAILURE_TTL = Duration.ofSeconds(10);

  /** A change to the association. */
  public sealed interface Change extends AddOnChange permits Associate, Disassociate {}

  public record Associate(String webAclArn) implements Change {}

  public record Disassociate() implements Change {}

  private final Wafv2Port waf;
  private final AddOnMemory<Optional<String>> memory = new AddOnMemory<>();
  /** The regional web ACLs by name, and when they were listed; touched only on the reconciler's context. */
  private Future<Map<String, String>> names;
  private long namesListedAt;

  public Wafv2Association(Wafv2Port waf) {
    this.waf = waf;
  }

  /** Drift predicate: {@code desired} is a web ACL ARN or "none"; empty when nothing needs doing. */
  public static Optional<Change> change(String desired, Optional<String> current) {
    return AddOnChange.webAcl(desired, current, Associate::new, Disassociate::new);
  }

  /** Makes the load balancer's association match {@code desired}; answers the change made, if any. */
  public Future<Optional<Change>> apply(LoadBalancer desired, String lbArn, AddOnMemory.Lookup lookup) {
    if (desired.wafv2AclName().isEmpty() && desired.wafv2AclArn().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return target(desired)
        .compose(target -> memory.current(lbArn, lookup, Optional.empty(), () -> waf.webAclForResource(lbArn))
            .compose(current -> change(target, current).map(c -> make(lbArn, c)).orElse(Future.succeededFuture(Optional.empty()))))
        .onFailure(e -> memory.forget(lbArn));
  }

  void forget(String lbArn) {
    memory.forget(lbArn);
  }

  /** The ARN to associate, or "none". */
  private Future<String> target(LoadBalancer desired) {
    if (desired.wafv2AclName().isEmpty()) {
      return Future.succeededFuture(desired.wafv2AclArn().orElseThrow());
    }
    String name = desired.wafv2AclName().get();
    if (name.equals(IngressAnnotations.WAFV2_NONE)) {
      return Future.succeededFuture(IngressAnnotations.WAFV2_NONE);
    }
    return webAclsByName().compose(byName -> {
      String arn = byName.get(name);
      if (arn == null) {
        // a web ACL created since the last listing is found on the retry
        names = null;
        return Future.failedFuture(new IllegalStateException("wafv2-acl-name: there is no regional WAFv2 web ACL named \""
            + name + "\" in this region"));
      }
      return Future.succeededFuture(arn);
    });
  }

  private Future<Optional<Change>> make(String lbArn, Change change) {
    Future<Void> done;
    if (change instanceof Associate a) {
      LOG.info("associating WAFv2 web ACL {} with {}", a.webAclArn(), lbArn);
      done = waf.associateWebAcl(lbArn, a.webAclArn()).onSuccess(v -> memory.remember(lbArn, Optional.of(a.webAclArn())));
    } else {
      LOG.info("removing the WAFv2 web ACL of {}", lbArn);
      done = waf.disassociateWebAcl(lbArn).onSuccess(v -> memory.remember(lbArn, Optional.empty()));
    }
    return done.map(Optional.of(change));
  }

  private Future<Map<String, String>> webAclsByName() {
    long age = System.nanoTime() - namesListedAt;
    boolean stale = names == null || (names.failed() && age >= NAMES_FAILURE_TTL.toNanos()) || age >= NAMES_TTL.toNanos();
    if (stale) {
      names = waf.regionalWebAcls();
      namesListedAt = System.nanoTime();
    }
    return names;
  }
}
