package io.albingress.model;

/** A security group of the cluster's VPC, as admission checks `security-groups` against: its ID and `Name` tag (may be empty). */
public record SecurityGroupSummary(String id, String nameTag) {}
