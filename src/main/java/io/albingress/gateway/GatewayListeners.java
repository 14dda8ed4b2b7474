package io.albingress.gateway;

import io.albingress.annotations.Protocol;
import io.albingress.gateway.Attachment.Refusal;
import io.albingress.gateway.GatewayStackBuilder.ListenerSetState;
import io.albingress.gateway.GatewayStackBuilder.ListenerState;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The listener half of a Gateway's build: each listener's Accepted, Conflicted and ResolvedRefs state,
 * the ListenerSets' share of them, which listeners a route may use, and where an HTTPS port's
 * certificates come from. Pure.
 */
final class GatewayListeners {
  private GatewayListeners() {}

  /**
   * Listener checks: HTTP and HTTPS only (UnsupportedProtocol); on one port one protocol
   * (ProtocolConflict, every listener of that port) and distinct hostnames (HostnameConflict, the later ones).
   */
  static List<ListenerState> listeners(Gateway gw) {
    var specs = RouteMapping.nonNull(gw.getSpec().getListeners());
    Map<Integer, java.util.Set<String>> protocols = new HashMap<>();
    // the Gateway's own listeners: a port with two protocols conflicts all of them; a ListenerSet's listener (merged after
    // them, ListenerSets in precedence order) conflicts only itself, with the listeners before it
    specs.stream().filter(l -> isHttp(l.getProtocol()) && !ListenerSets.fromListenerSet(l.getName()))
        .forEach(l -> protocols.computeIfAbsent(l.getPort(), p -> new TreeSet<>()).add(l.getProtocol()));
    List<ListenerState> out = new ArrayList<>();
    Map<Integer, java.util.Set<String>> hostsSeen = new HashMap<>();
    for (var l : specs) {
      int port = l.getPort() == null ? 0 : l.getPort();
      Optional<Refusal> notAccepted = isHttp(l.getProtocol()) ? Optional.empty()
          : Optional.of(new Refusal("UnsupportedProtocol", "protocol " + l.getProtocol()
          + " is not supported on an ALB; use HTTP or HTTPS (TCP, TLS and UDP need a Network Load Balancer)"));
      Optional<Refusal> conflicted = Optional.empty();
      if (notAccepted.isEmpty() && ListenerSets.fromListenerSet(l.getName())) {
        java.util.Set<String> claimed = protocols.computeIfAbsent(port, p -> new TreeSet<>());
        if (!claimed.isEmpty() && !claimed.contains(l.getProtocol())) {
          conflicted = Optional.of(new Refusal("ProtocolConflict", "port " + port + " is used with protocol " + String.join(", ", claimed)
              + " by a listener that takes precedence (the Gateway's, or an older ListenerSet's)"));
        } else if (!hostsSeen.computeIfAbsent(port, p -> new java.util.HashSet<>()).add(Objects.toString(l.getHostname(), ""))) {
          conflicted = Optional.of(new Refusal("HostnameConflict", "a listener that takes precedence (the Gateway's, or an older"
              + " ListenerSet's) on port " + port + " has hostname " + (l.getHostname() == null ? "(none)" : l.getHostname())));
        } else {
          claimed.add(l.getProtocol());
        }
      } else if (notAccepted.isEmpty()) {
        if (protocols.get(port).size() > 1) {
          conflicted = Optional.of(new Refusal("ProtocolConflict", "port " + port + " is used with protocols " + protocols.get(port)));
        } else if (!hostsSeen.computeIfAbsent(port, p -> new java.util.HashSet<>()).add(Objects.toString(l.getHostname(), ""))) {
          conflicted = Optional.of(new Refusal("HostnameConflict", "another listener on port " + port + " has hostname "
              + (l.getHostname() == null ? "(none)" : l.getHostname())));
        }
      }
      out.add(new ListenerState(l.getName(), port, l.getProtocol(), 0, notAccepted, conflicted, Optional.empty()));
    }
    return out;
  }

