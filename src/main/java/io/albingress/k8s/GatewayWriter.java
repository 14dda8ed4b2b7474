package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;

/**
 * Writes to Gateway API objects: finalizers on GatewayClasses and Gateways (and the reference's configuration objects), and status (also of ListenerRuleConfigurations). fabric8 calls
 * block, so they run on worker threads; each is skipped when the cached object already says the same.
 */
public final class GatewayWriter {
  private final KubernetesClient client;
  private final ObjectEdits edits;

  public GatewayWriter(Vertx vertx, KubernetesClient client) {
    this.client = client;
    this.edits = new ObjectEdits(vertx, client);
  }

  public static boolean hasFinalizer(HasMetadata o, String finalizer) {
    return ObjectEdits.hasFinalizer(o, finalizer);
  }

  public <T extends HasMetadata> Future<Void> addFinalizer(T o, String finalizer) {
    return edits.addFinalizer(o, finalizer);
  }

  public <T extends HasMetadata> Future<Void> removeFinalizer(T o, String finalizer) {
    return edits.removeFinalizer(o, finalizer);
  }

  public Future<Void> gatewayStatus(Gateway gw, GatewayStatus status) {
    if (Objects.equals(gw.getStatus(), status)) {
      return Future.succeededFuture();
    }
    return blocking(() -> client.resources(Gateway.class).inNamespace(gw.getMetadata().getNamespace()).withName(gw.getMetadata().getName())
        .editStatus(g -> {
          g.setStatus(status);
          return g;
        }));
  }

  /** A ListenerSet's status, when it differs from what the cached object says. */
  public Future<Void> listenerSetStatus(ListenerSet ls, ListenerSetStatus status) {
    if (Objects.equals(ls.getStatus(), status)) {
      return Future.succeededFuture();
    }
    return blocking(() -> client.resources(ListenerSet.class).inNamespace(ls.getMetadata().getNamespace()).withName(ls.getMetadata().getName())
        .editStatus(l -> {
          l.setStatus(status);
          return l;
        }));
  }

  public Future<Void> routeParents(HTTPRoute route, List<RouteParentStatus> parents) {
    return routeParents(route, HTTPRoute.class, route.getStatus() == null ? null : route.getStatus().getParents(), parents,
        (r, p) -> {
          HTTPRouteStatus s = r.getStatus() == null ? new HTTPRouteStatus() : r.getStatus();
          s.setParents(p);
          r.setStatus(p == null ? null : s);
        });
  }

  /** As {@link #routeParents(HTTPRoute, List)} for a GRPCRoute. */
  public Future<Void> grpcRouteParents(GRPCRoute route, List<RouteParentStatus> parents) {
    return routeParents(route, GRPCRoute.class, route.getStatus() == null ? null : route.getStatus().getParents(), parents,
        (r, p) -> {
          GRPCRouteStatus s = r.getStatus() == null ? new GRPCRouteStatus() : r.getStatus();
          s.setParents(p);
          r.setStatus(p == null ? null : s);
        });
  }

  /**
   * Writes a route's status.parents when they differ from {@code current}. status.parents is required by
   * the CRD and an empty list is not written: no entry left is no status ({@code setParents} gets null).
   */
  private <R extends HasMetadata> Future<Void> routeParents(R route, Class<R> type, List<RouteParentStatus> current,
      List<RouteParentStatus> parents, java.util.function.BiConsumer<R, List<RouteParentStatus>> setParents) {
    if ((current == null ? List.of() : current).equals(parents)) {
      return Future.succeededFuture();
    }
    return blocking(() -> client.resources(type).inNamespace(route.getMetadata().getNamespace())
        .withName(route.getMetadata().getName()).editStatus(r -> {
          setParents.accept(r, parents.isEmpty() ? null : parents);
          return r;
        }));
  }

  public Future<Void> classConditions(GatewayClass gc, List<Condition> conditions) {
    List<Condition> current = gc.getStatus() == null || gc.getStatus().getConditions() == null ? List.of() : gc.getStatus().getConditions();
    if (current.equals(conditions)) {
      return Future.succeededFuture();
    }
    return blocking(() -> client.resources(GatewayClass.class).withName(gc.getMetadata().getName()).editStatus(c -> {
      GatewayClassStatus s = c.getStatus() == null ? new GatewayClassStatus() : c.getStatus();
      s.setConditions(conditions);
      c.setStatus(s);
      return c;
    }));
  }

  /**
   * Writes a ListenerRuleConfiguration's status (the /status subresource) unless {@code same} says the cached object holds
   * it already.
   */
  public Future<Void> listenerRuleConfigStatus(GenericKubernetesResource config, java.util.Map<String, Object> status, boolean same) {
    if (same) {
      return Future.succeededFuture();
    }
    return blocking(() -> client.genericKubernetesResources(GatewayInformers.LR_CONFIG_CONTEXT).inNamespace(config.getMetadata().getNamespace())
        .withName(config.getMetadata().getName()).editStatus(c -> {
          c.setAdditionalProperty("status", status);
          return c;
        }));
  }

  /**
   * Adds or removes a finalizer on one of the reference's configuration objects ({@code kind}: LoadBalancerConfiguration,
   * TargetGroupConfiguration or ListenerRuleConfiguration), read afresh and patched; nothing when the cached object
   * already says so.
   */
  public Future<Void> configFinalizer(GenericKubernetesResource config, String kind, String finalizer, boolean add) {
    if (hasFinalizer(config, finalizer) == add) {
      return Future.succeededFuture();
    }
    return blocking(() -> client.genericKubernetesResources(GatewayInformers.configContext(kind)).inNamespace(config.getMetadata().getNamespace())
        .withName(config.getMetadata().getName()).edit(c -> {
          List<String> f = new java.util.ArrayList<>(c.getMetadata().getFinalizers() == null ? List.of() : c.getMetadata().getFinalizers());
          if (add && !f.contains(finalizer)) {
            f.add(finalizer);
          } else if (!add) {
            f.remove(finalizer);
          }
          c.getMetadata().setFinalizers(f);
          return c;
        }));
  }

  private Future<Void> blocking(Runnable call) {
    return edits.blocking(call);
  }
}
