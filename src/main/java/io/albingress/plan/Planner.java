package io.albingress.plan;

import io.albingress.model.IngressClassMatcher;
import io.albingress.validation.AwsFacts;
import io.albingress.validation.IngressValidator;
import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs the webhook's validation offline over manifests. */
public final class Planner {
  static final String OFFLINE = "plan runs offline and makes no AWS calls";
  private static final String UNVERIFIED_PREFIX = "could not verify ";

  private final IngressValidator validator;
  private final Manifests manifests;

  public Planner(String ingressClass, String region, Manifests manifests) {
    this.validator = new IngressValidator(new IngressClassMatcher(ingressClass, manifests::ingressClass), region, "");
    this.manifests = manifests;
  }

  public PlanReport plan() {
    List<PlanReport.IngressResult> results = new ArrayList<>();
    List<Ingress> ours = manifests.all(Ingress.class).stream().filter(validator.classes()::isOurs)
        .sorted(Comparator.comparing((Ingress i) -> i.getMetadata().getNamespace()).thenComparing(i -> i.getMetadata().getName()))
        .toList();
    for (Ingress ingress : ours) {
      Verdict verdict = validator.validate(ingress, manifests, AwsFacts.unknown(OFFLINE));
      List<String> warnings = new ArrayList<>();
      List<String> notVerified = new ArrayList<>();
      for (String w : verdict.warnings()) {
        (w.startsWith(UNVERIFIED_PREFIX) ? notVerified : warnings).add(w.startsWith(UNVERIFIED_PREFIX) ? w.substring(UNVERIFIED_PREFIX.length()) : w);
      }
      if (!manifests.knowsServices()) {
        notVerified.add("backend Services: no Service manifests were given");
      }
      String name = ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
      results.add(new PlanReport.IngressResult(name, verdict.allowed(), verdict.denials(), warnings, notVerified));
    }
    return new PlanReport(results);
  }
}
