package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.IamPolicy;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** kustomize (as kubectl runs it) fills controller.env's cluster name into the IAM policy it renders. */
@ExtendWith(TestEnvironment.class)
class IamPolicyIT {
  @Test
  void kustomizeRendersThePolicyForTheClusterOfControllerEnv(Env env) throws Exception {
    var rendered = env.kubectl(null, "kustomize", env.repo().resolve("deploy").toString());
    assertThat(rendered.exit()).as(rendered.stderr()).isZero();
    List<HasMetadata> objects = new KubernetesSerialization()
        .unmarshal(new ByteArrayInputStream(rendered.stdout().getBytes(StandardCharsets.UTF_8)));
    ConfigMap settings = configMap(objects, "alb-ingress-controller-");
    ConfigMap policy = configMap(objects, "alb-ingress-controller-iam-policy");
    String cluster = settings.getData().get("ALB_CLUSTER_NAME");
    assertThat(cluster).isNotBlank();
    String document = policy.getData().get("iam-policy.json");
    assertThat(document).doesNotContain("$(");
    assertThat(new JsonObject(document)).isEqualTo(new JsonObject(
        Files.readString(env.repo().resolve("deploy/iam-policy.json")).replace(IamPolicy.CLUSTER_PLACEHOLDER, cluster)));
  }

  private static ConfigMap configMap(List<HasMetadata> objects, String namePrefix) {
    return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .filter(c -> c.getMetadata().getName().startsWith(namePrefix) && !c.getMetadata().getName().endsWith("-iam-policy") == !namePrefix.endsWith("-iam-policy"))
        .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + namePrefix + "* in the rendered deploy/"));
  }
}
