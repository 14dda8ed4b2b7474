package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.ListenPort;
import io.albingress.annotations.ListenerAnnotations;
import io.albingress.annotations.MutualAuthentication;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.Protocol;
import java.util.List;

/**
 * mutual-authentication and listener-attributes.* name listeners by port: one naming a listener this
 * Ingress does not have would be dropped by the builder (as the reference drops it), so it is denied
 * instead, naming the listeners the Ingress has.
 */
final class ListenerChecks {
  private ListenerChecks() {}

  static void run(IngressConfig config, List<ListenPort> ports, Findings findings) {
    for (MutualAuthentication m : config.mutualAuthentication().values()) {
      ListenPort https = new ListenPort(Protocol.HTTPS, m.port());
      if (!ports.contains(https)) {
        findings.deny(key("mutual-authentication") + ": port " + m.port() + " (" + m.mode().wireName() + ") is not an HTTPS listener"
            + " of this Ingress, so its mutual TLS would not be applied" + has(ports));
      }
    }
    for (ListenPort p : config.listenerAttributes().keySet()) {
      if (!ports.contains(p)) {
        findings.deny(key(attributesKey(p)) + ": this Ingress has no " + p + " listener, so its attributes would not be applied" + has(ports));
      }
    }
  }

  private static String has(List<ListenPort> ports) {
    return "; this Ingress listens on " + IngressValidator.portsText(ports) + " (" + key("listen-ports") + ")";
  }

  /** The annotation name (without prefix) of a listener's attributes, such as listener-attributes.HTTPS-443. */
  static String attributesKey(ListenPort p) {
    return ListenerAnnotations.ATTRIBUTES_PREFIX + p.protocol().wireName() + "-" + p.port();
  }

  static String describe(MutualAuthentication m) {
    StringBuilder b = new StringBuilder("\"" + m.mode().wireName());
    m.trustStore().ifPresent(t -> b.append(" with trust store ").append(t));
    m.ignoreClientCertificateExpiry().filter(Boolean::booleanValue).ifPresent(i -> b.append(", ignoring certificate expiry"));
    m.advertiseTrustStoreCaNames().filter("on"::equals).ifPresent(a -> b.append(", advertising CA names"));
    return b.append("\"").toString();
  }
}
