package io.albingress.plan;

import java.util.List;
import java.util.Map;

/**
 * What `plan --to-gateway` found: the Gateway API documents, and per Ingress group its Gateway, what was not converted,
 * how the Gateway's stack differs from the Ingress stack, what could not be compared, and the members the Ingress
 * builder itself leaves out (those are not converted either).
 */
public record ConversionReport(List<Map<String, Object>> documents, List<GroupResult> groups) {

  public record GroupResult(String ingressStack, String gateway, List<String> notConverted, List<String> differences,
      List<String> notCompared, List<String> ingressProblems) {
    public boolean equivalent() {
      return notConverted.isEmpty() && differences.isEmpty() && ingressProblems.isEmpty();
    }
  }

  /** The conversion does what the Ingresses do, everything was converted. */
  public boolean equivalent() {
    return groups.stream().allMatch(GroupResult::equivalent);
  }
}
