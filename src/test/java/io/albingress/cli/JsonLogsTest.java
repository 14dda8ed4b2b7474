package io.albingress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JsonLogsTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T07:00:00Z"), ZoneOffset.UTC);

  @Test
  void aReconciliationsLineCarriesItsStackAndRunAsFields() {
    JsonObject o = new JsonObject(JsonLogs.toJson("[vert.x-eventloop-thread-1] INFO io.albingress.deploy.StackDeployer - [shop/web#12] created \"alb\"\n",
        "2026-12-03T07:00:00Z"));
    assertThat(o.getString("level")).isEqualTo("info");
    assertThat(o.getString("time")).isEqualTo("2026-12-03T07:00:00Z");
    assertThat(o.getString("logger")).isEqualTo("io.albingress.deploy.StackDeployer");
    assertThat(o.getString("thread")).isEqualTo("vert.x-eventloop-thread-1");
    assertThat(o.getString("msg")).isEqualTo("created \"alb\"");
    assertThat(o.getString("stack")).isEqualTo("shop/web");
    assertThat(o.getLong("run")).isEqualTo(12L);
    assertThat(o.containsKey("stacktrace")).isFalse();
  }

  @Test
  void aGroupStackAndALineWithoutPrefix() {
    JsonObject group = new JsonObject(JsonLogs.toJson("[main] WARN a.B - [team-a#3] x", "t"));
    assertThat(group.getString("stack")).isEqualTo("team-a");
    assertThat(group.getString("level")).isEqualTo("warn");
    JsonObject plain = new JsonObject(JsonLogs.toJson("[main] INFO a.B - informer caches synced", "t"));
    assertThat(plain.getString("msg")).isEqualTo("informer caches synced");
    assertThat(plain.containsKey("stack")).isFalse();
    JsonObject other = new JsonObject(JsonLogs.toJson("error: something\n", "t"));
    assertThat(other.getString("logger")).isEqualTo("stderr");
    assertThat(other.getString("msg")).isEqualTo("error: something");
  }

  @Test
  void theStreamWritesOneJsonLineARecordWithItsStackTrace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new JsonLogs.JsonStream(new PrintStream(bytes, true, StandardCharsets.UTF_8), CLOCK);
    // as slf4j-simple writes a record: its line, the throwable, a flush
    stream.println("[reconciler] ERROR io.albingress.deploy.Reconciliation - [shop/web#7] deploy failed: boom");
    new IllegalStateException("boom\twith \"quotes\"").printStackTrace(stream);
    stream.flush();
    stream.println("[main] INFO io.albingress.app.ControllerApp - stopping");
    stream.flush();
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    JsonObject first = new JsonObject(lines[0]);
    assertThat(first.getString("level")).isEqualTo("error");
    assertThat(first.getString("stack")).isEqualTo("shop/web");
    assertThat(first.getLong("run")).isEqualTo(7L);
    assertThat(first.getString("msg")).isEqualTo("deploy failed: boom");
    assertThat(first.getString("stacktrace")).startsWith("java.lang.IllegalStateException: boom\twith \"quotes\"").contains("\tat io.albingress.cli.JsonLogsTest");
    assertThat(first.getString("time")).isEqualTo("2026-12-03T07:00:00Z");
    assertThat(new JsonObject(lines[1]).getString("msg")).isEqualTo("stopping");
  }

  @Test
  void slf4jSimpleRecordsBecomeJsonLines() {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new JsonLogs.JsonStream(new PrintStream(bytes, true, StandardCharsets.UTF_8), CLOCK));
    try {
      org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("io.albingress.deploy.JsonLogsProbe");
      log.info("[{}#{}] created {}", "shop/web", 4, "k8s-shop-web");
      log.warn("[team-a#9] failed", new IllegalStateException("boom"));
    } finally {
      System.setErr(original);
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    JsonObject info = new JsonObject(lines[0]);
    assertThat(info.getString("logger")).isEqualTo("io.albingress.deploy.JsonLogsProbe");
    assertThat(info.getString("level")).isEqualTo("info");
    assertThat(info.getString("msg")).isEqualTo("created k8s-shop-web");
    assertThat(info.getString("stack")).isEqualTo("shop/web");
    assertThat(info.getLong("run")).isEqualTo(4L);
    JsonObject warn = new JsonObject(lines[1]);
    assertThat(warn.getString("level")).isEqualTo("warn");
    assertThat(warn.getString("stack")).isEqualTo("team-a");
    assertThat(warn.getString("stacktrace")).startsWith("java.lang.IllegalStateException: boom");
  }

  @Test
  void othersLinesAreWrittenAtOnce() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new JsonLogs.JsonStream(new PrintStream(bytes, true, StandardCharsets.UTF_8), CLOCK);
    stream.println("error: cannot read kubeconfig");
    JsonObject o = new JsonObject(bytes.toString(StandardCharsets.UTF_8).trim());
    assertThat(o.getString("msg")).isEqualTo("error: cannot read kubeconfig");
    assertThat(o.getString("logger")).isEqualTo("stderr");
  }

  @Test
  void theFlagRefusesAnUnknownFormat() {
    int exit = Main.commandLine().execute("controller", "--cluster-name=c", "--log-format=xml");
    assertThat(exit).isNotZero();
  }
}
