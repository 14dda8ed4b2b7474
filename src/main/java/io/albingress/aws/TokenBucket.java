package io.albingress.aws;

/**
 * A token bucket that reserves instead of waiting, as Go's {@code rate.Limiter.Reserve}: the caller
 * is told how long to wait before its call may go, and schedules it (never blocks a thread).
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double nanosPerToken;
  private final int burst;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.nanosPerToken = 1e9 / ratePerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes one token, going into debt if needed; returns the nanoseconds until that token exists. */
  public synchronized long reserve(long nowNanos) {
    refill(nowNanos);
    tokens -= 1;
    // the epsilon absorbs floating-point residue, so that an exactly paid debt waits 0 ns, not 1
    return tokens >= -1e-9 ? 0 : (long) Math.ceil(-tokens * nanosPerToken - 1e-3);
  }

  /** Takes one token if there is one, never going into debt (a server refusing calls past its rate). */
  public synchronized boolean tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens < 1 - 1e-9) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  private void refill(long nowNanos) {
    if (nowNanos > last) {
      tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
      last = nowNanos;
    }
  }
}
