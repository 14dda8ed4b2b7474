package io.albingress.model;

import io.albingress.annotations.Protocol;
import java.util.List;
import java.util.Optional;

/** A listener; the first certificate is the default one, the others are SNI certificates. */
public record Listener(
    String resourceId,
    Ref loadBalancer,
    Protocol protocol,
    int port,
    RuleAction defaultAction,
    List<String> certificateArns,
    Optional<String> sslPolicy,
    java.util.Map<String, String> tags) {}
