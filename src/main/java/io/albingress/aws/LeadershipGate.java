package io.albingress.aws;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Refuses every ELBv2 call while this replica does not lead, before anything is sent: a demoted
 * leader's runs still in flight make no further AWS call, whatever step they are at. Replicas that
 * never lead still serve the webhook, whose EC2/ACM lookups are not gated.
 */
public final class LeadershipGate implements ExecutionInterceptor {
  static final String REFUSED = "not leading: ELBv2 call refused";
  private volatile boolean open;

  private LeadershipGate(boolean open) {
    this.open = open;
  }

  /** Closed until {@link #open()}: for leader election. */
  public static LeadershipGate closed() {
    return new LeadershipGate(false);
  }

  /** Always open: a single replica, or tools. */
  public static LeadershipGate alwaysOpen() {
    return new LeadershipGate(true);
  }

  public void open() {
    open = true;
  }

  public void close() {
    open = false;
  }

  public boolean isOpen() {
    return open;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (!open) {
      throw SdkClientException.create(REFUSED);
    }
  }

  /** The failure is this gate refusing a call: leadership was lost, nothing to report on the Ingress. */
  public static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SdkClientException && REFUSED.equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }
}
