package io.albingress.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where the builder and the webhook read OIDC client credentials: the Secrets of the cluster (an
 * informer cache in the controller). Pure lookups.
 */
public interface OidcSecrets {
  String CLIENT_ID = "clientID";
  /** The legacy AWS ALB Ingress Controller key, still read as the reference does. */
  String CLIENT_ID_LEGACY = "clientId";
  String CLIENT_SECRET = "clientSecret";

  /** The result of a lookup: the Secret is absent, lacks a key, or holds a client. */
  sealed interface Lookup {
    record Missing() implements Lookup {}

    record LacksKey(String key) implements Lookup {}

    record Found(OidcClient client) implements Lookup {}
  }

  /** The keys of the Secret that matter (clientID/clientId, clientSecret), decoded; empty when the Secret does not exist. */
  Optional<Map<String, String>> keys(String namespace, String name);

  /** False offline (plan without Secret manifests): lookups are not checked and the client is a placeholder. */
  default boolean known() {
    return true;
  }

  default Lookup lookup(String namespace, String name) {
    if (!known()) {
      return new Lookup.Found(new OidcClient(namespace + "/" + name, "<clientID from Secret " + namespace + "/" + name + ">", "", ""));
    }
    Optional<Map<String, String>> data = keys(namespace, name);
    if (data.isEmpty()) {
      return new Lookup.Missing();
    }
    String id = Optional.ofNullable(data.get().get(CLIENT_ID)).orElse(data.get().get(CLIENT_ID_LEGACY));
    if (id == null) {
      return new Lookup.LacksKey(CLIENT_ID);
    }
    String secret = data.get().get(CLIENT_SECRET);
    if (secret == null) {
      return new Lookup.LacksKey(CLIENT_SECRET);
    }
    // as the reference: trailing whitespace off the ID, trailing control characters off the secret
    String clientId = id.stripTrailing();
    String clientSecret = secret.replaceAll("\\p{Cntrl}+$", "");
    return new Lookup.Found(new OidcClient(namespace + "/" + name, clientId, clientSecret, digest(namespace + "/" + name, clientId, clientSecret)));
  }

  /** Secrets unknown (plan, and the readiness-gate builder, which needs only target groups). */
  OidcSecrets OFFLINE = new OidcSecrets() {
    @Override
    public Optional<Map<String, String>> keys(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public boolean known() {
      return false;
    }
  };

  /**
   * HMAC-SHA256 of the client secret keyed by the Secret's name and client ID, 16 hex digits: enough
   * to tell a change, and not the secret (AWS never returns the secret, so the model carries this).
   */
  static String digest(String secretKey, String clientId, String clientSecret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(("ingress.k8s.aws/oidc:" + secretKey + ":" + clientId).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(clientSecret.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
