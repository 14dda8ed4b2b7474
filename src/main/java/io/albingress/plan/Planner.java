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
    List<Ingress> ours = ours();
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

  private List<Ingress> ours() {
    return manifests.all(Ingress.class).stream().filter(classes::isOurs)
        .sorted(Comparator.comparing((Ingress i) -> i.getMetadata().getNamespace()).thenComparing(i -> i.getMetadata().getName()))
        .toList();
  }

  /**
   * `plan --to-gateway`: each Ingress group's stack converted into Gateway API objects, and the proof: the stack
   * GatewayStackBuilder builds from them (with the manifests' Services and Namespaces) compared with the Ingress stack.
   */
  public ConversionReport toGateway(String gatewayClassName) {
    StackBuilder builder = new StackBuilder(classes);
    IngressToGateway converter = new IngressToGateway(classes, manifests);
    List<java.util.Map<String, Object>> documents = new ArrayList<>();
    documents.add(IngressToGateway.gatewayClass(gatewayClassName));
    List<ConversionReport.GroupResult> groups = new ArrayList<>();
    for (IngressGroup group : IngressGroup.of(ours(), manifests.all(Service.class), classes::stackOf)) {
      Stack stack = builder.build(group, facts);
      List<String> problems = stack.errors().stream().map(e -> e.ingress() + ": " + String.join("; ", e.problems())).toList();
      if (stack.empty()) {
        groups.add(new ConversionReport.GroupResult(stack.id().tagValue(), "", List.of(), List.of(), List.of(), problems));
        continue;
      }
      List<Ingress> members = stack.members().stream().map(m -> group.members().stream()
          .filter(i -> m.equals(i.getMetadata().getNamespace() + "/" + i.getMetadata().getName())).findFirst().orElseThrow()).toList();
      IngressToGateway.Converted converted = converter.convert(stack, members, gatewayClassName);
      documents.addAll(converted.documents());
      String gateway = converted.gatewayNamespace() + "/" + converted.gatewayName();
      ConversionProof.Result proof;
      try {
        Manifests gatewayManifests = new Manifests(manifests.serialization()).addAll(manifests.all(Service.class))
            .addAll(manifests.all(io.fabric8.kubernetes.api.model.Namespace.class));
        gatewayManifests.addDocument("converted", IngressToGateway.gatewayClass(gatewayClassName));
        for (var d : converted.documents()) {
          gatewayManifests.addDocument("converted", d);
        }
        GatewayPlanner gp = new GatewayPlanner(gatewayManifests, facts);
        var gw = gp.ours().stream().filter(g -> gateway.equals(g.getMetadata().getNamespace() + "/" + g.getMetadata().getName()))
            .findFirst().orElseThrow();
        var build = gp.build(gw);
        if (build.stack().loadBalancer() == null) {
          proof = new ConversionProof.Result(List.of("the Gateway does not build: " + build.notProgrammed().map(r -> r.message()).orElse("")),
              List.of());
        } else {
          proof = ConversionProof.compare(stack, build.stack());
          List<String> diffs = new ArrayList<>(proof.differences());
          build.routes().stream().filter(r -> !r.unsupported().isEmpty()).forEach(r -> diffs.add("HTTPRoute "
              + io.albingress.gateway.GatewayInputs.name(r.route()) + " is refused: " + String.join("; ", r.unsupported())));
          proof = new ConversionProof.Result(diffs, proof.notCompared());
        }
      } catch (Manifests.UnreadableManifest e) {
        proof = new ConversionProof.Result(List.of("the converted objects do not read back: " + e.getMessage()), List.of());
      }
      groups.add(new ConversionReport.GroupResult(stack.id().tagValue(), gateway, converted.notConverted(), proof.differences(),
          proof.notCompared(), problems));
    }
    return new ConversionReport(documents, groups);
  }
}
