package io.albingress.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.ProtocolVersion;
import io.albingress.annotations.TargetType;
import java.util.Map;
import java.util.Optional;

/**
 * A target group for one Service port and target configuration. Protocol, port, target type,
 * protocol version, IP address type and VPC are immutable in AWS; they are part of the name, so a
 * change creates a new target group.
 */
public record TargetGroup(
    String resourceId,
    String name,
    ServiceRef service,
    TargetType targetType,
    Protocol protocol,
    ProtocolVersion protocolVersion,
    int port,
    HealthCheck healthCheck,
    Map<String, String> attributes,
    Map<String, String> nodeLabels,
    Map<String, String> tags,
    @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> ipAddressType) {
  /** The ipAddressType of an IP-mode target group of an IPv6 Service, as the reference sets it; absent is ipv4. */
  public static final String IPV6 = "ipv6";

  public TargetGroup(String resourceId, String name, ServiceRef service, TargetType targetType, Protocol protocol,
      ProtocolVersion protocolVersion, int port, HealthCheck healthCheck, Map<String, String> attributes,
      Map<String, String> nodeLabels, Map<String, String> tags) {
    this(resourceId, name, service, targetType, protocol, protocolVersion, port, healthCheck, attributes, nodeLabels, tags,
        Optional.empty());
  }

  /** The backend Service port as the Ingress wrote it (number or name) and what it resolved to. */
  public record ServiceRef(String namespace, String name, String port, int servicePort, String targetPort, int nodePort) {}
}
