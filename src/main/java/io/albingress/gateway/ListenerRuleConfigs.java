package io.albingress.gateway;

import io.albingress.annotations.AuthConfig;
import io.albingress.annotations.AuthType;
import io.albingress.annotations.Condition;
import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.albingress.gateway.Attachment.Refusal;
import io.albingress.gateway.GatewayExtensions.ConfigSpec;
import io.albingress.gateway.ListenerRuleConfigParser.ListenerRuleConfig;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.OidcClient;
import io.albingress.model.OidcSecrets;
import io.albingress.model.RuleAction;
import io.albingress.model.Tags;
import io.albingress.stack.Names;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Applies the ListenerRuleConfiguration an HTTPRoute or GRPCRoute rule (through its {@link GrpcRoutes#view}) names in an
 * {@code ExtensionRef} filter (group
 * {@code gateway.k8s.aws}, kind ListenerRuleConfiguration, the route's namespace) to that rule's ALB rules, as the
 * reference does ({@code pkg/gateway/routeutils/route_rule_action.go}, {@code route_rule_condition.go}):
 * fixed-response replaces the routing action; redirect adds its query to the rule's RequestRedirect; forward sets
 * target group stickiness; authenticate-oidc / authenticate-cognito / jwt-validation run before the routing action
 * (HTTPS listeners only); source-ip conditions are added to the matches they name; tags go on the rule. A
 * configuration that is missing, does not parse or cannot be applied to that rule makes the rule answer 500 (the
 * Gateway API's answer for a filter that cannot be resolved) and is reported on the route; it is never half
 * applied. Pure.
 */
public final class ListenerRuleConfigs {
  public static final String GROUP = "gateway.k8s.aws";
  public static final String KIND = "ListenerRuleConfiguration";

  private ListenerRuleConfigs() {}

  /** One ALB rule after the configuration: conditions, action, tags, and the problem that made it answer 500. */
  public record Applied(List<Condition> conditions, RuleAction action, Map<String, String> tags, Optional<Refusal> problem) {}

  /** Whether a filter is an ExtensionRef to a ListenerRuleConfiguration. */
  public static boolean isListenerRuleConfig(HTTPRouteFilter f) {
    return "ExtensionRef".equals(f.getType()) && f.getExtensionRef() != null && GROUP.equals(f.getExtensionRef().getGroup())
        && KIND.equals(f.getExtensionRef().getKind());
  }

  /**
   * @param matchIndex the match of the rule this ALB rule is for ({@link Integer#MAX_VALUE} for a rule without matches,
   *     taken as match 0)
   * @param routing the rule's own action (RequestRedirect, else forward), built only when the configuration does not
   *     replace it
   */
  public static Applied apply(GatewayExtensions ext, OidcSecrets secrets, HTTPRoute route, int ruleIndex, int matchIndex, boolean https,
      int port, List<Condition> conditions, Supplier<RuleAction> routing, Map<String, String> tags) {
    HTTPRouteRule rule = route.getSpec().getRules().get(ruleIndex);
    List<HTTPRouteFilter> filters = RouteMapping.nonNull(rule.getFilters());
    int f = -1;
    for (int i = 0; i < filters.size() && f < 0; i++) {
      if (isListenerRuleConfig(filters.get(i))) {
        f = i;
      }
    }
    if (f < 0) {
      return new Applied(conditions, routing.get(), tags, Optional.empty());
    }
    String ns = route.getMetadata().getNamespace();
    String name = filters.get(f).getExtensionRef().getName();
    String field = "spec.rules[" + ruleIndex + "].filters[" + f + "].extensionRef";
    Optional<ConfigSpec> spec = ext.listenerRuleConfig(ns, name);
    if (spec.isEmpty()) {
      return refused(conditions, tags, field + ": ListenerRuleConfiguration " + ns + "/" + name + " not found");
    }
    Parsed<ListenerRuleConfig> parsed = ListenerRuleConfigParser.parse(spec.get().spec());
    if (!parsed.errors().isEmpty()) {
      return refused(conditions, tags, field + ": ListenerRuleConfiguration " + spec.get().key() + " "
          + String.join("; ", parsed.errors().stream().map(FieldError::render).toList()));
    }
    ListenerRuleConfig c = parsed.value();
    String where = field + ": ListenerRuleConfiguration " + spec.get().key();
    boolean redirects = RouteMapping.redirect(rule).isPresent();
    RuleAction action;
    if (c.fixedResponse().isPresent()) {
      if (redirects) {
        return refused(conditions, tags, where + " answers fixed-response and the rule has a RequestRedirect filter; an ALB rule has one"
            + " routing action: remove one");
      }
      action = c.fixedResponse().get();
    } else {
      action = routing.get();
    }
    if (c.redirectQuery().isPresent()) {
      if (!(action instanceof RuleAction.Redirect r)) {
        return refused(conditions, tags, where + " has a redirect action (query) but the rule has no RequestRedirect filter to add it to");
      }
      action = new RuleAction.Redirect(r.statusCode(), r.protocol(), r.port(), r.host(), r.path(), c.redirectQuery().get());
    }
    if (c.forwardStickiness().isPresent()) {
      if (action instanceof RuleAction.Forward fw) {
        action = new RuleAction.Forward(fw.targets(), c.forwardStickiness().get());
      } else if (!RouteMapping.BACKEND_UNAVAILABLE.equals(action)) {
        return refused(conditions, tags, where + " configures a forward action but the rule " + (redirects ? "redirects" : "does not forward")
            + "; remove the forward action or the RequestRedirect filter");
      }
    }
    if (c.auth().isPresent()) {
      if (!https) {
        return refused(conditions, tags, where + " authenticates, which ALB does on HTTPS listeners only, and this rule is on HTTP port "
            + port + "; attach the route to an HTTPS listener only");
      }
      AuthConfig auth = c.auth().get();
      if (auth.type() == AuthType.OIDC && auth.oidc().isPresent()) {
        String secret = auth.oidc().get().secretName();
        OidcSecrets.Lookup lookup = secrets.lookup(ns, secret);
        if (!(lookup instanceof OidcSecrets.Lookup.Found found)) {
          return refused(conditions, tags, where + ": Secret " + ns + "/" + secret + (lookup instanceof OidcSecrets.Lookup.LacksKey k
              ? " has no key " + k.key() : " does not exist") + " (it must hold clientID and clientSecret)");
        }
        action = new RuleAction.Authenticate(auth, Optional.of(found.client()), action);
      } else if (auth.type() == AuthType.COGNITO) {
        action = new RuleAction.Authenticate(auth, Optional.empty(), action);
      } else if (auth.jwtValidation().isPresent()) {
        action = new RuleAction.ValidateJwt(auth.jwtValidation().get(), action);
      }
    }
    int matches = Math.max(1, RouteMapping.nonNull(rule.getMatches()).size());
    int index = matchIndex == Integer.MAX_VALUE ? 0 : matchIndex;
    List<Condition> out = new ArrayList<>(conditions);
    for (var s : c.sourceIps()) {
      Optional<Integer> outOfRange = s.matchIndexes().flatMap(m -> m.stream().filter(i -> i >= matches).findFirst());
      if (outOfRange.isPresent()) {
        return refused(conditions, tags, where + " conditions: matchIndexes " + outOfRange.get() + " is out of range: spec.rules["
            + ruleIndex + "] has " + matches + " match" + (matches == 1 ? "" : "es"));
      }
      if (s.appliesTo(index)) {
        out.add(new Condition("source-ip", Optional.empty(), s.values()));
      }
    }
    Map<String, String> withTags = new LinkedHashMap<>(c.tags());
    withTags.putAll(tags); // --default-tags and our ownership tags win
    return new Applied(out, action, withTags, Optional.empty());
  }

  private static Applied refused(List<Condition> conditions, Map<String, String> tags, String message) {
    return new Applied(conditions, RouteMapping.BACKEND_UNAVAILABLE, tags, Optional.of(new Refusal(GatewayStackBuilder.INVALID_PARAMETERS,
        message)));
  }

  /**
   * The ALB with the {@link Tags#OIDC_SECRETS} tag when rules authenticate with OIDC clients: AWS never returns a client
   * secret, so a rotated Secret shows as a changed tag and the rules are written again (as for Ingresses).
   */
  public static LoadBalancer withOidcSecretsTag(LoadBalancer lb, List<ListenerRule> rules) {
    java.util.SortedSet<String> digests = new java.util.TreeSet<>();
    rules.forEach(r -> oidcDigest(r.action()).ifPresent(digests::add));
    return digests.isEmpty() ? lb : lb.withTag(Tags.OIDC_SECRETS, Names.hash(String.join(",", digests)));
  }

  private static Optional<String> oidcDigest(RuleAction action) {
    return action instanceof RuleAction.Authenticate a ? a.client().map(OidcClient::secretDigest).filter(d -> !d.isEmpty()) : Optional.empty();
  }

  /** The ListenerRuleConfigurations ("namespace/name") a route's rules name. */
  public static List<String> namedBy(HTTPRoute route) {
    if (route.getSpec() == null) {
      return List.of();
    }
    return RouteMapping.nonNull(route.getSpec().getRules()).stream().flatMap(r -> RouteMapping.nonNull(r.getFilters()).stream())
        .filter(ListenerRuleConfigs::isListenerRuleConfig).map(f -> route.getMetadata().getNamespace() + "/" + f.getExtensionRef().getName())
        .distinct().toList();
  }
}
