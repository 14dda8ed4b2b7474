package io.albingress.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private final Metrics metrics = new Metrics();

  @Test
  void countersKeepTheirNamesAndLabelsInThePrometheusText() {
    metrics.increment("alb_reconciles_total", "Stack reconciliations by result.", "result", "success");
    metrics.increment("alb_reconciles_total", "Stack reconciliations by result.", "result", "success");
    metrics.increment("alb_reconciles_total", "Stack reconciliations by result.", "result", "error");

    assertThat(metrics.count("alb_reconciles_total", "result", "success")).isEqualTo(2);
    assertThat(metrics.count("alb_reconciles_total", "result", "never")).isZero();
    assertThat(metrics.total("alb_reconciles_total")).isEqualTo(3);
    assertThat(metrics.series("alb_reconciles_total")).isEqualTo(Map.of(Map.of("result", "success"), 2L, Map.of("result", "error"), 1L));
    assertThat(metrics.render()).contains("# TYPE alb_reconciles_total counter\n", "# HELP alb_reconciles_total Stack reconciliations by result.\n",
        "alb_reconciles_total{result=\"success\"} 2.0\n", "alb_reconciles_total{result=\"error\"} 1.0\n");
  }

  @Test
  void latenciesAreHistogramsWithTheFixedSecondsBuckets() {
    metrics.observeSeconds("alb_webhook_request_duration_seconds", "Admission request latency.", 0.003, "webhook", "validate-ingress", "verdict", "allowed");
    metrics.observeSeconds("alb_webhook_request_duration_seconds", "Admission request latency.", 0.2, "webhook", "validate-ingress", "verdict", "allowed");

    assertThat(metrics.render()).contains("# TYPE alb_webhook_request_duration_seconds histogram\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"0.0025\"} 0\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"0.005\"} 1\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"0.25\"} 2\n",
        "alb_webhook_request_duration_seconds_bucket{verdict=\"allowed\",webhook=\"validate-ingress\",le=\"+Inf\"} 2\n",
        "alb_webhook_request_duration_seconds_count{verdict=\"allowed\",webhook=\"validate-ingress\"} 2\n",
        "alb_webhook_request_duration_seconds_sum{verdict=\"allowed\",webhook=\"validate-ingress\"} 0.203\n");
  }

  @Test
  void labelValuesAreEscaped() {
    metrics.increment("alb_test_total", "Escaping.", "reason", "a \"quoted\"\\path\nnext");
    assertThat(metrics.render()).contains("alb_test_total{reason=\"a \\\"quoted\\\"\\\\path\\nnext\"} 1.0\n");
  }

  @Test
  void jvmAndProcessMetricsAreThereOnlyWhenAskedFor() {
    assertThat(metrics.render()).doesNotContain("jvm_memory_used_bytes");
    try (Metrics withJvm = new Metrics().withJvmAndProcessMetrics()) {
      assertThat(withJvm.render()).contains("jvm_memory_used_bytes{area=\"heap\"", "jvm_threads_live_threads ", "jvm_classes_loaded_classes ",
          "process_cpu_usage ", "process_uptime_seconds ", "process_start_time_seconds ", "jvm_info{");
    }
  }

  @Test
  void labelsComeInPairs() {
    assertThatThrownBy(() -> metrics.increment("alb_test_total", "Odd.", "result"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name, value pairs");
  }
}
