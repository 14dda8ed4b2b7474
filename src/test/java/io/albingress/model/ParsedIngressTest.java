package io.albingress.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsedIngressTest {
  private static final String FORWARD = "alb.ingress.kubernetes.io/actions.split";

  private static Ingress ingress(Map<String, String> annotations) {
    return new IngressBuilder()
        .withNewMetadata().withNamespace("shop").withName("web").withAnnotations(annotations).endMetadata()
        .withNewSpec()
        .withNewDefaultBackend().withNewService().withName("fallback").withNewPort().withNumber(80).endPort().endService().endDefaultBackend()
        .addNewRule().withHost("shop.example.com").withNewHttp()
        .addNewPath().withPath("/").withPathType("Prefix")
        .withNewBackend().withNewService().withName("web").withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
        .addNewPath().withPath("/split").withPathType("Prefix")
        .withNewBackend().withNewService().withName("split").withNewPort().withName("use-annotation").endPort().endService().endBackend()
        .endPath()
        .addNewPath().withPath("/again").withPathType("Prefix")
        .withNewBackend().withNewService().withName("web").withNewPort().withNumber(8080).endPort().endService().endBackend().endPath()
        .endHttp().endRule()
        .endSpec().build();
  }

  @Test
  void serviceKeysNameEveryBackendDefaultBackendAndForwardTargetOnce() {
    Ingress ingress = ingress(Map.of(FORWARD, """
        {"type":"forward","forwardConfig":{"targetGroups":[
          {"serviceName":"blue","servicePort":"80","weight":50},{"serviceName":"green","servicePort":"80","weight":50}]}}"""));
    assertThat(ParsedIngress.serviceKeys(ingress))
        .containsExactly("shop/blue", "shop/fallback", "shop/green", "shop/web");
  }

  @Test
  void aUseAnnotationBackendWithoutForwardActionUsesNoService() {
    Ingress ingress = ingress(Map.of(FORWARD, """
        {"type":"fixed-response","fixedResponseConfig":{"statusCode":"404"}}"""));
    assertThat(ParsedIngress.serviceKeys(ingress)).containsExactly("shop/fallback", "shop/web");
  }

  @Test
  void anIngressWithoutSpecOrAnnotationsUsesNothing() {
    Ingress bare = new IngressBuilder().withNewMetadata().withNamespace("shop").withName("bare").endMetadata().build();
    assertThat(ParsedIngress.serviceKeys(bare)).isEmpty();
    assertThat(ParsedIngress.of(bare).parsed().errors()).isEmpty();
  }

  @Test
  void equalAnnotationsAreParsedOnceAndShareTheResult() {
    Map<String, String> annotations = Map.of("alb.ingress.kubernetes.io/scheme", "internet-facing");
    ParsedIngress first = ParsedIngress.of(ingress(annotations));
    ParsedIngress second = ParsedIngress.of(ingress(Map.copyOf(annotations)));
    assertThat(second.parsed()).isSameAs(first.parsed());
    ParsedIngress other = ParsedIngress.of(ingress(Map.of("alb.ingress.kubernetes.io/scheme", "internal")));
    assertThat(other.parsed()).isNotSameAs(first.parsed());
    assertThat(other.config().scheme()).isNotEqualTo(first.config().scheme());
  }
}
