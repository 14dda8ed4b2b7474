package io.albingress.model;

import io.albingress.annotations.Condition;
import java.util.List;
import java.util.Map;

/** A listener rule; {@code source} names the Ingress path it came from. */
public record ListenerRule(
    String resourceId,
    Ref listener,
    int priority,
    List<Condition> conditions,
    RuleAction action,
    String source,
    Map<String, String> tags) {}
