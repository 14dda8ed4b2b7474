package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.deploy.AwsFailure;
import io.albingress.deploy.AwsFailure.Kind;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(service(400, "LoadBalancerNotFound"), Kind.NOT_FOUND),
        Arguments.of(service(400, "TargetGroupNotFound"), Kind.NOT_FOUND),
        Arguments.of(service(400, "Throttling"), Kind.THROTTLING),
        Arguments.of(service(400, "ResourceInUse"), Kind.IN_USE),
        Arguments.of(service(400, "ValidationError"), Kind.VALIDATION),
        Arguments.of(service(400, "DuplicateLoadBalancerName"), Kind.VALIDATION),
        Arguments.of(service(400, "TooManyRules"), Kind.VALIDATION),
        Arguments.of(service(503, "ServiceUnavailable"), Kind.UNKNOWN_OUTCOME),
        Arguments.of(ApiCallAttemptTimeoutException.create(20_000), Kind.UNKNOWN_OUTCOME),
        Arguments.of(SdkClientException.create("connection reset"), Kind.UNKNOWN_OUTCOME),
        Arguments.of(new CompletionException(service(400, "ListenerNotFound")), Kind.NOT_FOUND));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void classifies(Throwable failure, Kind kind) {
    AwsFailure classified = AwsErrors.classify(failure);
    assertThat(classified.kind()).isEqualTo(kind);
    // the message users see in Events stays AWS's own
    assertThat(classified.getMessage()).isEqualTo(failure.getMessage());
    assertThat(classified.getCause()).isSameAs(failure);
  }

  @ParameterizedTest
  @MethodSource("failures")
  void classifyingTwiceChangesNothing(Throwable failure, Kind kind) {
    AwsFailure once = AwsErrors.classify(failure);
    assertThat(AwsErrors.classify(once)).isSameAs(once);
  }

  private static AwsServiceException service(int status, String code) {
    return AwsServiceException.builder().statusCode(status).message(code + " happened")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " happened").build()).build();
  }
}
