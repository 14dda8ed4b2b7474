package io.albingress.gateway;

import io.albingress.annotations.AuthConfig;
import io.albingress.annotations.AuthType;
import io.albingress.annotations.FieldError;
import io.albingress.annotations.Parsed;
import io.albingress.gateway.ListenerRuleConfigParser.ListenerRuleConfig;
import io.albingress.model.OidcSecrets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code status} of a ListenerRuleConfiguration, as the reference writes it
 * ({@code controllers/gateway/listenerrule_configuration_controller.go}, {@code ListenerRuleConfigurationStatus}):
 * {@code accepted}, {@code message} and {@code observedGeneration}. Accepted with message "Accepted" when the spec is
 * usable; not accepted with the reference's message {@code secret [ns/name] not found} when the authenticate-oidc
 * Secret does not exist. Beyond the reference, also not accepted when that Secret lacks clientID or clientSecret, or
 * when the spec does not parse (an object stored before the webhook ran): what would make every rule naming it answer
 * 500 shows on the configuration itself. Pure.
 */
public record ListenerRuleConfigStatus(boolean accepted, String message, long observedGeneration) {
  public static final String ACCEPTED = "Accepted";

  /**
   * @param namespace the configuration's namespace (its OIDC Secret is read there)
   * @param generation its {@code metadata.generation}
   */
  public static ListenerRuleConfigStatus of(Map<String, Object> spec, String namespace, long generation, OidcSecrets secrets) {
    Parsed<ListenerRuleConfig> parsed = ListenerRuleConfigParser.parse(spec);
    if (!parsed.errors().isEmpty()) {
      return new ListenerRuleConfigStatus(false, String.join("; ", parsed.errors().stream().map(FieldError::render).toList()), generation);
    }
    Optional<AuthConfig> auth = parsed.value().auth();
    if (auth.isPresent() && auth.get().type() == AuthType.OIDC && auth.get().oidc().isPresent()) {
      String secret = auth.get().oidc().get().secretName();
      OidcSecrets.Lookup lookup = secrets.lookup(namespace, secret);
      if (lookup instanceof OidcSecrets.Lookup.Missing) {
        return new ListenerRuleConfigStatus(false, "secret [" + namespace + "/" + secret + "] not found", generation);
      }
      if (lookup instanceof OidcSecrets.Lookup.LacksKey k) {
        return new ListenerRuleConfigStatus(false, "secret [" + namespace + "/" + secret + "] has no key " + k.key()
            + " (it must hold clientID and clientSecret)", generation);
      }
    }
    return new ListenerRuleConfigStatus(true, ACCEPTED, generation);
  }

  /** As the object's {@code status}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("observedGeneration", observedGeneration);
    m.put("accepted", accepted);
    m.put("message", message);
    return m;
  }

  /** Whether a stored {@code status} (as read from JSON: numbers of any width) says the same. */
  public boolean sameAs(Object status) {
    return status instanceof Map<?, ?> m && Boolean.valueOf(accepted).equals(m.get("accepted")) && message.equals(m.get("message"))
        && m.get("observedGeneration") instanceof Number n && n.longValue() == observedGeneration;
  }
}
