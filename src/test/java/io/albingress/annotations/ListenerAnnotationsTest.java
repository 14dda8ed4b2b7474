package io.albingress.annotations;

import static io.albingress.annotations.IngressAnnotationsTest.errors;
import static io.albingress.annotations.IngressAnnotationsTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListenerAnnotationsTest {
  static final String MTLS = "mutual-authentication";
  static final String KEY = AnnotationCatalog.PREFIX + MTLS;
  static final String ARN = "arn:aws:elasticloadbalancing:us-west-2:123456789012:truststore/partners/0123456789abcdef";

  @Test
  void verifyWithDefaultsAsTheReference() {
    IngressConfig c = parse(MTLS, "[{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"partners\"},"
        + " {\"port\": 8443, \"mode\": \"passthrough\"}, {\"port\": 9443, \"mode\": \"verify\", \"trustStore\": \"" + ARN + "\","
        + " \"ignoreClientCertificateExpiry\": true, \"advertiseTrustStoreCaNames\": \"on\"}]").value();
    assertThat(c.mutualAuthentication()).containsOnlyKeys(443, 8443, 9443);
    assertThat(c.mutualAuthentication().get(443)).isEqualTo(new MutualAuthentication(443, MutualAuthentication.Mode.VERIFY,
        Optional.of("partners"), Optional.of(false), Optional.of("off")));
    assertThat(c.mutualAuthentication().get(443).trustStoreByName()).isTrue();
    assertThat(c.mutualAuthentication().get(8443)).isEqualTo(new MutualAuthentication(8443, MutualAuthentication.Mode.PASSTHROUGH,
        Optional.empty(), Optional.empty(), Optional.empty()));
    MutualAuthentication byArn = c.mutualAuthentication().get(9443);
    assertThat(byArn.trustStoreByName()).isFalse();
    assertThat(byArn.ignoreClientCertificateExpiry()).contains(true);
    assertThat(byArn.advertiseTrustStoreCaNames()).contains("on");
  }

  @Test
  void keysAreMatchedIgnoringCaseAsGoDoes() {
    assertThat(parse(MTLS, "[{\"Port\": 443, \"Mode\": \"off\"}]").value().mutualAuthentication()).containsOnlyKeys(443);
  }

  @Test
  void mutualAuthenticationProblemsNameKeyAndValue() {
    assertThat(errors(MTLS, "{\"port\": 443}")).singleElement().asString().startsWith(KEY + ": \"{\"port\":443}\" is not valid: expected a JSON list");
    assertThat(errors(MTLS, "[]")).singleElement().asString().startsWith(KEY + ": \"[]\" is not valid");
    assertThat(errors(MTLS, "not json")).singleElement().asString().contains("(the value is not valid JSON)");
    assertThat(errors(MTLS, "[{\"port\": 443, \"mode\": \"verify\"}]")).containsExactly(
        KEY + ": \"{\"port\":443,\"mode\":\"verify\"}\" is not valid: expected a \"trustStore\" (ARN or name) for mode verify on port 443");
    assertThat(errors(MTLS, "[{\"port\": 443, \"mode\": \"off\", \"trustStore\": \"x\"}]")).singleElement().asString()
        .endsWith("expected no \"trustStore\" for mode off on port 443 (only verify uses one)");
    assertThat(errors(MTLS, "[{\"port\": 443, \"mode\": \"passthrough\", \"ignoreClientCertificateExpiry\": true}]"))
        .singleElement().asString().endsWith("(only verify checks expiry)");
    assertThat(errors(MTLS, "[{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"t\", \"advertiseTrustStoreCaNames\": \"yes\"}]"))
        .singleElement().asString().endsWith("expected \"advertiseTrustStoreCaNames\" to be \"on\" or \"off\"");
    assertThat(errors(MTLS, "[{\"port\": 0, \"mode\": \"off\"}]")).singleElement().asString().endsWith("in \"port\"");
    assertThat(errors(MTLS, "[{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"arn:aws:acm:us-west-2:1:certificate/x\"}]"))
        .singleElement().asString().contains("a trust store ARN");
    assertThat(errors(MTLS, "[{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"bad_name!\"}]"))
        .singleElement().asString().contains("a trust store name");
    assertThat(errors(MTLS, "[{\"port\": 443, \"mode\": \"off\"}, {\"port\": 443, \"mode\": \"passthrough\"}]"))
        .containsExactly(KEY + ": lists port 443 more than once");
    assertThat(errors(MTLS, "[{\"port\": 443, \"mode\": \"off\", \"trustStor\": \"x\"}]")).singleElement().asString()
        .contains("unknown key \"trustStor\"");
    assertThat(parse(MTLS, "[{\"port\": 443, \"mode\": \"verify\"}]").value().mutualAuthentication()).isEmpty();
  }

  @Test
  void listenerAttributesByListener() {
    IngressConfig c = parse("listener-attributes.HTTPS-443", "routing.http.response.server.enabled=false,"
            + " routing.http.response.x_frame_options.header_value=DENY",
        "listener-attributes.HTTP-80", "routing.http.response.server.enabled=true").value();
    assertThat(c.listenerAttributes()).containsOnlyKeys(new ListenPort(Protocol.HTTPS, 443), new ListenPort(Protocol.HTTP, 80));
    assertThat(c.listenerAttributes().get(new ListenPort(Protocol.HTTPS, 443))).containsExactly(
        Map.entry("routing.http.response.server.enabled", "false"),
        Map.entry("routing.http.response.x_frame_options.header_value", "DENY"));
  }

  @Test
  void listenerAttributeProblemsNameKeyAndValue() {
    String key = AnnotationCatalog.PREFIX + "listener-attributes.";
    assertThat(errors("listener-attributes.HTTPS443", "routing.http.response.server.enabled=false")).containsExactly(
        key + "HTTPS443: names its listener as listener-attributes.<Protocol>-<Port>, such as listener-attributes.HTTPS-443"
            + " (protocol HTTP or HTTPS, port 1 to 65535)");
    assertThat(errors("listener-attributes", "routing.http.response.server.enabled=false")).singleElement().asString()
        .startsWith(AnnotationCatalog.PREFIX + "listener-attributes: names its listener as");
    assertThat(errors("listener-attributes.TCP-80", "x=y")).singleElement().asString().contains("names its listener as");
    assertThat(errors("listener-attributes.HTTP-70000", "x=y")).singleElement().asString().contains("names its listener as");
    assertThat(errors("listener-attributes.HTTPS-443", "routing.http.response.sever.enabled=false")).containsExactly(
        key + "HTTPS-443: \"routing.http.response.sever.enabled=false\" is not valid: expected a known ALB listener attribute"
            + " (routing.http.response.sever.enabled is not one; see the listener attributes in the ALB documentation)");
    assertThat(errors("listener-attributes.HTTP-80", "routing.http.request.x_amzn_tls_version.header_name=X-TLS")).singleElement()
        .asString().contains("only HTTPS listeners have");
    assertThat(errors("listener-attributes.HTTPS-443", "routing.http.request.x_amzn_tls_version.header_name=X-TLS")).isEmpty();
    assertThat(errors("listener-attributes.HTTP-80", "routing.http.response.server.enabled=false",
        "listener-attributes.HTTPS-80", "routing.http.response.server.enabled=false")).singleElement().asString()
        .contains("under both protocols");
  }
}
