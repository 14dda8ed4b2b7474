package io.albingress.model;

import io.albingress.annotations.AnnotationCatalog;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Decides whether an Ingress belongs to this controller. */
public final class IngressClassMatcher {
  public static final String CONTROLLER = "ingress.k8s.aws/alb";

  public enum Match { OURS, OURS_LEGACY_ANNOTATION, NOT_OURS }

  private final String className;
  private final Function<String, Optional<IngressClass>> classes;

  /**
   * @param className the --ingress-class name, also the legacy annotation value we honour
   * @param classes IngressClass lookup by name (an informer cache, or manifests for plan)
   */
  public IngressClassMatcher(String className, Function<String, Optional<IngressClass>> classes) {
    this.className = className;
    this.classes = classes;
  }

  public String className() {
    return className;
  }

  public Match match(Ingress ingress) {
    String specClass = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    if (specClass != null) {
      Optional<IngressClass> cls = classes.apply(specClass);
      boolean ours = cls.map(c -> c.getSpec() != null && CONTROLLER.equals(c.getSpec().getController()))
          // the class may be created after the Ingress; our own class name counts meanwhile
          .orElse(specClass.equals(className));
      return ours ? Match.OURS : Match.NOT_OURS;
    }
    Map<String, String> annotations = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    String legacy = annotations == null ? null : annotations.get(AnnotationCatalog.LEGACY_CLASS);
    return className.equals(legacy) ? Match.OURS_LEGACY_ANNOTATION : Match.NOT_OURS;
  }

  /**
   * The Ingress names an IngressClass that does not exist (other than ours by name): whose it is is
   * unknown, e.g. while a class is deleted and re-created. Not a reason to delete anything.
   */
  public boolean classMissing(Ingress ingress) {
    String specClass = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    return specClass != null && !specClass.equals(className) && classes.apply(specClass).isEmpty();
  }

  public boolean isOurs(Ingress ingress) {
    return match(ingress) != Match.NOT_OURS;
  }
}
