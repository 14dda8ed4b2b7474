package io.albingress.annotations;

/** A target group's health check; {@code port} is "traffic-port", a number or a named port. */
public record HealthCheck(
    String port,
    Protocol protocol,
    String path,
    int intervalSeconds,
    int timeoutSeconds,
    int healthyThreshold,
    int unhealthyThreshold,
    String successCodes) {}
