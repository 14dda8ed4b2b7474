package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Only AWS saying an item does not exist counts as "not found"; every other failure leaves it unverified. */
class CachedAwsFactsTest {
  private static AwsServiceException aws(String code, int status) {
    return AwsServiceException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
  }

  @Test
  void notFoundIsOnlyTheServicesOwnAnswer() {
    assertThat(CachedAwsFacts.notFound(aws("ResourceNotFoundException", 400), "ResourceNotFoundException", "InvalidArnException")).isTrue();
    assertThat(CachedAwsFacts.notFound(new CompletionException(aws("InvalidSubnetID.NotFound", 400)), "InvalidSubnetID.NotFound")).isTrue();
    assertThat(CachedAwsFacts.notFound(aws("AccessDeniedException", 400), "ResourceNotFoundException")).isFalse();
    assertThat(CachedAwsFacts.notFound(aws("ThrottlingException", 400), "ResourceNotFoundException")).isFalse();
    assertThat(CachedAwsFacts.notFound(new java.net.ConnectException("refused"), "ResourceNotFoundException")).isFalse();
  }
}
