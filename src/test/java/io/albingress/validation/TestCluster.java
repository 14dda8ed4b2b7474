package io.albingress.validation;

import io.albingress.annotations.AnnotationCatalog;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link ClusterView} over plain lists: the test's cluster state, no client or informer behind it. */
final class TestCluster implements ClusterView {
  private final List<Service> services = new ArrayList<>();
  private final List<IngressClass> classes = new ArrayList<>();
  private final List<Ingress> ingresses = new ArrayList<>();
  private boolean knowsServices = true;
  private final Map<String, Map<String, String>> secrets = new java.util.HashMap<>();
  private boolean knowsSecrets = false;

  /** A Secret's decoded OIDC keys; once one is added, Secrets are known (a missing one is then absent). */
  TestCluster withSecret(String namespace, String name, Map<String, String> keys) {
    secrets.put(namespace + "/" + name, keys);
    knowsSecrets = true;
    return this;
  }

  TestCluster knowingSecrets() {
    knowsSecrets = true;
    return this;
  }

  @Override
  public io.albingress.model.OidcSecrets oidcSecrets() {
    boolean known = knowsSecrets;
    return new io.albingress.model.OidcSecrets() {
      @Override
      public Optional<Map<String, String>> keys(String namespace, String name) {
        return Optional.ofNullable(secrets.get(namespace + "/" + name));
      }

      @Override
      public boolean known() {
        return known;
      }
    };
  }

  TestCluster with(Service... added) {
    services.addAll(List.of(added));
    return this;
  }

  TestCluster with(IngressClass... added) {
    classes.addAll(List.of(added));
    return this;
  }

  TestCluster with(Ingress... added) {
    ingresses.addAll(List.of(added));
    return this;
  }

  /** Like plan run without Service manifests. */
  TestCluster withoutServiceKnowledge() {
    knowsServices = false;
    return this;
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return services.stream()
        .filter(s -> Objects.equals(s.getMetadata().getNamespace(), namespace) && Objects.equals(s.getMetadata().getName(), name))
        .findFirst();
  }

  @Override
  public Optional<IngressClass> ingressClass(String name) {
    return classes.stream().filter(c -> Objects.equals(c.getMetadata().getName(), name)).findFirst();
  }

  @Override
  public List<Ingress> groupMembers(String groupName) {
    return ingresses.stream().filter(i -> {
      Map<String, String> a = i.getMetadata().getAnnotations();
      return a != null && groupName.equals(a.getOrDefault(AnnotationCatalog.key("group.name"), "").trim());
    }).toList();
  }

  @Override
  public List<Ingress> withLoadBalancerName(String name) {
    return ingresses.stream().filter(i -> i.getMetadata().getAnnotations() != null
        && name.equals(i.getMetadata().getAnnotations().get(AnnotationCatalog.key("load-balancer-name")))).toList();
  }

  @Override
  public boolean knowsServices() {
    return knowsServices;
  }
}
