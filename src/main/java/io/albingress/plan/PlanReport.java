package io.albingress.plan;

import java.util.List;

/** What `plan` found: each Ingress of ours with its problems, and whether all are valid. */
public record PlanReport(List<IngressResult> ingresses) {

  public record IngressResult(String ingress, boolean valid, List<String> problems, List<String> warnings, List<String> notVerified) {}

  public boolean valid() {
    return ingresses.stream().allMatch(IngressResult::valid);
  }
}
