package io.albingress.deploy;

import static io.albingress.deploy.DeployFixtures.CERT_A;
import static io.albingress.deploy.DeployFixtures.done;
import static io.albingress.deploy.DeployFixtures.http;
import static io.albingress.deploy.DeployFixtures.https;
import static io.albingress.deploy.DeployFixtures.loadBalancer;
import static io.albingress.deploy.DeployFixtures.rule;
import static io.albingress.deploy.DeployFixtures.stack;
import static io.albingress.deploy.DeployFixtures.targetGroup;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.MutualAuthentication;
import io.albingress.annotations.Scheme;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.albingress.model.Listener;
import io.albingress.model.Stack;
import io.albingress.model.TargetGroup;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.MutualAuthenticationAttributes;

/** mutual-authentication and listener-attributes.* over the in-memory ELBv2: create, drift, and no call when unchanged. */
class ListenerSettingsDeployTest {
  private static final Reconciliation RUN = new Reconciliation(DeployFixtures.STACK, 1);
  private static final String SERVER = "routing.http.response.server.enabled";
  private static final String FRAME = "routing.http.response.x_frame_options.header_value";
  private final FakeElbv2 elb = new FakeElbv2();
  private final Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
  private final StackDeployer deployer = new StackDeployer(elb, inventory, "vpc-1", new SimpleMeterRegistry(), new FakeAddOnPorts().addOns());
  private final TargetGroup web = targetGroup("web", 8080);

  private StackDeployer.Outcome deploy(Stack stack, boolean deep) {
    return done(deployer.deploy(stack, deep, RUN));
  }

  private static MutualAuthentication verify(String trustStore) {
    return new MutualAuthentication(443, MutualAuthentication.Mode.VERIFY, Optional.of(trustStore), Optional.of(false), Optional.of("off"));
  }

  private static Listener withSettings(Listener l, Optional<MutualAuthentication> mtls, Map<String, String> attributes) {
    return new Listener(l.resourceId(), l.loadBalancer(), l.protocol(), l.port(), l.defaultAction(), l.certificateArns(), l.sslPolicy(),
        l.tags(), mtls, attributes);
  }

  private Stack https443(Optional<MutualAuthentication> mtls, Map<String, String> attributes) {
    return stack(loadBalancer(Scheme.INTERNET_FACING), List.of(withSettings(https(443, List.of(CERT_A)), mtls, attributes)),
        List.of(rule(443, 1, "/", web)), List.of(web));
  }

  private ActualListener listener() {
    return elb.listenersOf(elb.loadBalancers().get(0).arn()).get(0);
  }

  @Test
  void aTrustStoreNameIsResolvedOnceAndCreatedWithTheListener() {
    String arn = elb.addTrustStore("partners");
    deploy(https443(Optional.of(verify("partners")), Map.of(SERVER, "false")), false);

    assertThat(listener().mutualAuthentication().mode()).isEqualTo("verify");
    assertThat(listener().mutualAuthentication().trustStoreArn()).isEqualTo(arn);
    assertThat(elb.listenerAttributesOf(listener().arn())).containsExactly(Map.entry(SERVER, "false"));
    // created listener: attributes set without describing them first
    assertThat(elb.calls()).noneMatch(c -> c.startsWith("listenerAttributes "));
    assertThat(elb.calls()).filteredOn(c -> c.startsWith("trustStoreArnsByName")).containsExactly("trustStoreArnsByName partners");
    assertThat(elb.writes()).extracting(c -> c.split(" ")[0]).containsSubsequence("createListener", "modifyListenerAttributes", "createRule");
  }

  @Test
  void anUnchangedStackMakesNoCallAndADeepCheckNoWriteAndNoSecondTrustStoreLookup() {
    elb.addTrustStore("partners");
    Stack stack = https443(Optional.of(verify("partners")), Map.of(SERVER, "false", FRAME, "DENY"));
    deploy(stack, false);
    elb.clearCalls();

    assertThat(deploy(stack, false).changed()).isFalse();
    assertThat(elb.calls()).isEmpty();

    StackDeployer.Outcome deep = deploy(stack, true);
    assertThat(elb.writes()).isEmpty();
    assertThat(deep.changed()).isFalse();
    assertThat(elb.calls()).contains("listenerAttributes " + listener().arn()).noneMatch(c -> c.startsWith("trustStoreArnsByName"));
  }

  @Test
  void aRestartWithAFreshDeployerMakesNoMutatingCall() {
    elb.addTrustStore("partners");
    Stack stack = https443(Optional.of(verify("partners")), Map.of(SERVER, "false"));
    deploy(stack, false);
    elb.clearCalls();

    StackDeployer restarted = new StackDeployer(elb, new Inventory(elb, DeployFixtures.CLUSTER), "vpc-1", new SimpleMeterRegistry(),
        new FakeAddOnPorts().addOns());
    done(restarted.deploy(stack, false, RUN));
    done(restarted.deploy(stack, true, RUN));
    assertThat(elb.writes()).isEmpty();
  }

  @Test
  void mutualTlsDriftIsModifiedBack() {
    String arn = elb.addTrustStore("partners");
    Stack stack = https443(Optional.of(verify("partners")), Map.of());
    deploy(stack, false);
    elb.setMutualAuthentication(listener().arn(), MutualAuthenticationAttributes.builder().mode("passthrough").build());
    elb.clearCalls();

    deploy(stack, true);

    assertThat(elb.writes()).containsExactly("modifyListener 443");
    assertThat(listener().mutualAuthentication().mode()).isEqualTo("verify");
    assertThat(listener().mutualAuthentication().trustStoreArn()).isEqualTo(arn);
  }

