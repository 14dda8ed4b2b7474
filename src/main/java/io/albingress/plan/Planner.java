package io.albingress.plan;

import io.albingress.model.ClusterFacts;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.Known;
import io.albingress.model.Stack;
import io.albingress.stack.StackBuilder;
import io.albingress.validation.AwsFacts;
import io.albingress.validation.IngressValidator;
import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the webhook's validation and the stack builder offline over manifests. */
public final class Planner {
  static final String OFFLINE = "plan runs offline and makes no AWS calls";
  private static final String UNVERIFIED_PREFIX = "could not verify ";

  private final IngressClassMatcher classes;
  private final IngressValidator validator;
  private final Manifests manifests;
  private final ClusterFacts facts;

  public Planner(String clusterName, String ingressClass, String region, Manifests manifests) {
    this.classes = new IngressClassMatcher(ingressClass, manifests::ingressClass, manifests);
    this.validator = new IngressValidator(classes, region, "");
    this.manifests = manifests;
    this.facts = new ClusterFacts(clusterName, region, "", Known.unknown(OFFLINE), Known.unknown(OFFLINE), Map.of());
  }

  public PlanReport plan() {
    List<Ingress> ours = manifests.all(Ingress.class).stream().filter(classes::isOurs)
        .sorted(Comparator.comparing((Ingress i) -> i.getMetadata().getNamespace()).thenComparing(i -> i.getMetadata().getName()))
        .toList();
    StackBuilder builder = new StackBuilder(classes);
    List<Stack> stacks = IngressGroup.of(ours, manifests.all(Service.class), classes::stackOf).stream().map(g -> builder.build(g, facts)).toList();
    List<PlanReport.IngressResult> results = new ArrayList<>();
    for (Ingress ingress : ours) {
      String name = ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
      List<String> problems = stacks.stream().flatMap(s -> s.errors().stream()).filter(e -> e.ingress().equals(name))
          .flatMap(e -> e.problems().stream()).toList();
      Verdict verdict = validator.validate(ingress, manifests, AwsFacts.unknown(OFFLINE));
      List<String> warnings = new ArrayList<>();
      List<String> notVerified = new ArrayList<>();
      for (String w : verdict.warnings()) {
        Optional.of(w).filter(s -> s.startsWith(UNVERIFIED_PREFIX))
            .ifPresentOrElse(s -> notVerified.add(s.substring(UNVERIFIED_PREFIX.length())), () -> warnings.add(w));
      }
      results.add(new PlanReport.IngressResult(name, problems.isEmpty(), problems, warnings, notVerified));
    }
    GatewayPlanner.Planned gateways = new GatewayPlanner(manifests, facts).plan();
    List<Stack> all = new ArrayList<>(stacks.stream().filter(s -> !s.empty()).toList());
    all.addAll(gateways.stacks());
    return new PlanReport(results, gateways.gateways(), all);
  }
}
