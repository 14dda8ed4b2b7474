package io.albingress.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An OIDC client read from a Secret ({@code secret} is "namespace/name"). The client secret never
 * appears in JSON (plan, the model hash) nor in toString; {@code secretDigest}, a keyed digest of it,
 * does, so that a changed secret changes the model and is re-applied.
 */
public record OidcClient(String secret, String clientId, @JsonIgnore String clientSecret, String secretDigest) {

  /** The clientSecret to send to AWS. */
  public String clientSecretValue() {
    return clientSecret;
  }

  @Override
  public String toString() {
    return "OidcClient[secret=" + secret + ", clientId=" + clientId + ", secretDigest=" + secretDigest + "]";
  }
}
