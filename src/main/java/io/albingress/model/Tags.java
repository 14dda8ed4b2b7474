package io.albingress.model;

/** The tags that mark AWS resources as ours, compatible with the reference controller. */
public final class Tags {
  public static final String CLUSTER = "elbv2.k8s.aws/cluster";
  public static final String STACK = "ingress.k8s.aws/stack";
  public static final String RESOURCE = "ingress.k8s.aws/resource";
  /** The reference's tags on the AWS resources of a Gateway (one ALB per Gateway). */
  public static final String GATEWAY_STACK = "gateway.k8s.aws.alb/stack";
  public static final String GATEWAY_RESOURCE = "gateway.k8s.aws.alb/resource";
  /** Hash of the applied model on the load balancer: a restart skips deep checks when it matches. */
  public static final String MODEL_HASH = "ingress.k8s.aws/model-hash";

  /** Keys the controller owns: neither --default-tags nor --external-managed-tags may name them. */
  public static final java.util.Set<String> OWN = java.util.Set.of(CLUSTER, STACK, RESOURCE, MODEL_HASH, GATEWAY_STACK, GATEWAY_RESOURCE);

  private Tags() {}
}
