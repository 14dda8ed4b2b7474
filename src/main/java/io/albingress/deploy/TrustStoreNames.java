package io.albingress.deploy;

import io.albingress.annotations.MutualAuthentication;
import io.albingress.model.Listener;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Trust stores that mutual-authentication names by name: resolved to their ARNs with
 * DescribeTrustStores, before the listeners that use them, and cached (a trust store's ARN never
 * changes while it exists), so a drift check of many stacks costs one lookup per name and TTL. A name
 * that does not exist fails the deployment, naming it, and is looked up again next time.
 */
final class TrustStoreNames {
  static final long TTL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

  private record Cached(String arn, long at) {}

  private final Elbv2 elb;
  private final LongSupplier clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  TrustStoreNames(Elbv2 elb) {
    this(elb, System::nanoTime);
  }

  TrustStoreNames(Elbv2 elb, LongSupplier clock) {
    this.elb = elb;
    this.clock = clock;
  }

  /** Drops every cached ARN: the next run looks the names up again. */
  void forget() {
    cache.clear();
  }

  /** The trust store names the listeners use, sorted. Pure. */
  static List<String> used(List<Listener> listeners) {
    return listeners.stream().flatMap(l -> l.mutualAuthentication().stream()).filter(MutualAuthentication::trustStoreByName)
        .map(m -> m.trustStore().orElseThrow()).collect(Collectors.toCollection(TreeSet::new)).stream().toList();
  }

  /** The listeners with every trust store name replaced by its ARN; no call when none is named, or all are cached. */
  Future<List<Listener>> resolve(List<Listener> listeners) {
    List<String> names = used(listeners);
    long now = clock.getAsLong();
    List<String> missing = names.stream().filter(n -> {
      Cached c = cache.get(n);
      return c == null || now - c.at() > TTL_NANOS;
    }).toList();
    Future<Void> looked = missing.isEmpty() ? Future.succeededFuture()
        : elb.trustStoreArnsByName(missing).compose(found -> {
          found.forEach((n, arn) -> cache.put(n, new Cached(arn, now)));
          List<String> unknown = missing.stream().filter(n -> !found.containsKey(n)).toList();
          return unknown.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new AwsFailure(AwsFailure.Kind.NOT_FOUND,
              "TrustStoreNotFound", "mutual-authentication names trust store" + (unknown.size() > 1 ? "s " : " ")
                  + String.join(", ", unknown) + (unknown.size() > 1 ? ", which do not exist" : ", which does not exist"), null));
        });
    return looked.map(v -> listeners.stream().map(l -> l.mutualAuthentication().filter(MutualAuthentication::trustStoreByName)
        .map(m -> l.withMutualAuthentication(Optional.of(m.withTrustStore(cache.get(m.trustStore().orElseThrow()).arn()))))
        .orElse(l)).toList());
  }
}
