package io.albingress.testing;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the controller's counters from a Micrometer registry, for tests and benchmarks. */
public final class Meters {
  private Meters() {}

  /** The value of the counter with exactly these labels (name, value pairs); 0 when never incremented. */
  public static long count(MeterRegistry registry, String name, String... labels) {
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels come as name, value pairs: " + String.join(", ", labels));
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return registry.find(name).counters().stream().filter(c -> labels(c).equals(wanted)).mapToLong(c -> (long) c.count()).sum();
  }

  /** Every label set of a counter with its value, labels as name=value pairs. */
  public static Map<Map<String, String>, Long> series(MeterRegistry registry, String name) {
    Map<Map<String, String>, Long> out = new HashMap<>();
    registry.find(name).counters().forEach(c -> out.merge(labels(c), (long) c.count(), Long::sum));
    return out;
  }

  /** Sum of a counter over every label set. */
  public static long total(MeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToLong(c -> (long) c.count()).sum();
  }

  private static Map<String, String> labels(Meter meter) {
    Map<String, String> out = new LinkedHashMap<>();
    meter.getId().getTags().forEach(t -> out.put(t.getKey(), t.getValue()));
    return out;
  }
}
