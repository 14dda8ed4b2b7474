package io.albingress.deploy;

import io.albingress.aws.SdkWafv2Port;
import io.albingress.model.LoadBalancer;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The load balancer's add-ons, applied after its rules: WAFv2, WAF Classic, Shield Advanced (the
 * reference controller's order). Each is independent of the others, so they run side by side; a
 * run fails if any of them fails, after all have finished.
 */
public final class LoadBalancerAddOns {
  private final Wafv2Association wafv2;
  private final WafClassicAssociation wafClassic;
  private final ShieldProtection shield;

  public LoadBalancerAddOns(Wafv2Association wafv2, WafClassicAssociation wafClassic, ShieldProtection shield) {
    this.wafv2 = wafv2;
    this.wafClassic = wafClassic;
    this.shield = shield;
  }

  /**
   * @param created the load balancer was created in this run (nothing is associated yet)
   * @param deepCheck read the current state even where this process remembers it
   * @return the changes made, for logs and tests
   */
  public Future<List<AddOnChange>> apply(LoadBalancer desired, String lbArn, boolean created, boolean deepCheck) {
    AddOnMemory.Lookup lookup = created ? AddOnMemory.Lookup.NEW_LOAD_BALANCER
        : deepCheck ? AddOnMemory.Lookup.FRESH : AddOnMemory.Lookup.REMEMBERED;
    var w = wafv2.apply(desired, lbArn, lookup);
    var c = wafClassic.apply(desired, lbArn, lookup);
    var s = shield.apply(desired, lbArn, lookup);
    return Future.join(w, c, s).map(v -> {
      List<AddOnChange> changes = new ArrayList<>();
      w.result().ifPresent(changes::add);
      c.result().ifPresent(changes::add);
      s.result().ifPresent(changes::add);
      return changes;
    });
  }

  /** A deleted load balancer's ARN never comes back. */
  public void forget(String lbArn) {
    wafv2.forget(lbArn);
    wafClassic.forget(lbArn);
    shield.forget(lbArn);
  }
}
