package io.albingress.webhook;

import io.albingress.annotations.FieldError;
import io.albingress.model.params.ClassParams;
import io.albingress.model.params.ClassParamsParser;
import io.albingress.validation.Verdict;
import io.albingress.annotations.Parsed;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validating webhook for elbv2.k8s.aws/v1beta1 IngressClassParams: every field is checked as the annotation it
 * overrides would be, and a field this controller does not apply yet is denied rather than ignored.
 */
public final class ClassParamsAdmission {
  public Future<AdmissionReply> review(AdmissionRequestView<GenericKubernetesResource> request) {
    if (!request.isKind("elbv2.k8s.aws", "v1beta1", "IngressClassParams")) {
      return Future.succeededFuture(AdmissionReply.deny(
          "this webhook validates elbv2.k8s.aws/v1beta1 IngressClassParams objects, not " + request.kindText()));
    }
    if (!request.operation().equals("CREATE") && !request.operation().equals("UPDATE")) {
      return Future.succeededFuture(AdmissionReply.allow());
    }
    GenericKubernetesResource object = request.object();
    String name = object.getMetadata() == null || object.getMetadata().getName() == null ? "<generated>" : object.getMetadata().getName();
    if (object.getMetadata() != null && object.getMetadata().getDeletionTimestamp() != null) {
      return Future.succeededFuture(AdmissionReply.allow());
    }
    return Future.succeededFuture(AdmissionReply.of(verdict(name, spec(object)), "IngressClassParams " + name));
  }

  /** Pure: the verdict on one params spec. */
  public static Verdict verdict(String name, Map<String, Object> spec) {
    Parsed<ClassParams> parsed = ClassParamsParser.parse(name, spec);
    List<String> warnings = new ArrayList<>();
    ClassParams p = parsed.value();
    if (p.group().isPresent() && p.namespaceSelector().isEmpty()) {
      warnings.add("spec.group.name: without spec.namespaceSelector, Ingresses of this class from every namespace join group \""
          + p.group().get() + "\", and other classes' Ingresses from any namespace may join it with the group.name annotation");
    }
    return new Verdict(parsed.errors().stream().map(FieldError::render).toList(), warnings);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource object) {
    Object spec = object.getAdditionalProperties() == null ? null : object.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
