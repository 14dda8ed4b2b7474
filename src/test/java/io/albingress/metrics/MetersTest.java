package io.albingress.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.albingress.testing.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our meters as the controller declares them, in the Prometheus text dashboards read; the test-side reader. */
class MetersTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private void reconciled(String result) {
    Counter.builder("alb_reconciles_total").description("Stack reconciliations by result.").tag("result", result).register(registry).increment();
  }

  @Test
  void countersKeepTheirNamesAndLabelsInThePrometheusText() {
    reconciled("success");
    reconciled("success");
    reconciled("error");

    assertThat(registry.scrape()).contains("# TYPE alb_reconciles_total counter\n", "# HELP alb_reconciles_total Stack reconciliations by result.\n",
        "alb_reconciles_total{result=\"success\"} 2.0\n", "alb_reconciles_total{result=\"error\"} 1.0\n");
  }

  @Test
  void latenciesAreHistogramsWithTheFixedSecondsBuckets() {
    Timer timer = Timer.builder("alb_webhook_request_duration_seconds").description("Admission request latency.")
        .tag("webhook", "validate-ingress").tag("verdict", "allowed").serviceLevelObjectives(LatencyBuckets.seconds()).register(registry);
    timer.record(Duration.ofMillis(3));
    timer.record(Duration.ofMillis(200));

    assertThat(registry.scrape()).contains("# TYPE alb_webhook_request_duration_seconds histogram\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"5.0E-4\"} 0\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"0.0025\"} 0\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"0.005\"} 1\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"0.25\"} 2\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"30.0\"} 2\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"+Inf\"} 2\n",
        "alb_webhook_request_duration_seconds_count{verdict=\"allowed\",webhook=\"validate-ingress\"} 2\n",
        "alb_webhook_request_duration_seconds_sum{verdict=\"allowed\",webhook=\"validate-ingress\"} 0.203\n");
  }

  @Test
  void theBucketsAreACopyPerCaller() {
    LatencyBuckets.seconds()[0] = Duration.ofDays(1);
    assertThat(LatencyBuckets.seconds()).hasSize(15).startsWith(Duration.ofNanos(500_000)).endsWith(Duration.ofSeconds(30));
  }

  @Test
  void theTestReaderCountsExactLabelSetsSeriesAndTotals() {
    reconciled("success");
    reconciled("success");
    reconciled("error");

    assertThat(Meters.count(registry, "alb_reconciles_total", "result", "success")).isEqualTo(2);
    assertThat(Meters.count(registry, "alb_reconciles_total", "result", "never")).isZero();
    assertThat(Meters.count(registry, "alb_reconciles_total")).as("no labels is not any labels").isZero();
    assertThat(Meters.count(registry, "alb_never_total")).isZero();
    assertThat(Meters.total(registry, "alb_reconciles_total")).isEqualTo(3);
    assertThat(Meters.series(registry, "alb_reconciles_total")).isEqualTo(Map.of(Map.of("result", "success"), 2L, Map.of("result", "error"), 1L));
    assertThatThrownBy(() -> Meters.count(registry, "alb_reconciles_total", "result"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name, value pairs");
  }

  @Test
  void jvmAndProcessMetricsAreThereOnlyWhenBound() {
    assertThat(registry.scrape()).doesNotContain("jvm_memory_used_bytes");
    PrometheusMeterRegistry withJvm = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (JvmMeters jvm = JvmMeters.bindTo(withJvm)) {
      assertThat(withJvm.scrape()).contains("jvm_memory_used_bytes{area=\"heap\"", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
          "process_cpu_usage ", "process_uptime_seconds ", "process_start_time_seconds ", "jvm_info{");
    }
  }
}
