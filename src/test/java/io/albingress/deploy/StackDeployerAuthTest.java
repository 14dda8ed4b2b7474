package io.albingress.deploy;

import static io.albingress.deploy.DeployFixtures.done;
import static io.albingress.deploy.DeployFixtures.https;
import static io.albingress.deploy.DeployFixtures.loadBalancer;
import static io.albingress.deploy.DeployFixtures.rule;
import static io.albingress.deploy.DeployFixtures.stack;
import static io.albingress.deploy.DeployFixtures.targetGroup;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.AuthConfig;
import io.albingress.annotations.AuthType;
import io.albingress.annotations.Scheme;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.OidcClient;
import io.albingress.model.OidcSecrets;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.albingress.model.Tags;
import io.albingress.model.TargetGroup;
import io.albingress.stack.Names;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;

/** Authenticate actions on the in-memory ELBv2: created before the forward, changed, re-applied on a new secret, removed. */
class StackDeployerAuthTest {
  private static final Reconciliation RUN = new Reconciliation(DeployFixtures.STACK, 1);
  private static final String CERT = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000b";
  private static final AuthConfig.Oidc IDP = new AuthConfig.Oidc("https://idp", "https://idp/auth", "https://idp/token",
      "https://idp/userinfo", "oidc", Map.of());
  private final FakeElbv2 elb = new FakeElbv2();
  private final Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
  private final StackDeployer deployer = new StackDeployer(elb, inventory, "vpc-1", new SimpleMeterRegistry(), new FakeAddOnPorts().addOns());
  private final TargetGroup web = targetGroup("web", 8080);

  private StackDeployer.Outcome deploy(Stack stack) {
    return done(deployer.deploy(stack, false, RUN));
  }

  /** One HTTPS rule to web, authenticated by OIDC with this client secret and scope (none: no auth). */
  private Stack oidc(String clientSecret, String scope) {
    ListenerRule plain = rule(443, 1, "/web", web);
    LoadBalancer lb = loadBalancer(Scheme.INTERNET_FACING);
    ListenerRule r = plain;
    if (clientSecret != null) {
      AuthConfig config = new AuthConfig(AuthType.OIDC, Optional.of(IDP), Optional.empty(), "authenticate", scope,
          "AWSELBAuthSessionCookie", 604800, Optional.empty());
      String digest = OidcSecrets.digest("shop/oidc", "id1", clientSecret);
      RuleAction action = new RuleAction.Authenticate(config, Optional.of(new OidcClient("shop/oidc", "id1", clientSecret, digest)),
          plain.action());
      r = new ListenerRule(plain.resourceId(), plain.listener(), plain.priority(), plain.conditions(), action, plain.source(),
          plain.tags(), plain.transforms());
      lb = lb.withTag(Tags.OIDC_SECRETS, Names.hash(digest));
    }
    return stack(lb, List.of(https(443, List.of(CERT))), List.of(r), List.of(web));
  }

  private List<Action> ruleActions() {
    String lbArn = elb.loadBalancers().get(0).arn();
    String listenerArn = done(elb.describeListeners(lbArn)).get(0).arn();
    return done(elb.describeRules(listenerArn)).get(0).actions();
  }

  @Test
  void createdBeforeTheForwardWithOrder() {
    deploy(oidc("one", "openid"));
    List<Action> actions = ruleActions();
    assertThat(actions).extracting(Action::typeAsString).containsExactly("authenticate-oidc", "forward");
    assertThat(actions).extracting(Action::order).containsExactly(1, 2);
    assertThat(actions.get(0).authenticateOidcConfig().clientId()).isEqualTo("id1");
    assertThat(actions.get(0).authenticateOidcConfig().clientSecret()).as("never returned").isNull();
    assertThat(elb.oidcSecretsSent).containsExactly("one");
    assertThat(elb.loadBalancers().get(0).tags()).containsKey(Tags.OIDC_SECRETS);
  }

  @Test
  void aChangedSettingIsModified() {
    deploy(oidc("one", "openid"));
    elb.clearCalls();
    deploy(oidc("one", "openid email"));
    assertThat(elb.writes()).anyMatch(w -> w.startsWith("modifyRule"));
    assertThat(ruleActions().get(0).authenticateOidcConfig().scope()).isEqualTo("openid email");
  }

  @Test
  void aChangedSecretIsReappliedThoughDescribeCannotShowIt() {
    deploy(oidc("one", "openid"));
    elb.clearCalls();
    deploy(oidc("two", "openid"));
    assertThat(elb.writes()).anyMatch(w -> w.startsWith("modifyRule"));
    assertThat(elb.oidcSecretsSent).containsExactly("one", "two");
    // applied: a further run with the same secret modifies nothing
    elb.clearCalls();
    done(deployer.deploy(oidc("two", "openid"), true, RUN));
    assertThat(elb.writes()).isEmpty();
  }

  @Test
  void removingAuthRemovesTheAction() {
    deploy(oidc("one", "openid"));
    deploy(oidc(null, null));
    assertThat(ruleActions()).extracting(Action::typeAsString).containsExactly("forward");
    assertThat(elb.loadBalancers().get(0).tags()).doesNotContainKey(Tags.OIDC_SECRETS);
  }

  @Test
  void cognitoAndJwtValidationActions() {
    AuthConfig cognito = new AuthConfig(AuthType.COGNITO, Optional.empty(), Optional.of(new AuthConfig.Cognito(
        "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_AbC", "client1", "auth.example.com", Map.of())),
        "deny", "openid", "c", 60, Optional.empty());
    List<Action> actions = SdkModel.actions(new RuleAction.Authenticate(cognito, Optional.empty(),
        RuleAction.FixedResponse.NOT_FOUND), Refs.NONE);
    assertThat(actions).extracting(Action::typeAsString).containsExactly("authenticate-cognito", "fixed-response");
    assertThat(actions.get(0).authenticateCognitoConfig().onUnauthenticatedRequestAsString()).isEqualTo("deny");
    assertThat(actions.get(0).authenticateCognitoConfig().sessionTimeout()).isEqualTo(60L);
    List<Action> jwt = SdkModel.actions(new RuleAction.ValidateJwt(new AuthConfig.JwtValidation("https://idp/jwks", "https://idp",
        List.of(new AuthConfig.Claim("string-array", "scope", List.of("read")))), RuleAction.FixedResponse.NOT_FOUND), Refs.NONE);
    assertThat(jwt).extracting(Action::typeAsString).containsExactly("jwt-validation", "fixed-response");
    assertThat(jwt).extracting(Action::order).containsExactly(1, 2);
    // canonical forms are equal for the same settings, whatever AWS adds as defaults
    assertThat(SdkModel.canonical(jwt)).isEqualTo(SdkModel.canonical(List.of(jwt.get(1), jwt.get(0))));
  }
}
