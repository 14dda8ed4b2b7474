package io.albingress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** deploy/controller.env (the Deployment's flags, as environment variables) names only variables `controller` reads. */
class DeployConfigTest {
  private static final Path REPO = Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

  static Set<String> variablesTheCommandReads() {
    // the annotations' raw defaults: picocli's model holds them already resolved
    return Arrays.stream(ControllerCommand.class.getDeclaredFields())
        .map(f -> f.getAnnotation(CommandLine.Option.class)).filter(Objects::nonNull)
        .flatMap(o -> ENV.matcher(o.defaultValue()).results().map(m -> m.group(1)))
        .collect(Collectors.toSet());
  }

  @Test
  void everyVariableInControllerEnvIsAFlag() throws IOException {
    Set<String> read = variablesTheCommandReads();
    assertThat(read).contains("ALB_CLUSTER_NAME", "ALB_AWS_VPC_ID", "KUBECONFIG");
    // set lines, and commented examples (# NAME=value)
    List<String> named = Files.readAllLines(REPO.resolve("deploy/controller.env")).stream()
        .map(l -> Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=").matcher(l))
        .filter(Matcher::find).map(m -> m.group(1)).toList();
    assertThat(named).contains("ALB_CLUSTER_NAME", "ALB_AWS_VPC_ID", "ALB_AWS_REGION");
    assertThat(read).containsAll(named);
  }
}
