package io.albingress.deploy;

import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.MutualAuthenticationAttributes;

/**
 * A listener as AWS has it; certificates: the default one first, then SNI certificates sorted.
 * {@code mutualAuthentication} is null when AWS reports none (HTTP listeners, or never set).
 */
public record ActualListener(String arn, int port, String protocol, List<Action> defaultActions, List<String> certificateArns,
    String sslPolicy, MutualAuthenticationAttributes mutualAuthentication) {

  public ActualListener(String arn, int port, String protocol, List<Action> defaultActions, List<String> certificateArns,
      String sslPolicy) {
    this(arn, port, protocol, defaultActions, certificateArns, sslPolicy, null);
  }
}
