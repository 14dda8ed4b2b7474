package io.albingress.plan;

import io.albingress.model.Stack;
import java.util.List;

/** What `plan` found: each Ingress of ours with its problems, and the stacks that would be built. */
public record PlanReport(List<IngressResult> ingresses, List<Stack> stacks) {

  public record IngressResult(String ingress, boolean valid, List<String> problems, List<String> warnings, List<String> notVerified) {}

  public boolean valid() {
    return ingresses.stream().allMatch(IngressResult::valid);
  }
}
