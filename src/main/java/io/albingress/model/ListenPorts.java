package io.albingress.model;

import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.ListenPort;
import io.albingress.annotations.Protocol;
import java.util.List;

/** The listeners an Ingress asks for: listen-ports, or the reference controller's defaults. */
public final class ListenPorts {
  public static final ListenPort DEFAULT_HTTP = new ListenPort(Protocol.HTTP, 80);
  public static final ListenPort DEFAULT_HTTPS = new ListenPort(Protocol.HTTPS, 443);

  private ListenPorts() {}

  /** @param wantsTls certificate-arn is set (spec.tls alone does not switch the default, as in the reference) */
  public static List<ListenPort> effective(IngressConfig config, boolean wantsTls) {
    if (config.hasExplicitListenPorts()) {
      return config.listenPorts();
    }
    return List.of(wantsTls ? DEFAULT_HTTPS : DEFAULT_HTTP);
  }
}
