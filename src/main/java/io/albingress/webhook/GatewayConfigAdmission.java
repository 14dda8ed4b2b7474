package io.albingress.webhook;

import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.albingress.gateway.ListenerRuleConfigParser;
import io.albingress.gateway.TargetGroupConfigParser;
import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The validating webhooks of the reference's {@code gateway.k8s.aws} TargetGroupConfiguration and
 * ListenerRuleConfiguration (v1, and v1beta1 with the same schema): every field is checked as the controller
 * applies it, and a field it cannot apply is denied rather than ignored, each denial naming the field, the value
 * and the fix. What depends on other objects (the Service, the route, the OIDC Secret, a second configuration
 * naming the same Service) is never denied here: objects arrive in any order, so that goes to the route's status.
 */
public final class GatewayConfigAdmission {
  public static final String VALIDATE_TARGET_GROUP_CONFIG_PATH = "/validate-gateway-k8s-aws-v1-targetgroupconfiguration";
  public static final String VALIDATE_LISTENER_RULE_CONFIG_PATH = "/validate-gateway-k8s-aws-v1-listenerruleconfiguration";
  static final String GROUP = "gateway.k8s.aws";

  public Future<AdmissionReply> targetGroupConfig(AdmissionRequestView<GenericKubernetesResource> request) {
    return Future.succeededFuture(review(request, "TargetGroupConfiguration", GatewayConfigAdmission::targetGroupConfig));
  }

  public Future<AdmissionReply> listenerRuleConfig(AdmissionRequestView<GenericKubernetesResource> request) {
    return Future.succeededFuture(review(request, "ListenerRuleConfiguration", GatewayConfigAdmission::listenerRuleConfig));
  }

  /** Pure: the verdict on one TargetGroupConfiguration spec. */
  public static Verdict targetGroupConfig(Map<String, Object> spec) {
    Parsed<TargetGroupConfigParser.TargetGroupConfig> parsed = TargetGroupConfigParser.parse(spec);
    // without spec.targetReference it is a default, used through a LoadBalancerConfiguration's defaultTargetGroupConfiguration
    return new Verdict(parsed.errors().stream().map(FieldError::render).toList(), List.of());
  }

  /** Pure: the verdict on one ListenerRuleConfiguration spec. */
  public static Verdict listenerRuleConfig(Map<String, Object> spec) {
    Parsed<ListenerRuleConfigParser.ListenerRuleConfig> parsed = ListenerRuleConfigParser.parse(spec);
    return new Verdict(parsed.errors().stream().map(FieldError::render).toList(), List.of());
  }

  private static AdmissionReply review(AdmissionRequestView<GenericKubernetesResource> request, String kind,
      Function<Map<String, Object>, Verdict> verdict) {
    if (!request.isKind(GROUP, "v1", kind) && !request.isKind(GROUP, "v1beta1", kind)) {
      return AdmissionReply.deny("this webhook validates " + GROUP + "/v1 " + kind + " objects, not " + request.kindText());
    }
    if (!request.operation().equals("CREATE") && !request.operation().equals("UPDATE")) {
      return AdmissionReply.allow();
    }
    GenericKubernetesResource object = request.object();
    if (object == null || object.getMetadata() != null && object.getMetadata().getDeletionTimestamp() != null) {
      return AdmissionReply.allow();
    }
    // an update that leaves the spec as it was (the controller's finalizer, a label) judges nothing new: an object stored
    // before this webhook stays editable
    if (request.operation().equals("UPDATE") && request.oldObject() != null && spec(request.oldObject()).equals(spec(object))) {
      return AdmissionReply.allow();
    }
    String name = object.getMetadata() == null || object.getMetadata().getName() == null ? "<generated>" : object.getMetadata().getName();
    String ns = object.getMetadata() == null || object.getMetadata().getNamespace() == null ? request.namespace()
        : object.getMetadata().getNamespace();
    return AdmissionReply.of(verdict.apply(spec(object)), kind + " " + ns + "/" + name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource object) {
    Object spec = object.getAdditionalProperties() == null ? null : object.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
