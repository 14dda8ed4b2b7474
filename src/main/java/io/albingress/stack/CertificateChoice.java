package io.albingress.stack;

import io.albingress.model.Certificate;
import io.albingress.model.Known;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Finds the ISSUED ACM certificate for a host: an exact name before a wildcard, then the lowest ARN. */
public final class CertificateChoice {
  private CertificateChoice() {}

  /** The certificate ARN for a host; offline, a placeholder saying it will be discovered. */
  public static Optional<String> forHost(String host, Known<List<Certificate>> certificates) {
    if (!certificates.known()) {
      return Optional.of("<discovered for " + host + ">");
    }
    return certificates.get().stream()
        .filter(Certificate::issued)
        .filter(c -> c.covers(host))
        .min(Comparator.comparing((Certificate c) -> !c.domains().contains(host)).thenComparing(Certificate::arn))
        .map(Certificate::arn);
  }
}
