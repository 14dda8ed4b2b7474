package io.albingress.plan;

import io.albingress.gateway.Attachment;
import io.albingress.gateway.GatewayExtensions;
import io.albingress.gateway.GatewayInputs;
import io.albingress.gateway.GrpcRoutes;
import io.albingress.gateway.GatewayStackBuilder;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.gateway.GatewayStackBuilder.ListenerState;
import io.albingress.gateway.GatewayStackBuilder.RouteState;
import io.albingress.gateway.GatewayStatuses;
import io.albingress.gateway.ListenerSets;
import io.albingress.gateway.LoadBalancerConfigs;
import io.albingress.model.ClusterFacts;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * `plan` over Gateway API manifests: every Gateway of a GatewayClass with our controllerName is built by the
 * controller's own {@link GatewayStackBuilder} from the routes, Services, ReferenceGrants, Namespaces and
 * LoadBalancerConfigurations in the manifests, and what its status would say is reported as problems: the
 * Gateway's Accepted/Programmed, each listener's Accepted/Conflicted/Programmed, each route's Accepted and
 * ResolvedRefs. GRPCRoutes, TargetGroupConfigurations and ListenerRuleConfigurations in the manifests are used as the
 * controller uses them. Pure over the manifests.
 */
public final class GatewayPlanner {
  private final Manifests manifests;
  private final ClusterFacts facts;
  private final GatewayStackBuilder builder = new GatewayStackBuilder();

  public GatewayPlanner(Manifests manifests, ClusterFacts facts) {
    this.manifests = manifests;
    this.facts = facts;
  }

  /** The result per Gateway of ours, and the stack of each one that builds. */
  public record Planned(List<PlanReport.GatewayResult> gateways, List<Stack> stacks) {}

  public static boolean ourClass(GatewayClass gc) {
    return gc.getSpec() != null && GatewayStatuses.CONTROLLER_NAME.equals(gc.getSpec().getControllerName());
  }

