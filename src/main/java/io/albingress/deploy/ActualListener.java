package io.albingress.deploy;

import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;

/** A listener as AWS has it; certificates: the default one first, then SNI certificates sorted. */
public record ActualListener(String arn, int port, String protocol, List<Action> defaultActions, List<String> certificateArns,
    String sslPolicy) {}
