package io.albingress.model.params;

import io.albingress.annotations.FieldError;
import java.util.Optional;

/**
 * What an Ingress's IngressClass says about params: none, usable params, or a problem that keeps the Ingress out
 * (parameters of another kind, a missing or invalid IngressClassParams), as the reference refuses such a class.
 */
public record ParamsLookup(Optional<ClassParams> params, Optional<String> problem) {
  public static final String API_GROUP = "elbv2.k8s.aws";
  public static final String KIND = "IngressClassParams";
  public static final ParamsLookup NONE = new ParamsLookup(Optional.empty(), Optional.empty());

  /**
   * @param className the IngressClass
   * @param apiGroup, kind, name its spec.parameters (name null when it has none)
   */
  public static ParamsLookup resolve(String className, String apiGroup, String kind, String name, ParamsSource source) {
    if (name == null) {
      return NONE;
    }
    if (!API_GROUP.equals(apiGroup) || !KIND.equals(kind)) {
      return problem("IngressClass " + className + " references unknown parameters " + (apiGroup == null ? "" : apiGroup + "/")
          + kind + " " + name + "; this controller reads only " + API_GROUP + " " + KIND);
    }
    var spec = source.spec(name);
    if (spec.isEmpty()) {
      return problem("IngressClass " + className + " references IngressClassParams " + name + ", which does not exist");
    }
    var parsed = ClassParamsParser.parse(name, spec.get());
    if (!parsed.ok()) {
      return problem("IngressClassParams " + name + " (of IngressClass " + className + ") is invalid: "
          + String.join("; ", parsed.errors().stream().map(FieldError::render).toList()));
    }
    return new ParamsLookup(Optional.of(parsed.value()), Optional.empty());
  }

  static ParamsLookup problem(String text) {
    return new ParamsLookup(Optional.empty(), Optional.of(text));
  }
}
