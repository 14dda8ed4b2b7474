package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SNI certificates of a listener (every certificate after the first, default one, which
 * {@link ListenerSynth} sets on the listener itself): added before removed, so a host never goes
 * without one.
 */
final class ListenerCertificateSynth {
  static final String KIND = "ListenerCertificate";

  /** SNI certificates to add and to remove, sorted. Pure. */
  record Drift(List<String> add, List<String> remove) {
    boolean none() {
      return add.isEmpty() && remove.isEmpty();
    }
  }

  private final Elbv2 elb;

  ListenerCertificateSynth(Elbv2 elb) {
    this.elb = elb;
  }

  /** @param desired default certificate first; @param current likewise, as AWS lists them */
  static Drift drift(List<String> desired, List<String> current) {
    Set<String> wanted = new HashSet<>(desired.stream().skip(1).toList());
    Set<String> have = new HashSet<>(current.stream().skip(1).toList());
    String defaultCert = desired.isEmpty() ? null : desired.get(0);
    return new Drift(wanted.stream().filter(c -> !have.contains(c)).sorted().toList(),
        have.stream().filter(c -> !wanted.contains(c) && !c.equals(defaultCert)).sorted().toList());
  }

  /** @param listenerId the listener's resource id */
  Future<Change> sync(String listenerId, String listenerArn, List<String> desired, List<String> current) {
    Drift drift = drift(desired, current);
    if (drift.none()) {
      return Future.succeededFuture(Change.unchanged(KIND, listenerId, listenerArn));
    }
    Future<Void> added = drift.add().isEmpty() ? Future.succeededFuture() : elb.addListenerCertificates(listenerArn, drift.add());
    return added.compose(v -> drift.remove().isEmpty() ? Future.succeededFuture()
            : elb.removeListenerCertificates(listenerArn, drift.remove()))
        .map(v -> Change.modified(KIND, listenerId, listenerArn));
  }
}
