package io.albingress.testing;

import io.vertx.core.Vertx;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The strict ELBv2 layer (hidden new resources, ResourceInUse, name-idempotent creates, rule quotas)
 * in front of moto while it is open: controllers started meanwhile send their AWS calls through it.
 */
public final class StrictAws implements AutoCloseable {
  private final Vertx vertx;
  private final FaultProxy proxy;
  private final String previousEndpoint;

  private StrictAws(Vertx vertx, FaultProxy proxy, String previousEndpoint) {
    this.vertx = vertx;
    this.proxy = proxy;
    this.previousEndpoint = previousEndpoint;
  }

  public static StrictAws start(TestEnvironment.Env env, long seed) throws Exception {
    Vertx vertx = Vertx.vertx();
    FaultProxy proxy = new FaultProxy(vertx, URI.create(env.awsEndpoint()), 0, 0, seed)
        .strict(new StrictElbv2(StrictElbv2.Settings.fromSystemProperties(seed))).start()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String previous = System.getProperty("aws.endpointUrl");
    System.setProperty("aws.endpointUrl", proxy.url());
    return new StrictAws(vertx, proxy, previous);
  }

  public FaultProxy proxy() {
    return proxy;
  }

  @Override
  public void close() {
    if (previousEndpoint == null) {
      System.clearProperty("aws.endpointUrl");
    } else {
      System.setProperty("aws.endpointUrl", previousEndpoint);
    }
    proxy.close();
    vertx.close();
  }
}
