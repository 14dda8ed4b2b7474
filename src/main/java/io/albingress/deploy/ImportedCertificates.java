package io.albingress.deploy;

import io.albingress.model.TlsPem;
import io.albingress.model.StackId;
import io.albingress.model.Tags;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACM certificates a Gateway stack imported from the {@code kubernetes.io/tls} Secrets its listeners'
 * {@code tls.certificateRefs} name: one per (stack, Secret), tagged with the cluster, the stack, the Secret
 * ("namespace/name") and the digest of the PEM last imported. {@link #sync} imports what is missing and re-imports
 * (same ARN) what changed, before the listeners are deployed; {@link #release} deletes, after they are deployed,
 * what no listener references any more (retrying while ACM still sees it in use). Which certificates are ours is
 * listed once (ListCertificates, then ListTagsForCertificate per imported certificate) and then kept in memory,
 * so a restart finds its imports again instead of importing twice.
 */
public final class ImportedCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(ImportedCertificates.class);
  public static final String SECRET_TAG = "gateway.k8s.aws.alb/secret";
  public static final String DIGEST_TAG = "gateway.k8s.aws.alb/secret-digest";

  private final AcmPort acm;
  private final String clusterName;
  private final Map<String, String> defaultTags;
  private final Function<Duration, Future<Void>> sleep;
  private final List<Duration> inUseDelays;
  /** Our imports by ARN (their tags), once listed; mutated only on the caller's context. */
  private volatile Future<Map<String, Map<String, String>>> known;

  public ImportedCertificates(AcmPort acm, String clusterName, Map<String, String> defaultTags, Function<Duration, Future<Void>> sleep,
      List<Duration> inUseDelays) {
    this.acm = acm;
    this.clusterName = clusterName;
    this.defaultTags = defaultTags;
    this.sleep = sleep;
    this.inUseDelays = inUseDelays;
  }

  /** Delays between DeleteCertificate attempts refused with ResourceInUse: ACM sees a listener let go a little later. */
  public static List<Duration> defaultInUseDelays() {
    return List.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /** What to do for one stack. */
  public record Plan(Map<String, String> keep, List<String> toImport, Map<String, String> toReimport, List<String> toDelete) {}

  /** The result of {@link #sync}: Secret key to ARN, and Secret key to why its import failed. */
  public record Synced(Map<String, String> arns, Map<String, String> failed) {}

  /**
   * Pure: the stack's imports ({@code known}, all of the cluster's, filtered here) against the Secrets it needs (key to
   * digest). One import per Secret is kept (the one with the current digest, else the first by ARN) and re-imported
   * when its digest differs; extra imports of a Secret and imports of Secrets no longer needed are deleted.
   */
  public static Plan plan(StackId id, String clusterName, Map<String, String> desired, Map<String, Map<String, String>> known) {
    Map<String, List<String>> bySecret = new TreeMap<>();
    new TreeMap<>(known).forEach((arn, tags) -> {
      if (clusterName.equals(tags.get(Tags.CLUSTER)) && id.tagValue().equals(tags.get(Tags.GATEWAY_STACK)) && tags.get(SECRET_TAG) != null) {
        bySecret.computeIfAbsent(tags.get(SECRET_TAG), k -> new ArrayList<>()).add(arn);
      }
    });
    Map<String, String> keep = new LinkedHashMap<>();
    List<String> toImport = new ArrayList<>();
    Map<String, String> toReimport = new LinkedHashMap<>();
    List<String> toDelete = new ArrayList<>();
    desired.forEach((secret, digest) -> {
      List<String> arns = bySecret.getOrDefault(secret, List.of());
      if (arns.isEmpty()) {
        toImport.add(secret);
        return;
      }
      String chosen = arns.stream().filter(a -> digest.equals(known.get(a).get(DIGEST_TAG))).findFirst().orElse(arns.get(0));
      if (digest.equals(known.get(chosen).get(DIGEST_TAG))) {
        keep.put(secret, chosen);
      } else {
        toReimport.put(secret, chosen);
      }
      arns.stream().filter(a -> !a.equals(chosen)).forEach(toDelete::add);
    });
    bySecret.forEach((secret, arns) -> {
      if (!desired.containsKey(secret)) {
        toDelete.addAll(arns);
      }
    });
    return new Plan(keep, toImport, toReimport, toDelete);
  }

  /**
   * Imports and re-imports the stack's Secrets ({@code pems}: Secret key to PEM). A failed import fails only that
   * Secret (its listener is then told why); a failed listing fails the whole call.
   */
  public Future<Synced> sync(StackId id, Map<String, TlsPem> pems) {
    if (pems.isEmpty()) {
      return Future.succeededFuture(new Synced(Map.of(), Map.of()));
    }
    return known().compose(k -> {
      Map<String, String> digests = new LinkedHashMap<>();
      pems.forEach((s, p) -> digests.put(s, p.digest()));
      Plan plan = plan(id, clusterName, digests, k);
      Map<String, String> arns = new LinkedHashMap<>(plan.keep());
      Map<String, String> failed = new LinkedHashMap<>();
      List<Future<Void>> calls = new ArrayList<>();
      for (String secret : plan.toImport()) {
        TlsPem pem = pems.get(secret);
        Map<String, String> tags = tags(id, secret, pem.digest());
        calls.add(acm.importCertificate(Optional.empty(), pem.certificate(), pem.chain(), pem.privateKey(), tags)
            .onSuccess(arn -> {
              k.put(arn, tags);
              arns.put(secret, arn);
              LOG.info("stack {}: imported Secret {} into ACM as {}", id, secret, arn);
            })
            .<Void>mapEmpty().recover(e -> failed(failed, secret, e)));
      }
      plan.toReimport().forEach((secret, arn) -> {
        TlsPem pem = pems.get(secret);
        calls.add(acm.importCertificate(Optional.of(arn), pem.certificate(), pem.chain(), pem.privateKey(), Map.of())
            .compose(same -> acm.addTags(arn, Map.of(DIGEST_TAG, pem.digest())))
            .onSuccess(v -> {
              Map<String, String> tags = new HashMap<>(k.get(arn));
              tags.put(DIGEST_TAG, pem.digest());
              k.put(arn, tags);
              arns.put(secret, arn);
              LOG.info("stack {}: re-imported changed Secret {} into {}", id, secret, arn);
            })
            .recover(e -> {
              // the ARN still holds what was imported before: it keeps serving, its listener is told why
              arns.put(secret, arn);
              return failed(failed, secret, e);
            }));
      });
      return Future.join(calls).otherwiseEmpty().map(v -> new Synced(Map.copyOf(arns), Map.copyOf(failed)));
    });
  }

  /**
   * Deletes the stack's imports other than {@code keep} (ARNs, as {@link Synced#arns} answered), once its listeners no
   * longer use them. Fails when one is still in use after the retries: a Gateway being deleted keeps its finalizer
   * until they are gone.
   */
  public Future<Void> release(StackId id, Set<String> keep) {
    return known().compose(k -> {
      List<String> delete = new TreeMap<>(k).entrySet().stream().filter(e -> clusterName.equals(e.getValue().get(Tags.CLUSTER))
          && id.tagValue().equals(e.getValue().get(Tags.GATEWAY_STACK)) && !keep.contains(e.getKey())).map(Map.Entry::getKey).toList();
      return Future.all(delete.stream().map(arn -> delete(id, arn, 0, k)).toList()).mapEmpty();
    });
  }

  private Future<Void> delete(StackId id, String arn, int attempt, Map<String, Map<String, String>> k) {
    return acm.deleteCertificate(arn)
        .onSuccess(v -> {
          k.remove(arn);
          LOG.info("stack {}: deleted imported certificate {}", id, arn);
        })
        .recover(e -> {
          if (e instanceof AcmPort.InUse && attempt < inUseDelays.size()) {
            return sleep.apply(inUseDelays.get(attempt)).compose(v -> delete(id, arn, attempt + 1, k));
          }
          return Future.failedFuture(new IllegalStateException("imported certificate " + arn + " of " + id + " cannot be deleted yet: "
              + e.getMessage(), e));
        });
  }

  /**
   * The ARNs of this cluster's imports (any stack), listed first if they never were: ACM discovery must not pick them
   * for other listeners. Empty while the listing fails ({@link #sync} and {@link #release} list again).
   */
  public Future<Set<String>> arns() {
    Future<Map<String, Map<String, String>>> k = known == null ? known() : known;
    return k.map(m -> Set.copyOf(m.keySet())).otherwise(Set.of());
  }

  /** As {@link #arns()} without listing: empty until a listing succeeded (so callers that never import add no ACM call). */
  public Set<String> listedArns() {
    Future<Map<String, Map<String, String>>> k = known;
    return k != null && k.succeeded() ? Set.copyOf(k.result().keySet()) : Set.of();
  }

  /** Forgets what was listed (a new leader lists again: another replica may have changed ACM meanwhile). */
  public void invalidate() {
    known = null;
  }

  private Future<Map<String, Map<String, String>>> known() {
    if (known == null || known.failed()) {
      known = acm.importedCertificates()
          .compose(arns -> Future.all(arns.stream().map(arn -> acm.tags(arn).map(t -> Map.entry(arn, t))).toList()))
          .map(all -> {
            Map<String, Map<String, String>> ours = new HashMap<>();
            all.<Map.Entry<String, Optional<Map<String, String>>>>list().forEach(e -> e.getValue()
                .filter(t -> clusterName.equals(t.get(Tags.CLUSTER)) && t.get(SECRET_TAG) != null).ifPresent(t -> ours.put(e.getKey(), t)));
            return ours;
          });
    }
    return known;
  }

  private Map<String, String> tags(StackId id, String secret, String digest) {
    Map<String, String> tags = new LinkedHashMap<>(defaultTags);
    tags.put(Tags.CLUSTER, clusterName);
    tags.put(Tags.GATEWAY_STACK, id.tagValue());
    tags.put(SECRET_TAG, secret);
    tags.put(DIGEST_TAG, digest);
    return tags;
  }

  private static Future<Void> failed(Map<String, String> failed, String secret, Throwable e) {
    failed.put(secret, e.getMessage());
    return Future.succeededFuture();
  }
}
