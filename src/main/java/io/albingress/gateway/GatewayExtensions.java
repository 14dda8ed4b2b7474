package io.albingress.gateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.albingress.model.OidcSecrets;

/**
 * The {@code gateway.k8s.aws} TargetGroupConfigurations and ListenerRuleConfigurations a Gateway's stack may use,
 * read from the informer caches beforehand (empty while their CRDs are not served), and the Secrets OIDC clients are
 * read from. Pure.
 */
public record GatewayExtensions(List<ConfigSpec> targetGroupConfigs, List<ConfigSpec> listenerRuleConfigs, OidcSecrets secrets) {
  public static final GatewayExtensions NONE = new GatewayExtensions(List.of(), List.of(), OidcSecrets.OFFLINE);

  /** With the OIDC client Secrets unknown (placeholders, as plan has them). */
  public GatewayExtensions(List<ConfigSpec> targetGroupConfigs, List<ConfigSpec> listenerRuleConfigs) {
    this(targetGroupConfigs, listenerRuleConfigs, OidcSecrets.OFFLINE);
  }

  /** One object: its namespace, name and {@code spec} (an empty map when it has none). */
  public record ConfigSpec(String namespace, String name, Map<String, Object> spec) {
    public String key() {
      return namespace + "/" + name;
    }
  }

  public GatewayExtensions {
    targetGroupConfigs = List.copyOf(targetGroupConfigs);
    listenerRuleConfigs = List.copyOf(listenerRuleConfigs);
  }

  /** The spec of a TargetGroupConfiguration by "namespace/name" (a LoadBalancerConfiguration's defaultTargetGroupConfiguration). */
  public Optional<Map<String, Object>> targetGroupConfigSpec(String key) {
    return targetGroupConfigs.stream().filter(c -> c.key().equals(key)).findFirst().map(ConfigSpec::spec);
  }

  public Optional<ConfigSpec> listenerRuleConfig(String namespace, String name) {
    return listenerRuleConfigs.stream().filter(c -> c.namespace().equals(namespace) && c.name().equals(name)).findFirst();
  }
}
