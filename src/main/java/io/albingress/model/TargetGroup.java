package io.albingress.model;

import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.ProtocolVersion;
import io.albingress.annotations.TargetType;
import java.util.Map;

/**
 * A target group for one Service port and target configuration. Protocol, port, target type,
 * protocol version and VPC are immutable in AWS; they are part of the name, so a change creates a new
 * target group.
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
    Map<String, String> tags) {

  /** The backend Service port as the Ingress wrote it (number or name) and what it resolved to. */
  public record ServiceRef(String namespace, String name, String port, int servicePort, String targetPort, int nodePort) {}
}
