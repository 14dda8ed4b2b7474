package io.albingress.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy between the AWS SDK and moto that injects faults at a given rate: throttling
 * (HTTP 400 Throttling), 500, 503, connection resets, and answers slower than the client's
 * timeout, including ones moto has already carried out ("succeeded in AWS, timed out at the
 * client"). Seeded, so a failing run can be replayed. With {@link #strict} every ELBv2 call goes
 * through {@link StrictElbv2} (real ELBv2's rules) on its way to moto; {@link #hold} keeps a chosen
 * call in flight until the test lets it go, so a kill can be timed against it.
 */
public final class FaultProxy implements AutoCloseable {
  public enum Fault { THROTTLE, ERROR_500, ERROR_503, RESET, SLOW_AFTER_SUCCESS, SLOW_BEFORE }

  private static final String ELB_THROTTLING = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
      + "<Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>";
  private static final String EC2_THROTTLING = "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
      + "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>";
  private static final String JSON_THROTTLING = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";

  private final Vertx vertx;
  private final URI target;
  private final double rate;
  private final long slowMillis;
  private final Random random;
  private final HttpClient client;
  private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private HttpServer server;
  private StrictElbv2 strict;
  private final java.util.List<Hold> holds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private io.albingress.aws.ApiThrottleConfig rateLimits;
  private final Map<io.albingress.aws.ApiThrottleConfig.Rule, io.albingress.aws.TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong refusedByRate = new AtomicLong();

  /** The faults drawn from; -Dfaults.kinds=THROTTLE,RESET,... narrows them. */
  private final Fault[] kinds;

  public FaultProxy(Vertx vertx, URI target, double rate, long slowMillis, long seed, Fault... kinds) {
    this.kinds = kinds.length == 0 ? Fault.values() : kinds;
    this.vertx = vertx;
    this.target = target;
    this.rate = rate;
    this.slowMillis = slowMillis;
    this.random = new Random(seed);
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  /** Puts real ELBv2's rules between the proxy and moto; call before {@link #start}. */
  public FaultProxy strict(StrictElbv2 layer) {
    this.strict = layer;
    return this;
  }

  /**
   * Refuses ELBv2 calls past these rates with {@code Throttling}, as AWS does past its request rates
   * (no waiting, no debt); call before {@link #start}.
   */
  public FaultProxy rateLimits(io.albingress.aws.ApiThrottleConfig limits) {
    this.rateLimits = limits;
    return this;
  }

  /** Calls refused by {@link #rateLimits}. */
  public long refusedByRate() {
    return refusedByRate.get();
  }

  public StrictElbv2 strict() {
    return strict;
  }

  /**
   * Holds the next call of this action (e.g. CreateLoadBalancer) before it reaches moto: {@link Hold#arrived}
   * completes when the controller has sent it, {@link Hold#release} then forwards it (an answer
   * to a client that died is dropped, as AWS carries out a call whose caller went away).
   */
  public Hold hold(String action) {
    Hold hold = new Hold(action);
    holds.add(hold);
    return hold;
  }

  /** A call kept in flight by {@link #hold}. */
  public static final class Hold {
    private final String action;
    private final io.vertx.core.Promise<String> arrived = io.vertx.core.Promise.promise();
    private final io.vertx.core.Promise<Void> released = io.vertx.core.Promise.promise();

    Hold(String action) {
      this.action = action;
    }

    /** Completes with the held request's body once it arrived. */
    public Future<String> arrived() {
      return arrived.future();
    }

    public void release() {
      released.tryComplete();
    }
  }

  public Future<FaultProxy> start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public Map<Fault, AtomicLong> injected() {
    return injected;
  }

  public long requests() {
    return requests.get();
  }

  private synchronized Fault draw() {
    if (random.nextDouble() >= rate) {
      return null;
    }
    return kinds[random.nextInt(kinds.length)];
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    Fault fault = draw();
    if (fault != null) {
      injected.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
    }
    req.body().onSuccess(body -> {
      if (pastRate(req, body)) {
        refusedByRate.incrementAndGet();
        throttle(req, body);
        return;
      }
      Hold hold = claimHold(body);
      if (hold != null) {
        hold.released.future().onComplete(x -> pass(req, body).onComplete(ar -> reply(req, ar.result(), 0)));
        return;
      }
      if (fault == null) {
        pass(req, body).onComplete(ar -> reply(req, ar.result(), 0));
        return;
      }
      switch (fault) {
        case THROTTLE -> throttle(req, body);
        case ERROR_500 -> req.response().setStatusCode(500).end("<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>");
        case ERROR_503 -> req.response().setStatusCode(503).end("<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>");
        case RESET -> req.connection().close();
        case SLOW_AFTER_SUCCESS -> pass(req, body).onComplete(ar -> reply(req, ar.result(), slowMillis));
        case SLOW_BEFORE -> vertx.setTimer(slowMillis, t -> pass(req, body).onComplete(ar -> reply(req, ar.result(), 0)));
      }
    });
  }

  /** Each AWS protocol spells throttling its own way: JSON (ACM), EC2 query, or ELBv2 query. */
  private static void throttle(HttpServerRequest req, Buffer body) {
    if (req.getHeader("X-Amz-Target") != null) {
      req.response().setStatusCode(400).putHeader("content-type", "application/x-amz-json-1.1")
          .putHeader("x-amzn-ErrorType", "ThrottlingException").end(JSON_THROTTLING);
    } else if (body.toString().contains("Version=2016-11-15")) {
      req.response().setStatusCode(503).putHeader("content-type", "text/xml").end(EC2_THROTTLING);
    } else {
      req.response().setStatusCode(400).putHeader("content-type", "text/xml").end(ELB_THROTTLING);
    }
  }

  private boolean pastRate(HttpServerRequest req, Buffer body) {
    if (rateLimits == null || req.getHeader("X-Amz-Target") != null) {
      return false;
    }
    QueryRequest query = QueryRequest.parse(body.toString());
    if (!query.isElbv2()) {
      return false;
    }
    long now = System.nanoTime();
    boolean past = false;
    for (var rule : rateLimits.rulesFor(io.albingress.aws.ApiThrottleConfig.ELBV2, query.action())) {
      past |= !buckets.computeIfAbsent(rule, r -> new io.albingress.aws.TokenBucket(r.ratePerSecond(), r.burst(), now)).tryTake(now);
    }
    return past;
  }

  private synchronized Hold claimHold(Buffer body) {
    if (holds.isEmpty()) {
      return null;
    }
    String action = QueryRequest.parse(body.toString()).action();
    for (Hold hold : holds) {
      if (hold.action.equals(action)) {
        holds.remove(hold);
        hold.arrived.tryComplete(body.toString());
        return hold;
      }
    }
    return null;
  }

  /** To moto, through the strict layer when it is on and the call is ELBv2's. */
  private Future<AwsAnswer> pass(HttpServerRequest req, Buffer body) {
    if (strict == null || req.getHeader("X-Amz-Target") != null) {
      return forward(req, body);
    }
    QueryRequest query = QueryRequest.parse(body.toString());
    if (!query.isElbv2()) {
      return forward(req, body);
    }
    return strict.handle(query, q -> forward(req, Buffer.buffer(q.encode())));
  }

  private Future<AwsAnswer> forward(HttpServerRequest req, Buffer body) {
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(req.headers()).remove("content-length");
    RequestOptions options = new RequestOptions().setMethod(req.method()).setHost(target.getHost()).setPort(target.getPort())
        .setURI(req.uri()).setHeaders(headers);
    return client.request(options).compose(out -> out.send(body)).compose(resp -> resp.body().map(b -> {
      Map<String, String> answerHeaders = new java.util.HashMap<>();
      resp.headers().forEach(e -> answerHeaders.put(e.getKey(), e.getValue()));
      return new AwsAnswer(resp.statusCode(), answerHeaders, b);
    }));
  }

  private void reply(HttpServerRequest req, AwsAnswer answer, long delay) {
    Runnable send = () -> {
      if (answer == null) {
        req.response().setStatusCode(502).end();
        return;
      }
      answer.headers().forEach((k, v) -> {
        if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding") && !k.equalsIgnoreCase("connection")) {
          req.response().putHeader(k, v);
        }
      });
      req.response().setStatusCode(answer.status()).end(answer.body()).onFailure(e -> { });
    };
    if (delay > 0) {
      vertx.setTimer(delay, t -> send.run());
    } else {
      send.run();
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    client.close();
  }
}
