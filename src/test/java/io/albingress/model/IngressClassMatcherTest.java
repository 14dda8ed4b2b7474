package io.albingress.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngressClassMatcherTest {
  private static final IngressClass CUSTOM = new IngressClassBuilder().withNewMetadata().withName("internal").endMetadata()
      .withNewSpec().withController(IngressClassMatcher.CONTROLLER).endSpec().build();

  private static Ingress ingress(String className) {
    return new IngressBuilder().withNewMetadata().withNamespace("shop").withName("shop").endMetadata()
        .withNewSpec().withIngressClassName(className).endSpec().build();
  }

  @Test
  void aDeletedCustomClassMakesTheIngressUnknownNotSomeoneElses() {
    Map<String, IngressClass> classes = new java.util.HashMap<>(Map.of("internal", CUSTOM));
    IngressClassMatcher matcher = new IngressClassMatcher("alb", name -> Optional.ofNullable(classes.get(name)));
    assertThat(matcher.isOurs(ingress("internal"))).isTrue();
    assertThat(matcher.classMissing(ingress("internal"))).isFalse();

    classes.remove("internal");
    assertThat(matcher.classMissing(ingress("internal"))).isTrue();
    // our own class name counts as ours even before its IngressClass exists
    assertThat(matcher.classMissing(ingress("alb"))).isFalse();
    assertThat(matcher.isOurs(ingress("alb"))).isTrue();
    assertThat(matcher.classMissing(new IngressBuilder().withNewMetadata().withName("legacy").endMetadata().build())).isFalse();
  }
}
