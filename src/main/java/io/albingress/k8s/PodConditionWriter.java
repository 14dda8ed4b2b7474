package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

/**
 * Sets one condition on a pod's status. A strategic merge patch merges conditions by type, so it
 * needs no read first and leaves the kubelet's conditions alone. Runs on a worker: fabric8 blocks.
 */
public final class PodConditionWriter {
  private final Vertx vertx;
  private final KubernetesClient client;

  public PodConditionWriter(Vertx vertx, KubernetesClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  public Future<Void> write(Pod pod, PodCondition condition) {
    String patch = client.getKubernetesSerialization().asJson(Map.of("status", Map.of("conditions", List.of(condition))));
    return vertx.executeBlocking(() -> {
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
      } catch (KubernetesClientException e) {
        // a pod deleted meanwhile needs no condition
        if (e.getCode() != 404) {
          throw e;
        }
      }
      return null;
    }, false);
  }
}
