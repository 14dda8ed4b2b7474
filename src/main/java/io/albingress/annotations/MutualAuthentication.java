package io.albingress.annotations;

import java.util.Optional;

/**
 * Mutual TLS of one HTTPS listener, as the {@code mutual-authentication} annotation gives it:
 * {@code trustStore} is an ELBv2 trust store ARN or name (names are resolved to ARNs at deploy time).
 * For verify mode, {@code ignoreClientCertificateExpiry} defaults to false and
 * {@code advertiseTrustStoreCaNames} to off, as AWS and the reference controller do.
 */
public record MutualAuthentication(int port, Mode mode, Optional<String> trustStore, Optional<Boolean> ignoreClientCertificateExpiry,
    Optional<String> advertiseTrustStoreCaNames) {

  public enum Mode implements Named {
    OFF("off"), PASSTHROUGH("passthrough"), VERIFY("verify");

    private final String wireName;

    Mode(String wireName) {
      this.wireName = wireName;
    }

    @Override
    public String wireName() {
      return wireName;
    }
  }

  /** True when the trust store is given by name and must be resolved to its ARN. */
  public boolean trustStoreByName() {
    return trustStore.filter(t -> !t.startsWith("arn:")).isPresent();
  }

  /** The same settings with the trust store given as this ARN. */
  public MutualAuthentication withTrustStore(String arn) {
    return new MutualAuthentication(port, mode, Optional.of(arn), ignoreClientCertificateExpiry, advertiseTrustStoreCaNames);
  }
}
