package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile without a Docker engine: every path it COPYs exists once `mvn package` has run
 * (hence an IT: failsafe runs after package; it needs no test environment), and its ENTRYPOINT
 * runs the copied jar.
 */
class DockerfileIT {
  private static final Path REPO = Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));

  private record Copy(String fromStage, List<String> sources, String destination) {}

  private record Stage(String name, String workdir, List<Copy> copies, List<String> instructions) {}

  /** The stages in order, each with its WORKDIR (the last one wins), COPYs and other instructions. */
  static List<Stage> parse(String dockerfile) {
    List<Stage> stages = new ArrayList<>();
    for (String raw : dockerfile.replace("\\\n", " ").split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split("\\s+");
      String keyword = words[0].toUpperCase();
      if (keyword.equals("FROM")) {
        String name = words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : String.valueOf(stages.size());
        stages.add(new Stage(name, "/", new ArrayList<>(), new ArrayList<>()));
        continue;
      }
      Stage stage = stages.get(stages.size() - 1);
      if (keyword.equals("WORKDIR")) {
        stages.set(stages.size() - 1, new Stage(stage.name(), Path.of(stage.workdir()).resolve(words[1]).toString(), stage.copies(), stage.instructions()));
      } else if (keyword.equals("COPY") || keyword.equals("ADD")) {
        String from = null;
        List<String> paths = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
          if (words[i].startsWith("--from=")) {
            from = words[i].substring("--from=".length());
          } else if (!words[i].startsWith("--")) {
            paths.add(words[i]);
          }
        }
        stage.copies().add(new Copy(from, paths.subList(0, paths.size() - 1), paths.get(paths.size() - 1)));
      } else {
        stage.instructions().add(line);
      }
    }
    return stages;
  }

  private static Path inWorkdir(Stage stage, String path) {
    return Path.of(stage.workdir()).resolve(path).normalize();
  }

  @Test
  void everyCopiedPathExistsAfterPackageAndTheEntrypointRunsTheJar() throws IOException, InterruptedException {
    List<Stage> stages = parse(Files.readString(REPO.resolve("Dockerfile")));
    assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
    List<String> ignored = Files.readAllLines(REPO.resolve(".dockerignore")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.replaceAll("/$", "")).toList();

    // Where each build stage's files come from in the repository: its context COPYs, and what `mvn package` makes there.
    Map<String, Stage> byName = new HashMap<>();
    for (Stage stage : stages) {
      byName.put(stage.name(), stage);
      for (Copy copy : stage.copies()) {
        for (String source : copy.sources()) {
          if (copy.fromStage() == null) {
            assertThat(REPO.resolve(source)).as("build context path %s", source).exists();
            assertThat(ignored).as(".dockerignore must not hide %s", source).doesNotContain(Path.of(source).normalize().toString());
          } else {
            Stage from = byName.get(copy.fromStage());
            assertThat(from).as("COPY --from=%s names an earlier stage", copy.fromStage()).isNotNull();
            Path relative = Path.of(from.workdir()).relativize(Path.of(source));
            assertThat(relative.startsWith("..")).as("%s is outside the %s stage's WORKDIR %s", source, from.name(), from.workdir()).isFalse();
            assertThat(REPO.resolve(relative)).as("%s of stage %s, after mvn package", source, from.name()).exists();
          }
        }
      }
    }

    Stage runtime = stages.get(stages.size() - 1);
    String user = runtime.instructions().stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root").substring(5);
    assertThat(user).as("USER").matches("[1-9][0-9]*(:[0-9]+)?");

    String entrypoint = runtime.instructions().stream().filter(i -> i.startsWith("ENTRYPOINT ")).findFirst().orElseThrow().substring(11);
    List<String> command = new JsonArray(entrypoint).stream().map(String.class::cast).toList();
    assertThat(command.get(0)).isEqualTo("java");
    int jarAt = command.indexOf("-jar") + 1;
    assertThat(jarAt).as("ENTRYPOINT runs java -jar").isPositive();
    String jar = command.get(jarAt);
    // the AppCDS archive the ENTRYPOINT maps is dumped in this stage, from the jar it runs (the class path must match)
    String archive = command.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst().orElseThrow()
        .substring("-XX:SharedArchiveFile=".length());
    assertThat(runtime.instructions()).as("a RUN dumps %s from %s", archive, jar).anySatisfy(i -> assertThat(i).startsWith("RUN ")
        .contains("-Xshare:dump", "-XX:SharedArchiveFile=" + archive, "-cp " + jar));
    Copy copied = runtime.copies().stream().filter(c -> inWorkdir(runtime, c.destination()).toString().equals(jar)).findFirst()
        .orElseThrow(() -> new AssertionError("ENTRYPOINT runs " + jar + ", which no COPY of the last stage writes"));
    Path built = REPO.resolve(Path.of(byName.get(copied.fromStage()).workdir()).relativize(Path.of(copied.sources().get(0))));

    // an argument file (@/app/jvm.options) is run from the repository file its COPY takes
    List<String> run = new ArrayList<>(command.subList(0, jarAt - 1).stream().filter(a -> !a.startsWith("-XX:SharedArchiveFile="))
        .map(a -> !a.startsWith("@") ? a : "@" + REPO.resolve(runtime.copies().stream()
            .filter(c -> c.fromStage() == null && inWorkdir(runtime, c.destination()).toString().equals(a.substring(1))).findFirst()
            .orElseThrow(() -> new AssertionError("ENTRYPOINT reads " + a + ", which no COPY of the last stage writes")).sources().get(0)))
        .toList());
    run.addAll(List.of("-jar", built.toString()));
    run.addAll(command.subList(jarAt + 1, command.size()));
    run.add("--help");
    Process p = new ProcessBuilder(run).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("--cluster-name");
  }

  @Test
  void parsesStagesWorkdirsAndCopies() {
    List<Stage> stages = parse("""
        FROM maven AS build
        WORKDIR /b
        COPY pom.xml ./
        FROM jre
        COPY --from=build --chown=1:1 /b/target/x.jar \\
             /app/x.jar
        ENTRYPOINT ["java"]
        """);
    assertThat(stages).extracting(Stage::name).containsExactly("build", "1");
    assertThat(stages.get(0).workdir()).isEqualTo("/b");
    assertThat(stages.get(0).copies()).containsExactly(new Copy(null, List.of("pom.xml"), "./"));
    assertThat(stages.get(1).copies()).containsExactly(new Copy("build", List.of("/b/target/x.jar"), "/app/x.jar"));
    assertThat(stages.get(1).instructions()).containsExactly("ENTRYPOINT [\"java\"]");
  }
}
