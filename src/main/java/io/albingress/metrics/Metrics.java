package io.albingress.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller's metrics on a Micrometer Prometheus registry: labelled counters and latency
 * histograms under the names dashboards already use, next to the JVM, process and Vert.x meters
 * that are bound to the same registry.
 */
public final class Metrics implements AutoCloseable {
  /** The histogram buckets of every latency metric here, in seconds (kept from the first release: dashboards use them). */
  private static final Duration[] BUCKETS = Arrays.stream(new double[] {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})
      .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);

  /** A meter's identity as callers give it: a name and name, value label pairs. */
  private record Key(String name, List<String> labels) {}

  private final PrometheusMeterRegistry registry;
  private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
  private JvmGcMetrics gc;

  public Metrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** The registry, for binders such as Vert.x's metrics factory. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Adds the JVM (memory, GC, threads, classes) and process (CPU, uptime, files) meters; once per process. */
  public Metrics withJvmAndProcessMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return this;
  }

  /** @param labels name, value pairs */
  public void increment(String name, String help, String... labels) {
    counters.computeIfAbsent(new Key(name, List.of(labels)),
        k -> Counter.builder(name).description(help).tags(tags(labels)).register(registry)).increment();
  }

  /** @param labels name, value pairs */
  public void observeSeconds(String name, String help, double seconds, String... labels) {
    timers.computeIfAbsent(new Key(name, List.of(labels)),
        k -> Timer.builder(name).description(help).tags(tags(labels)).serviceLevelObjectives(BUCKETS).register(registry))
        .record(Duration.ofNanos(Math.round(seconds * 1e9)));
  }

  /** The value of a counter, for tests and benchmarks; 0 when never incremented. */
  public long count(String name, String... labels) {
    Counter c = counters.get(new Key(name, List.of(labels)));
    return c == null ? 0 : (long) c.count();
  }

  /** Every label set of a counter with its value, labels as name=value pairs. */
  public Map<Map<String, String>, Long> series(String name) {
    Map<Map<String, String>, Long> out = new HashMap<>();
    registry.find(name).counters().forEach(c -> out.merge(labels(c), (long) c.count(), Long::sum));
    return out;
  }

  /** Sum of a counter over every label set. */
  public long total(String name) {
    return registry.find(name).counters().stream().mapToLong(c -> (long) c.count()).sum();
  }

  /** Every meter in the Prometheus text format (version 0.0.4). */
  public String render() {
    return registry.scrape();
  }

  /** Stops the GC listener; the meters stay readable (tests read them after a stop). */
  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
  }

  private static Map<String, String> labels(Meter meter) {
    Map<String, String> out = new LinkedHashMap<>();
    meter.getId().getTags().forEach(t -> out.put(t.getKey(), t.getValue()));
    return out;
  }

  private static List<Tag> tags(String[] labels) {
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels come as name, value pairs: " + Arrays.toString(labels));
    }
    Tag[] tags = new Tag[labels.length / 2];
    for (int i = 0; i < tags.length; i++) {
      tags[i] = Tag.of(labels[2 * i], labels[2 * i + 1]);
    }
    return List.of(tags);
  }
}
