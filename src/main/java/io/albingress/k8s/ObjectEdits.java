package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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

  public <T extends HasMetadata> Future<Void> addFinalizer(T o, String finalizer) {
    return hasFinalizer(o, finalizer) ? Future.succeededFuture() : edit(o, x -> withFinalizers(x, f -> {
      if (!f.contains(finalizer)) {
        f.add(finalizer);
      }
    }));
  }

  public <T extends HasMetadata> Future<Void> removeFinalizer(T o, String finalizer) {
    return !hasFinalizer(o, finalizer) ? Future.succeededFuture() : edit(o, x -> withFinalizers(x, f -> f.remove(finalizer)));
  }

  /** Reads the object afresh, applies the change and patches it. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> Future<Void> edit(T o, UnaryOperator<T> change) {
    Class<T> type = (Class<T>) o.getClass();
    return blocking(() -> {
      var op = client.resources(type);
      (o.getMetadata().getNamespace() == null ? op.withName(o.getMetadata().getName())
          : op.inNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName())).edit(change);
    });
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
