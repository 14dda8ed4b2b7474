package io.albingress.binding;

import io.albingress.validation.Verdict;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Admission rules of TargetGroupBinding, as the reference's validating and mutating webhooks have them
 * (webhooks/elbv2/targetgroupbinding_*.go), plus refusals of what this controller does not implement.
 * Every denial names the field and the fix. Pure.
 */
public final class BindingChecks {
  private BindingChecks() {}

  /** A new binding (after the mutating webhook filled it in), against the bindings that exist. */
  public static Verdict create(TargetGroupBinding b, Collection<TargetGroupBinding> existing, String controllerVpc) {
    List<String> denials = new ArrayList<>(fields(b, controllerVpc));
    alreadyBound(b, existing).ifPresent(denials::add);
    return new Verdict(denials, List.of());
  }

  /** An update: the same rules, and the fields AWS cannot change on a bound target group stay as they were. */
  public static Verdict update(TargetGroupBinding b, TargetGroupBinding old, Collection<TargetGroupBinding> existing, String controllerVpc) {
    if (b.deleting()) {
      return Verdict.allow(); // removing the finalizer must always be possible
    }
    List<String> denials = new ArrayList<>(immutable(b, old));
    denials.addAll(fields(b, controllerVpc));
    alreadyBound(b, existing).ifPresent(denials::add);
    return new Verdict(denials, List.of());
  }

  static List<String> fields(TargetGroupBinding b, String controllerVpc) {
    List<String> out = new ArrayList<>();
    if (b.targetGroupArn().isEmpty() && b.targetGroupName().isEmpty()) {
      out.add("spec: set exactly one of spec.targetGroupARN or spec.targetGroupName (the target group to bind)");
    } else if (!b.targetGroupArn().isEmpty()) {
      if (!b.targetGroupArn().startsWith("arn:") || !b.targetGroupArn().contains(":targetgroup/")) {
        out.add("spec.targetGroupARN \"" + b.targetGroupArn()
            + "\" is not a target group ARN; use arn:<partition>:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>");
      } else if (!b.targetGroupName().isEmpty() && !b.targetGroupName().equals(nameOf(b.targetGroupArn()))) {
        out.add("spec.targetGroupName \"" + b.targetGroupName() + "\" names another target group than spec.targetGroupARN \""
            + b.targetGroupArn() + "\"; set only one of them");
      }
    }
    if (b.targetType().isEmpty()) {
      out.add("spec.targetType is required: set instance or ip (the mutating webhook takes it from the target group when it can reach AWS)");
    } else if (!b.targetType().get().equals(TargetGroupBinding.INSTANCE) && !b.targetType().get().equals(TargetGroupBinding.IP)) {
      out.add("spec.targetType \"" + b.targetType().get() + "\" is not supported; use instance or ip");
    }
    if (b.ipMode() && b.nodeSelector().isPresent()) {
      out.add("spec.nodeSelector cannot be set when spec.targetType is ip (it selects nodes of instance targets); remove spec.nodeSelector");
    }
    b.nodeSelector().ifPresent(s -> out.addAll(s.problems()));
    if (b.serviceRef().name().isEmpty()) {
      out.add("spec.serviceRef.name is required: the Service whose endpoints become targets");
    }
    if (b.serviceRef().port().isEmpty()) {
      out.add("spec.serviceRef.port is required: the Service port, by number or name");
    }
    if (b.ipMode() && b.ipAddressType().filter("ipv6"::equals).isPresent()) {
      out.add("spec.ipAddressType ipv6 with spec.targetType ip is not supported by this controller (it registers IPv4 pod addresses); bind an ipv4 target group");
    }
    b.ipAddressType().filter(t -> !t.equals("ipv4") && !t.equals("ipv6"))
        .ifPresent(t -> out.add("spec.ipAddressType \"" + t + "\" is not one of ipv4, ipv6"));
    if (b.networking()) {
      out.add("spec.networking is not supported by this controller (it does not manage security group rules for bindings); remove spec.networking and open the target port in the node or pod security groups yourself");
    }
    if (b.multiClusterTargetGroup()) {
      out.add("spec.multiClusterTargetGroup is not supported by this controller (it would deregister targets other clusters registered); remove it or bind a target group used by this cluster only");
    }
    if (!b.iamRoleArnToAssume().isEmpty()) {
      out.add("spec.iamRoleArnToAssume is not supported by this controller (it registers targets with its own credentials only); remove it and bind a target group of the controller's account");
    }
    if (!b.vpcId().isEmpty() && controllerVpc != null && !controllerVpc.isEmpty() && !b.vpcId().equals(controllerVpc)) {
      out.add("spec.vpcID \"" + b.vpcId() + "\" is not the controller's VPC \"" + controllerVpc
          + "\"; bind a target group of the cluster's VPC (other VPCs are not supported)");
    }
    return out;
  }

