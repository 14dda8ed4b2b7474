package io.albingress.model;

import io.albingress.annotations.AnnotationCatalog;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.albingress.model.params.ClassParams;
import io.albingress.model.params.ClassParamsOverlay;
import io.albingress.model.params.ParamsLookup;
import io.albingress.model.params.ParamsSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Decides whether an Ingress belongs to this controller. */
public final class IngressClassMatcher {
  public static final String CONTROLLER = "ingress.k8s.aws/alb";

  public enum Match { OURS, OURS_LEGACY_ANNOTATION, NOT_OURS }

  private final String className;
  private final Function<String, Optional<IngressClass>> classes;
  private final ParamsSource params;

  /**
   * @param className the --ingress-class name, also the legacy annotation value we honour
   * @param classes IngressClass lookup by name (an informer cache, or manifests for plan)
   */
  public IngressClassMatcher(String className, Function<String, Optional<IngressClass>> classes) {
    this(className, classes, ParamsSource.NONE);
  }

  /** @param params the IngressClassParams and namespace labels the classes' spec.parameters refer to */
  public IngressClassMatcher(String className, Function<String, Optional<IngressClass>> classes, ParamsSource params) {
    this.className = className;
    this.classes = classes;
    this.params = params;
  }

  public ParamsSource paramsSource() {
    return params;
  }

  /** The IngressClassParams of the Ingress's class (only for an Ingress of ours named by spec.ingressClassName). */
  public ParamsLookup params(Ingress ingress) {
    String specClass = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    if (specClass == null || match(ingress) == Match.NOT_OURS) {
      return ParamsLookup.NONE;
    }
    Optional<IngressClass> cls = classes.apply(specClass);
    if (cls.isEmpty() || cls.get().getSpec() == null || cls.get().getSpec().getParameters() == null) {
      return ParamsLookup.NONE;
    }
    var ref = cls.get().getSpec().getParameters();
    return ParamsLookup.resolve(specClass, ref.getApiGroup(), ref.getKind(), ref.getName(), params);
  }

  /** The Ingress parsed with its class's params laid over its annotations (see {@link ClassParamsOverlay}). */
  public ParsedIngress parse(Ingress ingress) {
    return parse(ingress, params(ingress));
  }

  public static ParsedIngress parse(Ingress ingress, ParamsLookup lookup) {
    if (lookup.params().isEmpty()) {
      return ParsedIngress.of(ingress);
    }
    return ParsedIngress.of(withParams(ingress, lookup.params().get()));
  }

  /** A copy of the Ingress whose annotations are its effective ones: the params win where the reference says so. */
  public static Ingress withParams(Ingress ingress, ClassParams p) {
    Map<String, String> own = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    return new IngressBuilder(ingress).editOrNewMetadata().withAnnotations(ClassParamsOverlay.effective(p, own)).endMetadata().build();
  }

  /** The Ingress's group: its class params' group, which wins over the group.name annotation as in the reference. */
  public Optional<String> groupName(Ingress ingress) {
    Optional<String> fromParams = params(ingress).params().flatMap(ClassParams::group);
    return fromParams.isPresent() ? fromParams : IngressGroup.groupName(ingress);
  }

  /** The stack an Ingress belongs to, with its class params' group taken into account. */
  public StackId stackOf(Ingress ingress) {
    return groupName(ingress).map(StackId::group)
        .orElse(StackId.ingress(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName()));
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
