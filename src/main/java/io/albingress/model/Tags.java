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

  /**
   * On the load balancer: a hash of the keyed digests of the OIDC client secrets its rules use. ELBv2
   * never returns a client secret, so a change of this tag is how a changed Secret is detected.
   */
  public static final String OIDC_SECRETS = "ingress.k8s.aws/oidc-secrets";

  /**
   * On a stack's load balancer: the hash over its target groups' ARNs and registered targets
   * ({@link StackTargets}), present only while true (removed before any of their targets change,
   * written when all are quiet). The load balancers' tags are read at start-up anyway: a restart finds
   * the target groups of a stack it vouches for by name, without their tags, and skips
   * DescribeTargetHealth. On a target group: the hash of its own targets ({@link TargetsHash}); only the
   * hash of none is written now (at creation), an older one is still read and removed before a change.
   * Not in {@link #OWN}: the stack's tag sync must neither write nor remove it.
   */
  public static final String TARGETS_HASH = "ingress.k8s.aws/targets-hash";

  /** Keys the controller owns: neither --default-tags nor --external-managed-tags may name them. */
  public static final java.util.Set<String> OWN = java.util.Set.of(CLUSTER, STACK, RESOURCE, MODEL_HASH, OIDC_SECRETS, GATEWAY_STACK,
      GATEWAY_RESOURCE);

  private Tags() {}
}
