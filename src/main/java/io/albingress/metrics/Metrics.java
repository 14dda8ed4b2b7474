package io.albingress.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A small Prometheus registry: labelled counters and histograms, rendered in the text format. */
public final class Metrics {
  private static final double[] SECONDS_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  private record Family(String name, String help, String type) {}

  private record Series(Family family, String labels) {}

  private static final class Histogram {
    final LongAdder[] buckets = new LongAdder[SECONDS_BUCKETS.length];
    final DoubleAdder sum = new DoubleAdder();
    final AtomicLong count = new AtomicLong();

    Histogram() {
      Arrays.setAll(buckets, i -> new LongAdder());
    }

    void observe(double value) {
      for (int i = 0; i < SECONDS_BUCKETS.length; i++) {
        if (value <= SECONDS_BUCKETS[i]) {
          buckets[i].increment();
        }
      }
      sum.add(value);
      count.incrementAndGet();
    }
  }

  private final Map<String, Family> families = new ConcurrentHashMap<>();
  private final Map<Series, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<Series, Histogram> histograms = new ConcurrentHashMap<>();

  public void increment(String name, String help, String... labels) {
    counters.computeIfAbsent(series(name, help, "counter", labels), s -> new LongAdder()).increment();
  }

  public void observeSeconds(String name, String help, double seconds, String... labels) {
    histograms.computeIfAbsent(series(name, help, "histogram", labels), s -> new Histogram()).observe(seconds);
  }

  /** The value of a counter, for tests and benchmarks; 0 when never incremented. */
  public long count(String name, String... labels) {
    Family family = families.get(name);
    LongAdder adder = family == null ? null : counters.get(new Series(family, labelText(labels)));
    return adder == null ? 0 : adder.sum();
  }

  /** Every label set of a counter with its value, labels as name=value pairs. */
  public Map<Map<String, String>, Long> series(String name) {
    Map<Map<String, String>, Long> out = new java.util.HashMap<>();
    counters.forEach((s, v) -> {
      if (s.family().name().equals(name)) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        var m = java.util.regex.Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(s.labels());
        while (m.find()) {
          labels.put(m.group(1), m.group(2));
        }
        out.put(labels, v.sum());
      }
    });
    return out;
  }

  /** Sum of a counter over every label set. */
  public long total(String name) {
    return counters.entrySet().stream().filter(e -> e.getKey().family().name().equals(name))
        .mapToLong(e -> e.getValue().sum()).sum();
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    families.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(f -> {
      out.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
      out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      counters.forEach((s, v) -> {
        if (s.family() == f) {
          out.append(f.name()).append(braces(s.labels())).append(' ').append(v.sum()).append('\n');
        }
      });
      histograms.forEach((s, h) -> {
        if (s.family() == f) {
          String sep = s.labels().isEmpty() ? "" : ",";
          for (int i = 0; i < SECONDS_BUCKETS.length; i++) {
            out.append(f.name()).append("_bucket{").append(s.labels()).append(sep).append("le=\"").append(SECONDS_BUCKETS[i])
                .append("\"} ").append(h.buckets[i].sum()).append('\n');
          }
          out.append(f.name()).append("_bucket{").append(s.labels()).append(sep).append("le=\"+Inf\"} ").append(h.count.get()).append('\n');
          out.append(f.name()).append("_sum").append(braces(s.labels())).append(' ').append(h.sum.sum()).append('\n');
          out.append(f.name()).append("_count").append(braces(s.labels())).append(' ').append(h.count.get()).append('\n');
        }
      });
    });
    return out.toString();
  }

  private Series series(String name, String help, String type, String[] labels) {
    Family family = families.computeIfAbsent(name, n -> new Family(n, help, type));
    return new Series(family, labelText(labels));
  }

  /** Labels come as name, value pairs. */
  private static String labelText(String[] labels) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(labels[i]).append("=\"").append(labels[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    }
    return b.toString();
  }

  private static String braces(String labels) {
    return labels.isEmpty() ? "" : "{" + labels + "}";
  }
}
