package io.albingress.plan;

import io.albingress.annotations.Condition;
import io.albingress.annotations.HealthCheck;
import io.albingress.model.Listener;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.albingress.model.TargetGroup;
import java.util.stream.Collectors;

/** The human-readable form of a plan. */
public final class PlanText {
  private PlanText() {}

  public static String render(PlanReport report) {
    StringBuilder out = new StringBuilder();
    if (report.ingresses().isEmpty() && report.gateways().isEmpty() && report.stacks().isEmpty()) {
      out.append("No Ingress for this controller was found.\n");
    }
    for (PlanReport.IngressResult r : report.ingresses()) {
      out.append("Ingress ").append(r.ingress()).append(": ").append(r.valid() ? "valid" : "INVALID").append('\n');
      r.problems().forEach(p -> out.append("  error:        ").append(p).append('\n'));
      r.warnings().forEach(w -> out.append("  warning:      ").append(w).append('\n'));
      r.notVerified().forEach(n -> out.append("  not verified: ").append(n).append('\n'));
    }
    for (PlanReport.GatewayResult r : report.gateways()) {
      out.append("Gateway ").append(r.gateway()).append(": ").append(r.valid() ? "valid" : "INVALID").append('\n');
      r.problems().forEach(p -> out.append("  error:        ").append(p).append('\n'));
      r.warnings().forEach(w -> out.append("  warning:      ").append(w).append('\n'));
      r.notVerified().forEach(n -> out.append("  not verified: ").append(n).append('\n'));
    }
    for (Stack stack : report.stacks()) {
      out.append('\n');
      stack(out, stack);
    }
    return out.toString();
  }

  /**
   * `plan --to-gateway` as text: the Gateway API objects as multi-document YAML, then per Ingress group the proof as
   * comments (so the output can be applied as it is, and still says what it does not do).
   */
  public static String renderConversion(ConversionReport report) {
    StringBuilder out = new StringBuilder();
    tools.jackson.dataformat.yaml.YAMLMapper yaml = tools.jackson.dataformat.yaml.YAMLMapper.builder()
        .enable(tools.jackson.dataformat.yaml.YAMLWriteFeature.MINIMIZE_QUOTES).build();
    for (var doc : report.documents()) {
      out.append(yaml.writeValueAsString(doc));
    }
    for (ConversionReport.GroupResult g : report.groups()) {
      out.append("# Ingress stack ").append(g.ingressStack()).append(g.gateway().isEmpty() ? "" : " -> Gateway " + g.gateway()).append(": ")
          .append(g.equivalent() ? "equivalent" : g.differences().isEmpty() && g.ingressProblems().isEmpty() ? "equivalent but for what is not converted"
              : "DIFFERENT").append('\n');
      g.ingressProblems().forEach(p -> out.append("#   not built (Ingress): ").append(p).append('\n'));
      g.notConverted().forEach(n -> out.append("#   not converted: ").append(n).append('\n'));
      g.differences().forEach(d -> out.append("#   difference: ").append(d).append('\n'));
      g.notCompared().forEach(n -> out.append("#   not compared: ").append(n).append('\n'));
    }
    return out.toString();
  }

