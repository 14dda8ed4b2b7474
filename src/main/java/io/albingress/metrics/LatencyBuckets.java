package io.albingress.metrics;

import java.time.Duration;
import java.util.Arrays;

/**
 * The histogram buckets of the controller's latency timers, for
 * {@code Timer.builder(name).serviceLevelObjectives(LatencyBuckets.seconds())}: 0.5 ms to 30 s, kept
 * from the first release because dashboards use them.
 */
public final class LatencyBuckets {
  private static final double[] SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  private LatencyBuckets() {}

  public static Duration[] seconds() {
    return Arrays.stream(SECONDS).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
  }
}
