package io.albingress.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        ports: [{name: http, port: 80}]
      """;
  private static final String INGRESS_NO_NAMESPACE = """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: web
        annotations: {alb.ingress.kubernetes.io/group.name: " front "}
      spec:
        ingressClassName: alb
        defaultBackend: {service: {name: web, port: {number: 80}}}
      """;

  private static Manifests fromStdin(String yaml) throws Manifests.UnreadableManifest {
    return new Manifests(new KubernetesSerialization()).read("-", stream(yaml));
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String names(java.util.List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()).toList().toString();
  }

  @Test
  void multiDocumentYamlSkipsEmptyDocumentsAndOtherKinds() throws Exception {
    Manifests m = fromStdin("---\n" + SERVICE + "---\n---\n# only a comment\n---\n"
        + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n---\n" + INGRESS_NO_NAMESPACE);
    assertThat(names(m.all(Service.class))).isEqualTo("[shop/web]");
    assertThat(names(m.all(Ingress.class))).isEqualTo("[default/web]");
    assertThat(m.all(HasMetadata.class)).hasSize(2);
  }

  @Test
  void listKindItemsAreRead() throws Exception {
    Manifests m = fromStdin("""
        apiVersion: v1
        kind: List
        items:
          - {apiVersion: v1, kind: Service, metadata: {name: a, namespace: shop}, spec: {ports: [{port: 80}]}}
          - {apiVersion: v1, kind: Service, metadata: {name: b}, spec: {ports: [{port: 80}]}}
          - apiVersion: v1
            kind: List
            items:
              - {apiVersion: networking.k8s.io/v1, kind: IngressClass, metadata: {name: alb}, spec: {controller: ingress.k8s.aws/alb}}
        """);
    assertThat(names(m.all(Service.class))).isEqualTo("[shop/a, default/b]");
    assertThat(m.ingressClass("alb")).isPresent();
  }

  @Test
  void namespacedObjectsDefaultToTheDefaultNamespaceAndClusterScopedOnesDoNot() throws Exception {
    Manifests m = fromStdin(INGRESS_NO_NAMESPACE
        + "---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: alb}\nspec: {controller: ingress.k8s.aws/alb}\n"
        + "---\napiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n");
    assertThat(m.all(Ingress.class).get(0).getMetadata().getNamespace()).isEqualTo("default");
    assertThat(m.all(IngressClass.class).get(0).getMetadata().getNamespace()).isNull();
    assertThat(m.all(io.fabric8.kubernetes.api.model.Node.class).get(0).getMetadata().getNamespace()).isNull();
  }

  @Test
  void clusterViewLookups() throws Exception {
    Manifests m = fromStdin(SERVICE + "---\n" + INGRESS_NO_NAMESPACE);
    assertThat(m.service("shop", "web")).isPresent();
    assertThat(m.service("default", "web")).isEmpty();
    assertThat(m.knowsServices()).isTrue();
    assertThat(m.groupMembers("front")).hasSize(1); // the annotation value is trimmed
    assertThat(m.groupMembers("back")).isEmpty();
    assertThat(fromStdin(INGRESS_NO_NAMESPACE).knowsServices()).isFalse();
  }

  @Test
  void aDirectoryIsReadInNameOrderSkippingOtherFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("b.yml"), "apiVersion: v1\nkind: Service\nmetadata: {name: b, namespace: shop}\n");
    Files.writeString(dir.resolve("a.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\n");
    Files.writeString(dir.resolve("c.json"), "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"c\", \"namespace\": \"shop\"}}");
    Files.writeString(dir.resolve("notes.txt"), "not: [yaml");
    Files.createDirectory(dir.resolve("nested.yaml"));
    Manifests m = new Manifests(new KubernetesSerialization()).read(dir.toString(), stream(""));
    assertThat(names(m.all(Service.class))).isEqualTo("[shop/a, shop/b, shop/c]");
  }

  @Test
  void problemsAreOneLineNamingTheSourceAndDocument(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> fromStdin(SERVICE + "---\napiVersion: v1\nkind: Service\nmetadata: {namespace: shop}\n"))
        .isInstanceOf(Manifests.UnreadableManifest.class).hasMessage("<stdin> document 2: Service has no metadata.name");
    assertThatThrownBy(() -> fromStdin("kind: Service\nmetadata: {name: x\n"))
        .hasMessageStartingWith("<stdin>: not valid YAML at line").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> fromStdin("kind: Service\nmetadata: {name: x}\nspec: {ports: 5}\n"))
        .hasMessageStartingWith("<stdin> document 1: not a valid Service: ").hasMessageEndingWith("(at spec.ports)")
        .hasMessageNotContaining("\n");
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> new Manifests(new KubernetesSerialization()).read(missing.toString(), stream("")))
        .hasMessage("cannot read " + missing + ": no such file or directory");
  }
}
