package io.albingress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every `controller` flag can be set through the Helm chart's values (ChartIT renders them with the real helm). */
class ChartValuesTest {
  private static final Path CHART = Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")))
      .resolve("charts/alb-ingress-controller");
  /** Variables the chart sets another way, and why. */
  private static final Map<String, String> SET_ELSEWHERE = Map.of(
      "KUBECONFIG", "in-cluster configuration",
      "AWS_REGION", "region sets ALB_AWS_REGION",
      "ALB_BIND_ADDRESS", "a pod listens on all its addresses",
      "ALB_WEBHOOK_CERT_DIR", "the certificate Secret is mounted at a fixed path, passed as --webhook-cert-dir",
      "ALB_LEADER_ELECT", "leaderElect adds --leader-elect");

  @Test
  void everyFlagsVariableIsInTheChartsConfigMap() throws IOException {
    String configMap = Files.readString(CHART.resolve("templates/configmap.yaml"));
    Set<String> read = DeployConfigTest.variablesTheCommandReads();
    assertThat(read).containsAll(SET_ELSEWHERE.keySet());
    for (String variable : read) {
      if (!SET_ELSEWHERE.containsKey(variable)) {
        assertThat(configMap).as("charts/alb-ingress-controller/templates/configmap.yaml sets %s", variable).contains("  " + variable + ": ");
      }
    }
    String deployment = Files.readString(CHART.resolve("templates/deployment.yaml"));
    assertThat(deployment).contains("- --leader-elect", "- --webhook-cert-dir=/etc/alb-ingress-controller/webhook-certs");
  }

  /** The chart's Gateway API CRDs are the version the tests run against (hack/testenv), and every kind the controller serves. */
  @Test
  void theChartsGatewayApiCrdsAreTheTestedVersion() throws IOException {
    Path root = CHART.getParent().getParent();
    java.util.regex.Matcher pinned = java.util.regex.Pattern.compile("TESTENV_GATEWAY_API_VERSION=\"(v[0-9.]+)\"")
        .matcher(Files.readString(root.resolve("hack/lib/testenv-common.sh")));
    assertThat(pinned.find()).isTrue();
    try (var files = Files.list(CHART.resolve("files/gateway-api"))) {
      List<Path> crds = files.sorted().toList();
      assertThat(crds).extracting(f -> f.getFileName().toString()).containsExactly(
          "gateway.networking.k8s.io_gatewayclasses.yaml", "gateway.networking.k8s.io_gateways.yaml",
          "gateway.networking.k8s.io_grpcroutes.yaml", "gateway.networking.k8s.io_httproutes.yaml",
          "gateway.networking.k8s.io_listenersets.yaml", "gateway.networking.k8s.io_referencegrants.yaml");
      for (Path crd : crds) {
        assertThat(Files.readString(crd)).as(crd.toString())
            .contains("gateway.networking.k8s.io/bundle-version: " + pinned.group(1), "gateway.networking.k8s.io/channel: standard");
      }
    }
  }
}
