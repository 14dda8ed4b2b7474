package io.albingress.gateway;

import io.albingress.gateway.Attachment.Refusal;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.gateway.GatewayStackBuilder.ListenerSetState;
import io.albingress.gateway.GatewayStackBuilder.ListenerState;
import io.albingress.gateway.GatewayStackBuilder.RouteState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntry;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntryStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The status the Gateway API asks for, computed from a build and the deploy outcome: pure. Gateway
 * Accepted and Programmed (True once the ALB exists) with its DNS name in addresses; per listener
 * Accepted, Conflicted, ResolvedRefs, Programmed and attachedRoutes; per route one status.parents
 * entry for each parentRef naming the Gateway, with our controllerName, Accepted and ResolvedRefs.
 * A condition keeps its lastTransitionTime while its status stays the same, so an unchanged state
 * writes nothing.
 */
public final class GatewayStatuses {
  public static final String CONTROLLER_NAME = "gateway.k8s.aws/alb";

  private GatewayStatuses() {}

  /** How deploy went: the ALB's DNS name once it exists, or why it does not (yet). */
  public record Deployed(Optional<String> dnsName, Optional<String> failure) {
    public static Deployed ok(String dnsName) {
      return new Deployed(Optional.of(dnsName), Optional.empty());
    }

    public static Deployed failed(String why) {
      return new Deployed(Optional.empty(), Optional.of(why));
    }
  }

  public static GatewayStatus gateway(Gateway gw, GatewayBuild build, Deployed deployed, String now) {
    long gen = generation(gw.getMetadata().getGeneration());
    List<Condition> previous = gw.getStatus() == null ? List.of() : nonNull(gw.getStatus().getConditions());
    boolean someInvalid = build.gatewayListeners().stream().anyMatch(l -> !l.valid());
    List<Condition> conditions = new ArrayList<>();
    Optional<Refusal> invalidParameters = build.notProgrammed().filter(r -> GatewayStackBuilder.INVALID_PARAMETERS.equals(r.reason()));
    conditions.add(invalidParameters.map(r -> condition(previous, "Accepted", false, r.reason(), r.message(), gen, now))
        .orElseGet(() -> condition(previous, "Accepted", true, someInvalid ? "ListenersNotValid" : "Accepted",
        someInvalid ? "some listeners are not valid (see their conditions)" : "accepted by " + CONTROLLER_NAME, gen, now)));
    Optional<Refusal> notProgrammed = notProgrammed(build, deployed);
    conditions.add(notProgrammed.map(r -> condition(previous, "Programmed", false, r.reason(), r.message(), gen, now))
        .orElseGet(() -> condition(previous, "Programmed", true, "Programmed", "load balancer " + deployed.dnsName().get(), gen, now)));
    List<ListenerStatus> listeners = new ArrayList<>();
    for (ListenerState l : build.gatewayListeners()) {
      List<Condition> prev = gw.getStatus() == null ? List.of() : nonNull(gw.getStatus().getListeners()).stream()
          .filter(s -> Objects.equals(s.getName(), l.name())).findFirst().map(s -> nonNull(s.getConditions())).orElse(List.of());
      ListenerStatus ls = listener(l, prev, gen, now, notProgrammed.isPresent() && l.valid() && l.notProgrammed().isEmpty()
          ? notProgrammed : l.notProgrammed());
      // the kinds it takes: HTTPRoute, and GRPCRoute on HTTPS or when its allowedRoutes.kinds name it
      nonNull(gw.getSpec().getListeners()).stream().filter(x -> Objects.equals(x.getName(), l.name())).findFirst().ifPresent(x ->
          ls.setSupportedKinds(Attachment.supportedKinds(x).stream().map(k -> new RouteGroupKind(Attachment.GROUP, k)).toList()));
      listeners.add(ls);
    }
    List<GatewayStatusAddress> addresses = deployed.dnsName().filter(d -> build.notProgrammed().isEmpty())
        .map(d -> List.of(new GatewayStatusAddress("Hostname", d))).orElse(List.of());
    GatewayStatus status = new GatewayStatus();
    status.setAddresses(addresses);
    status.setConditions(conditions);
    status.setListeners(listeners);
    if (gw.getSpec() != null && gw.getSpec().getAllowedListeners() != null) {
      // only where ListenerSets are opted into: a Gateway CRD without the field would prune it and every reconcile would write
      status.setAttachedListenerSets((int) build.listenerSets().stream().filter(ListenerSetState::accepted).count());
    }
    return status;
  }

