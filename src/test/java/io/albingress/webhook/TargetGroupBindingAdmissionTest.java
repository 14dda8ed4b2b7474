package io.albingress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.binding.TargetGroupBinding;
import io.albingress.binding.TargetGroupFacts;
import io.albingress.testing.Reviews;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetGroupBindingAdmissionTest {
  static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";
  static final TargetGroupFacts WEB = new TargetGroupFacts(ARN, "web", "ip", "ipv4", "vpc-1", "HTTP");
  static final AdmissionCodec.Reader<GenericKubernetesResource> READER = AdmissionCodec.reader(GenericKubernetesResource.class);

  final List<String> lookups = new ArrayList<>();
  final List<TargetGroupBinding> existing = new ArrayList<>();
  TargetGroupLookup lookup = (arn, name) -> {
    lookups.add(arn.isEmpty() ? "name:" + name : "arn:" + arn);
    return Future.succeededFuture(arn.equals(ARN) || name.equals("web") ? Optional.of(WEB) : Optional.empty());
  };

  TargetGroupBindingAdmission admission() {
    return new TargetGroupBindingAdmission(new KubernetesSerialization(), (a, n) -> lookup.find(a, n), () -> List.copyOf(existing), "vpc-1");
  }

  static JsonObject tgb(String name, JsonObject spec) {
    return new JsonObject().put("apiVersion", "elbv2.k8s.aws/v1beta1").put("kind", "TargetGroupBinding")
        .put("metadata", new JsonObject().put("namespace", "default").put("name", name).put("uid", "uid-" + name)).put("spec", spec);
  }

  static JsonObject spec() {
    return new JsonObject().put("serviceRef", new JsonObject().put("name", "web").put("port", 80));
  }

  static AdmissionRequestView<GenericKubernetesResource> review(String operation, JsonObject object, JsonObject old) {
    JsonObject body = Reviews.review("u1", operation, new JsonObject().put("group", "elbv2.k8s.aws").put("version", "v1beta1")
        .put("kind", "TargetGroupBinding"), "targetgroupbindings", object);
    if (old != null) {
      body.getJsonObject("request").put("oldObject", old);
    }
    return READER.decode(body.toBuffer());
  }

  static AdmissionReply result(Future<AdmissionReply> f) {
    assertThat(f.succeeded()).isTrue();
    return f.result();
  }

  @Test
  void theMutatorResolvesTheNameAndFillsTypeFromTheTargetGroup() {
    AdmissionReply reply = result(admission().mutate(review("CREATE", tgb("a", spec().put("targetGroupName", "web")), null)));
    assertThat(reply.allowed()).isTrue();
    JsonArray patch = new JsonArray(reply.jsonPatch().orElseThrow());
    assertThat(patch.stream().map(o -> ((JsonObject) o).getString("path")).toList())
        .contains("/spec/targetGroupARN", "/spec/targetType", "/spec/ipAddressType", "/spec/vpcID");
    assertThat(patch.encode()).contains(ARN).contains("\"ip\"").contains("ipv4").contains("vpc-1");
    assertThat(lookups).containsExactly("name:web");
  }

  @Test
  void anUnknownNameIsDeniedNamingTheField() {
    AdmissionReply reply = result(admission().mutate(review("CREATE", tgb("a", spec().put("targetGroupName", "nope")), null)));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).contains("spec.targetGroupName \"nope\": no target group of that name").contains("create it first or fix the name");
  }

  @Test
  void neitherArnNorNameIsDenied() {
    AdmissionReply reply = result(admission().mutate(review("CREATE", tgb("a", spec()), null)));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).contains("spec.targetGroupARN or spec.targetGroupName");
    assertThat(lookups).isEmpty();
  }

  @Test
  void aTargetTypeThatIsNotTheGroupsIsDenied() {
    AdmissionReply reply = result(admission().mutate(review("CREATE", tgb("a", spec().put("targetGroupARN", ARN).put("targetType", "instance")), null)));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).contains("spec.targetType instance does not match target group web, whose target type is ip");
  }

  @Test
  void whenAwsFailsACompleteBindingPassesWithAWarningAndAnIncompleteOneIsDenied() {
    lookup = (arn, name) -> Future.failedFuture(new IllegalStateException("throttled"));
    AdmissionReply complete = result(admission().mutate(review("CREATE", tgb("a", spec().put("targetGroupARN", ARN).put("targetType", "ip")), null)));
    assertThat(complete.allowed()).isTrue();
    assertThat(complete.warnings()).singleElement().asString().contains("throttled");
    AdmissionReply named = result(admission().mutate(review("CREATE", tgb("a", spec().put("targetGroupName", "web")), null)));
    assertThat(named.allowed()).isFalse();
    assertThat(named.message()).contains("could not look up the target group in AWS (throttled)");
  }

  @Test
  void updatesAreNotMutated() {
    JsonObject o = tgb("a", spec().put("targetGroupName", "web"));
    assertThat(result(admission().mutate(review("UPDATE", o, o))).jsonPatch()).isEmpty();
  }

  @Test
  void theValidatorRefusesIpModeWithANodeSelector() {
    JsonObject o = tgb("a", spec().put("targetGroupARN", ARN).put("targetType", "ip")
        .put("nodeSelector", new JsonObject().put("matchLabels", new JsonObject().put("pool", "a"))));
    AdmissionReply reply = result(admission().validate(review("CREATE", o, null)));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).startsWith("TargetGroupBinding default/a has 1 problem:")
        .contains("spec.nodeSelector cannot be set when spec.targetType is ip");
  }

  @Test
  void theValidatorRefusesATargetGroupBoundTwice() {
    existing.add(TargetGroupBinding.of("other", "first", "uid-first", 1, false, spec().put("targetGroupARN", ARN).put("targetType", "ip").getMap()));
    AdmissionReply reply = result(admission().validate(review("CREATE", tgb("a", spec().put("targetGroupARN", ARN).put("targetType", "ip")), null)));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).contains("already bound by TargetGroupBinding other/first");
  }

  @Test
  void theValidatorRefusesChangesOfImmutableFields() {
    JsonObject old = tgb("a", spec().put("targetGroupARN", ARN).put("targetType", "ip").put("ipAddressType", "ipv4"));
    JsonObject now = tgb("a", spec().put("targetGroupARN", ARN).put("targetType", "instance").put("ipAddressType", "ipv4"));
    AdmissionReply reply = result(admission().validate(review("UPDATE", now, old)));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).contains("spec.targetType is immutable (was ip)");
    assertThat(result(admission().validate(review("UPDATE", old, old))).allowed()).isTrue();
  }

  @Test
  void theValidatorRefusesWhatIsNotImplemented() {
    JsonObject o = tgb("a", spec().put("targetGroupARN", ARN).put("targetType", "ip").put("multiClusterTargetGroup", true)
        .put("networking", new JsonObject().put("ingress", new JsonArray())));
    AdmissionReply reply = result(admission().validate(review("CREATE", o, null)));
    assertThat(reply.message()).contains("spec.networking is not supported").contains("spec.multiClusterTargetGroup is not supported");
  }

  @Test
  void anotherKindIsDenied() {
    JsonObject body = Reviews.podReview("u1", new JsonObject().put("metadata", new JsonObject().put("name", "p")));
    AdmissionRequestView<GenericKubernetesResource> r = READER.decode(body.toBuffer());
    assertThat(result(admission().validate(r)).message()).contains("this webhook reviews elbv2.k8s.aws/v1beta1 TargetGroupBinding objects");
  }
}
