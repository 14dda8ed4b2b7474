package io.albingress.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts AWS API calls by service, operation and outcome, and attempts (retries show as attempts > calls). */
public final class CallMetrics implements ExecutionInterceptor {
  public static final String CALLS = "alb_aws_api_calls_total";
  public static final String ATTEMPTS = "alb_aws_api_attempts_total";
  private final MeterRegistry registry;

  public CallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Counter.builder(ATTEMPTS).description("AWS API HTTP attempts, retries included.")
        .tag("service", service(attributes)).tag("operation", operation(attributes)).register(registry).increment();
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    count(attributes, "success");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    count(attributes, "error");
  }

  private void count(ExecutionAttributes attributes, String outcome) {
    Counter.builder(CALLS).description("AWS API calls by service, operation and outcome.")
        .tag("service", service(attributes)).tag("operation", operation(attributes)).tag("outcome", outcome).register(registry).increment();
  }

  private static String service(ExecutionAttributes a) {
    String s = a.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    return s == null ? "unknown" : s;
  }

  private static String operation(ExecutionAttributes a) {
    String s = a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    return s == null ? "unknown" : s;
  }
}
