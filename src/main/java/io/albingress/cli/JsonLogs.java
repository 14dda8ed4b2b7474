package io.albingress.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `--log-format=json`: one JSON object a line (level, time, logger, msg, thread; stack and run of a
 * reconciliation's `[stack#run]` prefix as fields; a throwable as stacktrace), as the reference logs.
 * A thin wrapper over slf4j-simple: it keeps writing its plain format to System.err, which this
 * replaces with a stream that turns each record into JSON. slf4j-simple writes a record (its line,
 * then the throwable's trace) and flushes under one lock, so a flush ends a record.
 */
public final class JsonLogs {
  /** slf4j-simple's default layout: [thread] LEVEL logger - message. */
  static final Pattern HEADER = Pattern.compile("^\\[(.+?)\\] (TRACE|DEBUG|INFO|WARN|ERROR) ([\\w.$]+) - (.*)$", Pattern.DOTALL);
  static final Pattern HEADER_START = Pattern.compile("\\[.+?\\] (TRACE|DEBUG|INFO|WARN|ERROR) [\\w.$]+ - ");
  /** A reconciliation's prefix (deploy.Reconciliation): [stack#run]. */
  static final Pattern RUN = Pattern.compile("^\\[([^\\]]+)#(\\d+)\\] (.*)$", Pattern.DOTALL);

  private JsonLogs() {}

  /** Replaces System.err; from now on every log record is a JSON line on the former System.err. */
  public static void install() {
    System.setErr(new JsonStream(System.err, Clock.systemUTC()));
  }

  /** The JSON line of one record as slf4j-simple printed it (its line, then any stack trace lines). */
  static String toJson(String record, String time) {
    String text = record.endsWith("\n") ? record.substring(0, record.length() - 1) : record;
    int newline = text.indexOf('\n');
    String first = newline < 0 ? text : text.substring(0, newline);
    String trace = newline < 0 ? "" : text.substring(newline + 1);
    StringBuilder out = new StringBuilder(128 + text.length()).append('{');
    Matcher h = HEADER.matcher(first);
    String msg = first;
    if (h.matches()) {
      field(out, "level", h.group(2).toLowerCase(java.util.Locale.ROOT));
      field(out, "time", time);
      field(out, "logger", h.group(3));
      field(out, "thread", h.group(1));
      msg = h.group(4);
    } else {
      field(out, "level", "info");
      field(out, "time", time);
      field(out, "logger", "stderr");
    }
    Matcher r = RUN.matcher(msg);
    if (r.matches()) {
      field(out, "msg", r.group(3));
      field(out, "stack", r.group(1));
      out.append(",\"run\":").append(Long.parseLong(r.group(2)));
    } else {
      field(out, "msg", msg);
    }
    if (!trace.isEmpty()) {
      field(out, "stacktrace", trace);
    }
    return out.append('}').toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    if (out.length() > 1) {
      out.append(',');
    }
    out.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Collects bytes until a flush (slf4j-simple's end of record) or, for others' writes, a line; then one JSON line each. */
  static final class JsonStream extends PrintStream {
    private final PrintStream target;
    private final Clock clock;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    JsonStream(PrintStream target, Clock clock) {
      super(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
      this.target = target;
      this.clock = clock;
    }

    @Override
    public synchronized void write(int b) {
      pending.write(b);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
      pending.write(buf, off, len);
    }

    @Override
    public void print(String s) {
      byte[] b = String.valueOf(s).getBytes(StandardCharsets.UTF_8);
      write(b, 0, b.length);
    }

    @Override
    public void print(Object o) {
      print(String.valueOf(o));
    }

    /** A line that is no slf4j-simple record (others writing to System.err) is written at once: no flush may follow. */
    @Override
    public synchronized void println(String s) {
      print(String.valueOf(s) + "\n");
      if (!HEADER_START.matcher(pending.toString(StandardCharsets.UTF_8)).lookingAt()) {
        flush();
      }
    }

    @Override
    public void println(Object o) {
      println(String.valueOf(o));
    }

    @Override
    public void println() {
      print("\n");
    }

    @Override
    public synchronized void flush() {
      if (pending.size() > 0) {
        String record = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        target.println(toJson(record, clock.instant().toString()));
      }
      target.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
