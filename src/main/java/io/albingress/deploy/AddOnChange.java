package io.albingress.deploy;

import io.albingress.annotations.IngressAnnotations;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** A change an add-on synthesizer made to a load balancer (WAFv2, WAF Classic, Shield). */
public interface AddOnChange {

  /**
   * The drift rule of a web ACL association (WAFv2 and WAF Classic alike): {@code desired} is a web
   * ACL or "none"; "none" removes a present association; empty when nothing needs doing.
   */
  static <C extends AddOnChange> Optional<C> webAcl(String desired, Optional<String> current, Function<String, C> associate,
      Supplier<C> disassociate) {
    if (desired.equals(IngressAnnotations.WAFV2_NONE)) {
      return current.isPresent() ? Optional.of(disassociate.get()) : Optional.empty();
    }
    return current.equals(Optional.of(desired)) ? Optional.empty() : Optional.of(associate.apply(desired));
  }
}
