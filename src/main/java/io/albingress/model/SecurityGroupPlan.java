package io.albingress.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The security groups a stack wants. Either a managed frontend group (no `security-groups`
 * annotation) or the user's groups, by name or ID as written. The shared backend group goes on the
 * load balancer whenever backend rules are managed: always with a managed frontend group, and with
 * user groups only under `manage-backend-security-group-rules: "true"`.
 */
public record SecurityGroupPlan(
    Optional<ManagedGroup> frontend,
    List<String> userGroups,
    boolean manageBackendRules,
    List<BackendPorts> backendPorts) {

  /** The frontend group this controller owns, named and tagged like the load balancer. */
  public record ManagedGroup(String name, String description, Map<String, String> tags, SortedSet<Permission> ingress) {}

  /**
   * The ports one target group needs opened to the backend group on its endpoints' security groups:
   * instance mode the nodes' (the NodePort), IP mode the pods' ENIs (the pod port); plus a numeric
   * health-check port that differs.
   */
  public record BackendPorts(String targetGroupResourceId, boolean ipMode, SortedSet<Integer> ports) {}

  public static final String FRONTEND_RESOURCE_ID = "ManagedLBSecurityGroup";
  public static final String FRONTEND_DESCRIPTION = "[k8s] Managed SecurityGroup for LoadBalancer";

  public boolean managed() {
    return frontend.isPresent();
  }
}
