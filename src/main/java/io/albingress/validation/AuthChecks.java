package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.AuthAnnotations;
import io.albingress.annotations.AuthConfig;
import io.albingress.annotations.AuthType;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.ListenPort;
import io.albingress.annotations.Protocol;
import io.albingress.model.IngressRoutes;
import io.albingress.model.ListenPorts;
import io.albingress.model.OidcSecrets;
import io.albingress.model.ParsedIngress;
import io.fabric8.kubernetes.api.model.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * auth-* (on the Ingress or a backend Service) and jwt-validation: bad values are denied; auth
 * without an HTTPS listener is denied (ALB authenticates only there, so it would be silently
 * absent); an HTTP listener beside the HTTPS one without ssl-redirect is warned about; the OIDC
 * Secret must hold clientID (or clientId) and clientSecret. A Secret the cache does not hold is a
 * warning: it may be created after the Ingress, or the cache may lag.
 */
final class AuthChecks {
  private static final java.util.Set<String> AUTH_KEYS =
      AuthAnnotations.KEYS.stream().map(io.albingress.annotations.AnnotationCatalog::key).collect(java.util.stream.Collectors.toUnmodifiableSet());

  private AuthChecks() {}

  static void run(ParsedIngress parsed, ClusterView cluster, Findings findings) {
    Map<String, String> annotations = parsed.annotations();
    String ns = parsed.namespace();
    // the Ingress's own auth, parsed once: every route without an overriding Service shares it
    var ingressAuth = AuthAnnotations.parse(annotations);
    findings.deny(ingressAuth.errors());
    // the effective auth of each route, keyed by where it comes from (the Ingress, or a Service that overrides it)
    Map<String, AuthConfig> effective = new LinkedHashMap<>();
    // one parse per origin (the Ingress, or an overriding Service), however many paths share it
    Map<String, Optional<String>> overridingService = new java.util.HashMap<>();
    for (IngressRoutes.Route route : parsed.routes()) {
      List<String> services = ParsedIngress.servicesOf(route, parsed.config().actions());
      String service = services.size() == 1 ? services.get(0) : null;
      boolean overrides = service != null && overridingService.computeIfAbsent(service,
          n -> overridesAuth(cluster.serviceAnnotations(ns, n)) ? Optional.of(n) : Optional.empty()).isPresent();
      String origin = overrides ? "Service " + ns + "/" + service : "";
      String slot = origin.isEmpty() ? "the Ingress" : origin;
      if (effective.containsKey(slot)) {
        continue;
      }
      var auth = overrides ? AuthAnnotations.parse(annotations, cluster.serviceAnnotations(ns, service), origin) : ingressAuth;
      if (overrides) {
        findings.deny(auth.errors());
      }
      effective.put(slot, auth.value());
    }
    if (effective.isEmpty()) {
      effective.put("the Ingress", ingressAuth.value());
    }
    if (effective.values().stream().noneMatch(AuthConfig::active)) {
      return;
    }
    IngressConfig config = parsed.config();
    List<ListenPort> ports = ListenPorts.effective(config, IngressValidator.wantsTls(parsed.ingress(), config));
    boolean https = ports.stream().anyMatch(p -> p.protocol() == Protocol.HTTPS);
    boolean http = ports.stream().anyMatch(p -> p.protocol() == Protocol.HTTP);
    String what = effective.values().stream().anyMatch(a -> a.type() != AuthType.NONE) ? key("auth-type") : key("jwt-validation");
    if (!https) {
      findings.deny(what + " asks for authentication, but this Ingress listens only on " + IngressValidator.portsText(ports)
          + ": ALB authenticates only on HTTPS listeners, so requests would reach the backends unauthenticated. Add an HTTPS port to "
          + key("listen-ports") + " (e.g. [{\"HTTPS\": 443}]) with a certificate (" + key("certificate-arn")
          + " or a host an ACM certificate covers), and " + key("ssl-redirect") + " for the HTTP port");
      return;
    }
    if (http && config.sslRedirectPort().isEmpty()) {
      findings.warn(what + ": the HTTP listener(s) in " + IngressValidator.portsText(ports) + " forward without authentication"
          + " (ALB authenticates only on HTTPS); set " + key("ssl-redirect") + " to send HTTP requests to HTTPS");
    }
    OidcSecrets secrets = cluster.oidcSecrets();
    if (!secrets.known()) {
      return;
    }
    effective.forEach((origin, auth) -> {
      if (auth.type() != AuthType.OIDC || auth.oidc().isEmpty()) {
        return;
      }
      String name = auth.oidc().get().secretName();
      String where = "Secret " + ns + "/" + name + " (secretName in " + key("auth-idp-oidc") + (origin.equals("the Ingress") ? "" : " on " + origin) + ")";
      OidcSecrets.Lookup lookup = secrets.lookup(ns, name);
      if (lookup instanceof OidcSecrets.Lookup.Missing) {
        findings.warn(where + " does not exist (yet): the rules are not deployed until it does, and it must hold "
            + OidcSecrets.CLIENT_ID + " and " + OidcSecrets.CLIENT_SECRET);
      } else if (lookup instanceof OidcSecrets.Lookup.LacksKey k) {
        findings.deny(where + " has no key " + k.key() + "; it must hold " + OidcSecrets.CLIENT_ID + " (or "
            + OidcSecrets.CLIENT_ID_LEGACY + ") and " + OidcSecrets.CLIENT_SECRET);
      }
    });
  }

  private static boolean overridesAuth(Map<String, String> serviceAnnotations) {
    for (String k : serviceAnnotations.keySet()) {
      if (AUTH_KEYS.contains(k)) {
        return true;
      }
    }
    return false;
  }
}
