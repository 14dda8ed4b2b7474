package io.albingress.stack;

import io.albingress.annotations.Action;
import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.TargetAnnotations;
import io.albingress.annotations.TargetConfig;
import io.albingress.annotations.TargetType;
import io.albingress.model.IngressRoutes;
import io.albingress.model.Ref;
import io.albingress.model.RuleAction;
import io.albingress.model.TargetGroup;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One target group per distinct (Service, port, target configuration) in the stack, shared by every
 * rule that routes there: fewer target groups than the reference's one per Ingress and backend.
 */
public final class TargetGroups {
  static final String USE_ANNOTATION = "use-annotation";

  /** What makes two backends share a target group. */
  record Key(String namespace, String service, String port, TargetConfig config) {
    String plainId() {
      return namespace + "/" + service + ":" + port;
    }
  }

  private final StackBuilder.StackContext ctx;
  private final Map<Key, String> ids = new LinkedHashMap<>();
  /** The first member, in group order, that routes to each target group: its tags go on it. */
  private final Map<Key, StackBuilder.Member> firstMember = new LinkedHashMap<>();
  private final Map<Key, TargetGroup> built = new LinkedHashMap<>();

  TargetGroups(StackBuilder.StackContext ctx) {
    this.ctx = ctx;
    assignIds();
  }

  RuleAction action(StackBuilder.Member member, IngressRoutes.Route route) {
    var svc = route.backend().getService();
    if (svc.getPort() != null && USE_ANNOTATION.equals(svc.getPort().getName())) {
      return annotationAction(member, member.config().actions().get(svc.getName()));
    }
    return RuleAction.Forward.to(ref(member, svc.getName(), portOf(svc)));
  }

  List<TargetGroup> all() {
    return List.copyOf(built.values());
  }

  private RuleAction annotationAction(StackBuilder.Member member, Action action) {
    if (action instanceof Action.FixedResponse f) {
      return new RuleAction.FixedResponse(f.statusCode(), f.contentType(), f.messageBody());
    }
    if (action instanceof Action.Redirect r) {
      return new RuleAction.Redirect(r.statusCode(), r.protocol().orElse("#{protocol}"), r.port().orElse("#{port}"),
          r.host().orElse("#{host}"), r.path().orElse("/#{path}"), r.query().orElse("#{query}"));
    }
    Action.Forward forward = (Action.Forward) action;
    List<RuleAction.WeightedTarget> targets = forward.targets().stream().map(t -> t.serviceName().isEmpty()
            ? new RuleAction.WeightedTarget(Optional.empty(), t.targetGroupArn(), t.targetGroupName(), t.weight())
            : new RuleAction.WeightedTarget(Optional.of(ref(member, t.serviceName().get(), t.servicePort().get())), Optional.empty(), t.weight()))
        .toList();
    return new RuleAction.Forward(targets, forward.stickinessSeconds());
  }

  private Ref ref(StackBuilder.Member member, String service, String port) {
    Key key = key(member, service, port);
    TargetGroup tg = built.computeIfAbsent(key, k -> targetGroup(k, ids.get(k)));
    return Ref.to("TargetGroup", tg.resourceId());
  }

  private Key key(StackBuilder.Member member, String service, String port) {
    String ns = member.ingress().getMetadata().getNamespace();
    Service svc = ctx.group().service(ns, service).orElseThrow();
    Map<String, String> svcAnnotations = svc.getMetadata().getAnnotations() == null ? Map.of() : svc.getMetadata().getAnnotations();
    TargetConfig config = TargetAnnotations.parse(member.annotations(), svcAnnotations, "Service " + ns + "/" + service).value();
    // a port by name and by number is the same target group
    String resolved = servicePort(svc, port).map(p -> String.valueOf(p.getPort())).orElse(port);
    return new Key(ns, service, resolved, config);
  }

  /** ns/svc:port, with a config hash only where one Service port needs several target configurations. */
  private void assignIds() {
    List<Key> keys = new ArrayList<>();
    for (StackBuilder.Member m : ctx.members()) {
      int before = keys.size();
      collectKeys(m, keys);
      keys.subList(before, keys.size()).forEach(k -> firstMember.putIfAbsent(k, m));
    }
    for (Key k : keys) {
      if (ids.containsKey(k)) {
        continue;
      }
      boolean taken = ids.values().contains(k.plainId());
      ids.put(k, taken ? k.plainId() + "#" + Names.hash(k.config().toString()).substring(0, 6) : k.plainId());
    }
  }

