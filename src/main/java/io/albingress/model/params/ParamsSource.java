package io.albingress.model.params;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where IngressClassParams and namespace labels come from: informer caches in the controller, manifests in plan. */
public interface ParamsSource {
  ParamsSource NONE = new ParamsSource() {
    @Override
    public Optional<Map<String, Object>> spec(String name) {
      return Optional.empty();
    }

    @Override
    public List<String> names() {
      return List.of();
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
      return Optional.empty();
    }
  };

  /** The {@code spec} of the IngressClassParams of this name; empty when there is no such object. */
  Optional<Map<String, Object>> spec(String name);

  /** The names of every IngressClassParams. */
  List<String> names();

  /** The labels of a namespace; empty when the namespace is not known. */
  Optional<Map<String, String>> namespaceLabels(String namespace);
}
