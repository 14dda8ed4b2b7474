package io.albingress.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Identifies a stack: an explicit IngressGroup (by group name), a single Ingress (namespace/name), or
 * a Gateway (namespace/name, {@code gateway} set). {@link #tagValue()} is the value of the stack tag,
 * as the reference controller writes it: `ingress.k8s.aws/stack` for Ingresses,
 * `gateway.k8s.aws.alb/stack` for Gateways ({@link #stackTagKey()}). {@link #key()} is unique over both
 * flavours (`gateway:ns/name` for a Gateway): an Ingress and a Gateway of the same name never share an ALB.
 */
public record StackId(String namespace, String name, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean gateway) {
  public static final String GATEWAY_PREFIX = "gateway:";

  public StackId(String namespace, String name) {
    this(namespace, name, false);
  }

  public static StackId group(String groupName) {
    return new StackId("", groupName);
  }

  public static StackId ingress(String namespace, String name) {
    return new StackId(namespace, name);
  }

  public static StackId gatewayOf(String namespace, String name) {
    return new StackId(namespace, name, true);
  }

  /** The inverse of {@link #key()}: group names cannot contain '/', namespaces and names can't either. */
  public static StackId parse(String key) {
    if (key.startsWith(GATEWAY_PREFIX)) {
      String rest = key.substring(GATEWAY_PREFIX.length());
      int slash = rest.indexOf('/');
      return gatewayOf(rest.substring(0, Math.max(slash, 0)), rest.substring(slash + 1));
    }
    int slash = key.indexOf('/');
    return slash < 0 ? group(key) : ingress(key.substring(0, slash), key.substring(slash + 1));
  }

  /** The stack key of an AWS resource from its tags (Ingress or Gateway stack tag), if it has one. */
  public static Optional<String> keyOf(Map<String, String> tags) {
    String ingress = tags.get(Tags.STACK);
    if (ingress != null) {
      return Optional.of(ingress);
    }
    String gateway = tags.get(Tags.GATEWAY_STACK);
    return gateway == null ? Optional.empty() : Optional.of(GATEWAY_PREFIX + gateway);
  }

  @JsonIgnore
  public boolean explicitGroup() {
    return !gateway && namespace.isEmpty();
  }

  @JsonIgnore
  public String tagValue() {
    return explicitGroup() ? name : namespace + "/" + name;
  }

  /** Unique over Ingress stacks and Gateway stacks: event-bus messages, inventory lookups, names. */
  @JsonIgnore
  public String key() {
    return gateway ? GATEWAY_PREFIX + tagValue() : tagValue();
  }

  @JsonIgnore
  public String stackTagKey() {
    return gateway ? Tags.GATEWAY_STACK : Tags.STACK;
  }

  @JsonIgnore
  public String resourceTagKey() {
    return gateway ? Tags.GATEWAY_RESOURCE : Tags.RESOURCE;
  }

  /** The ownership tags of one resource of this stack: cluster, stack and resource ID. */
  public Map<String, String> ownerTags(String clusterName, String resourceId) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(Tags.CLUSTER, clusterName);
    tags.put(stackTagKey(), tagValue());
    tags.put(resourceTagKey(), resourceId);
    return tags;
  }

  @Override
  public String toString() {
    return key();
  }
}
