package io.albingress.k8s;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Pure text rules for Event messages that carry AWS errors: the IAM principal the controller runs
 * as is redacted, the request IDs that differ on every attempt are left out of de-duplication, and
 * the common reasons a clean-up fails are said in words.
 */
public final class EventMessages {
  /** The role ARN of the controller (or any IAM principal) as AWS quotes it in AccessDenied messages. */
  private static final Pattern PRINCIPAL = Pattern.compile(
      "arn:aws[a-z-]*:(?:sts::\\d{12}:(?:assumed-role|federated-user)/[^\\s\"',;)]+"
          + "|iam::\\d{12}:(?:role|user|group|instance-profile)/[^\\s\"',;)]+)");
  /** Request IDs of the SDK's "(Service: X, Status Code: 400, Request ID: ...)" and of AWS messages. */
  private static final Pattern REQUEST_ID = Pattern.compile(
      "(?i)(?:,\\s*)?(?:extended\\s+)?request[\\s_-]?id\\s*[:=]\\s*[A-Za-z0-9+/=_-]+");
  static final String REDACTED = "<the controller's IAM role>";

  private EventMessages() {}

  /** The message with IAM principal ARNs replaced (an Event is readable by anyone who may read Events). */
  public static String redact(String message) {
    return message == null ? "" : PRINCIPAL.matcher(message).replaceAll(REDACTED);
  }

  /** The message as de-duplication compares it: without request IDs, so retries of one failure are one Event. */
  public static String dedupKey(String message) {
    return REQUEST_ID.matcher(message == null ? "" : message).replaceAll("").trim();
  }

  /**
   * Why deleting a stack's AWS resources failed, in words, from the AWS error code and message;
   * empty for failures without a known cause.
   */
  public static String cleanupHint(String errorCode, String message) {
    String code = errorCode == null ? "" : errorCode;
    String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (text.contains("deletion protection")) {
      return "deletion protection is enabled on the load balancer: set "
          + "alb.ingress.kubernetes.io/load-balancer-attributes: deletion_protection.enabled=false (or turn it off in AWS) "
          + "and the clean-up is retried";
    }
    if (code.startsWith("AccessDenied") || code.equals("UnauthorizedOperation") || text.contains("not authorized")) {
      return "AWS denied the controller's IAM role this call: check the role's policy (deploy/iam-policy.json)";
    }
    if (code.equals("ResourceInUse") || code.equals("DependencyViolation") || text.contains("in use")) {
      return "the resource is still in use (a listener, rule or another load balancer refers to it); the clean-up is retried";
    }
    return "";
  }
}
