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

  @Test
  void anUpdateLeavingAnInvalidSpecAsItWasIsAllowedSoTheControllersFinalizerCanBeAdded() {
    String bad = "{\"conditions\": [{\"field\": \"source-ip\", \"sourceIPConfig\": {\"values\": [\"not-a-cidr\"]}}]}";
    JsonObject object = new JsonObject("""
        {"apiVersion": "gateway.k8s.aws/v1", "kind": "ListenerRuleConfiguration", "metadata": {"name": "cfg", "namespace": "shop"},
         "spec": %s}""".formatted(bad));
    JsonObject withFinalizer = object.copy();
    withFinalizer.getJsonObject("metadata").put("finalizers", new io.vertx.core.json.JsonArray().add("gateway.k8s.aws/listenerruleconfigurations"));
    JsonObject body = Reviews.review("u2", "UPDATE", new JsonObject().put("group", "gateway.k8s.aws").put("version", "v1")
        .put("kind", "ListenerRuleConfiguration"), "listenerruleconfigurations", withFinalizer);
    body.getJsonObject("request").put("oldObject", object);
    var request = AdmissionCodec.reader(GenericKubernetesResource.class).decode(body.toBuffer());
    assertThat(GatewayAdmissionTest.result(admission.listenerRuleConfig(request)).allowed()).isTrue();
    // a changed spec is judged again
    JsonObject changed = withFinalizer.copy();
    changed.getJsonObject("spec").getJsonArray("conditions").getJsonObject(0).getJsonObject("sourceIPConfig")
        .put("values", new io.vertx.core.json.JsonArray().add("still-not-a-cidr"));
    JsonObject body2 = Reviews.review("u3", "UPDATE", new JsonObject().put("group", "gateway.k8s.aws").put("version", "v1")
        .put("kind", "ListenerRuleConfiguration"), "listenerruleconfigurations", changed);
    body2.getJsonObject("request").put("oldObject", object);
    assertThat(GatewayAdmissionTest.result(admission.listenerRuleConfig(AdmissionCodec.reader(GenericKubernetesResource.class)
        .decode(body2.toBuffer()))).allowed()).isFalse();
  }
}
