package io.albingress.annotations;

import java.util.List;
import java.util.Optional;

/** An `actions.<name>` annotation, in the reference controller's JSON shapes. */
public sealed interface Action {

  String type();

  record Forward(List<ForwardTarget> targets, Optional<Integer> stickinessSeconds) implements Action {
    @Override
    public String type() {
      return "forward";
    }
  }

  /**
   * A weighted destination: a Service port, or an existing target group by ARN or by name. Weight
   * is 1 where unset, which only a single destination may leave.
   */
  record ForwardTarget(Optional<String> serviceName, Optional<String> servicePort, Optional<String> targetGroupArn,
      Optional<String> targetGroupName, int weight) {}

  record FixedResponse(String statusCode, Optional<String> contentType, Optional<String> messageBody) implements Action {
    @Override
    public String type() {
      return "fixed-response";
    }
  }

  /** Unset parts keep the request's own value, as ALB's "#{host}" placeholders do. */
  record Redirect(String statusCode, Optional<String> protocol, Optional<String> port, Optional<String> host,
      Optional<String> path, Optional<String> query) implements Action {
    @Override
    public String type() {
      return "redirect";
    }
  }
}
