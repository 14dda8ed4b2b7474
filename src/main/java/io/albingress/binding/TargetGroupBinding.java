package io.albingress.binding;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TargetGroupBinding (elbv2.k8s.aws/v1beta1) as the controller reads it: the target group (by ARN,
 * or by name until the mutating webhook resolved it), the Service port whose targets it gets, the
 * target type, node selector and IP address type. The fields we do not implement are kept only to be
 * refused ({@link BindingChecks}). Pure: parsed from the object's JSON map.
 */
public record TargetGroupBinding(
    String namespace,
    String name,
    String uid,
    long generation,
    boolean deleting,
    String targetGroupArn,
    String targetGroupName,
    Optional<String> targetType,
    ServiceRef serviceRef,
    Optional<NodeSelector> nodeSelector,
    Optional<String> ipAddressType,
    String vpcId,
    boolean multiClusterTargetGroup,
    String iamRoleArnToAssume,
    boolean networking) {

  public static final String API_VERSION = "elbv2.k8s.aws/v1beta1";
  public static final String GROUP = "elbv2.k8s.aws";
  public static final String VERSION = "v1beta1";
  public static final String KIND = "TargetGroupBinding";
  public static final String PLURAL = "targetgroupbindings";
  /** The reference's finalizer: removed once the targets are deregistered. */
  public static final String FINALIZER = "elbv2.k8s.aws/resources";
  public static final String INSTANCE = "instance";
  public static final String IP = "ip";

  /** spec.serviceRef: the port is a number or a port name, as written. */
  public record ServiceRef(String name, String port) {}

  public String key() {
    return namespace + "/" + name;
  }

  public boolean ipMode() {
    return targetType.map(IP::equals).orElse(false);
  }

  /** Reads a TargetGroupBinding object; {@code namespace} when its metadata has none (an admission request's). */
  @SuppressWarnings("unchecked")
  public static TargetGroupBinding of(GenericKubernetesResource r, String namespace) {
    var m = r.getMetadata();
    Object spec = r.getAdditionalProperties().get("spec");
    String ns = m.getNamespace() == null || m.getNamespace().isEmpty() ? namespace : m.getNamespace();
    return of(ns, m.getName() == null ? "" : m.getName(), m.getUid(), m.getGeneration() == null ? 0 : m.getGeneration(),
        m.getDeletionTimestamp() != null, spec instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of());
  }

  /** Reads the object's metadata values and its spec map (as JSON decodes it). */
  public static TargetGroupBinding of(String namespace, String name, String uid, long generation, boolean deleting,
      Map<String, Object> spec) {
    Map<String, Object> s = spec == null ? Map.of() : spec;
    Map<String, Object> ref = map(s.get("serviceRef"));
    Object port = ref.get("port");
    String portText = port == null ? "" : port instanceof Number n ? String.valueOf(n.intValue()) : port.toString();
    return new TargetGroupBinding(namespace, name, str(uid), generation, deleting, str(s.get("targetGroupARN")),
        str(s.get("targetGroupName")), opt(s.get("targetType")), new ServiceRef(str(ref.get("name")), portText),
        s.get("nodeSelector") == null ? Optional.empty() : Optional.of(selector(map(s.get("nodeSelector")))),
        opt(s.get("ipAddressType")), str(s.get("vpcID")), Boolean.TRUE.equals(s.get("multiClusterTargetGroup")),
        str(s.get("iamRoleArnToAssume")), s.get("networking") != null);
  }

  private static NodeSelector selector(Map<String, Object> m) {
    Map<String, String> labels = new LinkedHashMap<>();
    map(m.get("matchLabels")).forEach((k, v) -> labels.put(k, str(v)));
    List<NodeSelector.Requirement> reqs = new ArrayList<>();
    if (m.get("matchExpressions") instanceof List<?> list) {
      for (Object o : list) {
        Map<String, Object> e = map(o);
        List<String> values = e.get("values") instanceof List<?> vs ? vs.stream().map(TargetGroupBinding::str).toList() : List.of();
        reqs.add(new NodeSelector.Requirement(str(e.get("key")), str(e.get("operator")), values));
      }
    }
    return new NodeSelector(labels, reqs);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  private static Optional<String> opt(Object o) {
    return o == null || o.toString().isEmpty() ? Optional.empty() : Optional.of(o.toString());
  }
}
