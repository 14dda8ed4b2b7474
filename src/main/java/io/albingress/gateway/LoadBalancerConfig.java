package io.albingress.gateway;

import io.albingress.annotations.MutualAuthentication;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The spec of a {@code gateway.k8s.aws} LoadBalancerConfiguration, as the reference controller defines it
 * ({@code apis/gateway/v1/loadbalancerconfig_types.go}), limited to the fields this controller applies (the
 * parser reports the others). An absent field is empty, so the merge of the GatewayClass's and the Gateway's
 * configurations can tell "not set" from "set". Listener configurations are keyed by protocolPort upper-cased
 * ({@code HTTPS:443}). Pure.
 */
public record LoadBalancerConfig(
    Optional<String> mergingMode,
    Optional<String> loadBalancerName,
    Optional<String> scheme,
    Optional<String> ipAddressType,
    Optional<List<String>> subnets,
    Optional<Map<String, List<String>>> subnetSelector,
    Optional<List<String>> securityGroups,
    Optional<List<String>> securityGroupPrefixes,
    Optional<List<String>> sourceRanges,
    Optional<Boolean> manageBackendSecurityGroupRules,
    Map<String, ListenerConfig> listeners,
    Map<String, String> loadBalancerAttributes,
    Map<String, String> tags,
    Optional<String> wafv2WebAcl,
    Optional<Boolean> shieldAdvanced,
    Optional<String> defaultTargetGroupConfiguration) {
  public static final String PREFER_GATEWAY_CLASS = "prefer-gateway-class";
  public static final String PREFER_GATEWAY = "prefer-gateway";
  public static final LoadBalancerConfig EMPTY = new LoadBalancerConfig(Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Map.of(), Map.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty());

  public LoadBalancerConfig {
    listeners = Collections.unmodifiableMap(new TreeMap<>(listeners));
    loadBalancerAttributes = Collections.unmodifiableMap(new TreeMap<>(loadBalancerAttributes));
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** {@code listenerConfigurations[]}: what one ALB listener (protocol and port) gets. */
  public record ListenerConfig(String protocolPort, Optional<String> defaultCertificate, List<String> certificates,
      Optional<String> sslPolicy, Map<String, String> attributes, Optional<MutualAuthentication> mutualAuthentication) {
    public ListenerConfig {
      certificates = List.copyOf(certificates);
      attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    public ListenerConfig(String protocolPort, Optional<String> defaultCertificate, List<String> certificates,
        Optional<String> sslPolicy, Map<String, String> attributes) {
      this(protocolPort, defaultCertificate, certificates, sslPolicy, attributes, Optional.empty());
    }

    ListenerConfig withMutualAuthentication(Optional<MutualAuthentication> mtls) {
      return new ListenerConfig(protocolPort, defaultCertificate, certificates, sslPolicy, attributes, mtls);
    }

    /** defaultCertificate first, then the others (SNI), without repeats. */
    public List<String> allCertificates() {
      List<String> all = new ArrayList<>();
      defaultCertificate.ifPresent(all::add);
      certificates.stream().filter(c -> !all.contains(c)).forEach(all::add);
      return all;
    }
  }

  LoadBalancerConfig withListeners(Map<String, ListenerConfig> replaced) {
    return new LoadBalancerConfig(mergingMode, loadBalancerName, scheme, ipAddressType, subnets, subnetSelector, securityGroups,
        securityGroupPrefixes, sourceRanges, manageBackendSecurityGroupRules, replaced, loadBalancerAttributes, tags, wafv2WebAcl,
        shieldAdvanced, defaultTargetGroupConfiguration);
  }

  /** The listener configuration for one protocol and port, when there is one. */
  public Optional<ListenerConfig> listener(String protocol, int port) {
    return Optional.ofNullable(listeners.get(protocol.toUpperCase(java.util.Locale.ROOT) + ":" + port));
  }

  /**
   * The reference's merge (pkg/gateway/lb_config_merger.go): the GatewayClass's {@code mergingMode} (default
   * prefer-gateway-class) says which side wins; a field set on the winning side is taken whole, else the other
   * side's; tags and load balancer attributes merge by key, and listener configurations by protocolPort (a whole
   * entry from the winning side). {@code defaultTargetGroupConfiguration} names a TargetGroupConfiguration of each side's own
   * namespace, so {@link LoadBalancerConfigs#resolve} resolves and merges those before this merge; the name kept here is informative.
   */
  public static LoadBalancerConfig merge(LoadBalancerConfig ofClass, LoadBalancerConfig ofGateway) {
    boolean preferGateway = ofClass.mergingMode().map(PREFER_GATEWAY::equals).orElse(false);
    LoadBalancerConfig high = preferGateway ? ofGateway : ofClass;
    LoadBalancerConfig low = preferGateway ? ofClass : ofGateway;
    Map<String, ListenerConfig> listeners = new TreeMap<>(low.listeners());
    listeners.putAll(high.listeners());
    Map<String, String> attributes = new TreeMap<>(low.loadBalancerAttributes());
    attributes.putAll(high.loadBalancerAttributes());
    Map<String, String> tags = new LinkedHashMap<>(high.tags());
    low.tags().forEach(tags::putIfAbsent);
    return new LoadBalancerConfig(Optional.empty(), high.loadBalancerName().or(low::loadBalancerName), high.scheme().or(low::scheme),
        high.ipAddressType().or(low::ipAddressType), high.subnets().or(low::subnets), high.subnetSelector().or(low::subnetSelector),
        high.securityGroups().or(low::securityGroups), high.securityGroupPrefixes().or(low::securityGroupPrefixes),
        high.sourceRanges().or(low::sourceRanges), high.manageBackendSecurityGroupRules().or(low::manageBackendSecurityGroupRules),
        listeners, attributes, tags, high.wafv2WebAcl().or(low::wafv2WebAcl), high.shieldAdvanced().or(low::shieldAdvanced),
        high.defaultTargetGroupConfiguration().or(low::defaultTargetGroupConfiguration));
  }
}
