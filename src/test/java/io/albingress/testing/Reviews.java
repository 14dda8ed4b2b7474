package io.albingress.testing;

import io.vertx.core.json.JsonObject;

/** AdmissionReview request bodies as the apiserver sends them. */
public final class Reviews {
  private Reviews() {}

  public static JsonObject ingressReview(String uid, String operation, JsonObject ingress) {
    return review(uid, operation, new JsonObject().put("group", "networking.k8s.io").put("version", "v1").put("kind", "Ingress"),
        "ingresses", ingress);
  }

  public static JsonObject podReview(String uid, JsonObject pod) {
    return review(uid, "CREATE", new JsonObject().put("group", "").put("version", "v1").put("kind", "Pod"), "pods", pod);
  }

  public static JsonObject review(String uid, String operation, JsonObject kind, String resource, JsonObject object) {
    JsonObject meta = object.getJsonObject("metadata", new JsonObject());
    JsonObject request = new JsonObject()
        .put("uid", uid)
        .put("kind", kind)
        .put("resource", new JsonObject().put("group", kind.getString("group")).put("version", "v1").put("resource", resource))
        .put("namespace", meta.getString("namespace", "default"))
        .put("name", meta.getString("name", ""))
        .put("operation", operation)
        .put("userInfo", new JsonObject().put("username", "admin"))
        .put("object", object);
    return new JsonObject().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview").put("request", request);
  }

  public static JsonObject ingress(String namespace, String name, JsonObject annotations, String service, int port) {
    JsonObject backend = new JsonObject().put("service", new JsonObject().put("name", service).put("port", new JsonObject().put("number", port)));
    return new JsonObject()
        .put("apiVersion", "networking.k8s.io/v1").put("kind", "Ingress")
        .put("metadata", new JsonObject().put("namespace", namespace).put("name", name).put("annotations", annotations))
        .put("spec", new JsonObject().put("ingressClassName", "alb").put("rules", new io.vertx.core.json.JsonArray().add(
            new JsonObject().put("http", new JsonObject().put("paths", new io.vertx.core.json.JsonArray().add(
                new JsonObject().put("path", "/").put("pathType", "Prefix").put("backend", backend)))))));
  }
}
