package io.albingress.binding;

/** What DescribeTargetGroups says about the bound target group: what the mutating webhook fills in from. */
public record TargetGroupFacts(String arn, String name, String targetType, String ipAddressType, String vpcId, String protocol) {}
