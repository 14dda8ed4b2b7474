package io.albingress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