  /**
   * A ListenerSet's status, as the reference's {@code buildListenerSetStatus}: not accepted by the Gateway, Accepted=False
   * and Programmed=False NotAllowed with no listeners; else Accepted while one of its listeners is valid (reason
   * ListenersNotValid when some are not), Programmed when one is valid and the Gateway is programmed (Pending while it
   * is not), and per listener the conditions a Gateway listener gets.
   */
  public static ListenerSetStatus listenerSet(ListenerSetState state, Gateway gw, Optional<Refusal> gatewayNotProgrammed, String now) {
    boolean gatewayProgrammed = gatewayNotProgrammed.isEmpty();
    ListenerSet ls = state.set();
    long gen = generation(ls.getMetadata().getGeneration());
    List<Condition> previous = ls.getStatus() == null ? List.of() : nonNull(ls.getStatus().getConditions());
    List<Condition> conditions = new ArrayList<>();
    List<ListenerEntryStatus> listeners = new ArrayList<>();
    if (!state.accepted()) {
      String why = "Gateway " + gw.getMetadata().getName() + " does not allow ListenerSets from namespace " + ls.getMetadata().getNamespace()
          + " (its spec.allowedListeners.namespaces)";
      conditions.add(condition(previous, "Accepted", false, ListenerSets.NOT_ALLOWED, why, gen, now));
      conditions.add(condition(previous, "Programmed", false, ListenerSets.NOT_ALLOWED, why, gen, now));
    } else {
      boolean someInvalid = state.listeners().stream().anyMatch(l -> !l.valid());
      boolean someValid = state.listeners().stream().anyMatch(ListenerState::valid);
      conditions.add(someValid
          ? condition(previous, "Accepted", true, someInvalid ? "ListenersNotValid" : "Accepted",
              someInvalid ? "some listeners are not valid (see their conditions)" : "accepted by Gateway " + gw.getMetadata().getName(), gen, now)
          : condition(previous, "Accepted", false, "ListenersNotValid", "no listener is valid (see their conditions)", gen, now));
      conditions.add(someValid && gatewayProgrammed ? condition(previous, "Programmed", true, "Programmed", "", gen, now)
          : gatewayProgrammed ? condition(previous, "Programmed", false, "ListenersNotValid", "no valid listener to program", gen, now)
          : condition(previous, "Programmed", false, "Pending", "the parent Gateway is not programmed yet", gen, now));
      Map<String, ListenerEntry> specs = new java.util.HashMap<>();
      nonNull(ls.getSpec().getListeners()).forEach(e -> specs.put(e.getName(), e));
      for (ListenerState l : state.listeners()) {
        List<Condition> prev = ls.getStatus() == null ? List.of() : nonNull(ls.getStatus().getListeners()).stream()
            .filter(x -> Objects.equals(x.getName(), l.name())).findFirst().map(x -> nonNull(x.getConditions())).orElse(List.of());
        ListenerStatus one = listener(l, prev, gen, now, gatewayNotProgrammed.isPresent() && l.valid() && l.notProgrammed().isEmpty()
            ? gatewayNotProgrammed : l.notProgrammed());
        ListenerEntry e = specs.get(l.name());
        if (e != null) {
          var asListener = new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder().withName(e.getName()).withPort(e.getPort())
              .withProtocol(e.getProtocol()).withAllowedRoutes(e.getAllowedRoutes()).build();
          one.setSupportedKinds(Attachment.supportedKinds(asListener).stream().map(k -> new RouteGroupKind(Attachment.GROUP, k)).toList());
        }
        ListenerEntryStatus entry = new ListenerEntryStatus();
        entry.setName(one.getName());
        entry.setAttachedRoutes(one.getAttachedRoutes());
        entry.setConditions(one.getConditions());
        entry.setSupportedKinds(one.getSupportedKinds());
        listeners.add(entry);
      }
    }
    ListenerSetStatus status = new ListenerSetStatus();
    status.setConditions(conditions);
    status.setListeners(listeners);
    return status;
  }

