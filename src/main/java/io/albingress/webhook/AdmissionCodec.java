package io.albingress.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads AdmissionReview requests strictly and writes AdmissionReview responses. A review is parsed
 * once, straight into records and the object's model class (one pass of Jackson data binding, no
 * tree, no conversion round trip); thread-safe, shared by every webhook verticle.
 */
public final class AdmissionCodec {
  static final String API_VERSION = "admission.k8s.io/v1";
  static final String KIND = "AdmissionReview";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  /** For webhooks that only judge the object: metadata.managedFields (often most of a real review's bytes) is skipped, not bound. */
  private static final JsonMapper VALIDATION_MAPPER = JsonMapper.builder().addMixIn(ObjectMeta.class, SkipManagedFields.class).build();
  private static final byte[] ALLOWED_HEAD = ("{\"apiVersion\":\"" + API_VERSION + "\",\"kind\":\"" + KIND + "\",\"response\":{\"uid\":\"")
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] ALLOWED_TAIL = "\",\"allowed\":true}}".getBytes(StandardCharsets.UTF_8);

  /*
   * The envelope is bound to plain classes with public fields, not records: Jackson builds a record
   * through its canonical constructor (a property-based creator, called with an argument array by
   * method handles), which cost more per review than the fields of the whole Ingress.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class Review<T> {
    public String apiVersion;
    public String kind;
    public Request<T> request;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class Request<T> {
    public String uid;
    public KindField kind;
    public String operation;
    public String namespace;
    public T object;
    public T oldObject;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class KindField {
    public String group;
    public String version;
    public String kind;
  }

  @JsonIgnoreProperties({"managedFields"})
  private abstract static class SkipManagedFields {}

  /** Decodes reviews whose objects are of one model class. */
  public static final class Reader<T> {
    private final ObjectReader reader;
    private final String typeName;

    private Reader(JsonMapper mapper, Class<T> objectType) {
      JavaType type = mapper.getTypeFactory().constructParametricType(Review.class, objectType);
      this.reader = mapper.readerFor(type);
      this.typeName = objectType.getSimpleName();
    }

    public AdmissionRequestView<T> decode(Buffer body) {
      Review<T> review = parse(body);
      String apiVersion = review.apiVersion == null ? "" : review.apiVersion;
      String kind = review.kind == null ? "" : review.kind;
      if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
        throw new BadAdmissionRequest("expected apiVersion " + API_VERSION + " and kind " + KIND + ", got apiVersion \"" + clip(apiVersion)
            + "\" kind \"" + clip(kind) + "\"");
      }
      Request<T> request = review.request;
      require(request != null, "request is missing");
      require(request.uid != null && !request.uid.isEmpty(), "request.uid is missing");
      require(request.kind != null, "request.kind is missing");
      String operation = request.operation == null ? "" : request.operation;
      require(!operation.isEmpty(), "request.operation is missing");
      boolean needsObject = operation.equals("CREATE") || operation.equals("UPDATE");
      if (needsObject && request.object == null) {
        throw new BadAdmissionRequest("request.object is missing for a " + operation);
      }
      KindField k = request.kind;
      return new AdmissionRequestView<>(request.uid, operation,
          new AdmissionRequestView.Kind(nonNull(k.group), nonNull(k.version), nonNull(k.kind)),
          nonNull(request.namespace), request.object, request.oldObject);
    }

    @SuppressWarnings("unchecked")
    private Review<T> parse(Buffer body) {
      if (body == null || body.length() == 0) {
        throw new BadAdmissionRequest("the request body is empty; expected an admission.k8s.io/v1 AdmissionReview");
      }
      byte[] bytes = body.getBytes();
      require(startsWithObject(bytes), "the body must be a JSON object (an admission.k8s.io/v1 AdmissionReview)");
      try {
        return (Review<T>) reader.readValue(bytes);
      } catch (DatabindException e) {
        throw new BadAdmissionRequest(bindingError(e));
      } catch (JacksonException e) {
        throw new BadAdmissionRequest("the request body is not valid JSON: " + firstLine(e));
      }
    }

    /** Names the field that did not fit: the object under review by its type, the rest as AdmissionRequest. */
    private String bindingError(DatabindException e) {
      String path = path(e);
      String detail = (path.isEmpty() ? "" : "at " + path + ": ") + clip(firstLine(e.getOriginalMessage()));
      for (String field : new String[] {"request.object", "request.oldObject"}) {
        if (path.equals(field) || path.startsWith(field + ".") || path.startsWith(field + "[")) {
          return field + " is not a valid " + typeName + ": " + detail;
        }
      }
      return "request does not match admission.k8s.io/v1 AdmissionRequest: " + detail;
    }
  }

  public static <T> Reader<T> reader(Class<T> objectType) {
    return new Reader<>(MAPPER, objectType);
  }

  /** As {@link #reader}, for a webhook that never returns or patches the object: its metadata.managedFields stay null. */
  public static <T> Reader<T> validationReader(Class<T> objectType) {
    return new Reader<>(VALIDATION_MAPPER, objectType);
  }

  public Buffer encode(String uid, AdmissionReply reply) {
    if (reply.allowed() && reply.warnings().isEmpty() && reply.jsonPatch().isEmpty()) {
      return allowed(uid);
    }
    return encodeTree(uid, reply);
  }

  /** The common answer, allowed and nothing else, from pre-encoded bytes around the quoted uid (the same bytes as the tree). */
  private static Buffer allowed(String uid) {
    byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(uid);
    return Buffer.buffer(ALLOWED_HEAD.length + quoted.length + ALLOWED_TAIL.length)
        .appendBytes(ALLOWED_HEAD).appendBytes(quoted).appendBytes(ALLOWED_TAIL);
  }

  static Buffer encodeTree(String uid, AdmissionReply reply) {
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

  private static boolean startsWithObject(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b == '{';
      }
    }
    return false;
  }

  /** request.object.spec.rules[0].host from Jackson's reference chain (the Review root left out). */
  private static String path(DatabindException e) {
    StringBuilder out = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
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
    return firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "";
    }
    int nl = m.indexOf('\n');
    return clip(nl < 0 ? m : m.substring(0, nl));
  }
}
