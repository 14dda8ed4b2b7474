package io.albingress.gateway;

import static io.albingress.gateway.GatewayStackBuilder.INVALID_PARAMETERS;
import static io.albingress.gateway.GatewayStackBuilder.SERVICE_HEALTH_SUCCESS;
import static io.albingress.gateway.GatewayStackBuilder.tags;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.Parsed;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.ProtocolVersion;
import io.albingress.annotations.TargetAnnotations;
import io.albingress.annotations.TargetConfig;
import io.albingress.annotations.TargetType;
import io.albingress.gateway.Attachment.Refusal;
import io.albingress.model.ClusterFacts;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.RuleAction;
import io.albingress.model.StackId;
import io.albingress.model.TargetGroup;
import io.albingress.stack.Names;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One target group per (route, Service, port), as the reference: the Service's
 * `alb.ingress.kubernetes.io/` target annotations (target-type, health check, attributes) apply, with
 * the reference's Gateway health-check defaults (success codes 200-399, thresholds 3/3).
 */
final class GatewayTargetGroups {
  record Resolved(Optional<TargetGroup> targetGroup, Optional<Refusal> problem) {
    static Resolved refused(String reason, String message) {
      return new Resolved(Optional.empty(), Optional.of(new Refusal(reason, message)));
    }
  }

  private final StackId id;
  private final GatewayInputs in;
  private final ClusterFacts facts;
  private final Map<String, TargetGroup> built = new LinkedHashMap<>();

  GatewayTargetGroups(StackId id, GatewayInputs in, ClusterFacts facts) {
    this.id = id;
    this.in = in;
    this.facts = facts;
  }

  /**
   * A GRPCRoute's target group has protocol version GRPC and the gRPC health check on an HTTPS listener, HTTP1 on
   * an HTTP one (ALB takes GRPC only behind HTTPS listeners; the reference does the same), each its own target group.
   */
  Resolved resolve(HTTPRoute route, HTTPBackendRef ref, String field, Protocol listenerProtocol) {
    boolean grpcRoute = GrpcRoutes.isGrpc(route);
    String routeNs = route.getMetadata().getNamespace();
    if (!(ref.getGroup() == null || ref.getGroup().isEmpty()) || !(ref.getKind() == null || ref.getKind().equals("Service"))) {
      return Resolved.refused("InvalidKind", field + ": " + (ref.getGroup() == null ? "" : ref.getGroup() + "/") + ref.getKind()
          + " is not a supported backend (core Service)");
    }
    String ns = ref.getNamespace() == null ? routeNs : ref.getNamespace();
    if (!ns.equals(routeNs) && !in.granted(GrpcRoutes.kind(route), routeNs, ns, ref.getName())) {
      return Resolved.refused("RefNotPermitted", field + ": Service " + ns + "/" + ref.getName()
          + " is in another namespace and no ReferenceGrant there allows " + GrpcRoutes.kind(route) + "s from namespace " + routeNs);
    }
    Optional<Service> svc = in.service(ns, ref.getName());
    if (svc.isEmpty()) {
      return Resolved.refused("BackendNotFound", field + ": Service " + ns + "/" + ref.getName() + " not found");
    }
    if (ref.getPort() == null) {
      return Resolved.refused("BackendNotFound", field + ": port is required for a Service");
    }
    Optional<ServicePort> sp = RouteMapping.nonNull(svc.get().getSpec().getPorts()).stream()
        .filter(p -> ref.getPort().equals(p.getPort())).findFirst();
    if (sp.isEmpty()) {
      return Resolved.refused("BackendNotFound", field + ": Service " + ns + "/" + ref.getName() + " has no port " + ref.getPort());
    }
    // a TargetGroupConfiguration naming the Service: its fields replace the Service's annotations of the same meaning
    // and the Gateway's default TargetGroupConfiguration (LoadBalancerConfiguration defaultTargetGroupConfiguration) under it
    TargetGroupConfigs.ForBackend tgc = TargetGroupConfigs.forBackend(in.extensions().targetGroupConfigs(), in.parameters().defaults(), ns,
        ref.getName(), GrpcRoutes.kind(route), routeNs, route.getMetadata().getName());
    if (tgc.problem().isPresent()) {
      return Resolved.refused(INVALID_PARAMETERS, field + ": " + tgc.problem().get());
    }
    Map<String, String> own = Objects.requireNonNullElse(svc.get().getMetadata().getAnnotations(), Map.of());
    Map<String, String> annotations = tgc.annotations(own);
    Parsed<TargetConfig> parsed = TargetAnnotations.parse(Map.of(), annotations, "Service " + ns + "/" + ref.getName());
    if (!parsed.errors().isEmpty()) {
      var e = parsed.errors().get(0);
      return tgc.describe(e, own).map(where -> Resolved.refused(INVALID_PARAMETERS, field + ": " + where + ": " + e.message()))
          .orElseGet(() -> Resolved.refused("BackendNotFound", field + ": " + e));
    }
    TargetConfig c = parsed.value();
    int nodePort = sp.get().getNodePort() == null ? 0 : sp.get().getNodePort();
    if (c.targetType() == TargetType.INSTANCE && nodePort == 0) {
      return Resolved.refused("BackendNotFound", field + ": Service " + ns + "/" + ref.getName() + " port " + ref.getPort()
          + " has no NodePort; instance targets need type NodePort or LoadBalancer, or annotate the Service "
          + AnnotationCatalog.key("target-type") + ": ip");
    }
    String targetPort = io.albingress.stack.TargetGroups.targetPort(sp.get());
    int port = c.targetType() == TargetType.INSTANCE ? nodePort : io.albingress.stack.TargetGroups.parseOr(targetPort, sp.get().getPort());
    ProtocolVersion version = !grpcRoute ? c.protocolVersion()
        : listenerProtocol == Protocol.HTTPS ? ProtocolVersion.GRPC : ProtocolVersion.HTTP1;
    HealthCheck hc = healthCheck(c.healthCheck(), annotations);
    HealthCheck checked = version != ProtocolVersion.GRPC ? hc : grpcRoute ? GrpcRoutes.healthCheck(hc, annotations) : grpcCodes(c, hc, annotations);
    String resourceId = GatewayInputs.name(route) + ":" + ns + "/" + ref.getName() + ":" + ref.getPort()
        + (grpcRoute && version != ProtocolVersion.GRPC ? ":" + version.wireName() : "");
    Optional<String> ipv6 = tgc.props().ipAddressType().filter(TargetGroup.IPV6::equals);
    Optional<String> named = tgc.props().targetGroupName();
    if (named.isPresent() && built.values().stream().anyMatch(t -> t.name().equals(named.get()) && !t.resourceId().equals(resourceId))) {
      return Resolved.refused(INVALID_PARAMETERS, field + ": " + tgc.nameSource() + " targetGroupName "
          + named.get() + " is already the name of another target group of this Gateway (one per route, Service and port);"
          + " set it in routeConfigurations for one route only, or remove it");
    }
    TargetGroup tg = built.computeIfAbsent(resourceId, rid -> {
      String identity = String.join(":", String.valueOf(ref.getPort()), c.targetType().wireName(), c.protocol().wireName(),
          version.wireName(), String.valueOf(port), rid) + ipv6.map(v -> ":" + v).orElse("");
      Map<String, String> tags = new LinkedHashMap<>(facts.defaultTags());
      tags.putAll(tgc.props().tags());
      tags.putAll(tags(id, facts, rid));
      return new TargetGroup(rid, named.orElseGet(() -> Names.targetGroup(facts.clusterName(), id, ns, ref.getName(), identity)),
          new TargetGroup.ServiceRef(ns, ref.getName(), String.valueOf(ref.getPort()), sp.get().getPort(), targetPort, nodePort),
          c.targetType(), c.protocol(), version, port, checked, c.attributes(), c.nodeLabels(), tags, ipv6);
    });
    return new Resolved(Optional.of(tg), Optional.empty());
  }