  /**
   * The status of a ListenerSet whose parent Gateway is being deleted: Accepted=False {@code ParentNotAccepted},
   * Programmed=False {@code ParentNotProgrammed}, no listeners, so it never keeps saying Accepted/Programmed for a
   * Gateway that is gone. (The reference leaves the last status it wrote.)
   */
  public static ListenerSetStatus listenerSetWithoutGateway(ListenerSet ls, Gateway gw, String now) {
    long gen = generation(ls.getMetadata().getGeneration());
    List<Condition> previous = ls.getStatus() == null ? List.of() : nonNull(ls.getStatus().getConditions());
    String why = "Gateway " + gw.getMetadata().getNamespace() + "/" + gw.getMetadata().getName() + " is being deleted";
    ListenerSetStatus status = new ListenerSetStatus();
    status.setConditions(List.of(condition(previous, "Accepted", false, ListenerSets.PARENT_NOT_ACCEPTED, why, gen, now),
        condition(previous, "Programmed", false, ListenerSets.PARENT_NOT_PROGRAMMED, why, gen, now)));
    status.setListeners(List.of());
    return status;
  }

  /** Why the Gateway is not Programmed, if it is not. */
  public static Optional<Refusal> notProgrammed(GatewayBuild build, Deployed deployed) {
    boolean invalidParameters = build.notProgrammed().filter(r -> GatewayStackBuilder.INVALID_PARAMETERS.equals(r.reason())).isPresent();
    return build.notProgrammed()
        .map(r -> invalidParameters ? new Refusal("Invalid", r.message()) : r)
        .or(() -> deployed.failure().map(f -> new Refusal("Pending", "the load balancer is not deployed yet: " + f)))
        .or(() -> deployed.dnsName().isEmpty() ? Optional.of(new Refusal("Pending", "the load balancer is being created")) : Optional.empty());
  }

  static ListenerStatus listener(ListenerState l, List<Condition> prev, long gen, String now, Optional<Refusal> notProgrammed) {
    List<Condition> c = new ArrayList<>();
    c.add(l.notAccepted().map(r -> condition(prev, "Accepted", false, r.reason(), r.message(), gen, now))
        .orElseGet(() -> condition(prev, "Accepted", true, "Accepted", "", gen, now)));
    c.add(l.conflicted().map(r -> condition(prev, "Conflicted", true, r.reason(), r.message(), gen, now))
        .orElseGet(() -> condition(prev, "Conflicted", false, "NoConflicts", "", gen, now)));
    c.add(l.unresolvedRefs().map(r -> condition(prev, "ResolvedRefs", false, r.reason(), r.message(), gen, now))
        .orElseGet(() -> condition(prev, "ResolvedRefs", true, "ResolvedRefs", "", gen, now)));
    Optional<Refusal> invalid = l.valid() ? notProgrammed
        : Optional.of(new Refusal("Invalid", l.notAccepted().or(l::conflicted).get().message()));
    c.add(invalid.map(r -> condition(prev, "Programmed", false, r.reason(), r.message(), gen, now))
        .orElseGet(() -> condition(prev, "Programmed", true, "Programmed", "", gen, now)));
    ListenerStatus s = new ListenerStatus();
    s.setName(l.name());
    s.setAttachedRoutes(l.attachedRoutes());
    s.setConditions(c);
    s.setSupportedKinds("HTTP".equals(l.protocol()) || "HTTPS".equals(l.protocol())
        ? List.of(new RouteGroupKind(Attachment.GROUP, Attachment.HTTP_ROUTE)) : List.of());
    return s;
  }

  /**
   * The route's status.parents: entries of other controllers kept as they are, ours for this Gateway
   * replaced by one per parentRef naming it (in parentRefs order).
   */
  public static List<RouteParentStatus> routeParents(RouteState state, Gateway gw, String now) {
    return routeParents(state, gw, java.util.Set.of(), now);
  }

  /**
   * As {@link #routeParents(RouteState, Gateway, String)}, where our entries also include those for the ListenerSets
   * naming the Gateway ({@code listenerSets}: their "namespace/name").
   */
  public static List<RouteParentStatus> routeParents(RouteState state, Gateway gw, java.util.Set<String> listenerSets, String now) {
    HTTPRoute route = state.route();
    long gen = generation(route.getMetadata().getGeneration());
    List<RouteParentStatus> existing = route.getStatus() == null ? List.of() : nonNull(route.getStatus().getParents());
    List<RouteParentStatus> out = new ArrayList<>();
    existing.stream().filter(p -> !ours(p, route, gw, listenerSets)).forEach(out::add);
    for (Attachment.Parent parent : state.parents()) {
      List<Condition> prev = existing.stream().filter(p -> CONTROLLER_NAME.equals(p.getControllerName())
          && sameRef(p.getParentRef(), parent.ref())).findFirst().map(p -> nonNull(p.getConditions())).orElse(List.of());
      List<Condition> c = new ArrayList<>();
      if (parent.refusal().isPresent()) {
        c.add(condition(prev, "Accepted", false, parent.refusal().get().reason(), parent.refusal().get().message(), gen, now));
      } else if (!state.unsupported().isEmpty()) {
        c.add(condition(prev, "Accepted", false, "UnsupportedValue", String.join("; ", state.unsupported()), gen, now));
      } else {
        c.add(condition(prev, "Accepted", true, "Accepted", "", gen, now));
      }
      c.add(state.unresolved().map(r -> condition(prev, "ResolvedRefs", false, r.reason(), r.message()
              + " (its rule answers 500)", gen, now))
          .orElseGet(() -> condition(prev, "ResolvedRefs", true, "ResolvedRefs", "", gen, now)));
      RouteParentStatus s = new RouteParentStatus();
      s.setParentRef(parent.ref());
      s.setControllerName(CONTROLLER_NAME);
      s.setConditions(c);
      out.add(s);
    }
    return out;
  }