  static boolean isHttp(String protocol) {
    return "HTTP".equals(protocol) || "HTTPS".equals(protocol);
  }

  /** A parentRef keeps only listeners that are valid; with none left it is refused. */
  static Attachment.Parent onValidListeners(Attachment.Parent p, Map<String, ListenerState> listeners) {
    if (!p.accepted()) {
      return p;
    }
    Map<String, List<String>> kept = new LinkedHashMap<>(p.hostnames());
    kept.keySet().removeIf(n -> !listeners.get(n).valid());
    return kept.isEmpty()
        ? new Attachment.Parent(p.index(), p.ref(), Map.of(), Optional.of(new Refusal("NotAllowedByListeners",
            "the listeners it names are not accepted or conflicted: " + p.hostnames().keySet())))
        : new Attachment.Parent(p.index(), p.ref(), kept, Optional.empty());
  }

  /** The merged Gateway's listeners by name. */
  static Map<String, ListenerState> listenerStates(ListenerSets.Merged merged) {
    Map<String, ListenerState> byName = new LinkedHashMap<>();
    listeners(merged.gateway()).forEach(l -> byName.put(l.name(), l));
    return byName;
  }

  /** Each ListenerSet naming the Gateway with its listeners' states under their own names. */
  static List<ListenerSetState> setStates(ListenerSets.Sets sets, Map<String, ListenerState> byName) {
    List<ListenerSetState> out = new ArrayList<>();
    for (var ls : sets.accepted()) {
      String prefix = ListenerSets.key(ls) + "/";
      out.add(new ListenerSetState(ls, true, byName.values().stream().filter(l -> l.name().startsWith(prefix))
          .map(l -> l.named(ListenerSets.ownName(l.name()))).toList()));
    }
    sets.rejected().forEach(ls -> out.add(new ListenerSetState(ls, false, List.of())));
    return out;
  }

  /**
   * Whether an HTTPS port can get a certificate at all: from the LoadBalancerConfiguration, by ACM discovery
   * (only with a hostname on a listener or a route to discover by) or from the listeners' tls.certificateRefs.
   * Without any, {@link #build} leaves it out whatever ACM holds.
   */
  static boolean mayHaveCertificate(GatewayInputs in, Gateway merged, int port, List<ListenerState> on,
      Map<HTTPRoute, List<String>> hostsOn) {
    if (in.parameters().config().listener(Protocol.HTTPS.name(), port).map(c -> !c.allCertificates().isEmpty()).orElse(false)) {
      return true;
    }
    var names = on.stream().map(ListenerState::name).collect(java.util.stream.Collectors.toSet());
    boolean listenerSays = RouteMapping.nonNull(merged.getSpec().getListeners()).stream().filter(l -> names.contains(l.getName()))
        .anyMatch(l -> (l.getHostname() != null && !l.getHostname().isEmpty())
            || (l.getTls() != null && !RouteMapping.nonNull(l.getTls().getCertificateRefs()).isEmpty()));
    return listenerSays || hostsOn.values().stream().flatMap(List::stream).anyMatch(h -> !h.isEmpty());
  }

  /**
   * The imported certificates of the listeners on one port, in listener order; a listener whose refs do not all
   * resolve gets ResolvedRefs=False, and when none of them resolves it is not programmed (the others on the port are).
   */
  static List<String> certificateRefs(GatewayInputs in, List<ListenerState> on, Map<String, ListenerState> byName) {
    LinkedHashSet<String> arns = new LinkedHashSet<>();
    for (ListenerState l : on) {
      List<String> own = in.certificates().arns(l.name());
      arns.addAll(own);
      Refusal problem = in.certificates().problems().get(l.name());
      if (problem != null) {
        ListenerState s = byName.get(l.name()).unresolvedRefs(problem);
        byName.put(l.name(), own.isEmpty() ? s.notProgrammed(new Refusal("Invalid", problem.message())) : s);
      }
    }
    return List.copyOf(arns);
  }
}
