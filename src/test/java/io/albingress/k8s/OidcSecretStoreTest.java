package io.albingress.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.OidcSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OidcSecretStoreTest {
  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static Secret secret(Map<String, String> data) {
    return new SecretBuilder().withNewMetadata().withName("oidc").withNamespace("shop").withResourceVersion("7")
        .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"tls.key\":\"...\"}}")
        .addToLabels("team", "a").endMetadata().withData(data).build();
  }

  @Test
  void theCacheKeepsOnlyTheOidcKeys() {
    Secret reduced = OidcSecretStore.reduce(secret(Map.of("clientID", b64("id"), "clientSecret", b64("s"), "tls.key", b64("private"))));
    assertThat(reduced.getData()).containsOnlyKeys("clientID", "clientSecret");
    assertThat(reduced.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(reduced.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(reduced.getMetadata().getName()).isEqualTo("oidc");
    assertThat(reduced.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(OidcSecretStore.decoded(reduced)).isEqualTo(Map.of("clientID", "id", "clientSecret", "s"));
  }

  @Test
  void ofTlsSecretsTheCacheAlsoKeepsTheCertificateAndKeyForGatewayCertificateRefs() {
    Secret tls = secret(Map.of("tls.crt", b64("crt"), "tls.key", b64("key"), "ca.crt", b64("ca")));
    tls.setType("kubernetes.io/tls");
    Secret reduced = OidcSecretStore.reduce(tls);
    assertThat(reduced.getData()).containsOnlyKeys("tls.crt", "tls.key");
    assertThat(reduced.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(OidcSecretStore.decoded(reduced)).as("OIDC reads none of them").isEmpty();
  }

  @Test
  void theStoreReducesWhatItIsGiven() {
    OidcSecretStore.Reducing store = new OidcSecretStore.Reducing();
    store.put("shop/oidc", secret(Map.of("clientId", b64("legacy"), "clientSecret", b64("s\n"), "other", b64("x"))));
    assertThat(store.get("shop/oidc").getData()).containsOnlyKeys("clientId", "clientSecret");
  }

  @Test
  void lookupReadsTheLegacyKeyAndTrimsAsTheReference() {
    OidcSecrets secrets = (ns, name) -> Optional.of(OidcSecretStore.decoded(secret(Map.of("clientId", b64("legacy  "), "clientSecret", b64("s\n")))));
    OidcSecrets.Lookup.Found found = (OidcSecrets.Lookup.Found) secrets.lookup("shop", "oidc");
    assertThat(found.client().clientId()).isEqualTo("legacy");
    assertThat(found.client().clientSecretValue()).isEqualTo("s");
    assertThat(found.client().secretDigest()).hasSize(16).isNotEqualTo("s");
    OidcSecrets lacking = (ns, name) -> Optional.of(Map.of("clientSecret", "s"));
    assertThat(lacking.lookup("shop", "oidc")).isEqualTo(new OidcSecrets.Lookup.LacksKey("clientID"));
    OidcSecrets none = (ns, name) -> Optional.empty();
    assertThat(none.lookup("shop", "oidc")).isInstanceOf(OidcSecrets.Lookup.Missing.class);
  }
}
