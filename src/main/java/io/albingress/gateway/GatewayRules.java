package io.albingress.gateway;

import io.albingress.annotations.Protocol;
import io.albingress.gateway.Attachment.Refusal;
import io.albingress.gateway.GatewayStackBuilder.Context;
import io.albingress.gateway.GatewayStackBuilder.ListenerState;
import io.albingress.gateway.GatewayStackBuilder.RouteState;
import io.albingress.model.ListenerRule;
import io.albingress.model.Ref;
import io.albingress.model.RuleAction;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule half of a Gateway's build: the routes on one port with the hostnames they serve there, and
 * their ALB rules in Gateway API precedence, priorities 1..n, each forwarding, redirecting or answering
 * 500 for a backend that cannot be resolved. Pure.
 */
final class GatewayRules {
  private GatewayRules() {}

  /** The routes accepted on any of these listeners (same port), with the hostnames they serve there; [""] is every host. */
  static Map<HTTPRoute, List<String>> routesOn(List<RouteState> routes, List<ListenerState> on) {
    Map<HTTPRoute, List<String>> out = new LinkedHashMap<>();
    for (RouteState r : routes) {
      if (!r.attached()) {
        continue;
      }
      LinkedHashSet<String> hosts = new LinkedHashSet<>();
      boolean any = false;
      boolean found = false;
      for (Attachment.Parent p : r.parents()) {
        for (ListenerState l : on) {
          List<String> h = p.accepted() ? p.hostnames().get(l.name()) : null;
          if (h != null) {
            found = true;
            any |= h.isEmpty();
            hosts.addAll(h);
          }
        }
      }
      if (found) {
        out.put(r.route(), any ? List.of("") : List.copyOf(hosts));
      }
    }
    return out;
  }

  static List<ListenerRule> rules(Context ctx, int port, Protocol protocol, Map<HTTPRoute, List<String>> hostsOn,
      Map<String, Optional<Refusal>> unresolved) {
    List<Precedence.Candidate> candidates = new ArrayList<>();
    hostsOn.forEach((route, hosts) -> {
      List<HTTPRouteRule> rules = RouteMapping.nonNull(route.getSpec().getRules());
      for (int i = 0; i < rules.size(); i++) {
        List<HTTPRouteMatch> matches = RouteMapping.nonNull(rules.get(i).getMatches());
        for (String h : hosts) {
          if (matches.isEmpty()) {
            candidates.add(new Precedence.Candidate(h, route, i, Integer.MAX_VALUE, null));
          }
          for (int j = 0; j < matches.size(); j++) {
            candidates.add(new Precedence.Candidate(h, route, i, j, matches.get(j)));
          }
        }
      }
    });
    candidates.sort(Precedence.ORDER);
    Ref listener = Ref.to("Listener", String.valueOf(port));
    List<ListenerRule> out = new ArrayList<>();
    // matches of one route rule that differ only in method share one ALB rule (MethodMerging)
    for (List<Precedence.Candidate> group : MethodMerging.merge(candidates)) {
      Precedence.Candidate c = group.get(0);
      int priority = out.size() + 1;
      String rid = port + ":" + priority;
      HTTPRouteRule rule = c.route().getSpec().getRules().get(c.ruleIndex());
      String source = GatewayInputs.name(c.route()) + " spec.rules[" + c.ruleIndex() + "]"
          + MethodMerging.matchesText(group) + (c.hostname().isEmpty() ? "" : " " + c.hostname());
      // the rule's ListenerRuleConfiguration (ExtensionRef filter), if any: actions, source-ip conditions, tags
      // (MethodMerging leaves such rules unmerged: their source-ip conditions may name single matches)
      ListenerRuleConfigs.Applied applied = ListenerRuleConfigs.apply(ctx.in().extensions(), ctx.in().extensions().secrets(), c.route(),
          c.ruleIndex(), c.matchIndex(), protocol == Protocol.HTTPS, port, MethodMerging.conditions(group),
          () -> action(ctx, protocol, c.route(), c.ruleIndex(), rule, unresolved), ctx.tags(ListenerRule.resourceTag(port)));
      applied.problem().ifPresent(p -> unresolved.merge(GatewayInputs.name(c.route()), Optional.of(p), (a, b) -> a));
      // merged matches differ only in method: the same path, so the same transforms
      out.add(new ListenerRule(rid, listener, priority, applied.conditions(), applied.action(), source, applied.tags(),
          RouteRewrites.of(rule, c.match())));
    }
    return out;
  }

  /** RequestRedirect, else a forward to every backend; 500 when a backend cannot be resolved or every weight is 0. */
  private static RuleAction action(Context ctx, Protocol protocol, HTTPRoute route, int ruleIndex, HTTPRouteRule rule,
      Map<String, Optional<Refusal>> unresolved) {
    Optional<RuleAction.Redirect> redirect = RouteMapping.redirect(rule);
    if (redirect.isPresent()) {
      return redirect.get();
    }
    List<HTTPBackendRef> refs = RouteMapping.nonNull(rule.getBackendRefs());
    if (refs.isEmpty()) {
      return RouteMapping.BACKEND_UNAVAILABLE; // the Gateway API: a rule without backends answers 500
    }
    List<RuleAction.WeightedTarget> targets = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      HTTPBackendRef ref = refs.get(i);
      String field = "spec.rules[" + ruleIndex + "].backendRefs[" + i + "]";
      GatewayTargetGroups.Resolved resolved = ctx.targetGroups().resolve(route, ref, field, protocol);
      if (resolved.problem().isPresent()) {
        unresolved.merge(GatewayInputs.name(route), resolved.problem(), (a, b) -> a);
        return RouteMapping.BACKEND_UNAVAILABLE;
      }
      int weight = ref.getWeight() == null ? 1 : ref.getWeight();
      targets.add(new RuleAction.WeightedTarget(Optional.of(Ref.to("TargetGroup", resolved.targetGroup().get().resourceId())),
          Optional.empty(), weight));
    }
    if (targets.stream().allMatch(t -> t.weight() == 0)) {
      return RouteMapping.BACKEND_UNAVAILABLE;
    }
    return new RuleAction.Forward(targets, Optional.empty());
  }
}