  /** A route whose parentRefs no longer name the Gateway: our entries for it go. */
  public static List<RouteParentStatus> withoutGateway(HTTPRoute route, Gateway gw) {
    return withoutGateway(route, gw, java.util.Set.of());
  }

  /** As {@link #withoutGateway(HTTPRoute, Gateway)}, also for our entries of the ListenerSets ("namespace/name") naming it. */
  public static List<RouteParentStatus> withoutGateway(HTTPRoute route, Gateway gw, java.util.Set<String> listenerSets) {
    List<RouteParentStatus> existing = route.getStatus() == null ? List.of() : nonNull(route.getStatus().getParents());
    return existing.stream().filter(p -> !ours(p, route, gw, listenerSets)).toList();
  }

  /** Our entry for the Gateway, or for one of the ListenerSets naming it. */
  private static boolean ours(RouteParentStatus p, HTTPRoute route, Gateway gw, java.util.Set<String> listenerSets) {
    if (!CONTROLLER_NAME.equals(p.getControllerName()) || p.getParentRef() == null) {
      return false;
    }
    ParentReference ref = p.getParentRef();
    String ns = route.getMetadata().getNamespace();
    return Attachment.refersTo(ref, ns, gw) || (ListenerSets.refersToListenerSet(ref)
        && listenerSets.contains((ref.getNamespace() == null || ref.getNamespace().isEmpty() ? ns : ref.getNamespace()) + "/" + ref.getName()));
  }

  /** GatewayClass Accepted=True: this controller serves it. */
  public static List<Condition> classConditions(GatewayClass gc, String now) {
    return classConditions(gc, now, List.of());
  }

  /** Accepted, or Accepted=False InvalidParameters when its parametersRef (a LoadBalancerConfiguration) cannot be used. */
  public static List<Condition> classConditions(GatewayClass gc, String now, List<String> parameterProblems) {
    List<Condition> prev = gc.getStatus() == null ? List.of() : nonNull(gc.getStatus().getConditions());
    List<Condition> out = new ArrayList<>(prev.stream().filter(c -> !c.getType().equals("Accepted")).toList());
    long gen = generation(gc.getMetadata().getGeneration());
    out.add(0, parameterProblems.isEmpty() ? condition(prev, "Accepted", true, "Accepted", "served by " + CONTROLLER_NAME, gen, now)
        : condition(prev, "Accepted", false, GatewayStackBuilder.INVALID_PARAMETERS, String.join("; ", parameterProblems), gen, now));
    return out;
  }

  static boolean sameRef(ParentReference a, ParentReference b) {
    return a != null && b != null && Objects.equals(a.getName(), b.getName()) && Objects.equals(a.getNamespace(), b.getNamespace())
        && Objects.equals(a.getSectionName(), b.getSectionName()) && Objects.equals(a.getPort(), b.getPort())
        && Objects.equals(a.getKind(), b.getKind()) && Objects.equals(a.getGroup(), b.getGroup());
  }

  /** A condition, keeping the previous lastTransitionTime when its status did not change. */
  static Condition condition(List<Condition> previous, String type, boolean status, String reason, String message, long gen, String now) {
    String s = status ? "True" : "False";
    String since = previous.stream().filter(c -> type.equals(c.getType()) && s.equals(c.getStatus())).findFirst()
        .map(Condition::getLastTransitionTime).orElse(now);
    return new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message).withObservedGeneration(gen)
        .withLastTransitionTime(since).build();
  }

  private static long generation(Long g) {
    return g == null ? 0 : g;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
