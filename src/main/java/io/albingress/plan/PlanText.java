package io.albingress.plan;

/** The human-readable form of a plan. */
public final class PlanText {
  private PlanText() {}

  public static String render(PlanReport report) {
    StringBuilder out = new StringBuilder();
    if (report.ingresses().isEmpty()) {
      out.append("No Ingress for this controller was found.\n");
    }
    for (PlanReport.IngressResult r : report.ingresses()) {
      out.append("Ingress ").append(r.ingress()).append(": ").append(r.valid() ? "valid" : "INVALID").append('\n');
      r.problems().forEach(p -> out.append("  error:        ").append(p).append('\n'));
      r.warnings().forEach(w -> out.append("  warning:      ").append(w).append('\n'));
      r.notVerified().forEach(n -> out.append("  not verified: ").append(n).append('\n'));
    }
    return out.toString();
  }
}