  @Test
  void removingTheAnnotationTurnsMutualTlsOff() {
    elb.addTrustStore("partners");
    deploy(https443(Optional.of(verify("partners")), Map.of()), false);
    elb.clearCalls();

    deploy(https443(Optional.empty(), Map.of()), false);

    assertThat(elb.writes()).contains("modifyListener 443");
    assertThat(listener().mutualAuthentication().mode()).isEqualTo("off");
  }

  @Test
  void onlyDriftedAttributesAreModifiedAndOthersLeftAlone() {
    deploy(https443(Optional.empty(), Map.of(SERVER, "false", FRAME, "DENY")), false);
    elb.setListenerAttribute(listener().arn(), FRAME, "SAMEORIGIN");
    elb.setListenerAttribute(listener().arn(), "routing.http.response.strict_transport_security.header_value", "max-age=1");
    elb.clearCalls();

    deploy(https443(Optional.empty(), Map.of(SERVER, "false", FRAME, "DENY")), true);

    assertThat(elb.writes()).containsExactly("modifyListenerAttributes {" + FRAME + "=DENY}");
    assertThat(elb.listenerAttributesOf(listener().arn()))
        .containsEntry("routing.http.response.strict_transport_security.header_value", "max-age=1");
  }

  @Test
  void anAttributeChangeInTheModelModifiesOnlyThatKey() {
    deploy(https443(Optional.empty(), Map.of(SERVER, "false", FRAME, "DENY")), false);
    elb.clearCalls();

    deploy(https443(Optional.empty(), Map.of(SERVER, "true", FRAME, "DENY")), false);

    assertThat(elb.writes()).containsExactly("modifyListenerAttributes {" + SERVER + "=true}", "addTags " + elb.loadBalancers().get(0).arn());
  }

  @Test
  void noAttributesMeansNoDescribe() {
    deploy(https443(Optional.empty(), Map.of()), false);
    deploy(https443(Optional.empty(), Map.of()), true);
    assertThat(elb.calls()).noneMatch(c -> c.startsWith("listenerAttributes") || c.startsWith("modifyListenerAttributes"));
  }

  @Test
  void aTrustStoreNameThatDoesNotExistFailsTheRunNamingItAndCreatesNoListener() {
    var run = deployer.deploy(https443(Optional.of(verify("gone")), Map.of()), false, RUN);

    assertThat(run.failed()).isTrue();
    assertThat(run.cause()).hasMessageContaining("trust store gone, which does not exist");
    assertThat(elb.writes()).noneMatch(c -> c.startsWith("createListener") || c.startsWith("addTags"));
  }

  @Test
  void aTrustStoreMadeAgainUnderItsNameIsLookedUpAgainAfterANotFound() {
    elb.addTrustStore("partners");
    Stack stack = https443(Optional.of(verify("partners")), Map.of());
    deploy(stack, false);
    String again = elb.addTrustStore("partners");
    elb.setMutualAuthentication(listener().arn(), MutualAuthenticationAttributes.builder().mode("off").build());
    elb.clearCalls();
    elb.failNext("modifyListener", AwsFailure.Kind.NOT_FOUND);

    assertThat(deployer.deploy(stack, true, RUN).failed()).isTrue();
    deploy(stack, true);

    assertThat(elb.calls()).filteredOn(c -> c.startsWith("trustStoreArnsByName")).hasSize(1);
    assertThat(listener().mutualAuthentication().trustStoreArn()).isEqualTo(again);
  }

  @Test
  void httpListenersGetAttributesButNoMutualTls() {
    deploy(stack(loadBalancer(Scheme.INTERNET_FACING), List.of(withSettings(http(80), Optional.empty(), Map.of(SERVER, "false"))),
        List.of(rule(80, 1, "/", web)), List.of(web)), false);
    assertThat(listener().mutualAuthentication()).isNull();
    assertThat(elb.listenerAttributesOf(listener().arn())).containsExactly(Map.entry(SERVER, "false"));
  }

  @Test
  void mutualTlsDriftPredicate() {
    String arn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:truststore/p/1";
    MutualAuthenticationAttributes verifyActual = MutualAuthenticationAttributes.builder().mode("verify").trustStoreArn(arn)
        .ignoreClientCertificateExpiry(false).advertiseTrustStoreCaNames("off").build();
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.empty(), null)).isFalse();
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.empty(),
        MutualAuthenticationAttributes.builder().mode("off").build())).isFalse();
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.empty(), verifyActual)).isTrue();
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.of(verify(arn)), verifyActual)).isFalse();
    // AWS leaving out the defaults is no drift
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.of(verify(arn)),
        MutualAuthenticationAttributes.builder().mode("verify").trustStoreArn(arn).build())).isFalse();
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.of(verify(arn + "2")), verifyActual)).isTrue();
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.of(new MutualAuthentication(443, MutualAuthentication.Mode.VERIFY,
        Optional.of(arn), Optional.of(true), Optional.of("off"))), verifyActual)).isTrue();
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.of(new MutualAuthentication(443, MutualAuthentication.Mode.VERIFY,
        Optional.of(arn), Optional.of(false), Optional.of("on"))), verifyActual)).isTrue();
    assertThat(ListenerSynth.mutualAuthenticationDrifted(Optional.of(new MutualAuthentication(443, MutualAuthentication.Mode.OFF,
        Optional.empty(), Optional.empty(), Optional.empty())), null)).isFalse();
  }
}
