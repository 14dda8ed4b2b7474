package io.albingress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller's JVM flags live in src/main/jvm/jvm.options only: the image, hack/run-local and the benchmarks read that file. */
class JvmOptionsTest {
  private static final Path REPO = Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));

  private static List<String> flags() throws IOException {
    return Files.readAllLines(REPO.resolve("src/main/jvm/jvm.options")).stream().map(l -> l.replaceAll("#.*", "").strip())
        .filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void theFileHoldsOnlyFlagsAndNoHeapLimit() throws IOException {
    assertThat(flags()).isNotEmpty().allSatisfy(f -> assertThat(f).startsWith("-").doesNotContain(" "));
    // the chart's JAVA_TOOL_OPTIONS size the heap from the memory limit; a -Xmx here would win over it
    assertThat(flags()).noneMatch(f -> f.startsWith("-Xmx") || f.startsWith("-XX:MaxHeapSize") || f.contains("RAMPercentage"));
    // a diagnostic flag needs the unlock before it
    int unlock = flags().indexOf("-XX:+UnlockDiagnosticVMOptions");
    int relocation = flags().indexOf("-XX:ArchiveRelocationMode=0");
    assertThat(relocation < 0 || (unlock >= 0 && unlock < relocation)).isTrue();
  }

  @Test
  void theImageAndRunLocalReadItAndSetNoOtherFlags() throws IOException {
    String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
    assertThat(dockerfile).contains("COPY src/main/jvm/jvm.options /app/jvm.options");
    String entrypoint = dockerfile.substring(dockerfile.indexOf("ENTRYPOINT"));
    assertThat(entrypoint).contains("\"@/app/jvm.options\"").doesNotContain("-Xss", "GC\"", "-Xm");
    String runLocal = Files.readString(REPO.resolve("hack/run-local"));
    String java = runLocal.lines().filter(l -> l.contains("nohup java")).findFirst().orElseThrow();
    assertThat(java).contains("@\"$REPO/src/main/jvm/jvm.options\"").doesNotContain("-XX:", "-Xs", "-Xm");
  }

  @Test
  void everyFlagIsAcceptedByThisJvm() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + REPO.resolve("src/main/jvm/jvm.options"), "-version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).doesNotContainIgnoringCase("warning").doesNotContain("Unrecognized");
  }
}
