package io.albingress.aws;

import io.albingress.deploy.AwsFailure;
import io.albingress.deploy.AwsFailure.Kind;
import java.util.Set;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The one place that reads AWS error codes: every failed ELBv2 call becomes an {@link AwsFailure} of a kind. */
public final class AwsErrors {
  private static final Set<String> THROTTLING_CODES = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded",
      "TooManyRequestsException");

  private AwsErrors() {}

  /** Classifies a failure; one that is already classified is returned as it is. The message stays the original one. */
  public static AwsFailure classify(Throwable e) {
    if (e instanceof AwsFailure f) {
      return f;
    }
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String code = cause instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null
        ? a.awsErrorDetails().errorCode() : cause.getClass().getSimpleName();
    return new AwsFailure(kind(cause, code), code, e.getMessage(), e);
  }

  private static Kind kind(Throwable cause, String code) {
    if (cause instanceof AwsServiceException a) {
      if (a.isThrottlingException() || THROTTLING_CODES.contains(code)) {
        return Kind.THROTTLING;
      }
      if (code.endsWith("NotFound") || code.endsWith("NotFoundException")) {
        return Kind.NOT_FOUND;
      }
      if ("ResourceInUse".equals(code)) {
        return Kind.IN_USE;
      }
      return a.statusCode() >= 500 ? Kind.UNKNOWN_OUTCOME : Kind.VALIDATION;
    }
    // timeouts and lost connections (SdkClientException and its subclasses), and anything unexpected:
    // no answer, so the call may have taken effect
    return Kind.UNKNOWN_OUTCOME;
  }
}
