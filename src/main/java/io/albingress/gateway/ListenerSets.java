package io.albingress.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntry;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentGatewayReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * ListenerSets (gateway.networking.k8s.io/v1, GEP-1713) of one Gateway, as the reference's
 * {@code routeutils/listener_set.go}: the handshake (the ListenerSet's parentRef names the Gateway, and the Gateway's
 * {@code spec.allowedListeners.namespaces.from} — None by default, Same, All or Selector — allows its namespace), and
 * the merge of accepted ListenerSets' listeners after the Gateway's own ones (oldest ListenerSet first, then
 * namespace/name), so the Gateway's listener checks and conflict rules apply to all of them with the Gateway's own
 * listeners winning. In the merged Gateway a ListenerSet listener is named {@code namespace/listenerset/listener}
 * ({@link #listenerName}): a Gateway listener's name (a DNS label list) never holds '/', so the two never meet. Pure.
 */
public final class ListenerSets {
  public static final String KIND = "ListenerSet";
  /** The ListenerSet's Accepted=False reason when the Gateway does not allow its namespace (the CRD's ListenerSetReasonNotAllowed). */
  public static final String NOT_ALLOWED = "NotAllowed";
  /** The ListenerSet's Accepted=False reason when its parent Gateway is not accepted (here: being deleted). */
  public static final String PARENT_NOT_ACCEPTED = "ParentNotAccepted";
  /** The ListenerSet's Programmed=False reason when its parent Gateway is not programmed (here: being deleted). */
  public static final String PARENT_NOT_PROGRAMMED = "ParentNotProgrammed";

  private ListenerSets() {}

  public enum Handshake { ACCEPTED, REJECTED, IRRELEVANT }

  /** The ListenerSets naming one Gateway: those it accepts in merge order, and those it rejects. */
  public record Sets(List<ListenerSet> accepted, List<ListenerSet> rejected) {
    public static final Sets NONE = new Sets(List.of(), List.of());

    /** The ListenerSet naming this Gateway that a route's parentRef (kind ListenerSet) names. */
    public Optional<ListenerSet> named(ParentReference ref, String routeNamespace) {
      if (!refersToListenerSet(ref)) {
        return Optional.empty();
      }
      String ns = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? routeNamespace : ref.getNamespace();
      return java.util.stream.Stream.concat(accepted.stream(), rejected.stream())
          .filter(ls -> ns.equals(ls.getMetadata().getNamespace()) && Objects.equals(ref.getName(), ls.getMetadata().getName())).findFirst();
    }

    public boolean isAccepted(ListenerSet ls) {
      return accepted.contains(ls);
    }

    /** "namespace/name" of every ListenerSet naming the Gateway. */
    public java.util.Set<String> keys() {
      java.util.Set<String> out = new java.util.LinkedHashSet<>();
      accepted.forEach(ls -> out.add(key(ls)));
      rejected.forEach(ls -> out.add(key(ls)));
      return out;
    }
  }

  /** The Gateway with the accepted ListenerSets' listeners appended. */
  public record Merged(Gateway gateway) {}

  /** A route's parentRef of kind ListenerSet (group gateway.networking.k8s.io). */
  public static boolean refersToListenerSet(ParentReference ref) {
    return KIND.equals(ref.getKind()) && Attachment.GROUP.equals(ref.getGroup()) && ref.getName() != null;
  }

  /** Whether the ListenerSet's spec.parentRef names this Gateway (group and kind default to the Gateway API's Gateway, namespace to its own). */
  public static boolean namesGateway(ListenerSet ls, Gateway gw) {
    ParentGatewayReference p = ls.getSpec() == null ? null : ls.getSpec().getParentRef();
    if (p == null) {
      return false;
    }
    String ns = p.getNamespace() == null || p.getNamespace().isEmpty() ? ls.getMetadata().getNamespace() : p.getNamespace();
    return (p.getGroup() == null || p.getGroup().equals(Attachment.GROUP)) && (p.getKind() == null || p.getKind().equals("Gateway"))
        && Objects.equals(p.getName(), gw.getMetadata().getName()) && Objects.equals(ns, gw.getMetadata().getNamespace());
  }

  /** The "namespace/name" of the Gateway a ListenerSet names, if it names one. */
  public static Optional<String> parentKey(ListenerSet ls) {
    ParentGatewayReference p = ls.getSpec() == null ? null : ls.getSpec().getParentRef();
    if (p == null || p.getName() == null || !(p.getGroup() == null || p.getGroup().equals(Attachment.GROUP))
        || !(p.getKind() == null || p.getKind().equals("Gateway"))) {
      return Optional.empty();
    }
    return Optional.of((p.getNamespace() == null || p.getNamespace().isEmpty() ? ls.getMetadata().getNamespace() : p.getNamespace())
        + "/" + p.getName());
  }

  /** Both sides agree (ACCEPTED), the Gateway does not allow the ListenerSet's namespace (REJECTED), or it names another Gateway. */
  public static Handshake handshake(ListenerSet ls, Gateway gw, Map<String, Map<String, String>> namespaceLabels) {
    if (!namesGateway(ls, gw)) {
      return Handshake.IRRELEVANT;
    }
    var allowed = gw.getSpec() == null ? null : gw.getSpec().getAllowedListeners();
    var namespaces = allowed == null ? null : allowed.getNamespaces();
    String from = namespaces == null || namespaces.getFrom() == null ? "None" : namespaces.getFrom();
    String ns = ls.getMetadata().getNamespace();
    boolean ok = switch (from) {
      case "All" -> true;
      case "Same" -> ns.equals(gw.getMetadata().getNamespace());
      case "Selector" -> Attachment.matches(namespaces.getSelector(), namespaceLabels.getOrDefault(ns, Map.of()));
      default -> false; // None, or an unknown value
    };
    return ok ? Handshake.ACCEPTED : Handshake.REJECTED;
  }

  /** The ListenerSets naming the Gateway, split by the handshake; the accepted ones oldest first, then by namespace/name. */
  public static Sets of(Gateway gw, List<ListenerSet> all, Map<String, Map<String, String>> namespaceLabels) {
    List<ListenerSet> accepted = new ArrayList<>();
    List<ListenerSet> rejected = new ArrayList<>();
    for (ListenerSet ls : all) {
      switch (handshake(ls, gw, namespaceLabels)) {
        case ACCEPTED -> accepted.add(ls);
        case REJECTED -> rejected.add(ls);
        default -> { }
      }
    }
    Comparator<ListenerSet> order = Comparator.comparing((ListenerSet ls) -> Objects.toString(ls.getMetadata().getCreationTimestamp(), "~"))
        .thenComparing(ListenerSets::key);
    accepted.sort(order);
    rejected.sort(order);
    return new Sets(List.copyOf(accepted), List.copyOf(rejected));
  }

  public static String key(ListenerSet ls) {
    return ls.getMetadata().getNamespace() + "/" + ls.getMetadata().getName();
  }

  /** The name of a ListenerSet's listener in the merged Gateway. */
  public static String listenerName(ListenerSet ls, String listener) {
    return key(ls) + "/" + listener;
  }

  /** Whether a merged listener name is a ListenerSet's. */
  public static boolean fromListenerSet(String mergedName) {
    return mergedName != null && mergedName.contains("/");
  }

  /** The listener's own name, as its ListenerSet (or Gateway) spells it. */
  public static String ownName(String mergedName) {
    return mergedName == null ? null : mergedName.substring(mergedName.lastIndexOf('/') + 1);
  }

  /**
   * The Gateway's listeners followed by those of the accepted ListenerSets, in {@link #of} order. A listener's
   * allowedRoutes keep their meaning relative to its ListenerSet ({@link Attachment} checks Same against the
   * ListenerSet's namespace). tls.certificateRefs are read for the ListenerSet ({@link CertificateRefs.Owner}): a ref
   * without namespace means the ListenerSet's, one to another namespace needs a ReferenceGrant from the ListenerSet.
   */
  public static Merged merge(Gateway gw, Sets sets) {
    if (sets.accepted().isEmpty()) {
      return new Merged(gw);
    }
    List<Listener> listeners = new ArrayList<>(RouteMapping.nonNull(gw.getSpec().getListeners()));
    for (ListenerSet ls : sets.accepted()) {
      for (ListenerEntry e : RouteMapping.nonNull(ls.getSpec().getListeners())) {
        listeners.add(new ListenerBuilder().withName(listenerName(ls, e.getName())).withHostname(e.getHostname()).withPort(e.getPort())
            .withProtocol(e.getProtocol()).withTls(e.getTls()).withAllowedRoutes(e.getAllowedRoutes()).build());
      }
    }
    return new Merged(new GatewayBuilder(gw).editSpec().withListeners(listeners).endSpec().build());
  }
}