  /** The add-ons the stack sets; absent ones are left as they are in AWS, so they are not shown. */
  static java.util.Optional<String> addOns(LoadBalancer lb) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    lb.wafv2AclName().map(n -> "WAFv2 web ACL named " + n).or(() -> lb.wafv2AclArn().map(a -> "WAFv2 web ACL " + a)).ifPresent(parts::add);
    lb.wafAclId().map(id -> "WAF Classic web ACL " + id).ifPresent(parts::add);
    lb.shieldAdvancedProtection().map(on -> "Shield Advanced " + (on ? "on" : "off")).ifPresent(parts::add);
    return parts.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join(", ", parts));
  }

  private static void stack(StringBuilder out, Stack stack) {
    LoadBalancer lb = stack.loadBalancer();
    out.append("Stack ").append(stack.id().gateway() ? stack.id().key() : stack.id().tagValue()).append(" (members: ").append(String.join(", ", stack.members())).append(")\n");
    out.append("  LoadBalancer  ").append(lb.name()).append("  ").append(lb.scheme().wireName()).append("  ")
        .append(lb.ipAddressType().wireName()).append("  subnets ").append(String.join(",", lb.subnetIds())).append('\n');
    if (!lb.securityGroups().isEmpty()) {
      out.append("                security groups ").append(String.join(",", lb.securityGroups())).append('\n');
    }
    addOns(lb).ifPresent(a -> out.append("                add-ons ").append(a).append('\n'));
    for (Listener l : stack.listeners()) {
      out.append("  Listener      ").append(l.protocol().wireName()).append(':').append(l.port())
          .append("  default: ").append(action(l.defaultAction())).append('\n');
      if (!l.certificateArns().isEmpty()) {
        out.append("                certificates ").append(String.join(", ", l.certificateArns()))
            .append("  policy ").append(l.sslPolicy().orElse("")).append('\n');
      }
      l.mutualAuthentication().ifPresent(m -> out.append("                mutual TLS ").append(m.mode().wireName())
          .append(m.trustStore().map(t -> " trust store " + t).orElse("")).append('\n'));
      if (!l.attributes().isEmpty()) {
        out.append("                attributes ").append(l.attributes().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(java.util.stream.Collectors.joining(","))).append('\n');
      }
      for (ListenerRule r : stack.rules()) {
        if (r.listener().resourceId().equals(l.resourceId())) {
          out.append(String.format("    %3d  %-50s -> %s%n", r.priority(), conditions(r), action(r.action())));
          r.transforms().forEach(t -> out.append("         transform ").append(t.type()).append(' ')
              .append(t.rewrites().stream().map(w -> w.regex() + " => " + w.replace()).collect(Collectors.joining(", "))).append('\n'));
        }
      }
    }
    for (TargetGroup tg : stack.targetGroups()) {
      HealthCheck hc = tg.healthCheck();
      out.append("  TargetGroup   ").append(tg.resourceId()).append("  ").append(tg.name()).append("  ")
          .append(tg.targetType().wireName()).append(' ').append(tg.protocol().wireName()).append('/')
          .append(tg.protocolVersion().wireName()).append(" port ").append(tg.port())
          .append(tg.ipAddressType().map(t -> " " + t).orElse("")).append('\n');
      out.append("                health ").append(hc.protocol().wireName()).append(' ').append(hc.port()).append(' ').append(hc.path())
          .append(" every ").append(hc.intervalSeconds()).append("s timeout ").append(hc.timeoutSeconds()).append("s healthy ")
          .append(hc.healthyThreshold()).append(" unhealthy ").append(hc.unhealthyThreshold()).append(" codes ").append(hc.successCodes()).append('\n');
    }
  }

  private static String conditions(ListenerRule rule) {
    return rule.conditions().stream().map(PlanText::condition).collect(Collectors.joining(" "));
  }

  private static String condition(Condition c) {
    String values = c.regexValues().isEmpty() ? String.join(",", c.values()) : "~" + String.join(",~", c.regexValues());
    return c.field() + c.httpHeaderName().map(h -> "[" + h + "]").orElse("") + "=" + values;
  }

  static String action(RuleAction action) {
    if (action instanceof RuleAction.Authenticate a) {
      return "authenticate " + a.config().type().wireName() + " (" + a.config().onUnauthenticatedRequest() + "), then " + action(a.then());
    }
    if (action instanceof RuleAction.ValidateJwt v) {
      return "jwt-validation " + v.jwt().issuer() + ", then " + action(v.then());
    }
    if (action instanceof RuleAction.Forward f) {
      return "forward " + f.targets().stream()
          .map(t -> t.targetGroup().map(r -> r.resourceId()).orElse(t.targetGroupArn().or(t::targetGroupName).orElse(""))
              + (f.targets().size() > 1 ? " (" + t.weight() + ")" : ""))
          .collect(Collectors.joining(", "));
    }
    if (action instanceof RuleAction.FixedResponse f) {
      return "fixed-response " + f.statusCode();
    }
    RuleAction.Redirect r = (RuleAction.Redirect) action;
    return "redirect " + r.statusCode() + " " + r.protocol() + ":" + r.port();
  }
}
