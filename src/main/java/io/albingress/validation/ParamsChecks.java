package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.model.params.ClassParams;
import io.albingress.model.params.ClassParamsParser;
import io.albingress.model.params.ParamsSource;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * IngressClassParams rules for one Ingress: its class's params must exist and be valid, their
 * namespaceSelector must select the Ingress's namespace, and a group fixed by some params
 * ({@code spec.group}) may be joined only from namespaces those params select.
 */
final class ParamsChecks {
  private ParamsChecks() {}

  static void run(IngressValidator.Prepared prepared, ParamsSource source, Findings findings) {
    prepared.params().problem().ifPresent(findings::deny);
    String namespace = prepared.ingress().getMetadata().getNamespace();
    String className = prepared.ingress().getSpec() == null ? null : prepared.ingress().getSpec().getIngressClassName();
    Optional<ClassParams> own = prepared.params().params();
    if (own.isPresent() && own.get().namespaceSelector().isPresent()) {
      ClassParams p = own.get();
      Optional<Map<String, String>> labels = source.namespaceLabels(namespace);
      if (labels.isEmpty()) {
        findings.deny("IngressClassParams " + p.name() + " of IngressClass " + className + " restricts namespaces, and namespace "
            + namespace + " is not known to the controller yet; retry in a moment");
      } else if (!p.selects(labels.get())) {
        findings.deny("IngressClass " + className + " may not be used in namespace " + namespace + ": the namespaceSelector of its"
            + " IngressClassParams " + p.name() + " (" + p.namespaceSelector().get() + ") does not select it (namespace labels "
            + new TreeMap<>(labels.get()) + ")");
      }
    }
    Optional<String> group = prepared.parsed().config().groupName();
    if (group.isEmpty()) {
      return;
    }
    for (String name : source.names()) {
      if (own.isPresent() && own.get().name().equals(name)) {
        continue;
      }
      Optional<ClassParams> other = source.spec(name).map(spec -> ClassParamsParser.parse(name, spec).value())
          .filter(p -> p.group().equals(group) && p.namespaceSelector().isPresent());
      if (other.isEmpty()) {
        continue;
      }
      Map<String, String> labels = source.namespaceLabels(namespace).orElse(Map.of());
      if (!other.get().selects(labels)) {
        findings.deny(key("group.name") + ": group \"" + group.get() + "\" is fixed by IngressClassParams " + name
            + ", whose namespaceSelector (" + other.get().namespaceSelector().get() + ") does not select namespace " + namespace
            + " (labels " + new TreeMap<>(labels) + "); only the namespaces it selects may join the group");
      }
    }
  }
}
