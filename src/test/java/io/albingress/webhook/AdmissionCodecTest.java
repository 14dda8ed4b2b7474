package io.albingress.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.albingress.testing.Reviews;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdmissionCodecTest {
  private final AdmissionCodec codec = new AdmissionCodec();

  @Test
  void thePreEncodedAllowedReplyIsTheTreesJson() {
    for (String uid : List.of("7f1c2a4e-0000-4000-8000-000000000001", "quote\" back\\slash", "ctl\u0001\n\t", "ünïcode ✓ \uD83D\uDE00", "</script>")) {
      Buffer fast = codec.encode(uid, AdmissionReply.allow());
      Buffer tree = AdmissionCodec.encodeTree(uid, AdmissionReply.allow());
      assertThat(new JsonObject(fast)).as(uid).isEqualTo(new JsonObject(tree));
      if (uid.chars().allMatch(c -> c < 0x7f)) {
        assertThat(fast.toString()).as(uid).isEqualTo(tree.toString());
      }
      assertThat(new JsonObject(fast).getJsonObject("response").getString("uid")).isEqualTo(uid);
    }
  }

  @Test
  void repliesWithWarningsDenialsOrPatchesKeepTheirFields() {
    JsonObject warned = new JsonObject(codec.encode("u", new AdmissionReply(true, "", List.of("w"), Optional.empty()))).getJsonObject("response");
    assertThat(warned.getBoolean("allowed")).isTrue();
    assertThat(warned.getJsonArray("warnings").getList()).containsExactly("w");
    JsonObject denied = new JsonObject(codec.encode("u", AdmissionReply.deny("no"))).getJsonObject("response");
    assertThat(denied.getBoolean("allowed")).isFalse();
    assertThat(denied.getJsonObject("status").getString("message")).isEqualTo("no");
    JsonObject patched = new JsonObject(codec.encode("u", new AdmissionReply(true, "", List.of(), Optional.of("[]")))).getJsonObject("response");
    assertThat(patched.getString("patchType")).isEqualTo("JSONPatch");
  }

  @Test
  void decodesTheEnvelopeAndTheObject() {
    Ingress ingress = new IngressBuilder().withNewMetadata().withName("a").withNamespace("shop").endMetadata()
        .withNewSpec().withIngressClassName("alb").endSpec().build();
    JsonObject review = Reviews.ingressReview("uid-1", "UPDATE", json(ingress));
    review.getJsonObject("request").put("oldObject", json(ingress));
    AdmissionRequestView<Ingress> view = AdmissionCodec.reader(Ingress.class).decode(review.toBuffer());
    assertThat(view.uid()).isEqualTo("uid-1");
    assertThat(view.operation()).isEqualTo("UPDATE");
    assertThat(view.isKind("networking.k8s.io", "v1", "Ingress")).isTrue();
    assertThat(view.object().getSpec().getIngressClassName()).isEqualTo("alb");
    assertThat(view.oldObject().getMetadata().getName()).isEqualTo("a");
  }

  @Test
  void theValidationReaderSkipsManagedFieldsOnly() {
    Ingress ingress = new IngressBuilder().withNewMetadata().withName("a").withNamespace("shop").addToAnnotations("k", "v")
        .addNewManagedField().withManager("kubectl").withOperation("Update").endManagedField().endMetadata()
        .withNewSpec().withIngressClassName("alb").endSpec().build();
    Buffer body = Reviews.ingressReview("uid-1", "CREATE", json(ingress)).toBuffer();
    Ingress skipped = AdmissionCodec.validationReader(Ingress.class).decode(body).object();
    assertThat(skipped.getMetadata().getManagedFields()).isEmpty();
    assertThat(skipped.getMetadata().getAnnotations()).containsEntry("k", "v");
    assertThat(skipped.getSpec().getIngressClassName()).isEqualTo("alb");
    assertThat(AdmissionCodec.reader(Ingress.class).decode(body).object().getMetadata().getManagedFields()).hasSize(1);
  }

  private static JsonObject json(Ingress ingress) {
    return new JsonObject(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(ingress));
  }

  @Test
  void namesTheFieldThatDoesNotFit() {
    JsonObject review = Reviews.ingressReview("uid-1", "CREATE", new JsonObject().put("spec", new JsonObject().put("rules", "not a list")));
    assertThatThrownBy(() -> AdmissionCodec.reader(Ingress.class).decode(review.toBuffer()))
        .isInstanceOf(BadAdmissionRequest.class).hasMessageContaining("request.object is not a valid Ingress")
        .hasMessageContaining("request.object.spec.rules");
    JsonObject badUid = Reviews.ingressReview("uid-1", "CREATE", new JsonObject());
    badUid.getJsonObject("request").put("uid", new JsonObject());
    assertThatThrownBy(() -> AdmissionCodec.reader(Ingress.class).decode(badUid.toBuffer()))
        .isInstanceOf(BadAdmissionRequest.class).hasMessageContaining("request does not match admission.k8s.io/v1 AdmissionRequest");
  }
}
