package io.albingress.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one run, written as bench/RESULTS.md: a table, then notes per benchmark. */
public final class BenchResults {
  /** One figure; {@code met} is "yes", "no" or "" (no goal). */
  public record Row(String benchmark, String figure, String value, String goal, String met) {}

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private final Instant started = Instant.now();

  synchronized void add(String benchmark, String figure, String value, String goal, Boolean met) {
    rows.add(new Row(benchmark, figure, value, goal, met == null ? "" : met ? "yes" : "**no**"));
  }

  synchronized void figure(String benchmark, String figure, String value) {
    add(benchmark, figure, value, "", null);
  }

  synchronized void note(String benchmark, String text) {
    notes.computeIfAbsent(benchmark, k -> new ArrayList<>()).add(text);
  }

  synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  static String fmt(double v, int decimals) {
    return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
  }

  /** The table alone (README.md quotes it). */
  synchronized String table() {
    StringBuilder b = new StringBuilder("| benchmark | figure | value | goal | met |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append("| ").append(r.benchmark()).append(" | ").append(r.figure()).append(" | ").append(r.value()).append(" | ")
          .append(r.goal()).append(" | ").append(r.met()).append(" |\n");
    }
    return b.toString();
  }

  synchronized void write(Path file, String command, boolean smoke) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmark results\n\n");
    b.append("Written by `").append(command).append("`").append(smoke ? " (smoke mode: tiny sizes, numbers say nothing about speed)" : "")
        .append(". Every time figure is a ratio against a baseline measured in the same run, or a count.\n\n");
    b.append("- date: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" (run took ")
        .append(fmt(java.time.Duration.between(started, Instant.now()).toMillis() / 60000.0, 1)).append(" min)\n");
    b.append("- machine: ").append(Machine.describe()).append('\n');
    b.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n');
    b.append("- environment: `hack/testenv` (kube-apiserver + etcd + moto on 127.0.0.1)\n\n");
    b.append(table());
    notes.forEach((bench, list) -> {
      b.append("\n## ").append(bench).append("\n\n");
      list.forEach(n -> b.append(n).append("\n\n"));
    });
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, b.toString());
  }

  /** Cores, memory and load of this machine, from /proc. */
  static final class Machine {
    private Machine() {}

    static String describe() {
      String model = "";
      long memKb = 0;
      String load = "";
      try {
        model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
            .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
            .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
      } catch (IOException | RuntimeException e) {
        // best effort
      }
      return Runtime.getRuntime().availableProcessors() + " cores" + (model.isEmpty() ? "" : " (" + model + ")") + ", "
          + fmt(memKb / 1024.0 / 1024.0, 1) + " GiB memory, load average " + load + " at the start (the machine is shared)";
    }
  }
}
