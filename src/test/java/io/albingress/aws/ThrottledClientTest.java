package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottledClientTest {
  interface Api {
    CompletableFuture<String> describeThings(String name);

    CompletableFuture<String> createThing(String name);

    String serviceName();
  }

  static final class CountingApi implements Api {
    final AtomicInteger describes = new AtomicInteger();
    final AtomicInteger creates = new AtomicInteger();

    @Override
    public CompletableFuture<String> describeThings(String name) {
      describes.incrementAndGet();
      return CompletableFuture.completedFuture("described " + name);
    }

    @Override
    public CompletableFuture<String> createThing(String name) {
      creates.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("refused " + name));
    }

    @Override
    public String serviceName() {
      return "api";
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aCallPastTheBurstWaitsForItsTokenInsteadOfBeingSent() {
    CountingApi api = new CountingApi();
    ApiThrottleConfig config = ApiThrottleConfig.parse("Test:^Describe=10:1");
    Api throttled = ThrottledClient.wrap(Api.class, api, "Test", config, vertx, registry, () -> 0L);

    assertThat(throttled.describeThings("a").join()).isEqualTo("described a");
    CompletableFuture<String> second = throttled.describeThings("b");
    // the token of the second call exists 100 ms later (the clock is frozen: no refill meanwhile)
    assertThat(api.describes).hasValue(1);
    assertThat(second).isNotDone();
    await().atMost(Duration.ofSeconds(10)).until(second::isDone);
    assertThat(second.join()).isEqualTo("described b");
    assertThat(api.describes).hasValue(2);
    assertThat(registry.find(ThrottledClient.WAIT).tag("service", "Test").tag("operation", "DescribeThings").timer().count()).isEqualTo(1);
  }

  @Test
  void operationsWithoutARuleAndPlainMethodsGoStraightThrough() {
    CountingApi api = new CountingApi();
    Api throttled = ThrottledClient.wrap(Api.class, api, "Test", ApiThrottleConfig.parse("Test:^Describe=1:1"), vertx, registry,
        () -> 0L);
    for (int i = 0; i < 5; i++) {
      assertThat(throttled.createThing("x")).isCompletedExceptionally();
    }
    assertThat(api.creates).hasValue(5);
    assertThat(throttled.serviceName()).isEqualTo("api");
  }

  @Test
  void aServiceWithoutRulesKeepsItsClient() {
    CountingApi api = new CountingApi();
    assertThat(ThrottledClient.wrap(Api.class, api, "EC2", ApiThrottleConfig.defaults(), vertx, registry)).isSameAs(api);
    assertThat(ApiThrottleConfig.defaults().rulesFor("EC2", "DescribeSubnets")).isEqualTo(List.of());
  }
}
