package io.albingress.webhook;

import io.albingress.binding.BindingChecks;
import io.albingress.binding.TargetGroupBinding;
import io.albingress.validation.Verdict;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonDiff;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The TargetGroupBinding webhooks, as the reference's: the mutating one resolves spec.targetGroupName to
 * the ARN and fills spec.targetType, spec.ipAddressType and spec.vpcID from DescribeTargetGroups; the
 * validating one applies {@link BindingChecks} against the bindings in the cache.
 */
public final class TargetGroupBindingAdmission {
  public static final String MUTATE_PATH = "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding";
  public static final String VALIDATE_PATH = "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding";

  private final KubernetesSerialization serialization;
  private final TargetGroupLookup lookup;
  private final Supplier<List<TargetGroupBinding>> existing;
  private final String controllerVpc;

  public TargetGroupBindingAdmission(KubernetesSerialization serialization, TargetGroupLookup lookup,
      Supplier<List<TargetGroupBinding>> existing, String controllerVpc) {
    this.serialization = serialization;
    this.lookup = lookup;
    this.existing = existing;
    this.controllerVpc = controllerVpc == null ? "" : controllerVpc;
  }

  public Future<AdmissionReply> mutate(AdmissionRequestView<GenericKubernetesResource> request) {
    Optional<AdmissionReply> wrongKind = wrongKind(request);
    if (wrongKind.isPresent()) {
      return Future.succeededFuture(wrongKind.get());
    }
    if (!request.operation().equals("CREATE")) {
      return Future.succeededFuture(AdmissionReply.allow());
    }
    GenericKubernetesResource object = request.object();
    TargetGroupBinding b = TargetGroupBinding.of(object, request.namespace());
    if (b.targetGroupArn().isEmpty() && b.targetGroupName().isEmpty()) {
      return Future.succeededFuture(deny(b, List.of(
          "spec: set exactly one of spec.targetGroupARN or spec.targetGroupName (the target group to bind)")));
    }
    return lookup.find(b.targetGroupArn(), b.targetGroupName()).map(found -> {
      if (found.isEmpty()) {
        return deny(b, List.of(b.targetGroupArn().isEmpty()
            ? "spec.targetGroupName \"" + b.targetGroupName() + "\": no target group of that name in this account and region; create it first or fix the name"
            : "spec.targetGroupARN \"" + b.targetGroupArn() + "\": no such target group in this account and region; create it first or fix the ARN"));
      }
      BindingChecks.Defaults defaults = BindingChecks.defaults(b, found.get());
      if (!defaults.denials().isEmpty()) {
        return deny(b, defaults.denials());
      }
      return patch(object, defaults.set());
    }).recover(e -> {
      // AWS unreachable: a binding that names everything it needs is let through (the webhook must not block on AWS)
      if (!b.targetGroupArn().isEmpty() && b.targetType().isPresent()) {
        return Future.succeededFuture(new AdmissionReply(true, "", List.of("the ALB controller could not look up target group "
            + b.targetGroupArn() + " (" + e.getMessage() + "); spec.ipAddressType and spec.vpcID were not filled in"), Optional.empty()));
      }
      return Future.succeededFuture(deny(b, List.of("could not look up the target group in AWS (" + e.getMessage()
          + "); retry, or set spec.targetGroupARN and spec.targetType yourself")));
    });
  }

  public Future<AdmissionReply> validate(AdmissionRequestView<GenericKubernetesResource> request) {
    Optional<AdmissionReply> wrongKind = wrongKind(request);
    if (wrongKind.isPresent()) {
      return Future.succeededFuture(wrongKind.get());
    }
    TargetGroupBinding b;
    Verdict verdict;
    switch (request.operation()) {
      case "CREATE" -> {
        b = TargetGroupBinding.of(request.object(), request.namespace());
        verdict = BindingChecks.create(b, existing.get(), controllerVpc);
      }
      case "UPDATE" -> {
        b = TargetGroupBinding.of(request.object(), request.namespace());
        TargetGroupBinding old = request.oldObject() == null ? b : TargetGroupBinding.of(request.oldObject(), request.namespace());
        verdict = BindingChecks.update(b, old, existing.get(), controllerVpc);
      }
      default -> {
        return Future.succeededFuture(AdmissionReply.allow());
      }
    }
    return Future.succeededFuture(AdmissionReply.of(verdict, subject(b)));
  }

  private static Optional<AdmissionReply> wrongKind(AdmissionRequestView<GenericKubernetesResource> request) {
    return request.isKind(TargetGroupBinding.GROUP, TargetGroupBinding.VERSION, TargetGroupBinding.KIND) ? Optional.empty()
        : Optional.of(AdmissionReply.deny("this webhook reviews " + TargetGroupBinding.API_VERSION + " TargetGroupBinding objects, not "
            + request.kindText()));
  }

  @SuppressWarnings("unchecked")
  private AdmissionReply patch(GenericKubernetesResource object, Map<String, String> set) {
    if (set.isEmpty()) {
      return AdmissionReply.allow();
    }
    JsonNode before = serialization.convertValue(object, JsonNode.class);
    GenericKubernetesResource copy = serialization.clone(object);
    Object spec = copy.getAdditionalProperties().get("spec");
    Map<String, Object> filled = new LinkedHashMap<>(spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    filled.putAll(set);
    copy.getAdditionalProperties().put("spec", filled);
    JsonNode patch = JsonDiff.asJson(before, serialization.convertValue(copy, JsonNode.class));
    return patch.isEmpty() ? AdmissionReply.allow() : AdmissionReply.patch(patch.toString());
  }

  private static AdmissionReply deny(TargetGroupBinding b, List<String> denials) {
    return AdmissionReply.of(new Verdict(denials, List.of()), subject(b));
  }

  private static String subject(TargetGroupBinding b) {
    return "TargetGroupBinding " + b.key();
  }
}
