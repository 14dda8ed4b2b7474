package io.albingress.webhook;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads AdmissionReview requests strictly and writes AdmissionReview responses. */
public final class AdmissionCodec {
  static final String API_VERSION = "admission.k8s.io/v1";
  static final String KIND = "AdmissionReview";

  private final KubernetesSerialization serialization;
  private final ObjectMapper mapper = new ObjectMapper();

  public AdmissionCodec(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  public AdmissionRequestView decode(Buffer body) {
    JsonNode review = parse(body);
    require(review.isObject(), "the body must be a JSON object (an admission.k8s.io/v1 AdmissionReview)");
    String apiVersion = review.path("apiVersion").asString("");
    String kind = review.path("kind").asString("");
    require(API_VERSION.equals(apiVersion) && KIND.equals(kind),
        "expected apiVersion " + API_VERSION + " and kind " + KIND + ", got apiVersion \"" + clip(apiVersion) + "\" kind \"" + clip(kind) + "\"");
    JsonNode request = review.path("request");
    require(request.isObject(), "request is missing");
    require(!request.path("uid").asString("").isEmpty(), "request.uid is missing");
    require(request.path("kind").isObject(), "request.kind is missing");
    String operation = request.path("operation").asString("");
    require(!operation.isEmpty(), "request.operation is missing");
    boolean needsObject = operation.equals("CREATE") || operation.equals("UPDATE");
    require(!needsObject || request.path("object").isObject(), "request.object is missing for a " + operation);
    // objects stay raw JSON until a webhook asks for its type, so errors name them precisely
    tools.jackson.databind.node.ObjectNode envelope = ((tools.jackson.databind.node.ObjectNode) request).deepCopy();
    envelope.remove("object");
    envelope.remove("oldObject");
    AdmissionRequest typed;
    try {
      typed = serialization.convertValue(envelope, AdmissionRequest.class);
    } catch (RuntimeException e) {
      throw new BadAdmissionRequest("request does not match admission.k8s.io/v1 AdmissionRequest: " + firstLine(e));
    }
    return new AdmissionRequestView(typed.getUid(), operation, typed.getKind(),
        typed.getNamespace() == null ? "" : typed.getNamespace(), present(request.get("object")), present(request.get("oldObject")));
  }

  /** Converts an object of the request into a typed model, or refuses the request. */
  public <T extends KubernetesResource> T as(Object object, Class<T> type, String what) {
    if (type.isInstance(object)) {
      return type.cast(object);
    }
    try {
      return serialization.convertValue(object, type);
    } catch (RuntimeException e) {
      throw new BadAdmissionRequest(what + " is not a valid " + type.getSimpleName() + ": " + firstLine(e));
    }
  }

  public Buffer encode(String uid, AdmissionReply reply) {
    JsonObject response = new JsonObject().put("uid", uid).put("allowed", reply.allowed());
    if (!reply.allowed()) {
      response.put("status", new JsonObject().put("code", 403).put("reason", "Forbidden").put("message", reply.message()));
    }
    if (!reply.warnings().isEmpty()) {
      response.put("warnings", new JsonArray(reply.warnings()));
    }
    reply.jsonPatch().ifPresent(patch -> response.put("patchType", "JSONPatch")
        .put("patch", Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8))));
    return new JsonObject().put("apiVersion", API_VERSION).put("kind", KIND).put("response", response).toBuffer();
  }

  private static JsonNode present(JsonNode node) {
    return node == null || node.isNull() ? null : node;
  }

  private JsonNode parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new BadAdmissionRequest("the request body is empty; expected an admission.k8s.io/v1 AdmissionReview");
    }
    try {
      return mapper.readTree(body.getBytes());
    } catch (JacksonException e) {
      throw new BadAdmissionRequest("the request body is not valid JSON: " + firstLine(e));
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new BadAdmissionRequest(message);
    }
  }

  private static String clip(String s) {
    return io.albingress.annotations.FieldError.abbreviate(s);
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return clip(nl < 0 ? m : m.substring(0, nl));
  }
}
