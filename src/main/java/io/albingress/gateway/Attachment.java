package io.albingress.gateway;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which listeners of a Gateway a route attaches to, by the Gateway API's rules: the route's
 * parentRefs (name, namespace, sectionName, port), each listener's allowedRoutes (namespaces From
 * Same/All/Selector, kinds) and the intersection of listener and route hostnames. Pure.
 */
public final class Attachment {
  public static final String GROUP = "gateway.networking.k8s.io";
  public static final String HTTP_ROUTE = "HTTPRoute";

  private Attachment() {}

  /** Why a parentRef did not attach: a Gateway API reason for the route's Accepted=False condition. */
  public record Refusal(String reason, String message) {}

  /**
   * One parentRef of a route that names this Gateway. {@code hostnames} per accepted listener name:
   * an empty list matches every host.
   */
  public record Parent(int index, ParentReference ref, Map<String, List<String>> hostnames, Optional<Refusal> refusal) {
    public boolean accepted() {
      return refusal.isEmpty();
    }
  }

  /** Whether a parentRef of a route in {@code routeNamespace} names this Gateway. */
  public static boolean refersTo(ParentReference ref, String routeNamespace, Gateway gateway) {
    return (ref.getGroup() == null || ref.getGroup().equals(GROUP)) && (ref.getKind() == null || ref.getKind().equals("Gateway"))
        && Objects.equals(ref.getName(), gateway.getMetadata().getName())
        && Objects.equals(ref.getNamespace() == null ? routeNamespace : ref.getNamespace(), gateway.getMetadata().getNamespace());
  }

  /** The route's parentRefs that name this Gateway, each with the listeners it attaches to or why none. */
  public static List<Parent> attach(Gateway gateway, HTTPRoute route, Map<String, Map<String, String>> namespaceLabels) {
    return attach(gateway, route, namespaceLabels, ListenerSets.Sets.NONE);
  }

