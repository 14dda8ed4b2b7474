package io.albingress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.Reviews;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The TargetGroupConfiguration and ListenerRuleConfiguration webhooks on AdmissionReviews as the apiserver sends them. */
class GatewayConfigAdmissionTest {
  final GatewayConfigAdmission admission = new GatewayConfigAdmission();

  static AdmissionRequestView<GenericKubernetesResource> review(String version, String kind, String operation, String spec) {
    JsonObject object = new JsonObject("""
        {"apiVersion": "gateway.k8s.aws/%s", "kind": "%s", "metadata": {"name": "cfg", "namespace": "shop"}, "spec": %s}"""
        .formatted(version, kind, spec));
    JsonObject body = Reviews.review("u1", operation, new JsonObject().put("group", "gateway.k8s.aws").put("version", version)
        .put("kind", kind), kind.toLowerCase() + "s", object);
    return AdmissionCodec.reader(GenericKubernetesResource.class).decode(body.toBuffer());
  }

  @Test
  void targetGroupConfigurationDeniedNamingTheFieldAndTheObject() {
    AdmissionReply r = GatewayAdmissionTest.result(admission.targetGroupConfig(review("v1", "TargetGroupConfiguration", "CREATE",
        "{\"targetReference\": {\"name\": \"web\"}, \"defaultConfiguration\": {\"targetType\": \"lambda\"}}")));
    assertThat(r.allowed()).isFalse();
    assertThat(r.message()).contains("TargetGroupConfiguration shop/cfg").contains("spec.defaultConfiguration.targetType");
    assertThat(GatewayAdmissionTest.result(admission.targetGroupConfig(review("v1beta1", "TargetGroupConfiguration", "UPDATE",
        "{\"targetReference\": {\"name\": \"web\"}, \"defaultConfiguration\": {\"targetType\": \"ip\"}}"))).allowed()).isTrue();
  }

  @Test
  void listenerRuleConfigurationDeniedAndWrongKindOrDeleteHandled() {
    AdmissionReply r = GatewayAdmissionTest.result(admission.listenerRuleConfig(review("v1", "ListenerRuleConfiguration", "CREATE",
        "{\"conditions\": [{\"field\": \"source-ip\", \"sourceIPConfig\": {\"values\": [\"not-a-cidr\"]}}]}")));
    assertThat(r.allowed()).isFalse();
    assertThat(r.message()).contains("spec.conditions[0].sourceIPConfig.values").contains("not-a-cidr");
    assertThat(GatewayAdmissionTest.result(admission.listenerRuleConfig(review("v1", "ListenerRuleConfiguration", "DELETE", "{}")))
        .allowed()).isTrue();
    assertThat(GatewayAdmissionTest.result(admission.listenerRuleConfig(review("v1", "TargetGroupConfiguration", "CREATE", "{}")))
        .allowed()).isFalse();
  }
}
