package io.albingress.webhook;

import io.albingress.gateway.Attachment;
import io.albingress.gateway.GatewayAdmissionChecks;
import io.albingress.gateway.ListenerSets;
import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The validating webhooks of Gateway API objects (gateway.networking.k8s.io/v1). Only what is ours is
 * judged: a GatewayClass with our controllerName, a Gateway of such a class, an HTTPRoute or GRPCRoute whose
 * parentRefs name such a Gateway (looked up in the informer caches); every other object is allowed,
 * so the objects of other implementations are never blocked. What is judged is
 * {@link GatewayAdmissionChecks}: only what is wrong whatever else exists in the cluster.
 */
public final class GatewayAdmission {
  public static final String VALIDATE_GATEWAY_CLASS_PATH = "/validate-gateway-networking-k8s-io-v1-gatewayclass";
  public static final String VALIDATE_GATEWAY_PATH = "/validate-gateway-networking-k8s-io-v1-gateway";
  public static final String VALIDATE_HTTP_ROUTE_PATH = "/validate-gateway-networking-k8s-io-v1-httproute";
  public static final String VALIDATE_GRPC_ROUTE_PATH = "/validate-gateway-networking-k8s-io-v1-grpcroute";
  public static final String VALIDATE_LISTENER_SET_PATH = "/validate-gateway-networking-k8s-io-v1-listenerset";

  private final Function<String, Optional<GatewayClass>> classes;
  private final BiFunction<String, String, Optional<Gateway>> gateways;

  /** {@code classes} by name and {@code gateways} by (namespace, name), from the informer caches. */
  public GatewayAdmission(Function<String, Optional<GatewayClass>> classes, BiFunction<String, String, Optional<Gateway>> gateways) {
    this.classes = classes;
    this.gateways = gateways;
  }

  public Future<AdmissionReply> gatewayClass(AdmissionRequestView<GatewayClass> request) {
    return Future.succeededFuture(wrongKind(request, "GatewayClass").orElseGet(() -> {
      GatewayClass c = request.object();
      if (!judged(request) || !GatewayAdmissionChecks.ours(c)) {
        return AdmissionReply.allow();
      }
      return AdmissionReply.of(GatewayAdmissionChecks.gatewayClass(c), "GatewayClass " + c.getMetadata().getName());
    }));
  }

  public Future<AdmissionReply> gateway(AdmissionRequestView<Gateway> request) {
    return Future.succeededFuture(wrongKind(request, "Gateway").orElseGet(() -> {
      Gateway gw = request.object();
      if (!judged(request) || !ours(gw)) {
        return AdmissionReply.allow();
      }
      return AdmissionReply.of(GatewayAdmissionChecks.gateway(gw), "Gateway " + key(gw, request.namespace()));
    }));
  }

  public Future<AdmissionReply> httpRoute(AdmissionRequestView<HTTPRoute> request) {
    return Future.succeededFuture(wrongKind(request, "HTTPRoute").orElseGet(() -> {
      HTTPRoute route = request.object();
      if (!judged(request) || !ours(route, request.namespace())) {
        return AdmissionReply.allow();
      }
      Verdict verdict = GatewayAdmissionChecks.route(route);
      return AdmissionReply.of(verdict, "HTTPRoute " + key(route, request.namespace()));
    }));
  }

  /** A GRPCRoute is judged as an HTTPRoute: only when its parentRefs name a Gateway of ours. */
  public Future<AdmissionReply> grpcRoute(AdmissionRequestView<GRPCRoute> request) {
    return Future.succeededFuture(wrongKind(request, "GRPCRoute").orElseGet(() -> {
      GRPCRoute route = request.object();
      String ns = namespace(route, request.namespace());
      var refs = route.getSpec() == null ? null : route.getSpec().getParentRefs();
      if (!judged(request) || !ours(refs, ns)) {
        return AdmissionReply.allow();
      }
      return AdmissionReply.of(GatewayAdmissionChecks.grpcRoute(route), "GRPCRoute " + key(route, request.namespace()));
    }));
  }

  /** A ListenerSet is judged only when its parentRef names a Gateway of ours that exists now. */
  public Future<AdmissionReply> listenerSet(AdmissionRequestView<ListenerSet> request) {
    return Future.succeededFuture(wrongKind(request, "ListenerSet").orElseGet(() -> {
      ListenerSet ls = request.object();
      if (!judged(request) || ls.getSpec() == null) {
        return AdmissionReply.allow();
      }
      if (ls.getMetadata() != null && (ls.getMetadata().getNamespace() == null || ls.getMetadata().getNamespace().isEmpty())) {
        ls.getMetadata().setNamespace(request.namespace());
      }
      boolean ours = ls.getMetadata() != null && ListenerSets.parentKey(ls).flatMap(k -> gateways.apply(k.substring(0, k.indexOf('/')),
          k.substring(k.indexOf('/') + 1))).filter(this::ours).isPresent();
      return ours ? AdmissionReply.of(GatewayAdmissionChecks.listenerSet(ls), "ListenerSet " + key(ls, request.namespace()))
          : AdmissionReply.allow();
    }));
  }

  /** A Gateway is ours when its class exists and is ours; a class that does not exist yet is not judged. */
  private boolean ours(Gateway gw) {
    String className = gw.getSpec() == null ? null : gw.getSpec().getGatewayClassName();
    return className != null && classes.apply(className).filter(GatewayAdmissionChecks::ours).isPresent();
  }

  /** A route is ours when one of its parentRefs names a Gateway of ours that exists now. */
  private boolean ours(HTTPRoute route, String requestNamespace) {
    return ours(route.getSpec() == null ? null : route.getSpec().getParentRefs(), namespace(route, requestNamespace));
  }

  private boolean ours(java.util.List<ParentReference> refs, String ns) {
    return (refs == null ? java.util.List.<ParentReference>of() : refs).stream()
        .filter(GatewayAdmission::namesAGateway)
        .map(ref -> gateways.apply(ref.getNamespace() == null ? ns : ref.getNamespace(), ref.getName()))
        .flatMap(Optional::stream).anyMatch(this::ours);
  }

  private static boolean namesAGateway(ParentReference ref) {
    return ref.getName() != null && (ref.getGroup() == null || ref.getGroup().equals(Attachment.GROUP))
        && (ref.getKind() == null || ref.getKind().equals("Gateway"));
  }

  /** Creates and updates of objects not being deleted (a finalizer removal is never blocked). */
  private static boolean judged(AdmissionRequestView<? extends HasMetadata> request) {
    return (request.operation().equals("CREATE") || request.operation().equals("UPDATE")) && request.object() != null
        && (request.object().getMetadata() == null || request.object().getMetadata().getDeletionTimestamp() == null);
  }

  private static Optional<AdmissionReply> wrongKind(AdmissionRequestView<?> request, String kind) {
    return request.isKind(Attachment.GROUP, "v1", kind) ? Optional.empty()
        : Optional.of(AdmissionReply.deny("this webhook reviews " + Attachment.GROUP + "/v1 " + kind + " objects, not " + request.kindText()));
  }

  private static String namespace(HasMetadata o, String requestNamespace) {
    String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? requestNamespace : ns;
  }

  private static String key(HasMetadata o, String requestNamespace) {
    String name = o.getMetadata() == null ? null : o.getMetadata().getName();
    return namespace(o, requestNamespace) + "/" + (name == null ? "" : name);
  }
}