  /**
   * The route's parentRefs that name this Gateway or one of the ListenerSets naming it, each with the listeners it
   * attaches to or why none. {@code gateway} is the merged Gateway ({@link ListenerSets#merge}): a parentRef to the
   * Gateway considers only its own listeners (also without sectionName), one to a ListenerSet only that ListenerSet's,
   * sectionName naming a listener as the ListenerSet spells it; allowedRoutes Same means the namespace of the
   * listener's owner (Gateway or ListenerSet).
   */
  public static List<Parent> attach(Gateway gateway, HTTPRoute route, Map<String, Map<String, String>> namespaceLabels,
      ListenerSets.Sets sets) {
    String ns = route.getMetadata().getNamespace();
    List<ParentReference> refs = RouteMapping.nonNull(route.getSpec() == null ? null : route.getSpec().getParentRefs());
    List<String> routeHosts = RouteMapping.nonNull(route.getSpec() == null ? null : route.getSpec().getHostnames());
    List<Listener> all = RouteMapping.nonNull(gateway.getSpec().getListeners());
    List<Parent> out = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      ParentReference ref = refs.get(i);
      List<Listener> candidates;
      String owner;
      String ownerNamespace;
      if (refersTo(ref, ns, gateway)) {
        candidates = all.stream().filter(l -> !ListenerSets.fromListenerSet(l.getName())).toList();
        owner = "Gateway " + gateway.getMetadata().getName();
        ownerNamespace = gateway.getMetadata().getNamespace();
      } else {
        var named = sets.named(ref, ns);
        if (named.isEmpty()) {
          continue;
        }
        owner = "ListenerSet " + named.get().getMetadata().getName();
        ownerNamespace = named.get().getMetadata().getNamespace();
        if (!sets.isAccepted(named.get())) {
          out.add(new Parent(i, ref, Map.of(), Optional.of(new Refusal("NotAllowedByListeners", owner + " is not accepted by Gateway "
              + gateway.getMetadata().getName() + " (its spec.allowedListeners do not allow namespace " + ownerNamespace + ")"))));
          continue;
        }
        String prefix = ListenerSets.key(named.get()) + "/";
        candidates = all.stream().filter(l -> l.getName() != null && l.getName().startsWith(prefix)).toList();
      }
      List<Listener> named = candidates.stream()
          .filter(l -> ref.getSectionName() == null || ref.getSectionName().equals(ListenerSets.ownName(l.getName())))
          .filter(l -> ref.getPort() == null || ref.getPort().equals(l.getPort())).toList();
      if (named.isEmpty()) {
        out.add(new Parent(i, ref, Map.of(), Optional.of(new Refusal("NoMatchingParent", owner
            + " has no listener" + (ref.getSectionName() == null ? "" : " named " + ref.getSectionName())
            + (ref.getPort() == null ? "" : " on port " + ref.getPort())))));
        continue;
      }
      String kind = GrpcRoutes.kind(route);
      List<Listener> allowed = named.stream().filter(l -> allows(l, kind, ownerNamespace, ns, namespaceLabels)).toList();
      if (allowed.isEmpty()) {
        out.add(new Parent(i, ref, Map.of(), Optional.of(new Refusal("NotAllowedByListeners",
            "no listener of " + owner + " allows " + kind + "s from namespace " + ns))));
        continue;
      }
      Map<String, List<String>> hostnames = new LinkedHashMap<>();
      for (Listener l : allowed) {
        hostnames(l.getHostname(), routeHosts).ifPresent(h -> hostnames.put(l.getName(), h));
      }
      out.add(hostnames.isEmpty()
          ? new Parent(i, ref, Map.of(), Optional.of(new Refusal("NoMatchingListenerHostname",
              "no hostname of the route " + routeHosts + " matches a listener hostname")))
          : new Parent(i, ref, hostnames, Optional.empty()));
    }
    return out;
  }

  /** allowedRoutes: the namespaces (Same by default) and the kinds (see {@link #supports}). */
  static boolean allows(Listener l, String kind, String gatewayNamespace, String routeNamespace,
      Map<String, Map<String, String>> namespaceLabels) {
    if (!supports(l, kind)) {
      return false;
    }
    var ar = l.getAllowedRoutes();
    String from = ar == null || ar.getNamespaces() == null || ar.getNamespaces().getFrom() == null ? "Same" : ar.getNamespaces().getFrom();
    return switch (from) {
      case "All" -> true;
      case "Selector" -> matches(ar.getNamespaces().getSelector(), namespaceLabels.getOrDefault(routeNamespace, Map.of()));
      case "Same" -> gatewayNamespace.equals(routeNamespace);
      default -> false; // None, or an unknown value
    };
  }

  /** A listener takes HTTPRoutes when its protocol is HTTP or HTTPS and its kinds, if given, name HTTPRoute. */
  public static boolean supportsHttpRoute(Listener l) {
    return supports(l, HTTP_ROUTE);
  }

  /**
   * Whether a listener takes routes of {@code kind}: its kinds, if given, name it (HTTPRoute and GRPCRoute on
   * HTTP and HTTPS listeners); without kinds, as the reference's DefaultProtocolToRouteKindMap: HTTPRoute on
   * HTTP, HTTPRoute and GRPCRoute on HTTPS.
   */
  public static boolean supports(Listener l, String kind) {
    if (!"HTTP".equals(l.getProtocol()) && !"HTTPS".equals(l.getProtocol())) {
      return false;
    }
    return supportedKinds(l).contains(kind);
  }

  /** The route kinds a listener takes (its status.supportedKinds): see {@link #supports}. */
  public static List<String> supportedKinds(Listener l) {
    if (!"HTTP".equals(l.getProtocol()) && !"HTTPS".equals(l.getProtocol())) {
      return List.of();
    }
    List<RouteGroupKind> kinds = l.getAllowedRoutes() == null ? null : l.getAllowedRoutes().getKinds();
    if (kinds == null || kinds.isEmpty()) {
      return "HTTPS".equals(l.getProtocol()) ? List.of(HTTP_ROUTE, GrpcRoutes.KIND) : List.of(HTTP_ROUTE);
    }
    return kinds.stream().filter(k -> k.getGroup() == null || k.getGroup().equals(GROUP)).map(RouteGroupKind::getKind)
        .filter(k -> HTTP_ROUTE.equals(k) || GrpcRoutes.KIND.equals(k)).distinct().toList();
  }

  /** A label selector (matchLabels and matchExpressions); no selector matches nothing, an empty one everything. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    for (LabelSelectorRequirement r : RouteMapping.nonNull(selector.getMatchExpressions())) {
      List<String> values = RouteMapping.nonNull(r.getValues());
      boolean ok = switch (r.getOperator()) {
        case "In" -> labels.containsKey(r.getKey()) && values.contains(labels.get(r.getKey()));
        case "NotIn" -> !labels.containsKey(r.getKey()) || !values.contains(labels.get(r.getKey()));
        case "Exists" -> labels.containsKey(r.getKey());
        case "DoesNotExist" -> !labels.containsKey(r.getKey());
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The hostnames a route serves on a listener: empty Optional when none match; an empty list matches
   * every host. For each pair the more specific of the two is kept (the Gateway API's intersection).
   */
  public static Optional<List<String>> hostnames(String listenerHost, List<String> routeHosts) {
    if (routeHosts.isEmpty()) {
      return Optional.of(listenerHost == null ? List.of() : List.of(listenerHost));
    }
    if (listenerHost == null) {
      return Optional.of(List.copyOf(new LinkedHashSet<>(routeHosts)));
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    routeHosts.forEach(r -> intersect(listenerHost, r).ifPresent(out::add));
    return out.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(out));
  }

  static Optional<String> intersect(String listener, String route) {
    if (listener.equals(route)) {
      return Optional.of(route);
    }
    if (listener.startsWith("*.") && route.endsWith(listener.substring(1)) && route.length() > listener.length() - 1) {
      return Optional.of(route); // route is within the wildcard (an exact name, or a narrower wildcard)
    }
    if (route.startsWith("*.") && listener.endsWith(route.substring(1)) && listener.length() > route.length() - 1) {
      return Optional.of(listener);
    }
    return Optional.empty();
  }
}
