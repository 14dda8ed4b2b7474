package io.albingress.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmAsyncClient;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.shield.ShieldAsyncClient;
import software.amazon.awssdk.services.waf.regional.WafRegionalAsyncClient;
import software.amazon.awssdk.services.wafv2.Wafv2AsyncClient;

/**
 * The async AWS clients, sharing one Netty HTTP client. The
 * endpoint, region and credentials come the standard SDK way (AWS_ENDPOINT_URL, AWS_REGION, ...).
 */
public final class AwsClients implements AutoCloseable {
  private final Vertx vertx;
  private final SdkAsyncHttpClient http;
  private final Ec2AsyncClient ec2;
  private final AcmAsyncClient acm;
  private final ElasticLoadBalancingV2AsyncClient elbv2;
  private final ElasticLoadBalancingV2AsyncClient elbv2Creates;
  private final ElasticLoadBalancingV2AsyncClient elbv2Admission;
  private final Region region;
  private final AddOnClients addOns;

  /**
   * The load balancer add-ons' clients (WAFv2, WAF Classic regional, Shield), on the same HTTP client,
   * each built on its first use: most clusters never use them, and building one loads its SDK model
   * (WAF's rate-limited proxy loads the request and response class of every operation, about 1,500
   * classes for the WAF clients), which cost start-up time and memory for nothing.
   */
  public static final class AddOnClients implements AutoCloseable {
    private final Lazy<Wafv2AsyncClient> wafv2;
    private final Lazy<WafRegionalAsyncClient> wafRegional;
    private final Lazy<ShieldAsyncClient> shield;

    AddOnClients(Supplier<Wafv2AsyncClient> wafv2, Supplier<WafRegionalAsyncClient> wafRegional, Supplier<ShieldAsyncClient> shield) {
      this.wafv2 = new Lazy<>(wafv2);
      this.wafRegional = new Lazy<>(wafRegional);
      this.shield = new Lazy<>(shield);
    }

    public Wafv2AsyncClient wafv2() {
      return wafv2.get();
    }

    public WafRegionalAsyncClient wafRegional() {
      return wafRegional.get();
    }

    public ShieldAsyncClient shield() {
      return shield.get();
    }

    /** How many of the three clients were built (tests). */
    int built() {
      return (wafv2.built() ? 1 : 0) + (wafRegional.built() ? 1 : 0) + (shield.built() ? 1 : 0);
    }

    @Override
    public void close() {
      wafv2.close();
      wafRegional.close();
      shield.close();
    }
  }

  /** A client built once, on the first call of {@link #get}, by whichever thread asks first. */
  static final class Lazy<T extends AutoCloseable> {
    private Supplier<T> factory;
    private volatile T value;

    Lazy(Supplier<T> factory) {
      this.factory = factory;
    }

