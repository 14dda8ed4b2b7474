package io.albingress.webhook;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.validation.ClusterView;
import io.albingress.validation.IngressValidator;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The validating webhook for Ingresses: decides what to check, gathers AWS facts, runs the validator. */
public final class IngressAdmission {
  private final IngressValidator validator;
  private final ClusterView cluster;
  private final AwsFactsSource aws;

  public IngressAdmission(IngressValidator validator, ClusterView cluster, AwsFactsSource aws) {
    this.validator = validator;
    this.cluster = cluster;
    this.aws = aws;
  }

  public Future<AdmissionReply> review(AdmissionRequestView<Ingress> request) {
    if (!request.isKind("networking.k8s.io", "v1", "Ingress")) {
      return Future.succeededFuture(AdmissionReply.deny(
          "this webhook validates networking.k8s.io/v1 Ingress objects, not " + request.kindText()));
    }
    if (!request.operation().equals("CREATE") && !request.operation().equals("UPDATE")) {
      return Future.succeededFuture(AdmissionReply.allow());
    }
    Ingress ingress = request.object();
    if (ingress.getMetadata() == null) {
      ingress.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    }
    if (ingress.getMetadata().getNamespace() == null) {
      ingress.getMetadata().setNamespace(request.namespace());
    }
    if (ingress.getMetadata().getDeletionTimestamp() != null || unchangedUpdate(request, ingress)) {
      return Future.succeededFuture(AdmissionReply.allow());
    }
    String subject = "Ingress " + ingress.getMetadata().getNamespace() + "/" + nameOf(ingress);
    IngressValidator.Prepared prepared = validator.prepare(ingress);
    return aws.lookup(prepared.needs()).map(facts -> AdmissionReply.of(validator.validate(prepared, cluster, facts), subject));
  }

  /**
   * Updates that change neither spec nor our annotations (finalizers, labels, other controllers'
   * annotations) are allowed unchecked, so a fact that went stale later never blocks the
   * controller's own finalizer updates or a deletion.
   */
  private static boolean unchangedUpdate(AdmissionRequestView<Ingress> request, Ingress ingress) {
    if (!request.operation().equals("UPDATE") || request.oldObject() == null) {
      return false;
    }
    Ingress old = request.oldObject();
    return Objects.equals(old.getSpec(), ingress.getSpec()) && relevantAnnotations(old).equals(relevantAnnotations(ingress));
  }

  private static Map<String, String> relevantAnnotations(Ingress ingress) {
    Map<String, String> relevant = new TreeMap<>();
    Map<String, String> all = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    if (all != null) {
      all.forEach((k, v) -> {
        if (k.startsWith(AnnotationCatalog.PREFIX) || k.equals(AnnotationCatalog.LEGACY_CLASS)) {
          relevant.put(k, v);
        }
      });
    }
    return relevant;
  }

  private static String nameOf(Ingress ingress) {
    String name = ingress.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      String generate = ingress.getMetadata().getGenerateName();
      return (generate == null ? "" : generate) + "<generated>";
    }
    return name;
  }
}
