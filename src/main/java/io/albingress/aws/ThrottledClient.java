package io.albingress.aws;

import io.albingress.metrics.LatencyBuckets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Wraps an SDK async client so that every operation waits for its tokens ({@link ApiThrottleConfig})
 * before it is sent: throttling is avoided rather than retried. The wait is a Vert.x timer, never a
 * blocked thread. Unlike the reference, which throttles each attempt, this throttles each call; the
 * SDK's adaptive retry strategy already paces retries.
 */
public final class ThrottledClient implements InvocationHandler {
  public static final String WAIT = "alb_aws_api_throttle_wait_seconds";

  private final Object client;
  private final String service;
  private final ApiThrottleConfig config;
  private final Vertx vertx;
  private final MeterRegistry registry;
  private final LongSupplier clock;
  private final Map<ApiThrottleConfig.Rule, TokenBucket> buckets = new ConcurrentHashMap<>();

  private ThrottledClient(Object client, String service, ApiThrottleConfig config, Vertx vertx, MeterRegistry registry, LongSupplier clock) {
    this.client = client;
    this.service = service;
    this.config = config;
    this.vertx = vertx;
    this.registry = registry;
    this.clock = clock;
  }

  /** {@code client} itself when {@code config} has no rule for {@code service}. */
  public static <T> T wrap(Class<T> type, T client, String service, ApiThrottleConfig config, Vertx vertx, MeterRegistry registry) {
    return wrap(type, client, service, config, vertx, registry, System::nanoTime);
  }

  static <T> T wrap(Class<T> type, T client, String service, ApiThrottleConfig config, Vertx vertx, MeterRegistry registry,
      LongSupplier clock) {
    if (config.service(service).map(List::isEmpty).orElse(true)) {
      return client;
    }
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new ThrottledClient(client, service, config, vertx, registry, clock)));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getReturnType() != CompletableFuture.class) {
      return direct(method, args);
    }
    String operation = Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1);
    long delay = 0;
    for (ApiThrottleConfig.Rule rule : config.rulesFor(service, operation)) {
      long now = clock.getAsLong();
      delay = Math.max(delay, buckets.computeIfAbsent(rule, r -> new TokenBucket(r.ratePerSecond(), r.burst(), now)).reserve(now));
    }
    if (delay == 0) {
      return direct(method, args);
    }
    Timer.builder(WAIT).description("Time AWS calls waited for the client-side rate limit (--aws-api-throttle).")
        .tag("service", service).tag("operation", operation).serviceLevelObjectives(LatencyBuckets.seconds()).register(registry)
        .record(delay, TimeUnit.NANOSECONDS);
    CompletableFuture<Object> result = new CompletableFuture<>();
    vertx.setTimer(Math.max(1, delay / 1_000_000), id -> {
      try {
        ((CompletableFuture<?>) direct(method, args)).whenComplete((value, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(value);
          }
        });
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private Object direct(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(client, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
