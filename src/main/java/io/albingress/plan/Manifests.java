package io.albingress.plan;

import io.albingress.model.params.ParamsLookup;
import io.albingress.model.params.ParamsSource;
import io.albingress.validation.ClusterView;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.albingress.gateway.LoadBalancerConfigs;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Kubernetes objects read from multi-document YAML (or JSON) files; a ClusterView for offline checks. */
public final class Manifests implements ClusterView, ParamsSource {
  private static final YAMLMapper YAML = new YAMLMapper();
  /** The reference's per-Service target group configuration (gateway.k8s.aws). */
  public static final String TARGET_GROUP_CONFIGURATION = "TargetGroupConfiguration";
  /** The reference's per-rule configuration (gateway.k8s.aws), named by an HTTPRoute ExtensionRef filter. */
  public static final String LISTENER_RULE_CONFIGURATION = "ListenerRuleConfiguration";
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
      Map.entry("Ingress", Ingress.class), Map.entry("Service", Service.class), Map.entry("IngressClass", IngressClass.class),
      Map.entry("Node", Node.class), Map.entry("EndpointSlice", EndpointSlice.class),
      Map.entry("Namespace", io.fabric8.kubernetes.api.model.Namespace.class), Map.entry(ParamsLookup.KIND, GenericKubernetesResource.class),
      // the Gateway API (v1 model classes read v1beta1 objects too: same schema) and the reference's CRDs
      Map.entry("GatewayClass", GatewayClass.class), Map.entry("Gateway", Gateway.class), Map.entry("HTTPRoute", HTTPRoute.class),
      Map.entry("GRPCRoute", GRPCRoute.class), Map.entry("ReferenceGrant", ReferenceGrant.class),
      Map.entry("ListenerSet", io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet.class),
      Map.entry(LoadBalancerConfigs.KIND, GenericKubernetesResource.class), Map.entry(TARGET_GROUP_CONFIGURATION, GenericKubernetesResource.class),
      Map.entry(LISTENER_RULE_CONFIGURATION, GenericKubernetesResource.class));

  /** A file that could not be read or parsed. */
  public static final class UnreadableManifest extends Exception {
    public UnreadableManifest(String message) {
      super(message, null, false, false);
    }
  }

  private final List<HasMetadata> objects = new ArrayList<>();
  private final KubernetesSerialization serialization;

  public Manifests(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  KubernetesSerialization serialization() {
    return serialization;
  }

  /** Reads a file, every .yaml/.yml/.json file of a directory (sorted), or "-" for standard input. */
  public Manifests read(String source, InputStream stdin) throws UnreadableManifest {
    if (source.equals("-")) {
      parse("<stdin>", stdin);
      return this;
    }
    Path path = Path.of(source);
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        for (Path f : files.filter(Manifests::isManifest).sorted().toList()) {
          readFile(f);
        }
      } catch (IOException e) {
        throw new UnreadableManifest("cannot list " + path + ": " + e.getMessage());
      }
    } else {
      readFile(path);
    }
    return this;
  }

  private void readFile(Path file) throws UnreadableManifest {
    try (InputStream in = Files.newInputStream(file)) {
      parse(file.toString(), in);
    } catch (NoSuchFileException e) {
      throw new UnreadableManifest("cannot read " + file + ": no such file or directory");
    } catch (AccessDeniedException e) {
      throw new UnreadableManifest("cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw new UnreadableManifest("cannot read " + file + ": " + oneLine(String.valueOf(e.getMessage())));
    }
  }

  private void parse(String name, InputStream in) throws UnreadableManifest {
    int index = 0;
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(in)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        index++;
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        add(name, index, doc);
      }
    } catch (JacksonException e) {
      throw new UnreadableManifest(name + ": not valid YAML" + location(e) + ": " + oneLine(e.getOriginalMessage()));
    }
  }

  private void add(String name, int index, JsonNode doc) throws UnreadableManifest {
    if (doc.path("kind").asString("").equals("List")) {
      for (JsonNode item : doc.path("items")) {
        add(name, index, item);
      }
      return;
    }
    Class<? extends HasMetadata> type = KINDS.get(doc.path("kind").asString(""));
    if (type == null) {
      return; // other kinds (Deployments, ...) are not ours to read
    }
    try {
      HasMetadata object = serialization.convertValue(doc, type);
      if (object.getMetadata() == null || object.getMetadata().getName() == null) {
        throw new UnreadableManifest(name + " document " + index + ": " + type.getSimpleName() + " has no metadata.name");
      }
      if (object.getMetadata().getNamespace() == null && !(object instanceof IngressClass) && !(object instanceof Node)
          && !(object instanceof GatewayClass) && !ParamsLookup.KIND.equals(object.getKind())
          && !(object instanceof io.fabric8.kubernetes.api.model.Namespace)) {
        object.getMetadata().setNamespace("default");
      }
      objects.add(object);
    } catch (RuntimeException e) {
      throw new UnreadableManifest(name + " document " + index + ": not a valid " + type.getSimpleName() + ": " + problem(e));
    }
  }

  /** Adds one document (a map as YAML would give it), as if read from {@code source}. */
  public Manifests addDocument(String source, Map<String, Object> document) throws UnreadableManifest {
    add(source, objects.size() + 1, YAML.valueToTree(document));
    return this;
  }

  /** Adds objects read elsewhere (Services and Namespaces of another set of manifests). */
  public Manifests addAll(List<? extends HasMetadata> more) {
    objects.addAll(more);
    return this;
  }

  /** The parser's problem without its source excerpts, which point at a line and make the message several lines long. */
  private static String oneLine(String message) {
    String text = message == null ? "" : message;
    String kept = text.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).map(String::trim)
        .collect(Collectors.joining("; "));
    return kept.isEmpty() ? text.strip().replaceAll("\\s+", " ") : kept;
  }

  private static String location(JacksonException e) {
    TokenStreamLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /** A conversion problem in one line, naming the field (spec.ports) rather than Java types' reference chain. */
  private static String problem(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException j) {
        String path = j.getPath().stream()
            .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining(".")).replace(".[", "[");
        return oneLine(j.getOriginalMessage()) + (path.isEmpty() ? "" : " (at " + path + ")");
      }
    }
    return oneLine(String.valueOf(e.getMessage()));
  }

  private static boolean isManifest(Path p) {
    String n = p.getFileName().toString();
    return (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")) && Files.isRegularFile(p);
  }

  /** IngressClassParams (cluster-scoped) by name. */
  @Override
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> spec(String name) {
    return all(GenericKubernetesResource.class).stream().filter(r -> ParamsLookup.KIND.equals(r.getKind()) && name.equals(r.getMetadata().getName()))
        .findFirst().map(r -> r.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
  }

  @Override
  public List<String> names() {
    return all(GenericKubernetesResource.class).stream().filter(r -> ParamsLookup.KIND.equals(r.getKind()))
        .map(r -> r.getMetadata().getName()).sorted().toList();
  }

  /** A Namespace's labels from the manifests; one not given has only the label the apiserver always sets. */
  @Override
  public Optional<Map<String, String>> namespaceLabels(String namespace) {
    return Optional.of(all(io.fabric8.kubernetes.api.model.Namespace.class).stream()
        .filter(n -> namespace.equals(n.getMetadata().getName())).findFirst()
        .map(n -> n.getMetadata().getLabels() == null ? Map.<String, String>of() : n.getMetadata().getLabels())
        .orElse(Map.of("kubernetes.io/metadata.name", namespace)));
  }

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return all(Service.class).stream()
        .filter(s -> namespace.equals(s.getMetadata().getNamespace()) && name.equals(s.getMetadata().getName())).findFirst();
  }

  @Override
  public Optional<IngressClass> ingressClass(String name) {
    return all(IngressClass.class).stream().filter(c -> name.equals(c.getMetadata().getName())).findFirst();
  }

  @Override
  public List<Ingress> groupMembers(String groupName) {
    return all(Ingress.class).stream().filter(i -> io.albingress.model.IngressGroup.groupName(i).filter(groupName::equals).isPresent()).toList();
  }


  @Override
  public List<Ingress> withLoadBalancerName(String name) {
    String key = io.albingress.annotations.AnnotationCatalog.key("load-balancer-name");
    return all(Ingress.class).stream().filter(i -> i.getMetadata().getAnnotations() != null
        && name.equals(i.getMetadata().getAnnotations().get(key))).toList();
  }

  /** The spec of a namespaced custom resource of this kind by "namespace/name" (LoadBalancerConfiguration, ...). */
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> customSpec(String kind, String namespacedName) {
    return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())
            && namespacedName.equals(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()))
        .findFirst().map(r -> r.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
  }

  /** Every namespaced custom resource of this kind, with its spec. */
  @SuppressWarnings("unchecked")
  public List<io.albingress.gateway.GatewayExtensions.ConfigSpec> customSpecs(String kind) {
    return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind()))
        .map(r -> new io.albingress.gateway.GatewayExtensions.ConfigSpec(r.getMetadata().getNamespace(), r.getMetadata().getName(),
            r.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.<String, Object>of()))
        .toList();
  }

  @Override
  public boolean knowsServices() {
    return !all(Service.class).isEmpty();
  }
}
