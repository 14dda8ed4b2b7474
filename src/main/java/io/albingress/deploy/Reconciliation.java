package io.albingress.deploy;

import io.albingress.model.StackId;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * One run of one stack's reconciliation, carried into every log line of the run: as the MDC keys
 * {@code stack} and {@code run} (for a structured log backend) and as a "[shop/web#12]" prefix (the
 * bundled simple logger prints no MDC). MDC is per thread, so it is set around each log call, never
 * across an asynchronous step.
 */
public record Reconciliation(StackId stack, long run, java.util.function.BooleanSupplier cancelled) {

  /** A run without a bound (tests, plan). */
  public Reconciliation(StackId stack, long run) {
    this(stack, run, () -> false);
  }

  /**
   * The value, or a failure once the run is past its bound: between steps a run checks this, so a run
   * that was given up stops issuing AWS calls instead of racing the next run of its stack.
   */
  public <T> io.vertx.core.Future<T> going(T value) {
    return cancelled.getAsBoolean()
        ? io.vertx.core.Future.failedFuture(new java.util.concurrent.CancellationException("run " + this + " is past its bound: stopped"))
        : io.vertx.core.Future.succeededFuture(value);
  }

  @Override
  public String toString() {
    return stack.tagValue() + "#" + run;
  }

  public void info(Logger log, String format, Object... args) {
    try (var s = MDC.putCloseable("stack", stack.tagValue()); var r = MDC.putCloseable("run", String.valueOf(run))) {
      log.info("[" + this + "] " + format, args);
    }
  }

  public void debug(Logger log, String format, Object... args) {
    if (log.isDebugEnabled()) {
      try (var s = MDC.putCloseable("stack", stack.tagValue()); var r = MDC.putCloseable("run", String.valueOf(run))) {
        log.debug("[" + this + "] " + format, args);
      }
    }
  }

  /** A failure, with its cause (stack trace included) and, for AWS, its classified kind and code. */
  public void failed(Logger log, String what, Throwable cause) {
    String kind = cause instanceof AwsFailure f ? " (" + f.kind() + " " + f.code() + ")" : "";
    try (var s = MDC.putCloseable("stack", stack.tagValue()); var r = MDC.putCloseable("run", String.valueOf(run))) {
      log.warn("[" + this + "] " + what + " failed" + kind + ": " + cause.getMessage(), cause);
    }
  }
}