  private void collectKeys(StackBuilder.Member m, List<Key> keys) {
    for (IngressRoutes.Route route : m.parsed().routes()) {
      var svc = route.backend() == null ? null : route.backend().getService();
      if (svc == null) {
        continue;
      }
      if (svc.getPort() != null && USE_ANNOTATION.equals(svc.getPort().getName())) {
        if (m.config().actions().get(svc.getName()) instanceof Action.Forward f) {
          f.targets().stream().filter(t -> t.serviceName().isPresent())
              .forEach(t -> keys.add(key(m, t.serviceName().get(), t.servicePort().get())));
        }
      } else {
        keys.add(key(m, svc.getName(), portOf(svc)));
      }
    }
  }

  private TargetGroup targetGroup(Key key, String resourceId) {
    Service svc = ctx.group().service(key.namespace(), key.service()).orElseThrow();
    ServicePort sp = servicePort(svc, key.port()).orElseThrow();
    int nodePort = sp.getNodePort() == null ? 0 : sp.getNodePort();
    String targetPort = targetPort(sp);
    TargetConfig c = key.config();
    int port = c.targetType() == TargetType.INSTANCE ? nodePort : parseOr(targetPort, sp.getPort());
    Optional<String> ipAddressType = c.targetType() == TargetType.IP && ipv6(svc) ? Optional.of(TargetGroup.IPV6) : Optional.empty();
    String identity = String.join(":", key.port(), c.targetType().wireName(), c.protocol().wireName(),
        c.protocolVersion().wireName(), String.valueOf(port), resourceId) + ipAddressType.map(t -> ":" + t).orElse("");
    String name = Names.targetGroup(ctx.facts().clusterName(), ctx.group().id(), key.namespace(), key.service(), identity);
    return new TargetGroup(resourceId, name,
        new TargetGroup.ServiceRef(key.namespace(), key.service(), key.port(), sp.getPort(), targetPort, nodePort),
        c.targetType(), c.protocol(), c.protocolVersion(), port, healthCheck(c, svc), c.attributes(), c.nodeLabels(), tags(key, svc, resourceId),
        ipAddressType);
  }

  /** As the reference: a Service with IPv6 among its ipFamilies has IPv6 endpoints. */
  static boolean ipv6(Service svc) {
    return svc.getSpec().getIpFamilies() != null && svc.getSpec().getIpFamilies().contains("IPv6");
  }

  /** As in the reference: the Service's tags annotation, then its Ingress's (the first member routing here), under defaults. */
  private Map<String, String> tags(Key key, Service svc, String resourceId) {
    Map<String, String> svcAnnotations = svc.getMetadata().getAnnotations() == null ? Map.of() : svc.getMetadata().getAnnotations();
    Map<String, String> serviceTags = TargetAnnotations.serviceTags(svcAnnotations, "").value();
    return ctx.tags(resourceId, List.of(serviceTags, firstMember.get(key).config().tags()));
  }

  /** A named healthcheck-port becomes the number AWS needs: the Service port's NodePort (instance) or numeric targetPort (IP). */
  private static HealthCheck healthCheck(TargetConfig c, Service svc) {
    HealthCheck hc = c.healthCheck();
    if (hc.port().equals(TargetAnnotations.TRAFFIC_PORT) || hc.port().chars().allMatch(Character::isDigit)) {
      return hc;
    }
    ServicePort named = svc.getSpec().getPorts().stream().filter(p -> hc.port().equals(p.getName())).findFirst().orElseThrow();
    Integer port = c.targetType() == TargetType.INSTANCE ? named.getNodePort()
        : named.getTargetPort() == null ? named.getPort() : named.getTargetPort().getIntVal();
    if (port == null) {
      return hc; // a NodePort not allocated yet (offline manifests); the validator refuses a named target port
    }
    return new HealthCheck(String.valueOf(port), hc.protocol(), hc.path(), hc.intervalSeconds(), hc.timeoutSeconds(),
        hc.healthyThreshold(), hc.unhealthyThreshold(), hc.successCodes());
  }

  private static Optional<ServicePort> servicePort(Service svc, String port) {
    return svc.getSpec().getPorts().stream().filter(p -> port.equals(String.valueOf(p.getPort())) || port.equals(p.getName())).findFirst();
  }

  /** The Service port's target port as written: a number, or the name of a container port (its own port when unset). */
  public static String targetPort(ServicePort sp) {
    IntOrString tp = sp.getTargetPort();
    if (tp == null) {
      return String.valueOf(sp.getPort());
    }
    return tp.getIntVal() != null ? String.valueOf(tp.getIntVal()) : tp.getStrVal();
  }

  public static int parseOr(String s, int fallback) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  static String portOf(io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend svc) {
    if (svc.getPort() == null) {
      return "";
    }
    return svc.getPort().getNumber() != null ? String.valueOf(svc.getPort().getNumber()) : svc.getPort().getName();
  }
}
