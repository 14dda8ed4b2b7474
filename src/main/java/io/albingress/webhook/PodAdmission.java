package io.albingress.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonDiff;
import io.vertx.core.Future;
import tools.jackson.databind.JsonNode;

/** The mutating webhook for Pods: runs the mutator and answers with the JSON patch of its changes. */
public final class PodAdmission {
  private final KubernetesSerialization serialization;
  private final PodMutator mutator;

  public PodAdmission(KubernetesSerialization serialization, PodMutator mutator) {
    this.serialization = serialization;
    this.mutator = mutator;
  }

  public Future<AdmissionReply> review(AdmissionRequestView<Pod> request) {
    if (!request.isKind("", "v1", "Pod")) {
      return Future.succeededFuture(AdmissionReply.deny("this webhook mutates v1 Pod objects, not " + request.kindText()));
    }
    if (!request.operation().equals("CREATE")) {
      return Future.succeededFuture(AdmissionReply.allow());
    }
    Pod pod = request.object();
    JsonNode before = serialization.convertValue(pod, JsonNode.class);
    Pod mutated = mutator.mutate(serialization.clone(pod), request.namespace());
    JsonNode patch = JsonDiff.asJson(before, serialization.convertValue(mutated, JsonNode.class));
    return Future.succeededFuture(patch.isEmpty() ? AdmissionReply.allow() : AdmissionReply.patch(patch.toString()));
  }
}
