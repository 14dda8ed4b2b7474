package io.albingress.model.params;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spec of an {@code elbv2.k8s.aws/v1beta1} IngressClassParams, as the reference controller defines it
 * ({@code apis/elbv2/v1beta1/ingressclassparams_types.go}). Absent fields are empty. Maps keep the order of
 * the object. Pure: parsed from the object's JSON map by {@link ClassParamsParser}.
 */
public record ClassParams(
    String name,
    Optional<NamespaceSelector> namespaceSelector,
    Optional<String> group,
    Optional<String> loadBalancerName,
    Optional<String> scheme,
    Optional<String> ipAddressType,
    List<String> subnetIds,
    Map<String, List<String>> subnetTags,
    List<String> certificateArns,
    Optional<String> sslPolicy,
    Optional<String> sslRedirectPort,
    List<String> inboundCidrs,
    Map<String, String> tags,
    Optional<String> targetType,
    Map<String, String> loadBalancerAttributes,
    List<ListenerParams> listeners,
    List<String> prefixListIds,
    Optional<String> wafv2AclArn,
    Optional<String> wafv2AclName,
    Optional<Integer> minimumCapacityUnits,
    Optional<String> ipv4IpamPoolId) {

  public ClassParams {
    subnetIds = List.copyOf(subnetIds);
    subnetTags = Map.copyOf(subnetTags);
    certificateArns = List.copyOf(certificateArns);
    inboundCidrs = List.copyOf(inboundCidrs);
    tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    loadBalancerAttributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(loadBalancerAttributes));
    listeners = List.copyOf(listeners);
    prefixListIds = List.copyOf(prefixListIds);
  }

  /** Params with only a name: what a missing or unreadable spec amounts to. */
  public static ClassParams empty(String name) {
    return new ClassParams(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of(), Map.of(), List.of(), Optional.empty(), Optional.empty(), List.of(), Map.of(), Optional.empty(), Map.of(),
        List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether an Ingress in a namespace with these labels may use the params; no selector selects every namespace. */
  public boolean selects(Map<String, String> namespaceLabels) {
    return namespaceSelector.map(s -> s.matches(namespaceLabels)).orElse(true);
  }

  /** {@code listeners[]}: the attributes of the listener on one protocol and port. */
  public record ListenerParams(String protocol, int port, Map<String, String> attributes) {
    public ListenerParams {
      attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }
  }
}
