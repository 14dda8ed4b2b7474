package io.albingress.webhook;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.validation.ServiceValidator;
import io.fabric8.kubernetes.api.model.Service;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The validating webhook for Services ({@link WebhookServer#VALIDATE_SERVICE_PATH}): registered fail-open
 * (failurePolicy Ignore) and, through matchConditions, only for Services carrying
 * alb.ingress.kubernetes.io/ annotations; it looks at nothing else, whatever Ingress or class uses the Service.
 */
public final class ServiceAdmission {
  private final ServiceValidator validator = new ServiceValidator();

  public Future<AdmissionReply> review(AdmissionRequestView<Service> request) {
    if (!request.isKind("", "v1", "Service")) {
      return Future.succeededFuture(AdmissionReply.deny("this webhook validates v1 Service objects, not " + request.kindText()));
    }
    if (!request.operation().equals("CREATE") && !request.operation().equals("UPDATE")) {
      return Future.succeededFuture(AdmissionReply.allow());
    }
    Service service = request.object();
    if (service.getMetadata() == null) {
      service.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    }
    if (service.getMetadata().getNamespace() == null) {
      service.getMetadata().setNamespace(request.namespace());
    }
    // deletions in progress, and updates that leave our annotations as they were (a new port, a label), pass unchecked
    if (service.getMetadata().getDeletionTimestamp() != null || ours(service).isEmpty()
        || request.operation().equals("UPDATE") && request.oldObject() != null && Objects.equals(ours(request.oldObject()), ours(service))) {
      return Future.succeededFuture(AdmissionReply.allow());
    }
    String name = service.getMetadata().getName() == null ? "<generated>" : service.getMetadata().getName();
    return Future.succeededFuture(AdmissionReply.of(validator.validate(service), "Service " + service.getMetadata().getNamespace() + "/" + name));
  }

  private static Map<String, String> ours(Service service) {
    Map<String, String> relevant = new TreeMap<>();
    Map<String, String> all = service.getMetadata() == null ? null : service.getMetadata().getAnnotations();
    if (all != null) {
      all.forEach((k, v) -> {
        if (k.startsWith(AnnotationCatalog.PREFIX)) {
          relevant.put(k, v);
        }
      });
    }
    return relevant;
  }
}
