package io.albingress.model;

/** One target of a target group: an EC2 instance ID (instance mode) or a pod IP (IP mode), on a port. */
public record Target(String id, int port) {}
