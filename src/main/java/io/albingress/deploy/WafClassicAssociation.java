package io.albingress.deploy;

import io.albingress.model.LoadBalancer;
import io.vertx.core.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAF Classic (regional) web ACL of a load balancer (waf-acl-id, or the deprecated web-acl-id).
 * Absent leaves the association alone without a call; "none" removes it.
 */
public final class WafClassicAssociation {
  private static final Logger LOG = LoggerFactory.getLogger(WafClassicAssociation.class);

  /** A change to the association. */
  public sealed interface Change extends AddOnChange permits Associate, Disassociate {}

  public record Associate(String webAclId) implements Change {}

  public record Disassociate() implements Change {}

  private final WafRegionalPort waf;
  private final AddOnMemory<Optional<String>> memory = new AddOnMemory<>();

  public WafClassicAssociation(WafRegionalPort waf) {
    this.waf = waf;
  }

  /** Drift predicate: {@code desired} is a web ACL ID or "none"; empty when nothing needs doing. */
  public static Optional<Change> change(String desired, Optional<String> current) {
    return AddOnChange.webAcl(desired, current, Associate::new, Disassociate::new);
  }

  /** Makes the load balancer's association match {@code desired}; answers the change made, if any. */
  public Future<Optional<Change>> apply(LoadBalancer desired, String lbArn, AddOnMemory.Lookup lookup) {
    if (desired.wafAclId().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    String target = desired.wafAclId().get();
    return memory.current(lbArn, lookup, Optional.empty(), () -> waf.webAclForResource(lbArn))
        .compose(current -> change(target, current).map(c -> make(lbArn, c)).orElse(Future.succeededFuture(Optional.empty())))
        .onFailure(e -> memory.forget(lbArn));
  }

  void forget(String lbArn) {
    memory.forget(lbArn);
  }

  private Future<Optional<Change>> make(String lbArn, Change change) {
    Future<Void> done;
    if (change instanceof Associate a) {
      LOG.info("associating WAF Classic web ACL {} with {}", a.webAclId(), lbArn);
      done = waf.associateWebAcl(lbArn, a.webAclId()).onSuccess(v -> memory.remember(lbArn, Optional.of(a.webAclId())));
    } else {
      LOG.info("removing the WAF Classic web ACL of {}", lbArn);
      done = waf.disassociateWebAcl(lbArn).onSuccess(v -> memory.remember(lbArn, Optional.empty()));
    }
    return done.map(Optional.of(change));
  }
}