  static List<String> immutable(TargetGroupBinding b, TargetGroupBinding old) {
    List<String> out = new ArrayList<>();
    if (!old.targetGroupArn().isEmpty() && !b.targetGroupArn().equals(old.targetGroupArn())) {
      out.add("spec.targetGroupARN is immutable (was \"" + old.targetGroupArn() + "\"); create a new TargetGroupBinding for another target group");
    }
    if (!b.targetType().equals(old.targetType())) {
      out.add("spec.targetType is immutable (was " + old.targetType().orElse("unset") + "); create a new TargetGroupBinding to change it");
    }
    String was = old.ipAddressType().orElse("ipv4");
    String now = b.ipAddressType().orElse(old.ipAddressType().isEmpty() ? "ipv4" : "");
    if (!was.equals(now)) {
      out.add("spec.ipAddressType is immutable (was " + was + "); it is the target group's, set it back");
    }
    if (!old.vpcId().isEmpty() && !b.vpcId().equals(old.vpcId())) {
      out.add("spec.vpcID is immutable (was \"" + old.vpcId() + "\"); set it back");
    }
    return out;
  }

  /** A target group is bound by one binding only: two would deregister each other's targets. */
  static java.util.Optional<String> alreadyBound(TargetGroupBinding b, Collection<TargetGroupBinding> existing) {
    if (b.targetGroupArn().isEmpty()) {
      return java.util.Optional.empty();
    }
    List<String> others = existing.stream()
        .filter(o -> !Objects.equals(o.uid(), b.uid()) && !o.key().equals(b.key()) && o.targetGroupArn().equals(b.targetGroupArn()))
        .map(TargetGroupBinding::key).sorted().toList();
    return others.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of("spec.targetGroupARN \"" + b.targetGroupArn() + "\" is already bound by TargetGroupBinding "
            + String.join(", ", others) + "; bind another target group, or delete that binding first");
  }

  /**
   * The fields the mutating webhook fills in from the target group, as the reference does: the ARN of a
   * named group, the target type, IP address type and VPC when absent. Denials when the group's target
   * type cannot be bound.
   */
  public record Defaults(Map<String, String> set, List<String> denials) {}

  public static Defaults defaults(TargetGroupBinding b, TargetGroupFacts tg) {
    Map<String, String> set = new LinkedHashMap<>();
    List<String> denials = new ArrayList<>();
    if (b.targetGroupArn().isEmpty()) {
      set.put("targetGroupARN", tg.arn());
    }
    if (b.targetType().isEmpty()) {
      if (TargetGroupBinding.INSTANCE.equals(tg.targetType()) || TargetGroupBinding.IP.equals(tg.targetType())) {
        set.put("targetType", tg.targetType());
      } else {
        denials.add("target group " + tg.name() + " has target type " + tg.targetType()
            + ", which a TargetGroupBinding cannot bind; bind a target group of target type instance or ip");
      }
    }
    b.targetType().filter(t -> !t.equals(tg.targetType())).ifPresent(t -> denials.add("spec.targetType " + t + " does not match target group "
        + tg.name() + ", whose target type is " + tg.targetType() + "; set spec.targetType " + tg.targetType() + " or leave it out"));
    String tgIpType = "ipv6".equals(tg.ipAddressType()) ? "ipv6" : "ipv4";
    b.ipAddressType().filter(t -> !t.equals(tgIpType)).ifPresent(t -> denials.add("spec.ipAddressType " + t + " does not match target group "
        + tg.name() + ", whose IP address type is " + tgIpType + "; set spec.ipAddressType " + tgIpType + " or leave it out"));
    if (b.ipAddressType().isEmpty()) {
      set.put("ipAddressType", "ipv6".equals(tg.ipAddressType()) ? "ipv6" : "ipv4");
    }
    if (b.vpcId().isEmpty() && tg.vpcId() != null && !tg.vpcId().isEmpty()) {
      set.put("vpcID", tg.vpcId());
    }
    return new Defaults(set, denials);
  }

  /** The name part of arn:...:targetgroup/<name>/<id>. */
  public static String nameOf(String arn) {
    int at = arn.indexOf(":targetgroup/");
    if (at < 0) {
      return "";
    }
    String rest = arn.substring(at + ":targetgroup/".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
