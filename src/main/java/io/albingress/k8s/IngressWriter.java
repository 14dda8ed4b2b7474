package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Writes to Ingresses: finalizers and status. fabric8 calls block, so they run on worker threads,
 * and each is skipped when the cached object already says the same.
 */
public final class IngressWriter {
  private final Vertx vertx;
  private final KubernetesClient client;

  public IngressWriter(Vertx vertx, KubernetesClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  public static boolean hasFinalizer(Ingress ingress, String finalizer) {
    List<String> f = ingress.getMetadata().getFinalizers();
    return f != null && f.contains(finalizer);
  }

  public Future<Void> addFinalizer(Ingress ingress, String finalizer) {
    if (hasFinalizer(ingress, finalizer)) {
      return Future.succeededFuture();
    }
    return edit(ingress, i -> {
      List<String> f = i.getMetadata().getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(i.getMetadata().getFinalizers());
      if (!f.contains(finalizer)) {
        f.add(finalizer);
      }
      i.getMetadata().setFinalizers(f);
      return i;
    });
  }

  public Future<Void> removeFinalizer(Ingress ingress, String finalizer) {
    if (!hasFinalizer(ingress, finalizer)) {
      return Future.succeededFuture();
    }
    return edit(ingress, i -> {
      List<String> f = i.getMetadata().getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(i.getMetadata().getFinalizers());
      f.remove(finalizer);
      i.getMetadata().setFinalizers(f);
      return i;
    });
  }

  /** Sets status.loadBalancer.ingress to the ALB's DNS name (or clears it), only when it differs. */
  public Future<Void> setHostname(Ingress ingress, Optional<String> hostname) {
    if (Objects.equals(currentHostname(ingress), hostname)) {
      return Future.succeededFuture();
    }
    return blocking(() -> client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace())
        .withName(ingress.getMetadata().getName()).editStatus(i -> {
          i.getStatus().getLoadBalancer().setIngress(hostname
              .map(h -> List.of(new IngressLoadBalancerIngressBuilder().withHostname(h).build())).orElse(new ArrayList<>()));
          return i;
        }));
  }

  public static Optional<String> currentHostname(Ingress ingress) {
    if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
        || ingress.getStatus().getLoadBalancer().getIngress() == null || ingress.getStatus().getLoadBalancer().getIngress().isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(ingress.getStatus().getLoadBalancer().getIngress().get(0).getHostname());
  }

  private Future<Void> edit(Ingress ingress, UnaryOperator<Ingress> change) {
    return blocking(() -> client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace())
        .withName(ingress.getMetadata().getName()).edit(change));
  }

  /** Runs a blocking fabric8 call on a worker; a vanished object is not an error. */
  private Future<Void> blocking(Runnable call) {
    return vertx.executeBlocking(() -> {
      try {
        call.run();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
      return null;
    }, false);
  }

}