    T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          if (value == null) {
            value = factory.get();
            factory = null;
          }
          v = value;
        }
      }
      return v;
    }

    boolean built() {
      return value != null;
    }

    synchronized void close() {
      if (value != null) {
        try {
          value.close();
        } catch (Exception e) {
          // closing a client releases its threads; nothing to do about a failure here
        }
      }
    }
  }

  private AwsClients(Vertx vertx, SdkAsyncHttpClient http, Ec2AsyncClient ec2, AcmAsyncClient acm,
      ElasticLoadBalancingV2AsyncClient elbv2, ElasticLoadBalancingV2AsyncClient elbv2Creates, ElasticLoadBalancingV2AsyncClient elbv2Admission,
      Region region, AddOnClients addOns) {
    this.elbv2Admission = elbv2Admission;
    this.vertx = vertx;
    this.http = http;
    this.ec2 = ec2;
    this.acm = acm;
    this.elbv2 = elbv2;
    this.elbv2Creates = elbv2Creates;
    this.region = region;
    this.addOns = addOns;
  }

  /** Per-attempt timeout; the system property alb.aws.attemptTimeoutMillis overrides it (fault-injection tests). */
  static Duration attemptTimeout() {
    return Duration.ofMillis(Long.getLong("alb.aws.attemptTimeoutMillis", 20_000));
  }

  /**
   * The SDK 2.40 cannot adopt Netty 4.2's MultiThreadIoEventLoopGroup (it fails resolving a datagram
   * channel for it), so the HTTP client gets two threads of its own; results still complete on the
   * caller's Vert.x context.
   */
  public static AwsClients create(Vertx vertx, Optional<String> region, MeterRegistry registry) {
    return create(vertx, region, registry, LeadershipGate.alwaysOpen());
  }

  /** With ELBv2 calls refused while {@code gate} is closed (leader election). */
  public static AwsClients create(Vertx vertx, Optional<String> region, MeterRegistry registry, LeadershipGate gate) {
    return create(vertx, region, registry, gate, ApiThrottleConfig.defaults());
  }

  /** With client-side rate limits per API ({@code --aws-api-throttle}) on ELBv2, WAFv2 and WAF Regional. */
  public static AwsClients create(Vertx vertx, Optional<String> region, MeterRegistry registry, LeadershipGate gate,
      ApiThrottleConfig throttle) {
    SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
        .eventLoopGroup(SdkEventLoopGroup.builder().numberOfThreads(2).build())
        .connectionTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(30))
        .maxConcurrency(64)
        .build();
    ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
        .retryStrategy(RetryMode.ADAPTIVE_V2)
        .apiCallAttemptTimeout(attemptTimeout())
        .apiCallTimeout(Duration.ofSeconds(90))
        .addExecutionInterceptor(new CallMetrics(registry))
        .build();
    Ec2AsyncClient ec2 = configure(Ec2AsyncClient.builder(), http, overrides, region).build();
    AcmAsyncClient acm = configure(AcmAsyncClient.builder(), http, overrides, region).build();
    ClientOverrideConfiguration gated = overrides.toBuilder().addExecutionInterceptor(gate).build();
    ElasticLoadBalancingV2AsyncClient sdkElbv2 = configure(ElasticLoadBalancingV2AsyncClient.builder(), http, gated, region).build();
    ElasticLoadBalancingV2AsyncClient sdkCreates = configure(ElasticLoadBalancingV2AsyncClient.builder(), http,
        gated.toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build(), region).build();
    Region resolved = sdkElbv2.serviceClientConfiguration().region();
    // one bucket set per client: creates are not throttled by the defaults (no Create rule), as the reference
    ElasticLoadBalancingV2AsyncClient elbv2 = ThrottledClient.wrap(ElasticLoadBalancingV2AsyncClient.class, sdkElbv2,
        ApiThrottleConfig.ELBV2, throttle, vertx, registry);
    ElasticLoadBalancingV2AsyncClient creates = ThrottledClient.wrap(ElasticLoadBalancingV2AsyncClient.class, sdkCreates,
        ApiThrottleConfig.ELBV2, throttle, vertx, registry);
    AddOnClients addOns = new AddOnClients(
        () -> ThrottledClient.wrap(Wafv2AsyncClient.class, configure(Wafv2AsyncClient.builder(), http, overrides, region).build(),
            ApiThrottleConfig.WAFV2, throttle, vertx, registry),
        () -> ThrottledClient.wrap(WafRegionalAsyncClient.class, configure(WafRegionalAsyncClient.builder(), http, overrides, region).build(),
            ApiThrottleConfig.WAF_REGIONAL, throttle, vertx, registry),
        () -> configure(ShieldAsyncClient.builder(), http, overrides, region).build());
    // the TargetGroupBinding webhook's reads: every replica serves admission, so not behind the leadership gate
    ElasticLoadBalancingV2AsyncClient admission = ThrottledClient.wrap(ElasticLoadBalancingV2AsyncClient.class,
        configure(ElasticLoadBalancingV2AsyncClient.builder(), http, overrides, region).build(), ApiThrottleConfig.ELBV2, throttle, vertx, registry);
    return new AwsClients(vertx, http, ec2, acm, elbv2, creates, admission, resolved, addOns);
  }

  private static <B extends AwsClientBuilder<B, ?> & AwsAsyncClientBuilder<B, ?>> B configure(
      B builder, SdkAsyncHttpClient http, ClientOverrideConfiguration overrides, Optional<String> region) {
    builder.httpClient(http).overrideConfiguration(overrides);
    region.filter(r -> !r.isBlank()).map(Region::of).ifPresent(builder::region);
    return builder;
  }

  public Ec2AsyncClient ec2() {
    return ec2;
  }

  public AcmAsyncClient acm() {
    return acm;
  }

  public ElasticLoadBalancingV2AsyncClient elbv2() {
    return elbv2;
  }

  /**
   * For Create* calls only: they are not idempotent, and a retried create whose first attempt
   * succeeded unseen would duplicate the resource. A failed create fails the reconciliation instead;
   * the next one rediscovers by tags what did get created.
   */
  public ElasticLoadBalancingV2AsyncClient elbv2Creates() {
    return elbv2Creates;
  }

  /** For the admission webhook's reads (DescribeTargetGroups) only: not gated by leadership. */
  public ElasticLoadBalancingV2AsyncClient elbv2Admission() {
    return elbv2Admission;
  }

  public AddOnClients addOns() {
    return addOns;
  }

  public String region() {
    return region == null ? "" : region.id();
  }

  /** Runs an SDK call and completes on the caller's Vert.x context; a synchronous throw becomes a failure. */
  public <T> Future<T> call(Supplier<CompletableFuture<T>> call) {
    Context context = vertx.getOrCreateContext();
    try {
      return Future.fromCompletionStage(call.get(), context);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public void close() {
    ec2.close();
    acm.close();
    elbv2.close();
    elbv2Creates.close();
    elbv2Admission.close();
    addOns.close();
    http.close();
  }
}
