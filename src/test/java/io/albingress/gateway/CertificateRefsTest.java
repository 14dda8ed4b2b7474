package io.albingress.gateway;

import static io.albingress.gateway.GatewayFixtures.FACTS;
import static io.albingress.gateway.GatewayFixtures.gateway;
import static io.albingress.gateway.GatewayFixtures.route;
import static io.albingress.gateway.GatewayFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.gateway.CertificateRefs.SecretRef;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.gateway.GatewayStackBuilder.ListenerState;
import io.albingress.model.StackId;
import io.albingress.testing.TestCerts;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateRefsTest {
  static TestCerts.Pem a;
  static TestCerts.Pem b;

  @BeforeAll
  static void certs() throws Exception {
    a = TestCerts.selfSigned("a.example.com");
    b = TestCerts.selfSigned("b.example.com");
  }

  static Secret tls(String ns, String name, String type, String crt, String key) {
    Base64.Encoder enc = Base64.getEncoder();
    return new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().withType(type)
        .withData(Map.of("tls.crt", enc.encodeToString(crt.getBytes(StandardCharsets.UTF_8)),
            "tls.key", enc.encodeToString(key.getBytes(StandardCharsets.UTF_8)))).build();
  }

  static final Gateway GW = gateway("""
      - {name: ok, port: 443, protocol: HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: a}]}}
      - {name: other-ns, port: 443, protocol: HTTPS, hostname: b.example.com, tls: {certificateRefs: [{name: b, namespace: certs}]}}
      - {name: missing, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: nope}]}}
      - {name: opaque, port: 8444, protocol: HTTPS, tls: {certificateRefs: [{name: plain}]}}
      - {name: mismatched, port: 8445, protocol: HTTPS, tls: {certificateRefs: [{name: wrong-key}]}}
      - {name: partly, port: 8446, protocol: HTTPS, tls: {certificateRefs: [{name: a}, {name: nope}]}}
      - {name: kind, port: 8447, protocol: HTTPS, tls: {certificateRefs: [{name: x, kind: ConfigMap}]}}
      - {name: http, port: 80, protocol: HTTP}
      """);

  static Map<SecretRef, Secret> secrets() {
    Map<SecretRef, Secret> s = new HashMap<>();
    s.put(new SecretRef("shop", "a"), tls("shop", "a", "kubernetes.io/tls", a.certificate(), a.key()));
    s.put(new SecretRef("certs", "b"), tls("certs", "b", "kubernetes.io/tls", b.certificate(), b.key()));
    s.put(new SecretRef("shop", "plain"), tls("shop", "plain", "Opaque", a.certificate(), a.key()));
    s.put(new SecretRef("shop", "wrong-key"), tls("shop", "wrong-key", "kubernetes.io/tls", a.certificate(), b.key()));
    return s;
  }

  static ReferenceGrant grant(String toName) {
    return GatewayFixtures.yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: ReferenceGrant
        metadata: {name: g, namespace: certs}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: shop}]
          to: [{group: "", kind: Secret%s}]
        """.formatted(toName == null ? "" : ", name: " + toName), ReferenceGrant.class);
  }

  static CertificateRefs.Resolution resolve(List<ReferenceGrant> grants) {
    Map<SecretRef, Secret> s = secrets();
    return CertificateRefs.resolve(GW, grants, ref -> Optional.ofNullable(s.get(ref)));
  }

  @Test
  void eachListenerIsToldWhatIsWrongWithItsRefs() {
    CertificateRefs.Resolution r = resolve(List.of());
    assertThat(r.usable()).containsOnlyKeys("ok", "partly");
    assertThat(r.usable().get("ok")).containsExactly(new SecretRef("shop", "a"));
    assertThat(r.pems()).containsOnlyKeys(new SecretRef("shop", "a"));
    assertThat(r.problems().get("other-ns").reason()).isEqualTo("RefNotPermitted");
    assertThat(r.problems().get("other-ns").message()).contains("certs/b", "ReferenceGrant");
    assertThat(r.problems().get("missing").reason()).isEqualTo("InvalidCertificateRef");
    assertThat(r.problems().get("missing").message()).contains("Secret shop/nope not found");
    assertThat(r.problems().get("opaque").message()).contains("of type Opaque, not kubernetes.io/tls");
    assertThat(r.problems().get("mismatched").message()).contains("does not belong to the certificate");
    assertThat(r.problems().get("partly").message()).contains("certificateRefs[1]", "shop/nope");
    assertThat(r.problems().get("kind").message()).contains("kind ConfigMap is not supported");
    assertThat(r.problems()).doesNotContainKeys("ok", "http");
  }

  @Test
  void aReferenceGrantFromTheGatewaysNamespaceOpensASecretOfAnother() {
    assertThat(resolve(List.of(grant("b"))).usable()).containsKey("other-ns");
    assertThat(resolve(List.of(grant(null))).usable()).containsKey("other-ns");
    assertThat(resolve(List.of(grant("c"))).problems().get("other-ns").reason()).isEqualTo("RefNotPermitted");
  }

  @Test
  void namedListsEverySecretWhateverItsGrant() {
    assertThat(CertificateRefs.named(GW)).contains(new SecretRef("shop", "a"), new SecretRef("certs", "b"), new SecretRef("shop", "nope"))
        .doesNotContain(new SecretRef("shop", "x"));
  }

  @Test
  void theListenersUseTheImportedArnsAndABrokenListenerDoesNotStopTheOthers() {
    CertificateRefs.Resolution r = resolve(List.of(grant("b")));
    var certs = CertificateRefs.ListenerCertificates.of(r, Map.of("shop/a", "arn:a", "certs/b", "arn:b"), Map.of());
    var route = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{name: web, port: 80}]}]
        """);
    GatewayBuild build = new GatewayStackBuilder().build(StackId.gatewayOf("shop", "gw"),
        new GatewayInputs(GW, List.of(route), List.of(service("web", "")), Map.of(), List.of(), LoadBalancerConfigs.Resolved.NONE, GatewayExtensions.NONE, certs), FACTS);
    Map<String, ListenerState> l = new HashMap<>();
    build.listeners().forEach(x -> l.put(x.name(), x));
    var on443 = build.stack().listeners().stream().filter(x -> x.port() == 443).findFirst().orElseThrow();
    assertThat(on443.certificateArns()).containsExactly("arn:a", "arn:b");
    assertThat(l.get("ok").unresolvedRefs()).isEmpty();
    assertThat(l.get("ok").notProgrammed()).isEmpty();
    // refs only partly usable: its good certificate serves, ResolvedRefs says what is wrong
    assertThat(l.get("partly").unresolvedRefs().get().reason()).isEqualTo("InvalidCertificateRef");
    assertThat(l.get("partly").notProgrammed()).isEmpty();
    assertThat(build.stack().listeners().stream().filter(x -> x.port() == 8446).findFirst().orElseThrow().certificateArns())
        .containsExactly("arn:a");
    // nothing usable: not programmed, no ALB listener on its port
    assertThat(l.get("missing").notProgrammed().get().message()).contains("shop/nope not found");
    assertThat(build.stack().listeners()).extracting(x -> x.port()).doesNotContain(8443, 8444, 8445, 8447).contains(80, 443, 8446);
    List<Condition> conditions = GatewayStatuses.gateway(GW, build, GatewayStatuses.Deployed.ok("lb.example"), "2025-01-01T00:00:00Z")
        .getListeners().stream().filter(s -> s.getName().equals("opaque")).findFirst().orElseThrow().getConditions();
    assertThat(conditions).filteredOn(c -> c.getType().equals("ResolvedRefs")).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False")).satisfies(c -> assertThat(c.getReason()).isEqualTo("InvalidCertificateRef"));
    assertThat(conditions).filteredOn(c -> c.getType().equals("Programmed")).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
  }

  @Test
  void aFailedImportUnresolvesItsListenerAndAFailedReimportKeepsTheOldCertificate() {
    CertificateRefs.Resolution r = resolve(List.of());
    var none = CertificateRefs.ListenerCertificates.of(r, Map.of(), Map.of("shop/a", "ValidationException: bad key"));
    assertThat(none.arns("ok")).isEmpty();
    assertThat(none.problems().get("ok").message()).contains("could not be imported", "bad key");
    var old = CertificateRefs.ListenerCertificates.of(r, Map.of("shop/a", "arn:a"), Map.of("shop/a", "ValidationException: bad key"));
    assertThat(old.arns("ok")).containsExactly("arn:a");
    assertThat(old.problems().get("ok").message()).contains("imported before still serves");
  }

  static ReferenceGrant grantFrom(String kind, String ns) {
    return GatewayFixtures.yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: ReferenceGrant
        metadata: {name: g, namespace: certs}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: %s, namespace: %s}]
          to: [{group: "", kind: Secret}]
        """.formatted(kind, ns), ReferenceGrant.class);
  }

  /** A Gateway of shop taking ListenerSets of team-a and of shop, the merge the reconciler resolves refs on. */
  static Gateway mergedWithSets() {
    Gateway gw = ListenerSetsTest.gateway("{namespaces: {from: All}}");
    var far = ListenerSetsTest.listenerSet("team-a", "tls", "2025-01-01T00:00:00Z", """
        - {name: own, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: a}]}}
        - {name: far, port: 8444, protocol: HTTPS, tls: {certificateRefs: [{name: b, namespace: certs}]}}
        """);
    var near = ListenerSetsTest.listenerSet("shop", "near", "2025-01-02T00:00:00Z", """
        - {name: own, port: 8445, protocol: HTTPS, tls: {certificateRefs: [{name: a}]}}
        """);
    return ListenerSets.merge(gw, ListenerSets.of(gw, List.of(far, near), Map.of())).gateway();
  }

  static CertificateRefs.Resolution resolveSets(List<ReferenceGrant> grants) {
    Map<SecretRef, Secret> s = secrets();
    s.put(new SecretRef("team-a", "a"), tls("team-a", "a", "kubernetes.io/tls", a.certificate(), a.key()));
    return CertificateRefs.resolve(mergedWithSets(), grants, ref -> Optional.ofNullable(s.get(ref)));
  }

  @Test
  void aListenerSetsRefsAreItsOwnAndAnotherNamespaceNeedsAGrantFromTheListenerSet() {
    // a ref without namespace is the ListenerSet's Secret, not the Gateway's
    assertThat(CertificateRefs.named(mergedWithSets())).contains(new SecretRef("team-a", "a"), new SecretRef("certs", "b"),
        new SecretRef("shop", "a"));
    CertificateRefs.Resolution none = resolveSets(List.of());
    assertThat(none.usable().get("team-a/tls/own")).containsExactly(new SecretRef("team-a", "a"));
    assertThat(none.usable().get("shop/near/own")).containsExactly(new SecretRef("shop", "a"));
    assertThat(none.problems().get("team-a/tls/far").reason()).isEqualTo("RefNotPermitted");
    assertThat(none.problems().get("team-a/tls/far").message())
        .contains("ListenerSet team-a/tls spec.listeners[far].tls.certificateRefs[0]", "certs/b", "ListenerSets of team-a");
    // a grant to the Gateway's namespace does not open it to the ListenerSet (GEP-1713), one to ListenerSets of its namespace does
    assertThat(resolveSets(List.of(grantFrom("Gateway", "shop"))).problems().get("team-a/tls/far").reason()).isEqualTo("RefNotPermitted");
    assertThat(resolveSets(List.of(grantFrom("ListenerSet", "shop"))).problems()).containsKey("team-a/tls/far");
    CertificateRefs.Resolution granted = resolveSets(List.of(grantFrom("ListenerSet", "team-a")));
    assertThat(granted.problems()).isEmpty();
    assertThat(granted.usable().get("team-a/tls/far")).containsExactly(new SecretRef("certs", "b"));
    // nor does a grant to ListenerSets open it to the Gateway's own listeners
    Map<SecretRef, Secret> s = secrets();
    assertThat(CertificateRefs.resolve(GW, List.of(grantFrom("ListenerSet", "shop")), ref -> Optional.ofNullable(s.get(ref))).problems()
        .get("other-ns").reason()).isEqualTo("RefNotPermitted");
  }

  @Test
  void aListenerSetListenerWithoutAPermittedRefIsToldSoInItsStatusAndNotProgrammed() {
    Gateway gw = ListenerSetsTest.gateway("{namespaces: {from: All}}");
    var far = ListenerSetsTest.listenerSet("team-a", "tls", "2025-01-01T00:00:00Z", """
        - {name: own, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: a}]}}
        - {name: far, port: 8444, protocol: HTTPS, tls: {certificateRefs: [{name: b, namespace: certs}]}}
        """);
    var certs = CertificateRefs.ListenerCertificates.of(resolveSets(List.of()), Map.of("team-a/a", "arn:team-a", "shop/a", "arn:a"), Map.of());
    var route = route("r", "2025-01-01T00:00:00Z", """
        parentRefs: [{name: tls, kind: ListenerSet, group: gateway.networking.k8s.io, namespace: team-a}]
        rules: [{backendRefs: [{name: web, port: 80}]}]
        """);
    GatewayBuild build = new GatewayStackBuilder().build(StackId.gatewayOf("shop", "gw"), new GatewayInputs(gw, List.of(route),
        List.of(service("web", "")), Map.of(), List.of(), LoadBalancerConfigs.Resolved.NONE, GatewayExtensions.NONE, certs, List.of(far)), FACTS);
    assertThat(build.stack().listeners().stream().filter(x -> x.port() == 8443).findFirst().orElseThrow().certificateArns())
        .containsExactly("arn:team-a");
    assertThat(build.stack().listeners()).extracting(x -> x.port()).doesNotContain(8444);
    var status = GatewayStatuses.listenerSet(build.listenerSets().get(0), gw, Optional.empty(), "2025-01-01T00:00:00Z");
    var farStatus = status.getListeners().stream().filter(l -> l.getName().equals("far")).findFirst().orElseThrow();
    assertThat(farStatus.getConditions()).filteredOn(c -> c.getType().equals("ResolvedRefs")).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False")).satisfies(c -> assertThat(c.getReason()).isEqualTo("RefNotPermitted"));
    assertThat(farStatus.getConditions()).filteredOn(c -> c.getType().equals("Programmed")).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    var ownStatus = status.getListeners().stream().filter(l -> l.getName().equals("own")).findFirst().orElseThrow();
    assertThat(ownStatus.getConditions()).filteredOn(c -> c.getType().equals("ResolvedRefs")).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }
}
