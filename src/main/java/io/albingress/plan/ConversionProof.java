package io.albingress.plan;

import io.albingress.annotations.Condition;
import io.albingress.model.Listener;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.albingress.model.TargetGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares the stack the Ingress builder makes with the one GatewayStackBuilder makes from the converted objects:
 * listeners, their rules (conditions, actions, and the order of rules that can match the same request), target groups
 * and load balancer settings. Both models are normalised only where they mean the same to ALB: a rule without a path
 * condition matches every path (as path-pattern /*); a listener's non-404 default action is a last rule matching
 * everything (the Gateway's default is always 404, its catch-all rule is last); Gateway rules that differ only in
 * their method (one per HTTPRoute match) are one rule with those methods; a forward is compared by Service and port,
 * not by target group (the Gateway has one per route). Pure.
 */
public final class ConversionProof {
  /**
   * Whether GatewayStackBuilder reads TargetGroupConfiguration. Until it does, the target group fields such a
   * configuration sets are not compared (listed instead).
   */
  static final boolean TARGET_GROUP_CONFIGURATION_READ = true;
  static final String TGC_NOT_COMPARED = "target group type, protocol, protocol version, port, health check, attributes and node"
      + " selector: set by the TargetGroupConfigurations, which this build's GatewayStackBuilder does not read yet";

  private ConversionProof() {}

  /** A rule as ALB sees it: canonical conditions and action, with where it came from. */
  record Canon(String conditions, String action, String source, List<Condition> raw) {
    String key() {
      return conditions + " -> " + action;
    }
  }

  public record Result(List<String> differences, List<String> notCompared) {}

  public static Result compare(Stack ingress, Stack gateway) {
    List<String> diffs = new ArrayList<>();
    List<String> notCompared = new ArrayList<>();
    loadBalancer(ingress.loadBalancer(), gateway.loadBalancer(), diffs);
    Map<String, Listener> gwListeners = new LinkedHashMap<>();
    gateway.listeners().forEach(l -> gwListeners.put(name(l), l));
    for (Listener l : ingress.listeners()) {
      Listener g = gwListeners.remove(name(l));
      if (g == null) {
        diffs.add("listener " + name(l) + ": missing from the Gateway");
        continue;
      }
      listener(l, g, diffs);
      rules(name(l), canon(ingress, l, false), canon(gateway, g, true), diffs);
    }
    gwListeners.keySet().forEach(n -> diffs.add("listener " + n + ": only in the Gateway"));
    targetGroups(ingress, gateway, diffs, notCompared);
    return new Result(diffs, notCompared);
  }

  private static String name(Listener l) {
    return l.protocol().wireName() + ":" + l.port();
  }

  // ---------------------------------------------------------------- load balancer and listeners

  private static void loadBalancer(LoadBalancer i, LoadBalancer g, List<String> diffs) {
    same("load balancer scheme", i.scheme().wireName(), g.scheme().wireName(), diffs);
    same("load balancer IP address type", i.ipAddressType().wireName(), g.ipAddressType().wireName(), diffs);
    same("load balancer subnets", new TreeSet<>(i.subnetIds()), new TreeSet<>(g.subnetIds()), diffs);
    same("load balancer security groups", i.securityGroups(), g.securityGroups(), diffs);
    same("load balancer attributes", i.attributes(), g.attributes(), diffs);
    same("WAFv2 web ACL", i.wafv2AclName().or(i::wafv2AclArn).filter(w -> !w.equals("none")),
        g.wafv2AclName().or(g::wafv2AclArn), diffs);
    same("Shield Advanced", i.shieldAdvancedProtection(), g.shieldAdvancedProtection(), diffs);
    same("WAF Classic web ACL", i.wafAclId(), g.wafAclId(), diffs);
    same("load balancer tags", new java.util.TreeMap<>(IngressToGateway.userTags(i.tags())),
        new java.util.TreeMap<>(IngressToGateway.userTags(g.tags())), diffs);
  }

  private static void listener(Listener i, Listener g, List<String> diffs) {
    String at = "listener " + name(i) + " ";
    boolean discovered = i.certificateArns().stream().anyMatch(c -> c.startsWith("<")) || g.certificateArns().stream().anyMatch(c -> c.startsWith("<"));
    if (discovered) {
      same(at + "certificates (discovered)", new TreeSet<>(i.certificateArns()), new TreeSet<>(g.certificateArns()), diffs);
    } else {
      same(at + "certificates", i.certificateArns(), g.certificateArns(), diffs);
    }
    same(at + "SSL policy", i.sslPolicy(), g.sslPolicy(), diffs);
    same(at + "attributes", i.attributes(), g.attributes(), diffs);
    same(at + "mutual TLS", i.mutualAuthentication(), g.mutualAuthentication(), diffs);
  }

  private static void same(String what, Object ingress, Object gateway, List<String> diffs) {
    if (!Objects.equals(ingress, gateway)) {
      diffs.add(what + ": Ingress " + show(ingress) + ", Gateway " + show(gateway));
    }
  }

  private static String show(Object o) {
    return o instanceof Optional<?> opt ? opt.map(String::valueOf).orElse("(none)") : String.valueOf(o);
  }

  // ---------------------------------------------------------------- rules

  static List<Canon> canon(Stack stack, Listener listener, boolean gateway) {
    Map<String, TargetGroup> tgs = new HashMap<>();
    stack.targetGroups().forEach(t -> tgs.put(t.resourceId(), t));
    List<Canon> out = new ArrayList<>();
    for (ListenerRule r : stack.rules()) {
      if (r.listener().resourceId().equals(listener.resourceId())) {
        out.add(new Canon(conditions(r.conditions()), action(r.action(), tgs), r.source(), r.conditions()));
      }
    }
    if (!(listener.defaultAction() instanceof RuleAction.FixedResponse f && f.equals(RuleAction.FixedResponse.NOT_FOUND))) {
      List<Condition> all = List.of(new Condition("path-pattern", Optional.empty(), List.of("/*")));
      out.add(new Canon(conditions(all), action(listener.defaultAction(), tgs), "default action", all));
    }
    return gateway ? mergeMethods(out) : out;
  }

  /** Consecutive rules alike but for their methods, as one rule with all those methods. */
  private static List<Canon> mergeMethods(List<Canon> rules) {
    List<Canon> out = new ArrayList<>();
    for (Canon c : rules) {
      Canon last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.action().equals(c.action()) && methods(last).isPresent() && methods(c).isPresent()
          && withoutMethod(last.raw()).equals(withoutMethod(c.raw()))) {
        List<String> methods = new ArrayList<>(methods(last).get());
        methods(c).get().stream().filter(m -> !methods.contains(m)).forEach(methods::add);
        List<Condition> merged = new ArrayList<>(withoutMethod(last.raw()));
        merged.add(new Condition("http-request-method", Optional.empty(), methods));
        out.set(out.size() - 1, new Canon(conditions(merged), c.action(), last.source() + ", " + c.source(), merged));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  private static Optional<List<String>> methods(Canon c) {
    return c.raw().stream().filter(x -> x.field().equals("http-request-method")).findFirst().map(Condition::values);
  }

  private static List<Condition> withoutMethod(List<Condition> conditions) {
    return conditions.stream().filter(x -> !x.field().equals("http-request-method")).toList();
  }

  /** Sorted by field (and header name), values sorted; no path condition is path-pattern /*. */
  static String conditions(List<Condition> conditions) {
    List<String> parts = new ArrayList<>();
    boolean path = false;
    for (Condition c : conditions) {
      path |= c.field().equals("path-pattern");
      TreeSet<String> values = new TreeSet<>(c.values());
      c.regexValues().forEach(v -> values.add("~" + v));
      parts.add(c.field() + c.httpHeaderName().map(h -> "[" + h.toLowerCase(java.util.Locale.ROOT) + "]").orElse("") + "="
          + String.join(",", values));
    }
    if (!path) {
      parts.add("path-pattern=/*");
    }
    return parts.stream().sorted().collect(Collectors.joining(" "));
  }

  static String action(RuleAction a, Map<String, TargetGroup> tgs) {
    if (a instanceof RuleAction.Forward f) {
      Function<RuleAction.WeightedTarget, String> target = t -> t.targetGroup().map(r -> tgs.get(r.resourceId()))
          .map(tg -> tg.service().namespace() + "/" + tg.service().name() + ":" + tg.service().servicePort())
          .orElse(t.targetGroupArn().or(t::targetGroupName).orElse("?"));
      return "forward " + f.targets().stream().map(t -> target.apply(t) + (f.targets().size() > 1 ? "(" + t.weight() + ")" : ""))
          .sorted().collect(Collectors.joining(",")) + f.stickinessSeconds().map(s -> " sticky " + s + "s").orElse("");
    }
    if (a instanceof RuleAction.Redirect r) {
      return "redirect " + r.statusCode() + " " + r.protocol() + "://" + r.host() + ":" + r.port() + r.path() + "?" + r.query();
    }
    if (a instanceof RuleAction.FixedResponse f) {
      return "fixed-response " + f.statusCode() + f.contentType().map(t -> " " + t).orElse("") + f.messageBody().map(b -> " " + b).orElse("");
    }
    return a.type() + " then " + action(RuleAction.last(a), tgs);
  }

  /**
   * The rules of one listener: each Ingress rule must be in the Gateway with the same action; a Gateway rule the
   * Ingress has not is extra; and two rules that can match the same request must come in the same order.
   */
  static void rules(String listener, List<Canon> ingress, List<Canon> gateway, List<String> diffs) {
    String at = "listener " + listener + " ";
    List<Canon> unmatchedGateway = new ArrayList<>(gateway);
    List<Canon[]> pairs = new ArrayList<>();
    for (Canon i : ingress) {
      Optional<Canon> same = unmatchedGateway.stream().filter(g -> g.key().equals(i.key())).findFirst();
      if (same.isPresent()) {
        unmatchedGateway.remove(same.get());
        pairs.add(new Canon[] {i, same.get()});
        continue;
      }
      Optional<Canon> sameConditions = unmatchedGateway.stream().filter(g -> g.conditions().equals(i.conditions())).findFirst();
      if (sameConditions.isPresent()) {
        unmatchedGateway.remove(sameConditions.get());
        diffs.add(at + "rule " + i.conditions() + ": Ingress " + i.action() + " (" + i.source() + "), Gateway " + sameConditions.get().action()
            + " (" + sameConditions.get().source() + ")");
        pairs.add(new Canon[] {i, sameConditions.get()});
      } else {
        diffs.add(at + "rule missing from the Gateway: " + i.key() + " (" + i.source() + ")");
      }
    }
    unmatchedGateway.forEach(g -> diffs.add(at + "rule only in the Gateway: " + g.key() + " (" + g.source() + ")"));
    for (int a = 0; a < pairs.size(); a++) {
      for (int b = a + 1; b < pairs.size(); b++) {
        Canon ia = pairs.get(a)[0];
        Canon ib = pairs.get(b)[0];
        if (gateway.indexOf(pairs.get(a)[1]) > gateway.indexOf(pairs.get(b)[1]) && mayOverlap(ia.raw(), ib.raw())
            && !ia.action().equals(ib.action())) {
          diffs.add(at + "order: the Ingress matches " + ia.conditions() + " (" + ia.source() + ") before " + ib.conditions()
              + " (" + ib.source() + "), the Gateway after it; a request both match goes elsewhere");
        }
      }
    }
  }

  /** False only when no request can match both: disjoint literal hosts, literal paths, methods or header values of one name. */
  static boolean mayOverlap(List<Condition> a, List<Condition> b) {
    for (Condition x : a) {
      for (Condition y : b) {
        if (!x.field().equals(y.field()) || !x.httpHeaderName().equals(y.httpHeaderName()) || !x.regexValues().isEmpty()
            || !y.regexValues().isEmpty()) {
          continue;
        }
        boolean disjoint = switch (x.field()) {
          case "host-header", "http-request-method" -> literal(x.values()) && literal(y.values())
              && x.values().stream().map(v -> v.toLowerCase(java.util.Locale.ROOT)).noneMatch(v -> y.values().stream()
                  .anyMatch(w -> w.equalsIgnoreCase(v)));
          case "path-pattern", "http-header" -> x.values().stream().allMatch(v -> y.values().stream().allMatch(w -> disjoint(v, w)));
          default -> false;
        };
        if (disjoint) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean literal(List<String> values) {
    return values.stream().noneMatch(v -> v.contains("*") || v.contains("?"));
  }

  /** Two ALB patterns no string matches both: their literal heads (before a wildcard) differ where both are literal. */
  static boolean disjoint(String p, String q) {
    int n = Math.min(head(p).length(), head(q).length());
    if (!p.substring(0, n).equals(q.substring(0, n))) {
      return true;
    }
    // one is literal and no longer than the other's head: equal lengths differ, a literal shorter than the other's head cannot match it
    boolean pLiteral = head(p).length() == p.length();
    boolean qLiteral = head(q).length() == q.length();
    if (pLiteral && qLiteral) {
      return !p.equals(q);
    }
    if (pLiteral && p.length() < head(q).length() || qLiteral && q.length() < head(p).length()) {
      return true;
    }
    return false;
  }

  private static String head(String pattern) {
    int star = pattern.indexOf('*');
    int q = pattern.indexOf('?');
    int cut = star < 0 ? q : q < 0 ? star : Math.min(star, q);
    return cut < 0 ? pattern : pattern.substring(0, cut);
  }

  // ---------------------------------------------------------------- target groups

  private static void targetGroups(Stack ingress, Stack gateway, List<String> diffs, List<String> notCompared) {
    if (!TARGET_GROUP_CONFIGURATION_READ) {
      notCompared.add(TGC_NOT_COMPARED);
      return;
    }
    for (TargetGroup g : gateway.targetGroups()) {
      Optional<TargetGroup> i = ingress.targetGroups().stream().filter(t -> t.service().namespace().equals(g.service().namespace())
          && t.service().name().equals(g.service().name()) && t.service().servicePort() == g.service().servicePort()).findFirst();
      if (i.isEmpty()) {
        continue; // the rules say which forwards differ
      }
      String at = "target group " + g.resourceId() + " ";
      TargetGroup t = i.get();
      same(at + "target type", t.targetType().wireName(), g.targetType().wireName(), diffs);
      same(at + "protocol", t.protocol().wireName() + "/" + t.protocolVersion().wireName(), g.protocol().wireName() + "/"
          + g.protocolVersion().wireName(), diffs);
      same(at + "port", t.port(), g.port(), diffs);
      same(at + "health check", t.healthCheck(), g.healthCheck(), diffs);
      same(at + "attributes", t.attributes(), g.attributes(), diffs);
      same(at + "node selector", t.nodeLabels(), g.nodeLabels(), diffs);
    }
  }
}
