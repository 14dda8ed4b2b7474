package io.albingress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.Reviews;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Gateway API webhooks on AdmissionReviews as the apiserver sends them, against caches holding the cluster's classes and Gateways. */
class GatewayAdmissionTest {
  static final KubernetesSerialization JSON = new KubernetesSerialization();
  final Map<String, GatewayClass> classes = new HashMap<>();
  final Map<String, Gateway> gateways = new HashMap<>();
  final GatewayAdmission admission = new GatewayAdmission(n -> Optional.ofNullable(classes.get(n)),
      (ns, n) -> Optional.ofNullable(gateways.get(ns + "/" + n)));

  GatewayAdmissionTest() {
    classes.put("alb", JSON.unmarshal(gatewayClass("alb", "gateway.k8s.aws/alb").encode(), GatewayClass.class));
    classes.put("other", JSON.unmarshal(gatewayClass("other", "example.com/gateway").encode(), GatewayClass.class));
    gateways.put("shop/gw", JSON.unmarshal(gateway("gw", "alb", "HTTP").encode(), Gateway.class));
    gateways.put("shop/theirs", JSON.unmarshal(gateway("theirs", "other", "HTTP").encode(), Gateway.class));
  }

  static JsonObject gatewayClass(String name, String controller) {
    return new JsonObject("""
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": {"name": "%s"},
         "spec": {"controllerName": "%s"}}""".formatted(name, controller));
  }

  static JsonObject gateway(String name, String className, String protocol) {
    return new JsonObject("""
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "%s", "namespace": "shop"},
         "spec": {"gatewayClassName": "%s", "listeners": [{"name": "l", "port": 80, "protocol": "%s"}]}}"""
        .formatted(name, className, protocol));
  }

  /** A route with a header-modifier filter, which ALB cannot do, naming these parents. */
  static JsonObject badRoute(String parents) {
    return new JsonObject("""
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "r", "namespace": "shop"},
         "spec": {"parentRefs": %s, "rules": [{"filters": [{"type": "RequestHeaderModifier",
           "requestHeaderModifier": {"add": [{"name": "x", "value": "y"}]}}], "backendRefs": [{"name": "web", "port": 80}]}]}}"""
        .formatted(parents));
  }

  static <T> AdmissionRequestView<T> review(Class<T> type, String kind, String resource, String operation, JsonObject object) {
    JsonObject body = Reviews.review("u1", operation, new JsonObject().put("group", "gateway.networking.k8s.io").put("version", "v1")
        .put("kind", kind), resource, object);
    return AdmissionCodec.reader(type).decode(body.toBuffer());
  }

  static AdmissionReply result(Future<AdmissionReply> f) {
    assertThat(f.succeeded()).isTrue();
    return f.result();
  }

  AdmissionReply route(String operation, JsonObject route) {
    return result(admission.httpRoute(review(HTTPRoute.class, "HTTPRoute", "httproutes", operation, route)));
  }

