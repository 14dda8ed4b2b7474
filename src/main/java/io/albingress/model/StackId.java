package io.albingress.model;

/**
 * Identifies a stack: an explicit IngressGroup (by group name) or a single Ingress (namespace/name).
 * {@link #tagValue()} is the `ingress.k8s.aws/stack` tag, as the reference controller writes it.
 */
public record StackId(String namespace, String name) {
  public static StackId group(String groupName) {
    return new StackId("", groupName);
  }

  public static StackId ingress(String namespace, String name) {
    return new StackId(namespace, name);
  }

  /** The inverse of {@link #tagValue()}: group names cannot contain '/', namespaces and names can't either. */
  public static StackId parse(String tagValue) {
    int slash = tagValue.indexOf('/');
    return slash < 0 ? group(tagValue) : ingress(tagValue.substring(0, slash), tagValue.substring(slash + 1));
  }

  public boolean explicitGroup() {
    return namespace.isEmpty();
  }

  public String tagValue() {
    return explicitGroup() ? name : namespace + "/" + name;
  }

  @Override
  public String toString() {
    return tagValue();
  }
}
