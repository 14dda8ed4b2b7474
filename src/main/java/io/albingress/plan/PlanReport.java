package io.albingress.plan;

import io.albingress.model.Stack;
import java.util.List;

/** What `plan` found: each Ingress and Gateway of ours with its problems, and the stacks that would be built. */
public record PlanReport(List<IngressResult> ingresses, List<GatewayResult> gateways, List<Stack> stacks) {

  public PlanReport(List<IngressResult> ingresses, List<Stack> stacks) {
    this(ingresses, List.of(), stacks);
  }

  public record IngressResult(String ingress, boolean valid, List<String> problems, List<String> warnings, List<String> notVerified) {}

  /** One Gateway: problems are what its, its listeners' and its routes' status would report as not accepted or not programmed. */
  public record GatewayResult(String gateway, boolean valid, List<String> problems, List<String> warnings, List<String> notVerified) {}

  public boolean valid() {
    return ingresses.stream().allMatch(IngressResult::valid) && gateways.stream().allMatch(GatewayResult::valid);
  }
}
