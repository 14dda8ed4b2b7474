package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/**
 * An informer's item store that keeps only the fields the controller reads of each object: a Pod's
 * readiness gates, conditions and IP (not its containers, volumes and managed fields), a Node's
 * labels, provider ID and taints (not its images and status), an EndpointSlice without managed
 * fields and annotations. Event handlers still get the full new object; the old one and everything
 * read from the cache are slim. Metadata keeps name, namespace, UID, resourceVersion, generation,
 * labels, deletionTimestamp and ownerReferences (Events and patches name the object by them).
 */
public final class SlimStore<T extends HasMetadata> extends BasicItemStore<T> {
  private final UnaryOperator<T> slim;

  public SlimStore(UnaryOperator<T> slim) {
    super(Cache::metaNamespaceKeyFunc);
    this.slim = slim;
  }

  @Override
  public T put(String key, T obj) {
    return super.put(key, obj == null ? null : slim.apply(obj));
  }

  static ObjectMeta meta(ObjectMeta m) {
    if (m == null) {
      return null;
    }
    return new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace()).withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion()).withGeneration(m.getGeneration()).withLabels(m.getLabels())
        .withDeletionTimestamp(m.getDeletionTimestamp()).withOwnerReferences(m.getOwnerReferences()).build();
  }

  /** What the readiness gates and the targets read of a pod. */
  public static Pod pod(Pod p) {
    PodBuilder b = new PodBuilder().withApiVersion(p.getApiVersion()).withKind(p.getKind()).withMetadata(meta(p.getMetadata()));
    if (p.getSpec() != null) {
      b.withNewSpec().withReadinessGates(p.getSpec().getReadinessGates()).withNodeName(p.getSpec().getNodeName()).endSpec();
    }
    if (p.getStatus() != null) {
      b.withNewStatus().withConditions(p.getStatus().getConditions()).withPodIP(p.getStatus().getPodIP())
          .withPodIPs(p.getStatus().getPodIPs()).withPhase(p.getStatus().getPhase()).endStatus();
    }
    return b.build();
  }

  /** What instance-mode targets read of a node (DesiredTargets.NodeView). */
  public static Node node(Node n) {
    NodeBuilder b = new NodeBuilder().withApiVersion(n.getApiVersion()).withKind(n.getKind()).withMetadata(meta(n.getMetadata()));
    if (n.getSpec() != null) {
      b.withNewSpec().withProviderID(n.getSpec().getProviderID()).withTaints(n.getSpec().getTaints())
          .withUnschedulable(n.getSpec().getUnschedulable()).endSpec();
    }
    return b.build();
  }

  /** An EndpointSlice without its managed fields and annotations (its endpoints are what IP-mode targets read). */
  public static EndpointSlice endpointSlice(EndpointSlice s) {
    return new EndpointSliceBuilder().withApiVersion(s.getApiVersion()).withKind(s.getKind()).withMetadata(meta(s.getMetadata()))
        .withAddressType(s.getAddressType()).withPorts(s.getPorts()).withEndpoints(s.getEndpoints()).build();
  }
}
