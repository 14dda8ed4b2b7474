package io.albingress.gateway;

import static io.albingress.gateway.LoadBalancerConfigTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.OidcSecrets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status the controller writes on a ListenerRuleConfiguration, as the reference's listenerrule_configuration_controller. */
class ListenerRuleConfigStatusTest {
  static final OidcSecrets SECRETS = new OidcSecrets() {
    @Override
    public Optional<Map<String, String>> keys(String namespace, String name) {
      return switch (namespace + "/" + name) {
        case "shop/idp" -> Optional.of(Map.of("clientID", "id", "clientSecret", "s3cret"));
        case "shop/half" -> Optional.of(Map.of("clientID", "id"));
        default -> Optional.empty();
      };
    }
  };

  static final String OIDC = """
      actions:
      - type: authenticate-oidc
        authenticateOIDCConfig:
          issuer: https://idp.example.com
          authorizationEndpoint: https://idp.example.com/auth
          tokenEndpoint: https://idp.example.com/token
          userInfoEndpoint: https://idp.example.com/userinfo
          secret: {name: idp}
      - {type: fixed-response, fixedResponseConfig: {statusCode: 200}}
      """;

  @Test
  void acceptedWithTheReferencesMessageAndGeneration() {
    ListenerRuleConfigStatus s = ListenerRuleConfigStatus.of(spec(OIDC), "shop", 4, SECRETS);
    assertThat(s).isEqualTo(new ListenerRuleConfigStatus(true, "Accepted", 4));
    assertThat(s.toMap()).containsExactly(Map.entry("observedGeneration", 4L), Map.entry("accepted", true), Map.entry("message", "Accepted"));
    assertThat(ListenerRuleConfigStatus.of(spec("tags: {team: web}\n"), "shop", 1, SECRETS).accepted()).isTrue();
  }

  @Test
  void notAcceptedWhileTheOidcSecretIsMissingOrIncompleteOrTheSpecUnusable() {
    assertThat(ListenerRuleConfigStatus.of(spec(OIDC.replace("name: idp", "name: gone")), "shop", 2, SECRETS))
        .isEqualTo(new ListenerRuleConfigStatus(false, "secret [shop/gone] not found", 2));
    // the Secret is read in the configuration's namespace
    assertThat(ListenerRuleConfigStatus.of(spec(OIDC), "other", 2, SECRETS).message()).isEqualTo("secret [other/idp] not found");
    assertThat(ListenerRuleConfigStatus.of(spec(OIDC.replace("name: idp", "name: half")), "shop", 2, SECRETS).message())
        .isEqualTo("secret [shop/half] has no key clientSecret (it must hold clientID and clientSecret)");
    ListenerRuleConfigStatus bad = ListenerRuleConfigStatus.of(spec("actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 700}}]\n"),
        "shop", 3, SECRETS);
    assertThat(bad.accepted()).isFalse();
    assertThat(bad.message()).startsWith("spec.actions[0].fixedResponseConfig.statusCode: 700");
  }

  @Test
  void writtenOnlyWhenTheStoredStatusDiffers() {
    ListenerRuleConfigStatus s = new ListenerRuleConfigStatus(true, "Accepted", 4);
    // as read back from JSON: the generation is an Integer
    assertThat(s.sameAs(Map.of("accepted", true, "message", "Accepted", "observedGeneration", 4))).isTrue();
    assertThat(s.sameAs(Map.of("accepted", true, "message", "Accepted", "observedGeneration", 3))).isFalse();
    assertThat(s.sameAs(Map.of("accepted", false, "message", "Accepted", "observedGeneration", 4))).isFalse();
    assertThat(s.sameAs(Map.of("accepted", true, "observedGeneration", 4))).isFalse();
    assertThat(s.sameAs(null)).isFalse();
  }
}
