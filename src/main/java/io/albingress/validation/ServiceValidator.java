package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.FieldError;
import io.albingress.annotations.TargetAnnotations;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import java.util.Optional;

/**
 * Validates the alb.ingress.kubernetes.io/ annotations of a Service, whatever Ingress uses it: the
 * keys the reference reads on a Service (AnnotationCatalog.SERVICE_READ) are parsed and a bad value
 * is denied naming key and value; a key the catalogue denies is denied as on an Ingress; keys not
 * applied, Ingress-only keys and unknown keys get a warning. Pure.
 */
public final class ServiceValidator {
  static final String TARGET_CONTROL_PORT = "target-control-port";

  public Verdict validate(Service service) {
    Map<String, String> annotations = ClusterView.annotations(service);
    Findings findings = new Findings();
    String id = "Service " + service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
    for (String name : AnnotationCatalog.ourNames(annotations)) {
      String catalogued = name.startsWith(TARGET_CONTROL_PORT + ".") ? TARGET_CONTROL_PORT : name;
      AnnotationCatalog.Support support = AnnotationCatalog.support(catalogued).orElse(null);
      if (support == AnnotationCatalog.Support.DENIED) {
        findings.deny(key(name) + " is not applied by this controller yet; the ALB would be without "
            + AnnotationCatalog.deniedBecause(name) + ", so the Service is refused rather than left unprotected."
            + " Remove the annotation, or keep this Service's Ingresses on a controller that applies it");
      } else if (support == AnnotationCatalog.Support.IGNORED) {
        findings.warn(key(name) + " is not applied by this controller and is ignored");
      } else if (support == null && !AnnotationCatalog.isKnown(name)) {
        Optional<String> closest = AnnotationCatalog.closest(name);
        findings.warn(key(name) + " is not a known annotation and is ignored"
            + closest.map(c -> "; did you mean " + key(c) + "?").orElse(""));
      } else if (!AnnotationCatalog.SERVICE_READ.contains(catalogued)) {
        findings.warn(key(name) + " has no effect on a Service; it is read from the Ingress only");
      }
    }
    // the target-group keys and tags: parsed alone (the Ingress's values are not known here)
    TargetAnnotations.parse(Map.of(), annotations, id).errors().stream()
        .filter(e -> !crossesTheIngress(e))
        .map(FieldError::render).forEach(findings::deny);
    findings.deny(TargetAnnotations.serviceTags(annotations, id).errors());
    return findings.verdict();
  }

  /**
   * The health-check timeout must be below the interval: when only one of them is set here, the
   * other may come from the Ingress, so the Ingress's admission judges the pair, not this one.
   */
  private static boolean crossesTheIngress(FieldError e) {
    return e.message().contains("must be less than its interval") && e.message().contains(", the default)");
  }
}