  @Test
  void aRouteOfOurGatewayIsDeniedNamingTheFieldTheValueAndTheFix() {
    AdmissionReply reply = route("CREATE", badRoute("[{\"name\": \"gw\"}]"));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).startsWith("HTTPRoute shop/r has 1 problem:")
        .contains("spec.rules[0].filters[0].type: RequestHeaderModifier is not supported on ALB; remove the filter");
    assertThat(route("UPDATE", badRoute("[{\"name\": \"gw\", \"namespace\": \"shop\", \"sectionName\": \"l\"}]")).allowed()).isFalse();
  }

  @Test
  void aRouteOfAnotherImplementationOrOfAGatewayNotThereYetIsAllowed() {
    assertThat(route("CREATE", badRoute("[{\"name\": \"theirs\"}]"))).isEqualTo(AdmissionReply.allow());
    assertThat(route("CREATE", badRoute("[{\"name\": \"later\"}]"))).isEqualTo(AdmissionReply.allow());
    assertThat(route("CREATE", badRoute("[{\"name\": \"gw\", \"namespace\": \"elsewhere\"}]"))).isEqualTo(AdmissionReply.allow());
    assertThat(route("CREATE", badRoute("[{\"name\": \"gw\", \"kind\": \"Service\", \"group\": \"\"}]"))).isEqualTo(AdmissionReply.allow());
    assertThat(route("CREATE", badRoute("[]"))).isEqualTo(AdmissionReply.allow());
  }

  @Test
  void oneParentOfOursIsEnoughToJudgeTheRoute() {
    assertThat(route("CREATE", badRoute("[{\"name\": \"theirs\"}, {\"name\": \"gw\"}]")).allowed()).isFalse();
  }

  @Test
  void aRouteBeingDeletedIsNeverBlocked() {
    JsonObject r = badRoute("[{\"name\": \"gw\"}]");
    r.getJsonObject("metadata").put("deletionTimestamp", "2025-01-01T00:00:00Z");
    assertThat(route("UPDATE", r)).isEqualTo(AdmissionReply.allow());
  }

  @Test
  void aGatewayOfOurClassWithATcpListenerIsDeniedAndOneOfAnotherClassIsNot() {
    AdmissionReply reply = result(admission.gateway(review(Gateway.class, "Gateway", "gateways", "CREATE", gateway("new", "alb", "TCP"))));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).contains("Gateway shop/new", "spec.listeners[0].protocol: protocol TCP", "use HTTP or HTTPS");
    assertThat(result(admission.gateway(review(Gateway.class, "Gateway", "gateways", "CREATE", gateway("new", "other", "TCP")))))
        .isEqualTo(AdmissionReply.allow());
    assertThat(result(admission.gateway(review(Gateway.class, "Gateway", "gateways", "CREATE", gateway("new", "missing", "TCP")))))
        .isEqualTo(AdmissionReply.allow());
    assertThat(result(admission.gateway(review(Gateway.class, "Gateway", "gateways", "CREATE", gateway("new", "alb", "HTTPS")))).allowed())
        .isTrue();
  }

  @Test
  void aGatewayClassOfOursIsAllowedWithAWarningForAParametersRefItCannotRead() {
    JsonObject c = gatewayClass("alb2", "gateway.k8s.aws/alb");
    c.getJsonObject("spec").put("parametersRef", new JsonObject().put("group", "gateway.k8s.aws").put("kind", "LoadBalancerConfiguration")
        .put("name", "lbc").put("namespace", "shop"));
    assertThat(result(admission.gatewayClass(review(GatewayClass.class, "GatewayClass", "gatewayclasses", "CREATE", c))).warnings())
        .isEmpty();
    c.getJsonObject("spec").put("parametersRef", new JsonObject().put("group", "example.com").put("kind", "Params")
        .put("name", "lbc").put("namespace", "shop"));
    AdmissionReply reply = result(admission.gatewayClass(review(GatewayClass.class, "GatewayClass", "gatewayclasses", "CREATE", c)));
    assertThat(reply.allowed()).isTrue();
    assertThat(reply.warnings()).singleElement().asString().contains("spec.parametersRef", "example.com/Params lbc");
    c.getJsonObject("spec").put("controllerName", "example.com/other");
    assertThat(result(admission.gatewayClass(review(GatewayClass.class, "GatewayClass", "gatewayclasses", "CREATE", c))))
        .isEqualTo(AdmissionReply.allow());
  }

  @Test
  void anotherKindOnTheseUrlsIsDenied() {
    AdmissionReply reply = result(admission.httpRoute(review(HTTPRoute.class, "GRPCRoute", "grpcroutes", "CREATE", badRoute("[]"))));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).contains("HTTPRoute objects, not gateway.networking.k8s.io/v1 GRPCRoute");
  }

  static JsonObject grpcRoute(String parents, String rule) {
    return new JsonObject("""
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute", "metadata": {"name": "g", "namespace": "shop"},
         "spec": {"parentRefs": %s, "rules": [%s]}}""".formatted(parents, rule));
  }

  AdmissionReply grpc(String operation, JsonObject route) {
    return result(admission.grpcRoute(review(GRPCRoute.class, "GRPCRoute", "grpcroutes", operation, route)));
  }

  @Test
  void aGrpcRouteOfOurGatewayIsJudgedAndOneOfAnotherImplementationIsNot() {
    String bad = "{\"filters\": [{\"type\": \"RequestMirror\", \"requestMirror\": {\"backendRef\": {\"name\": \"m\", \"port\": 80}}}],"
        + " \"backendRefs\": [{\"name\": \"web\", \"port\": 80, \"weight\": 5000}]}";
    AdmissionReply reply = grpc("CREATE", grpcRoute("[{\"name\": \"gw\"}]", bad));
    assertThat(reply.allowed()).isFalse();
    assertThat(reply.message()).startsWith("GRPCRoute shop/g has 2 problems:")
        .contains("spec.rules[0].filters[0].type: RequestMirror is not supported on ALB for GRPCRoutes; remove the filter",
            "spec.rules[0].backendRefs[0].weight: 5000 is over ALB's maximum of 999");
    assertThat(grpc("CREATE", grpcRoute("[{\"name\": \"theirs\"}]", bad))).isEqualTo(AdmissionReply.allow());
    assertThat(grpc("CREATE", grpcRoute("[{\"name\": \"gw\"}]", "{\"matches\": [{\"method\": {\"service\": \"s\"}}],"
        + " \"backendRefs\": [{\"name\": \"web\", \"port\": 80}]}")).allowed()).isTrue();
    JsonObject deleting = grpcRoute("[{\"name\": \"gw\"}]", bad);
    deleting.getJsonObject("metadata").put("deletionTimestamp", "2025-01-01T00:00:00Z");
    assertThat(grpc("UPDATE", deleting)).isEqualTo(AdmissionReply.allow());
    assertThat(result(admission.grpcRoute(review(GRPCRoute.class, "HTTPRoute", "httproutes", "CREATE", grpcRoute("[]", bad)))).allowed())
        .isFalse();
  }

  static JsonObject listenerSet(String parent, String protocol) {
    return new JsonObject("""
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "ListenerSet", "metadata": {"name": "extra", "namespace": "shop"},
         "spec": {"parentRef": {"name": "%s"}, "listeners": [{"name": "ok", "port": 8080, "protocol": "HTTP"},
           {"name": "tls", "port": 8443, "protocol": "HTTPS", "hostname": "a.example.com"}, {"name": "x", "port": 9000, "protocol": "%s"}]}}"""
        .formatted(parent, protocol));
  }

  AdmissionReply listenerSet(JsonObject ls) {
    return result(admission.listenerSet(review(io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet.class, "ListenerSet", "listenersets",
        "CREATE", ls)));
  }

  @Test
  void aListenerSetOfOurGatewayIsJudgedAsTheGatewaysListeners() {
    AdmissionReply denied = listenerSet(listenerSet("gw", "TCP"));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.message()).startsWith("ListenerSet shop/extra has 1 problem:")
        .contains("spec.listeners[2].protocol: protocol TCP is not supported on an ALB");
    // HTTPS without certificateRefs is not denied: certificates may come from a LoadBalancerConfiguration or discovery
    assertThat(listenerSet(listenerSet("gw", "HTTP")).allowed()).isTrue();
    // another implementation's Gateway, or one not there yet: not judged
    assertThat(listenerSet(listenerSet("theirs", "TCP")).allowed()).isTrue();
    assertThat(listenerSet(listenerSet("nowhere", "TCP")).allowed()).isTrue();
  }
}