  public Optional<GatewayClass> gatewayClass(String name) {
    return manifests.all(GatewayClass.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
  }

  public List<Gateway> ours() {
    return manifests.all(Gateway.class).stream()
        .filter(g -> g.getSpec() != null && gatewayClass(g.getSpec().getGatewayClassName()).filter(GatewayPlanner::ourClass).isPresent())
        .sorted(Comparator.comparing((Gateway g) -> g.getMetadata().getNamespace()).thenComparing(g -> g.getMetadata().getName()))
        .toList();
  }

  public Planned plan() {
    List<PlanReport.GatewayResult> results = new ArrayList<>();
    List<Stack> stacks = new ArrayList<>();
    for (Gateway gw : ours()) {
      GatewayBuild build = build(gw);
      results.add(result(gw, build));
      if (build.stack().loadBalancer() != null && !build.stack().empty()) {
        stacks.add(build.stack());
      }
    }
    return new Planned(results, stacks);
  }

  /** The Gateway's build from the manifests, as the controller's reconciler assembles its inputs from its caches. */
  public GatewayBuild build(Gateway gw) {
    return builder.build(StackId.gatewayOf(gw.getMetadata().getNamespace(), gw.getMetadata().getName()), inputs(gw), facts);
  }

  GatewayInputs inputs(Gateway gw) {
    List<HTTPRoute> all = new ArrayList<>(manifests.all(HTTPRoute.class));
    manifests.all(GRPCRoute.class).forEach(g -> all.add(GrpcRoutes.view(g)));
    List<ListenerSet> sets = manifests.all(ListenerSet.class).stream().filter(ls -> ListenerSets.namesGateway(ls, gw)).toList();
    java.util.Set<String> setKeys = sets.stream().map(ListenerSets::key).collect(java.util.stream.Collectors.toSet());
    List<HTTPRoute> routes = all.stream()
        .filter(r -> r.getSpec() != null && r.getSpec().getParentRefs() != null && r.getSpec().getParentRefs().stream()
            .anyMatch(p -> Attachment.refersTo(p, r.getMetadata().getNamespace(), gw) || (ListenerSets.refersToListenerSet(p)
                && setKeys.contains((p.getNamespace() == null || p.getNamespace().isEmpty() ? r.getMetadata().getNamespace() : p.getNamespace())
                    + "/" + p.getName()))))
        .toList();
    Map<String, Map<String, String>> labels = new HashMap<>();
    routes.forEach(r -> labels.computeIfAbsent(r.getMetadata().getNamespace(), ns -> manifests.namespaceLabels(ns).orElse(Map.of())));
    sets.forEach(ls -> labels.computeIfAbsent(ls.getMetadata().getNamespace(), ns -> manifests.namespaceLabels(ns).orElse(Map.of())));
    GatewayExtensions extensions = new GatewayExtensions(manifests.customSpecs(Manifests.TARGET_GROUP_CONFIGURATION),
        manifests.customSpecs(Manifests.LISTENER_RULE_CONFIGURATION));
    return new GatewayInputs(gw, routes, manifests.all(Service.class), labels, manifests.all(ReferenceGrant.class),
        LoadBalancerConfigs.resolve(gatewayClass(gw.getSpec().getGatewayClassName()), gw,
            key -> manifests.customSpec(LoadBalancerConfigs.KIND, key), extensions::targetGroupConfigSpec), extensions,
        io.albingress.gateway.CertificateRefs.ListenerCertificates.NONE, sets);
  }

  /** What the Gateway's, its listeners' and its routes' status would say, as problems, warnings and what plan cannot check. */
  private PlanReport.GatewayResult result(Gateway gw, GatewayBuild build) {
    String name = gw.getMetadata().getNamespace() + "/" + gw.getMetadata().getName();
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> notVerified = new ArrayList<>();
    build.notProgrammed().ifPresent(r -> problems.add((GatewayStackBuilder.INVALID_PARAMETERS.equals(r.reason())
        ? "Accepted=False " : "Programmed=False ") + r.reason() + ": " + r.message()));
    for (ListenerState l : build.listeners()) {
      String at = (ListenerSets.fromListenerSet(l.name()) ? "ListenerSet " + l.name().substring(0, l.name().lastIndexOf('/')) + " listener "
          + ListenerSets.ownName(l.name()) : "listener " + l.name()) + " (" + l.protocol() + ":" + l.port() + ") ";
      l.notAccepted().ifPresent(r -> problems.add(at + "Accepted=False " + r.reason() + ": " + r.message()));
      l.conflicted().ifPresent(r -> problems.add(at + "Conflicted=True " + r.reason() + ": " + r.message()));
      l.notProgrammed().ifPresent(r -> problems.add(at + "Programmed=False " + r.reason() + ": " + r.message()));
      if (l.valid() && l.notProgrammed().isEmpty() && l.attachedRoutes() == 0) {
        warnings.add(at + "has no attached routes: it answers 404 to every request");
      }
    }
    build.listenerSets().stream().filter(s -> !s.accepted()).forEach(s -> problems.add("ListenerSet " + ListenerSets.key(s.set())
        + " Accepted=False " + ListenerSets.NOT_ALLOWED + ": Gateway " + gw.getMetadata().getName()
        + " does not allow ListenerSets from namespace " + s.set().getMetadata().getNamespace() + " (its spec.allowedListeners.namespaces)"));
    boolean servicesGiven = manifests.knowsServices();
    for (RouteState r : build.routes()) {
      String route = (GrpcRoutes.isGrpc(r.route()) ? "" : "HTTPRoute ") + GatewayInputs.name(r.route()) + " "; // GRPCRoute/ns/name
      for (Attachment.Parent p : r.parents()) {
        p.refusal().ifPresent(x -> problems.add(route + "parentRefs[" + p.index() + "] Accepted=False " + x.reason() + ": " + x.message()));
      }
      if (!r.unsupported().isEmpty()) {
        problems.add(route + "Accepted=False UnsupportedValue: " + String.join("; ", r.unsupported()));
      }
      r.unresolved().ifPresent(x -> {
        String line = route + "ResolvedRefs=False " + x.reason() + ": " + x.message() + " (its rule answers 500)";
        if (!servicesGiven && "BackendNotFound".equals(x.reason()) && x.message().endsWith(" not found")) {
          notVerified.add(route + "backends: no Service is in the manifests (its rules are shown answering 500)");
        } else {
          problems.add(line);
        }
      });
    }
    return new PlanReport.GatewayResult(name, problems.isEmpty(), problems, warnings, notVerified);
  }
}
