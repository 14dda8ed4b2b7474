package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes to Ingresses: finalizers and status. fabric8 calls block, so they run on worker threads,
 * and each is skipped when the cached object already says the same.
 */
public final class IngressWriter {
  private final KubernetesClient client;
  private final ObjectEdits edits;

  public IngressWriter(Vertx vertx, KubernetesClient client) {
    this.client = client;
    this.edits = new ObjectEdits(vertx, client);
  }

  public static boolean hasFinalizer(Ingress ingress, String finalizer) {
    return ObjectEdits.hasFinalizer(ingress, finalizer);
  }

  public Future<Void> addFinalizer(Ingress ingress, String finalizer) {
    return edits.addFinalizer(ingress, finalizer);
  }

  public Future<Void> removeFinalizer(Ingress ingress, String finalizer) {
    return edits.removeFinalizer(ingress, finalizer);
  }

  /** Sets status.loadBalancer.ingress to the ALB's DNS name (or clears it), only when it differs. */
  public Future<Void> setHostname(Ingress ingress, Optional<String> hostname) {
    if (Objects.equals(currentHostname(ingress), hostname)) {
      return Future.succeededFuture();
    }
    // one merge patch (one round trip): it replaces the whole list, which is all this field holds for us
    String patch = client.getKubernetesSerialization().asJson(Map.of("status", Map.of("loadBalancer", Map.of("ingress",
        hostname.map(h -> List.of(new IngressLoadBalancerIngressBuilder().withHostname(h).build())).orElse(new ArrayList<>())))));
    return blocking(() -> client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace())
        .withName(ingress.getMetadata().getName()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  public static Optional<String> currentHostname(Ingress ingress) {
    if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
        || ingress.getStatus().getLoadBalancer().getIngress() == null || ingress.getStatus().getLoadBalancer().getIngress().isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(ingress.getStatus().getLoadBalancer().getIngress().get(0).getHostname());
  }

  private Future<Void> blocking(Runnable call) {
    return edits.blocking(call);
  }
}
