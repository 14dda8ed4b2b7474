package io.albingress.k8s;

import io.albingress.model.OidcSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OIDC client credentials of the cluster's Secrets, from a Secrets informer whose cache keeps,
 * of each Secret, only its name and the keys clientID, clientId and clientSecret (no other data,
 * labels, annotations or managed fields: a last-applied-configuration annotation would hold the
 * whole Secret again). Of {@code kubernetes.io/tls} Secrets it also keeps tls.crt and tls.key: Gateway listeners'
 * tls.certificateRefs import them into ACM ({@link #secret}).
 */
public final class OidcSecretStore implements OidcSecrets {
  static final List<String> KEYS = List.of(CLIENT_ID, CLIENT_ID_LEGACY, CLIENT_SECRET);
  static final String TLS_TYPE = "kubernetes.io/tls";
  static final List<String> TLS_KEYS = List.of(CLIENT_ID, CLIENT_ID_LEGACY, CLIENT_SECRET, "tls.crt", "tls.key");

  private final SharedIndexInformer<Secret> informer;

  public OidcSecretStore(KubernetesClient client, Optional<String> namespace, long resyncMillis) {
    var secrets = client.secrets();
    this.informer = (namespace.isPresent() ? secrets.inNamespace(namespace.get()) : secrets.inAnyNamespace()).runnableInformer(resyncMillis);
    informer.itemStore(new Reducing());
  }

  public SharedIndexInformer<Secret> informer() {
    return informer;
  }

  @Override
  public Optional<Map<String, String>> keys(String namespace, String name) {
    return Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name)).map(OidcSecretStore::decoded);
  }

  /** The Secret as the cache keeps it (OIDC keys; tls.crt and tls.key of TLS Secrets); empty when it does not exist. */
  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
  }

  /** The Secret reduced to what the cache keeps. */
  static Secret reduce(Secret s) {
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> all = s.getData() == null ? Map.of() : s.getData();
    (TLS_TYPE.equals(s.getType()) ? TLS_KEYS : KEYS).forEach(k -> {
      if (all.get(k) != null) {
        data.put(k, all.get(k));
      }
    });
    return new SecretBuilder().withNewMetadata().withName(s.getMetadata().getName()).withNamespace(s.getMetadata().getNamespace())
        .withResourceVersion(s.getMetadata().getResourceVersion()).withUid(s.getMetadata().getUid()).endMetadata()
        .withType(s.getType()).withData(data).build();
  }

  public static Map<String, String> decoded(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> {
        if (KEYS.contains(k) && v != null) {
          try {
            out.put(k, new String(Base64.getDecoder().decode(v.trim()), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            // not base64: as good as absent
          }
        }
      });
    }
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> {
        if (KEYS.contains(k) && v != null) {
          out.putIfAbsent(k, v);
        }
      });
    }
    return out;
  }

  /** An item store that keeps the reduced Secret. */
  static final class Reducing extends BasicItemStore<Secret> {
    Reducing() {
      super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Secret put(String key, Secret obj) {
      return super.put(key, reduce(obj));
    }
  }
}
