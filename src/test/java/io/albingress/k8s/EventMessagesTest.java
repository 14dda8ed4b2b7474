package io.albingress.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class EventMessagesTest {
  private static final String DENIED = "User: arn:aws:sts::123456789012:assumed-role/alb-controller-role/i-0abc123 is not authorized "
      + "to perform: elasticloadbalancing:DeleteLoadBalancer on resource: arn:aws:elasticloadbalancing:us-west-2:123456789012:"
      + "loadbalancer/app/k8s-shop-web-0123456789/50dc6c495c0c9188 because no identity-based policy allows the "
      + "elasticloadbalancing:DeleteLoadBalancer action (Service: ElasticLoadBalancingV2, Status Code: 403, Request ID: "
      + "5d8f1c3e-8a2b-4c7d-9e0f-1a2b3c4d5e6f)";

  @Test
  void redactsTheControllersRoleAndOtherIamPrincipalsButNotTheResource() {
    String redacted = EventMessages.redact(DENIED);
    assertThat(redacted).doesNotContain("alb-controller-role").doesNotContain("assumed-role")
        .startsWith("User: " + EventMessages.REDACTED + " is not authorized")
        .contains("loadbalancer/app/k8s-shop-web-0123456789/50dc6c495c0c9188");
    assertThat(EventMessages.redact("role arn:aws:iam::123456789012:role/path/alb-controller, user arn:aws-cn:iam::123456789012:user/ci"))
        .isEqualTo("role " + EventMessages.REDACTED + ", user " + EventMessages.REDACTED);
    // a server certificate named by the user in an annotation is not a principal
    assertThat(EventMessages.redact("arn:aws:iam::123456789012:server-certificate/legacy/shop"))
        .isEqualTo("arn:aws:iam::123456789012:server-certificate/legacy/shop");
  }

  @Test
  void deDuplicationIgnoresRequestIdsOfEachAttempt() {
    String second = DENIED.replace("5d8f1c3e-8a2b-4c7d-9e0f-1a2b3c4d5e6f", "0f9e8d7c-6b5a-4321-8fed-cba987654321");
    assertThat(EventMessages.dedupKey(second)).isEqualTo(EventMessages.dedupKey(DENIED)).doesNotContain("Request ID");
    assertThat(EventMessages.dedupKey("Throttling: Rate exceeded (RequestId: abc-1, Extended Request ID: XyZ+/=)"))
        .isEqualTo(EventMessages.dedupKey("Throttling: Rate exceeded (RequestId: abc-2, Extended Request ID: QqQ=)"));
    assertThat(EventMessages.dedupKey("certificate deleted")).isNotEqualTo(EventMessages.dedupKey("target group deleted"));
  }

  @Test
  void saysWhyACleanupFailed() {
    assertThat(EventMessages.cleanupHint("OperationNotPermitted",
        "Load balancer 'arn:aws:elasticloadbalancing:...' cannot be deleted because deletion protection is enabled"))
        .startsWith("deletion protection is enabled on the load balancer");
    assertThat(EventMessages.cleanupHint("AccessDenied", DENIED)).startsWith("AWS denied the controller's IAM role");
    assertThat(EventMessages.cleanupHint("ResourceInUse", "Target group 'arn:...' is currently in use by a listener or a rule"))
        .startsWith("the resource is still in use");
    assertThat(EventMessages.cleanupHint("InternalFailure", "We encountered an internal error")).isEmpty();
  }

  @Test
  void theCleanupEventNamesTheStackTheCauseAndAwsWords() {
    AwsServiceException protectedLb = AwsServiceException.builder().statusCode(400).message("Load balancer cannot be deleted "
            + "because deletion protection is enabled (Service: ElasticLoadBalancingV2, Status Code: 400, Request ID: 1-2-3)")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("OperationNotPermitted").build()).build();
    String text = EventRecorder.cleanupFailed("shop/web", new CompletionException(protectedLb));
    assertThat(text).startsWith("Failed to delete the AWS resources of stack shop/web: deletion protection is enabled")
        .contains("AWS said: Load balancer cannot be deleted");
  }
}
