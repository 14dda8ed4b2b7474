package io.albingress.annotations;

import java.util.Map;

/** How one backend's target group is built, after Service annotations override the Ingress's. */
public record TargetConfig(
    TargetType targetType,
    Protocol protocol,
    ProtocolVersion protocolVersion,
    HealthCheck healthCheck,
    Map<String, String> attributes,
    Map<String, String> nodeLabels) {}