  /** Protocol version GRPC (a TargetGroupConfiguration's or annotation's): the gRPC default matcher 12, as the reference, not 200-399. */
  private static HealthCheck grpcCodes(TargetConfig c, HealthCheck hc, Map<String, String> annotations) {
    if (c.protocolVersion() != io.albingress.annotations.ProtocolVersion.GRPC || annotations.containsKey(AnnotationCatalog.key(SERVICE_HEALTH_SUCCESS))) {
      return hc;
    }
    return new HealthCheck(hc.port(), hc.protocol(), hc.path(), hc.intervalSeconds(), hc.timeoutSeconds(), hc.healthyThreshold(),
        hc.unhealthyThreshold(), c.healthCheck().successCodes());
  }

  /** The target groups some rule forwards to, in the order they were first used. */
  List<TargetGroup> used(List<ListenerRule> rules) {
    java.util.Set<String> refs = new java.util.HashSet<>();
    rules.forEach(r -> {
      if (r.action() instanceof RuleAction.Forward f) {
        f.targets().forEach(t -> t.targetGroup().ifPresent(x -> refs.add(x.resourceId())));
      }
    });
    return built.values().stream().filter(tg -> refs.contains(tg.resourceId())).toList();
  }

  /** The reference's Gateway defaults where the Service does not say: success codes 200-399, thresholds 3 and 3. */
  static HealthCheck healthCheck(HealthCheck hc, Map<String, String> annotations) {
    String codes = annotations.containsKey(AnnotationCatalog.key(SERVICE_HEALTH_SUCCESS)) ? hc.successCodes() : "200-399";
    int healthy = annotations.containsKey(AnnotationCatalog.key("healthy-threshold-count")) ? hc.healthyThreshold() : 3;
    int unhealthy = annotations.containsKey(AnnotationCatalog.key("unhealthy-threshold-count")) ? hc.unhealthyThreshold() : 3;
    return new HealthCheck(hc.port(), hc.protocol(), hc.path(), hc.intervalSeconds(), hc.timeoutSeconds(), healthy, unhealthy, codes);
  }
}
