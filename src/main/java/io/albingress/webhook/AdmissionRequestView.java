package io.albingress.webhook;

/** The parts of an admission.k8s.io/v1 AdmissionRequest the webhooks use, with its objects already typed. */
public record AdmissionRequestView<T>(
    String uid,
    String operation,
    Kind kind,
    String namespace,
    T object,
    T oldObject) {

  /** request.kind: the group, version and kind of the object under review. */
  public record Kind(String group, String version, String kind) {}

  public String kindText() {
    return (group().isEmpty() ? "" : group() + "/") + kind.version() + " " + kind.kind();
  }

  public boolean isKind(String group, String version, String kindName) {
    return group.equals(group()) && version.equals(kind.version()) && kindName.equals(kind.kind());
  }

  private String group() {
    return kind.group() == null ? "" : kind.group();
  }
}
