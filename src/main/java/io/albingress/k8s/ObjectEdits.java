package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Edits of Kubernetes objects shared by the writers: finalizers, and fabric8's blocking calls run on
 * worker threads, where a vanished object is not an error.
 */
public final class ObjectEdits {
  private final Vertx vertx;
  private final KubernetesClient client;

  public ObjectEdits(Vertx vertx, KubernetesClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  public static boolean hasFinalizer(HasMetadata o, String finalizer) {
    List<String> f = o.getMetadata().getFinalizers();
    return f != null && f.contains(finalizer);
  }

  /**
   * One patch from the cached object, locked on its resourceVersion (one round trip); when the cache
   * was behind (409 Conflict), the object is read afresh and edited.
   */
  public <T extends HasMetadata> Future<Void> addFinalizer(T o, String finalizer) {
    if (hasFinalizer(o, finalizer)) {
      return Future.succeededFuture();
    }
    UnaryOperator<T> change = x -> withFinalizers(x, f -> {
      if (!f.contains(finalizer)) {
        f.add(finalizer);
      }
    });
    String version = o.getMetadata().getResourceVersion();
    if (version == null) {
      return edit(o, change);
    }
    List<String> finalizers = new ArrayList<>(o.getMetadata().getFinalizers() == null ? List.of() : o.getMetadata().getFinalizers());
    finalizers.add(finalizer);
    String patch = client.getKubernetesSerialization().asJson(java.util.Map.of("metadata",
        java.util.Map.of("finalizers", finalizers, "resourceVersion", version)));
    return vertx.<Boolean>executeBlocking(() -> {
      try {
        resource(o).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return true;
        }
        if (e.getCode() == 409) {
          return false;
        }
        throw e;
      }
    }, false).compose(done -> done ? Future.<Void>succeededFuture() : edit(o, change));
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> io.fabric8.kubernetes.client.dsl.Resource<T> resource(T o) {
    var op = client.resources((Class<T>) o.getClass());
    return o.getMetadata().getNamespace() == null ? op.withName(o.getMetadata().getName())
        : op.inNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName());
  }

  public <T extends HasMetadata> Future<Void> removeFinalizer(T o, String finalizer) {
    return !hasFinalizer(o, finalizer) ? Future.succeededFuture() : edit(o, x -> withFinalizers(x, f -> f.remove(finalizer)));
  }

  /** Reads the object afresh, applies the change and patches it. */
  public <T extends HasMetadata> Future<Void> edit(T o, UnaryOperator<T> change) {
    return blocking(() -> resource(o).edit(change));
  }

  /** Runs a blocking fabric8 call on a worker; a vanished object (404) is not an error. */
  public Future<Void> blocking(Runnable call) {
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

  private static <T extends HasMetadata> T withFinalizers(T o, java.util.function.Consumer<List<String>> change) {
    List<String> f = o.getMetadata().getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(o.getMetadata().getFinalizers());
    change.accept(f);
    o.getMetadata().setFinalizers(f);
    return o;
  }
}
