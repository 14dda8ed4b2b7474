package io.albingress.webhook;

import io.fabric8.kubernetes.api.model.GroupVersionKind;

/** The parts of an admission.k8s.io/v1 AdmissionRequest the webhooks use. */
public record AdmissionRequestView(
    String uid,
    String operation,
    GroupVersionKind kind,
    String namespace,
    Object object,
    Object oldObject) {

  public String kindText() {
    return (kind.getGroup() == null || kind.getGroup().isEmpty() ? "" : kind.getGroup() + "/") + kind.getVersion() + " " + kind.getKind();
  }

  public boolean isKind(String group, String version, String kindName) {
    return group.equals(kind.getGroup() == null ? "" : kind.getGroup()) && version.equals(kind.getVersion())
        && kindName.equals(kind.getKind());
  }
}
