package io.albingress.stack;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.SecurityGroupAnnotations;
import io.albingress.model.IngressGroup;
import io.albingress.model.IngressRoutes;
import io.albingress.model.ListenPorts;
import io.albingress.model.Listener;
import io.albingress.model.ParsedIngress;
import io.albingress.model.Permission;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.Tags;
import io.albingress.model.TargetGroup;
import io.albingress.annotations.TargetType;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The security groups a built stack wants, as the reference controller derives them: pure. Per
 * listen port, the first member on that port that sets `inbound-cidrs` decides the CIDRs, and the
 * first that sets `security-group-prefix-lists` the prefix lists; with neither, the port is open
 * to 0.0.0.0/0 (and ::/0 on a dualstack ALB). IPv6 CIDRs open only a dualstack ALB.
 */
public final class SecurityGroupPlanner {
  public static final List<String> OPEN_V4 = List.of("0.0.0.0/0");
  public static final List<String> OPEN_V6 = List.of("::/0");

  private SecurityGroupPlanner() {}

  /** One accepted member's security-group settings. */
  record MemberSettings(Map<String, String> annotations, IngressConfig config, SecurityGroupAnnotations.Config sg, List<Integer> ports) {
    boolean sets(String annotation) {
      return annotations.containsKey(key(annotation));
    }
  }

  /** @param group the group the stack was built from; only the stack's accepted members count */
  public static Optional<SecurityGroupPlan> plan(Stack stack, IngressGroup group, String clusterName) {
    if (stack.empty() || stack.loadBalancer() == null) {
      return Optional.empty();
    }
    List<MemberSettings> members = members(stack, group);
    List<String> userGroups = first(members, "security-groups", m -> m.config().securityGroups()).orElse(List.of());
    boolean manage = first(members, "manage-backend-security-group-rules", m -> m.sg().manageBackendRules()).orElse(false);
    Optional<SecurityGroupPlan.ManagedGroup> frontend = userGroups.isEmpty()
        ? Optional.of(frontend(stack, members, clusterName)) : Optional.empty();
    boolean backend = frontend.isPresent() || manage;
    List<SecurityGroupPlan.BackendPorts> ports = backend ? backendPorts(stack.targetGroups()) : List.of();
    return Optional.of(new SecurityGroupPlan(frontend, userGroups, backend, ports));
  }

  private static SecurityGroupPlan.ManagedGroup frontend(Stack stack, List<MemberSettings> members, String clusterName) {
    boolean dualstack = stack.loadBalancer().ipAddressType() != IpAddressType.IPV4;
    SortedSet<Permission> ingress = new TreeSet<>();
    for (Listener listener : stack.listeners()) {
      int port = listener.port();
      List<MemberSettings> on = members.stream().filter(m -> m.ports().contains(port)).toList();
      List<String> cidrs = first(on, "inbound-cidrs", m -> m.config().inboundCidrs()).orElse(List.of());
      List<String> prefixLists = first(on, "security-group-prefix-lists", m -> m.sg().prefixLists()).orElse(List.of());
      if (cidrs.isEmpty() && prefixLists.isEmpty()) {
        cidrs = new ArrayList<>(OPEN_V4);
        cidrs.addAll(OPEN_V6);
      }
      cidrs.stream().filter(c -> dualstack || !c.contains(":")).forEach(c -> ingress.add(Permission.tcpFromCidr(port, c)));
      prefixLists.forEach(pl -> ingress.add(Permission.tcp(port, Permission.Peer.PREFIX_LIST, pl)));
    }
    Map<String, String> tags = new LinkedHashMap<>(stack.loadBalancer().tags());
    tags.remove(Tags.OIDC_SECRETS); // about the load balancer's rules only
    tags.put(Tags.RESOURCE, SecurityGroupPlan.FRONTEND_RESOURCE_ID);
    return new SecurityGroupPlan.ManagedGroup(frontendName(clusterName, stack.id()), SecurityGroupPlan.FRONTEND_DESCRIPTION, tags, ingress);
  }

  /** The reference controller's name for the managed group: k8s-<ns8>-<name8>-<hash10> over cluster and group ID. */
  public static String frontendName(String clusterName, StackId id) {
    String hash = Names.hash(clusterName, id.key());
    if (id.explicitGroup()) {
      return "k8s-" + clip(alnum(id.name()), 17) + "-" + hash;
    }
    return "k8s-" + clip(alnum(id.namespace()), 8) + "-" + clip(alnum(id.name()), 8) + "-" + hash;
  }

  /** The reference controller's name for the cluster's shared backend group. */
  public static String backendName(String clusterName) {
    return "k8s-traffic-" + clip(alnum(clusterName), 232) + "-" + Names.hash(clusterName);
  }

  public static List<SecurityGroupPlan.BackendPorts> backendPorts(List<TargetGroup> targetGroups) {
    List<SecurityGroupPlan.BackendPorts> out = new ArrayList<>();
    for (TargetGroup tg : targetGroups) {
      SortedSet<Integer> ports = new TreeSet<>();
      // a named pod port is known only from the endpoints, which the synthesizer adds
      boolean namedPodPort = tg.targetType() == TargetType.IP && !tg.service().targetPort().matches("\\d+");
      if (tg.port() > 0 && !namedPodPort) {
        ports.add(tg.port());
      }
      healthCheckPort(tg).ifPresent(ports::add);
      if (!ports.isEmpty() || namedPodPort) {
        out.add(new SecurityGroupPlan.BackendPorts(tg.resourceId(), tg.targetType() == TargetType.IP, ports));
      }
    }
    return out;
  }

  /** A numeric health-check port; "traffic-port" is the target port itself, and a named one is not known here. */
  static Optional<Integer> healthCheckPort(TargetGroup tg) {
    String port = tg.healthCheck().port();
    return port != null && port.matches("\\d{1,5}") ? Optional.of(Integer.parseInt(port)) : Optional.empty();
  }

  private static List<MemberSettings> members(Stack stack, IngressGroup group) {
    List<MemberSettings> out = new ArrayList<>();
    for (Ingress ingress : group.members()) {
      String name = ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
      if (!stack.members().contains(name)) {
        continue;
      }
      Map<String, String> annotations = StackBuilder.annotations(ingress);
      IngressConfig config = ParsedIngress.of(ingress).config(); // the annotations were parsed by the build: remembered
      boolean wantsTls = !config.certificateArns().isEmpty() || IngressRoutes.hasTls(ingress);
      List<Integer> ports = ListenPorts.effective(config, wantsTls).stream().map(p -> p.port()).toList();
      out.add(new MemberSettings(annotations, config, SecurityGroupAnnotations.parse(annotations).value(), ports));
    }
    return out;
  }

  private static <T> Optional<T> first(List<MemberSettings> members, String annotation, java.util.function.Function<MemberSettings, T> get) {
    return members.stream().filter(m -> m.sets(annotation)).findFirst().map(get);
  }

  private static String alnum(String s) {
    return s.replaceAll("[^A-Za-z0-9]", "");
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
