package io.albingress.k8s;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Emits Kubernetes Events on objects, dropping an identical Event repeated within {@code quiet}
 * ("identical" ignores AWS request IDs); IAM principal ARNs in messages are redacted.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  static final int MAX_MESSAGE = 1024;

  private record Key(String uid, String reason, String message) {}

  private final Vertx vertx;
  private final KubernetesClient client;
  private final Duration quiet;
  private final Map<Key, Instant> recent = new ConcurrentHashMap<>();

  public EventRecorder(Vertx vertx, KubernetesClient client, Duration quiet) {
    this.vertx = vertx;
    this.client = client;
    this.quiet = quiet;
  }

  /** The Warning text for an Ingress being deleted whose AWS clean-up failed: why, in words, then what AWS said. */
  public static String cleanupFailed(String stack, Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof AwsServiceException)) {
      cause = cause.getCause();
    }
    String code = cause instanceof AwsServiceException aws && aws.awsErrorDetails() != null ? aws.awsErrorDetails().errorCode() : "";
    String said = String.valueOf(cause instanceof AwsServiceException ? cause.getMessage() : failure.getMessage());
    String hint = EventMessages.cleanupHint(code, said);
    return "Failed to delete the AWS resources of stack " + stack + (hint.isEmpty() ? "" : ": " + hint) + ". AWS said: " + said;
  }

  public Future<Void> record(HasMetadata object, String type, String reason, String message) {
    String redacted = EventMessages.redact(message);
    String text = redacted.length() <= MAX_MESSAGE ? redacted : redacted.substring(0, MAX_MESSAGE - 3) + "...";
    Key key = new Key(object.getMetadata().getUid(), reason, EventMessages.dedupKey(redacted));
    Instant now = Instant.now();
    Instant last = recent.get(key);
    if (last != null && last.plus(quiet).isAfter(now)) {
      return Future.succeededFuture();
    }
    recent.put(key, now);
    if (recent.size() > 10_000) {
      recent.entrySet().removeIf(e -> e.getValue().plus(quiet).isBefore(now));
    }
    // Events about cluster-scoped objects (Nodes) live in "default", as the kubelet's do
    String ns = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
    var event = new EventBuilder()
        .withNewMetadata().withNamespace(ns).withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8)).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(Objects.requireNonNullElse(object.getApiVersion(), HasMetadata.getApiVersion(object.getClass())))
            .withKind(Objects.requireNonNullElse(object.getKind(), HasMetadata.getKind(object.getClass())))
            .withNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName()).withUid(object.getMetadata().getUid())
            .withResourceVersion(object.getMetadata().getResourceVersion()).build())
        .withType(type).withReason(reason).withMessage(text)
        .withFirstTimestamp(DateTimeFormatter.ISO_INSTANT.format(now)).withLastTimestamp(DateTimeFormatter.ISO_INSTANT.format(now))
        .withCount(1).withNewSource().withComponent("alb-ingress-controller").endSource()
        .build();
    return vertx.executeBlocking(() -> client.v1().events().inNamespace(ns).resource(event).create(), false)
        .onFailure(e -> LOG.warn("could not record event {} on {}/{}: {}", reason, ns, object.getMetadata().getName(), e.getMessage()))
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }
}
