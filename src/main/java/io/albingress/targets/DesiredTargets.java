package io.albingress.targets;

import io.albingress.annotations.TargetType;
import io.albingress.binding.NodeSelector;
import io.albingress.model.Target;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The targets a target group should have, from the informer caches. Pure: instance mode takes the
 * Nodes, IP mode the Service's EndpointSlices.
 */
public final class DesiredTargets {
  public static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
  public static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
  /** The cluster autoscaler taints a node before removing it; the reference stops sending traffic then. */
  static final String TO_BE_DELETED_TAINT = "ToBeDeletedByClusterAutoscaler";

  /** Instance targets, and the nodes that qualify but cannot be registered (no usable providerID). */
  public record Instances(Set<Target> targets, List<Node> unusable) {}

  /** What about a Node decides whether it is a target: an update that keeps this equal changes nothing. */
  public record NodeView(boolean deleting, Map<String, String> labels, String providerId, Set<String> taints) {
    public static NodeView of(Node node) {
      Set<String> taints = new HashSet<>();
      if (node.getSpec() != null && node.getSpec().getTaints() != null) {
        node.getSpec().getTaints().stream().map(Taint::getKey).forEach(taints::add);
      }
      Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(node.getMetadata().getLabels());
      return new NodeView(node.getMetadata().getDeletionTimestamp() != null, labels, node.getSpec() == null ? null : node.getSpec().getProviderID(), taints);
    }
  }

  private DesiredTargets() {}

  /** Eligible nodes on the target group's port (the Service's NodePort). */
  public static Instances instances(TargetGroup tg, Collection<Node> nodes) {
    return instances(tg, nodes, Optional.empty());
  }

  /**
   * With a TargetGroupBinding's spec.nodeSelector as well: the node must match it too. Control-plane
   * nodes are selected only when the selector names the control-plane label.
   */
  public static Instances instances(TargetGroup tg, Collection<Node> nodes, Optional<NodeSelector> selector) {
    Set<Target> targets = new HashSet<>();
    List<Node> unusable = new ArrayList<>();
    boolean controlPlane = selector.map(s -> s.matchLabels().containsKey(CONTROL_PLANE_LABEL)
        || s.matchExpressions().stream().anyMatch(r -> r.key().equals(CONTROL_PLANE_LABEL) && !r.operator().equals("DoesNotExist")))
        .orElse(false);
    for (Node node : nodes) {
      NodeView view = NodeView.of(node);
      Map<String, String> labels = tg.nodeLabels();
      if (!(controlPlane ? eligibleIgnoringControlPlane(view, labels) : eligible(view, labels))
          || selector.map(s -> !s.matches(view.labels())).orElse(false)) {
        continue;
      }
      instanceId(view.providerId()).ifPresentOrElse(id -> targets.add(new Target(id, tg.port())), () -> unusable.add(node));
    }
    return new Instances(targets, unusable);
  }

  /**
   * Not excluded, not being deleted or scaled away, matching target-node-labels. Control-plane nodes
   * only when target-node-labels selects them by the control-plane label. A NotReady node stays: its
   * pods may still serve, the load balancer's health check decides (as Kubernetes' own service
   * controller does since KEP-3458).
   */
  static boolean eligible(NodeView node, Map<String, String> selector) {
    if (node.deleting() || node.labels().containsKey(EXCLUDE_LABEL) || node.taints().contains(TO_BE_DELETED_TAINT)) {
      return false;
    }
    if (node.labels().containsKey(CONTROL_PLANE_LABEL) && !selector.containsKey(CONTROL_PLANE_LABEL)) {
      return false;
    }
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(node.labels().get(e.getKey())));
  }

  private static boolean eligibleIgnoringControlPlane(NodeView node, Map<String, String> selector) {
    if (node.deleting() || node.labels().containsKey(EXCLUDE_LABEL) || node.taints().contains(TO_BE_DELETED_TAINT)) {
      return false;
    }
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(node.labels().get(e.getKey())));
  }

  /** The EC2 instance ID of `aws:///<az>/<instance-id>`. */
  static Optional<String> instanceId(String providerId) {
    if (providerId == null || !providerId.startsWith("aws://")) {
      return Optional.empty();
    }
    String last = providerId.substring(providerId.lastIndexOf('/') + 1);
    return last.startsWith("i-") && last.length() > 2 ? Optional.of(last) : Optional.empty();
  }

  /**
   * Ready IPv4 endpoints on the Service port's target port. With readiness gates, a pod that is not
   * Ready only because its gate for this target group is still closed is registered too, so the load
   * balancer can find it healthy and the gate can open. The EndpointSlice controller marks such an
   * endpoint `ready: false, serving: false` (serving follows the pod's Ready condition), so the pod
   * itself decides, as in the reference controller.
   *
   * @param servicePortName the name of the Service port (EndpointSlice ports carry it), empty if unnamed
   * @param gated whether the pod (namespace/name) carries this target group's readiness gate and waits
   *     only on gates (see {@link ReadinessGates#waitsOnlyOnGates})
   */
  public static Set<Target> ips(TargetGroup tg, String servicePortName, Collection<EndpointSlice> slices, Predicate<String> gated) {
    Set<Target> targets = new HashSet<>();
    for (EndpointSlice slice : slices) {
      if (!"IPv4".equals(slice.getAddressType())) {
        continue;
      }
      Optional<Integer> port = port(tg.service(), servicePortName, slice.getPorts());
      if (port.isEmpty() || slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint ep : slice.getEndpoints()) {
        if (ep.getAddresses() != null && !ep.getAddresses().isEmpty() && wanted(ep, gated)) {
          // kube-proxy also uses the first address only
          targets.add(new Target(ep.getAddresses().get(0), port.get()));
        }
      }
    }
    return targets;
  }

  private static boolean wanted(Endpoint ep, Predicate<String> gated) {
    EndpointConditions c = ep.getConditions();
    // unset ready/serving mean "unknown", which consumers take as ready
    boolean ready = c == null || !Boolean.FALSE.equals(c.getReady());
    if (ready) {
      return true;
    }
    boolean terminating = Boolean.TRUE.equals(c.getTerminating());
    var ref = ep.getTargetRef();
    return !terminating && ref != null && "Pod".equals(ref.getKind()) && gated.test(ref.getNamespace() + "/" + ref.getName());
  }

  /**
   * The slice port for the Service port: EndpointSlice ports are named after the Service port, so
   * that name decides; slices without it are matched by the target port's name or number.
   */
  static Optional<Integer> port(TargetGroup.ServiceRef ref, String servicePortName, List<EndpointPort> ports) {
    if (ports == null) {
      return Optional.empty();
    }
    String name = servicePortName == null ? "" : servicePortName;
    Optional<EndpointPort> byServicePort = ports.stream().filter(p -> name.equals(Objects.requireNonNullElse(p.getName(), ""))).findFirst();
    Optional<EndpointPort> match = byServicePort.or(() -> ports.stream().filter(p -> matchesTargetPort(ref.targetPort(), p)).findFirst());
    return match.map(EndpointPort::getPort).filter(Objects::nonNull);
  }

  private static boolean matchesTargetPort(String targetPort, EndpointPort p) {
    return targetPort.equals(p.getName()) || targetPort.equals(String.valueOf(p.getPort()));
  }

  public static boolean ipMode(TargetGroup tg) {
    return tg.targetType() == TargetType.IP;
  }
}
