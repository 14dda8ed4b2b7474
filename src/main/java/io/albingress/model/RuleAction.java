package io.albingress.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/** What a listener or rule does with a request. JSON names the kind: {"type": "forward", ...}. */
public sealed interface RuleAction {

  @JsonProperty("type")
  String type();

  /**
   * To a target group of the stack (by reference) or an existing one (by ARN, or by name, which
   * deploy resolves to its ARN).
   */
  record WeightedTarget(Optional<Ref> targetGroup, Optional<String> targetGroupArn,
      @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> targetGroupName, int weight) {
    public WeightedTarget(Optional<Ref> targetGroup, Optional<String> targetGroupArn, int weight) {
      this(targetGroup, targetGroupArn, Optional.empty(), weight);
    }
  }

  record Forward(List<WeightedTarget> targets, Optional<Integer> stickinessSeconds) implements RuleAction {
    public static Forward to(Ref targetGroup) {
      return new Forward(List.of(new WeightedTarget(Optional.of(targetGroup), Optional.empty(), 1)), Optional.empty());
    }

    @Override
    public String type() {
      return "forward";
    }
  }

  record FixedResponse(String statusCode, Optional<String> contentType, Optional<String> messageBody) implements RuleAction {
    /** The default action without a defaultBackend, as the reference controller builds it. */
    public static final FixedResponse NOT_FOUND = new FixedResponse("404", Optional.of("text/plain"), Optional.empty());

    @Override
    public String type() {
      return "fixed-response";
    }
  }

  record Redirect(String statusCode, String protocol, String port, String host, String path, String query) implements RuleAction {
    public static Redirect toHttps(int port) {
      return new Redirect("HTTP_301", "HTTPS", String.valueOf(port), "#{host}", "/#{path}", "#{query}");
    }

    @Override
    public String type() {
      return "redirect";
    }
  }

  /**
   * authenticate-oidc or authenticate-cognito, then {@code then}: ALB runs them in that order
   * (Order 1, 2). {@code client} is the OIDC client read from the Secret (empty for Cognito).
   */
  record Authenticate(io.albingress.annotations.AuthConfig config, Optional<OidcClient> client, RuleAction then) implements RuleAction {
    @Override
    public String type() {
      return "authenticate-" + config.type().wireName();
    }
  }

  /** jwt-validation, then {@code then}. */
  record ValidateJwt(io.albingress.annotations.AuthConfig.JwtValidation jwt, RuleAction then) implements RuleAction {
    @Override
    public String type() {
      return "jwt-validation";
    }
  }

  /** The routing action after any authentication. */
  static RuleAction last(RuleAction action) {
    if (action instanceof Authenticate a) {
      return last(a.then());
    }
    return action instanceof ValidateJwt v ? last(v.then()) : action;
  }
}
