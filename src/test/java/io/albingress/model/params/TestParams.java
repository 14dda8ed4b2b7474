package io.albingress.model.params;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** A {@link ParamsSource} over maps: IngressClassParams specs written as YAML, and namespace labels. */
public final class TestParams implements ParamsSource {
  private static final YAMLMapper YAML = new YAMLMapper();
  private final Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();

  @SuppressWarnings("unchecked")
  public static Map<String, Object> yaml(String yaml) {
    Map<String, Object> m = YAML.readValue(yaml, Map.class);
    return m == null ? Map.of() : m;
  }

  public TestParams params(String name, String specYaml) {
    specs.put(name, yaml(specYaml));
    return this;
  }

  public TestParams namespace(String name, Map<String, String> labels) {
    namespaces.put(name, labels);
    return this;
  }

  @Override
  public Optional<Map<String, Object>> spec(String name) {
    return Optional.ofNullable(specs.get(name));
  }

  @Override
  public List<String> names() {
    return List.copyOf(specs.keySet());
  }

  @Override
  public Optional<Map<String, String>> namespaceLabels(String namespace) {
    return Optional.ofNullable(namespaces.get(namespace));
  }
}
