package io.albingress.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.albingress.annotations.MutualAuthentication;
import io.albingress.annotations.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A listener; the first certificate is the default one, the others are SNI certificates.
 * {@code mutualAuthentication} (HTTPS only) absent means off; {@code attributes} are the listener
 * attributes the annotations set (others are left as they are).
 */
public record Listener(
    String resourceId,
    Ref loadBalancer,
    Protocol protocol,
    int port,
    RuleAction defaultAction,
    List<String> certificateArns,
    Optional<String> sslPolicy,
    Map<String, String> tags,
    @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<MutualAuthentication> mutualAuthentication,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> attributes) {

  public Listener(String resourceId, Ref loadBalancer, Protocol protocol, int port, RuleAction defaultAction,
      List<String> certificateArns, Optional<String> sslPolicy, Map<String, String> tags) {
    this(resourceId, loadBalancer, protocol, port, defaultAction, certificateArns, sslPolicy, tags, Optional.empty(), Map.of());
  }

  public Listener withMutualAuthentication(Optional<MutualAuthentication> mtls) {
    return new Listener(resourceId, loadBalancer, protocol, port, defaultAction, certificateArns, sslPolicy, tags, mtls, attributes);
  }
}
