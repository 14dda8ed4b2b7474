package io.albingress.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.albingress.app.ControllerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `controller` flags as parsed and checked into ControllerSettings, without starting anything. */
class ControllerCommandTest {
  @TempDir
  Path dir;

  private ControllerSettings parse(String... extra) throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
    Files.writeString(dir.resolve("tls.crt"), "x");
    Files.writeString(dir.resolve("tls.key"), "x");
    List<String> args = new ArrayList<>(List.of("--cluster-name", "c1", "--kubeconfig", kubeconfig.toString(),
        "--webhook-cert-dir", dir.toString()));
    args.addAll(List.of(extra));
    ControllerCommand command = new ControllerCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command.settings();
  }

  @Test
  void externalManagedTagsAreCarriedInTheSettings() throws Exception {
    assertThat(parse().externalManagedTags()).isEmpty();
    assertThat(parse("--external-managed-tags", "team, cost-center").externalManagedTags()).containsExactlyInAnyOrder("team", "cost-center");
    assertThat(parse("--external-managed-tags", "owner", "--default-tags", "env=prod").externalManagedTags()).containsExactly("owner");
  }

  @Test
  void awsApiThrottleOverridesTheReferenceDefaultsPerService() throws Exception {
    assertThat(parse().awsApiThrottle().toString()).isEqualTo(io.albingress.aws.ApiThrottleConfig.defaults().toString());
    assertThat(parse("--aws-api-throttle", "Elastic Load Balancing v2:^Describe.*=20:100").awsApiThrottle()
        .rulesFor("Elastic Load Balancing v2", "ModifyRule")).isEmpty();
    assertThatThrownBy(() -> parse("--aws-api-throttle", "elbv2=1"))
        .hasMessageContaining("--aws-api-throttle").hasMessageContaining("serviceID:operationRegex");
  }

  @Test
  void theControllersOwnTagKeysCannotBeManagedElsewhere() {
    assertThatThrownBy(() -> parse("--external-managed-tags", "team,elbv2.k8s.aws/cluster"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("elbv2.k8s.aws/cluster").hasMessageContaining("own");
    assertThatThrownBy(() -> parse("--external-managed-tags", "ingress.k8s.aws/stack"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("ingress.k8s.aws/stack");
    assertThatThrownBy(() -> parse("--default-tags", "ingress.k8s.aws/resource=x"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("ingress.k8s.aws/resource");
  }

  @Test
  void aKeyCannotBeBothADefaultTagAndManagedElsewhere() {
    assertThatThrownBy(() -> parse("--default-tags", "team=web", "--external-managed-tags", "team"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("team cannot be in both --default-tags and --external-managed-tags");
  }

  @Test
  void invalidKeysAreRefusedWithTheRule() {
    assertThatThrownBy(() -> parse("--external-managed-tags", "aws:reserved"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("aws:");
    assertThatThrownBy(() -> parse("--external-managed-tags", "a,,b"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("1 to 128 characters");
  }
}
