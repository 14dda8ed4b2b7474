package io.albingress.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final WorkQueue<String> queue = new WorkQueue<>(2, Duration.ofSeconds(1), Duration.ofMinutes(2), () -> 0.5);

  @Test
  void runsAKeyOnceAtATimeAndCoalescesEventsDuringARun() {
    queue.add("a");
    queue.add("a");
    assertThat(queue.next()).contains("a");
    assertThat(queue.next()).isEmpty();
    queue.add("a");
    queue.add("a");
    assertThat(queue.next()).as("a is running").isEmpty();
    queue.succeeded("a");
    assertThat(queue.next()).as("one more run for the events that came in").contains("a");
    queue.succeeded("a");
    assertThat(queue.next()).isEmpty();
    assertThat(queue.idle()).isTrue();
  }

  @Test
  void boundsTheKeysInFlight() {
    queue.add("a");
    queue.add("b");
    queue.add("c");
    assertThat(queue.next()).contains("a");
    assertThat(queue.next()).contains("b");
    assertThat(queue.next()).isEmpty();
    assertThat(queue.inFlight()).isEqualTo(2);
    queue.succeeded("a");
    assertThat(queue.next()).contains("c");
  }

  @Test
  void backsOffExponentiallyWithJitterAndIgnoresEventsUntilTheRetry() {
    queue.add("a");
    queue.next();
    assertThat(queue.failed("a", false)).isEqualTo(Duration.ofMillis(750));
    queue.add("a");
    assertThat(queue.next()).as("events during the backoff wait for the retry").isEmpty();
    queue.retry("a");
    assertThat(queue.next()).contains("a");
    assertThat(queue.failed("a", false)).isEqualTo(Duration.ofMillis(1500));
    queue.retry("a");
    queue.next();
    assertThat(queue.failed("a", false)).isEqualTo(Duration.ofMillis(3000));
    queue.retry("a");
    queue.next();
    queue.succeeded("a");
    assertThat(queue.failures("a")).isZero();
  }

  @Test
  void validationErrorsWaitTheLongestDelayAndBackoffIsCapped() {
    queue.add("a");
    queue.next();
    assertThat(queue.failed("a", true)).isEqualTo(Duration.ofSeconds(90));
    for (int i = 0; i < 30; i++) {
      queue.retry("a");
      assertThat(queue.next()).isEqualTo(Optional.of("a"));
      assertThat(queue.failed("a", false)).isLessThanOrEqualTo(Duration.ofMinutes(2));
    }
  }

  @Test
  void aReleasedKeyFreesItsSlotButStillRunsAlone() {
    queue.add("a");
    queue.add("b");
    queue.add("c");
    assertThat(queue.next()).contains("a");
    assertThat(queue.next()).contains("b");
    assertThat(queue.next()).isEmpty();

    assertThat(queue.release("a")).isTrue();
    assertThat(queue.release("a")).as("once").isFalse();
    assertThat(queue.next()).as("a's slot is free").contains("c");
    assertThat(queue.inFlight()).isEqualTo(2);
    // a still runs: an event for it waits for its end, and the queue is not idle
    queue.add("a");
    assertThat(queue.next()).isEmpty();
    queue.succeeded("b");
    queue.succeeded("c");
    assertThat(queue.idle()).isFalse();
    assertThat(queue.next()).as("a is still running").isEmpty();
    queue.succeeded("a");
    assertThat(queue.next()).as("one more run for the event").contains("a");
    queue.failed("a", false);
    assertThat(queue.release("a")).as("not running").isFalse();
    assertThat(queue.idle()).isTrue();
  }
}
