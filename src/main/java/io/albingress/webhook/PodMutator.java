package io.albingress.webhook;

import io.fabric8.kubernetes.api.model.Pod;

/** Changes a Pod at admission; returns the pod as it should be stored (the same object for no change). */
@FunctionalInterface
public interface PodMutator {
  Pod mutate(Pod pod, String namespace);

  PodMutator NONE = (pod, namespace) -> pod;
}
