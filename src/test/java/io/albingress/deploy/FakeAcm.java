package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory ACM imports, as AWS behaves: a re-import keeps the ARN and its tags, tags cannot be given on a re-import,
 * a certificate a listener uses cannot be deleted (ResourceInUseException) until {@link #inUse} lets it go.
 */
final class FakeAcm implements AcmPort {
  record Cert(String certificate, String chain, String key, Map<String, String> tags) {}

  final Map<String, Cert> certs = new LinkedHashMap<>();
  /** Every call made, as "Operation arn". */
  final List<String> calls = new ArrayList<>();
  /** ARN to how many more DeleteCertificate calls are refused as in use. */
  final Map<String, Integer> inUse = new HashMap<>();
  private int next;

  List<String> mutatingCalls() {
    return calls.stream().filter(c -> !c.startsWith("List")).toList();
  }

  @Override
  public Future<List<String>> importedCertificates() {
    calls.add("ListCertificates");
    return Future.succeededFuture(List.copyOf(certs.keySet()));
  }

  @Override
  public Future<Optional<Map<String, String>>> tags(String arn) {
    calls.add("ListTagsForCertificate " + arn);
    return Future.succeededFuture(Optional.ofNullable(certs.get(arn)).map(c -> Map.copyOf(c.tags())));
  }

  @Override
  public Future<String> importCertificate(Optional<String> arn, String certificate, String chain, String privateKey, Map<String, String> tags) {
    if (arn.isPresent()) {
      calls.add("ImportCertificate " + arn.get());
      Cert old = certs.get(arn.get());
      if (old == null) {
        return Future.failedFuture(new IllegalStateException("ResourceNotFoundException: " + arn.get()));
      }
      if (!tags.isEmpty()) {
        return Future.failedFuture(new IllegalStateException("ValidationException: tags cannot be applied on re-import"));
      }
      certs.put(arn.get(), new Cert(certificate, chain, privateKey, old.tags()));
      return Future.succeededFuture(arn.get());
    }
    String created = "arn:aws:acm:us-west-2:123456789012:certificate/imported-" + (++next);
    calls.add("ImportCertificate new " + created);
    certs.put(created, new Cert(certificate, chain, privateKey, new HashMap<>(tags)));
    return Future.succeededFuture(created);
  }

  @Override
  public Future<Void> addTags(String arn, Map<String, String> tags) {
    calls.add("AddTagsToCertificate " + arn);
    certs.get(arn).tags().putAll(tags);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> deleteCertificate(String arn) {
    calls.add("DeleteCertificate " + arn);
    int refusals = inUse.getOrDefault(arn, 0);
    if (refusals > 0) {
      inUse.put(arn, refusals - 1);
      return Future.failedFuture(new InUse("Certificate " + arn + " in use"));
    }
    certs.remove(arn);
    return Future.succeededFuture();
  }
}
