package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.TlsPem;
import io.albingress.model.StackId;
import io.albingress.model.Tags;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImportedCertificatesTest {
  static final StackId GW = StackId.gatewayOf("shop", "gw");
  static final StackId OTHER = StackId.gatewayOf("shop", "other");
  static final TlsPem A1 = pem("a1");
  static final TlsPem A2 = pem("a2");
  static final TlsPem B1 = pem("b1");

  static TlsPem pem(String content) {
    return new TlsPem("CERT " + content, "", "KEY " + content, TlsPem.digest("CERT " + content, "", "KEY " + content));
  }

  final FakeAcm acm = new FakeAcm();
  final List<Duration> slept = new ArrayList<>();

  ImportedCertificates imports() {
    return new ImportedCertificates(acm, "prod", Map.of("team", "web"), d -> {
      slept.add(d);
      return Future.succeededFuture();
    }, List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)));
  }

  static <T> T await(Future<T> f) {
    assertThat(f.isComplete()).as("the fake answers at once").isTrue();
    if (f.failed()) {
      throw new AssertionError(f.cause());
    }
    return f.result();
  }

  static Map<String, String> tags(StackId id, String secret, String digest) {
    return Map.of(Tags.CLUSTER, "prod", Tags.GATEWAY_STACK, id.tagValue(), ImportedCertificates.SECRET_TAG, secret,
        ImportedCertificates.DIGEST_TAG, digest);
  }

  @Test
  void planImportsWhatIsMissingReimportsWhatChangedAndDeletesTheRest() {
    Map<String, Map<String, String>> known = Map.of(
        "arn:1", tags(GW, "shop/a", "old"),
        "arn:2", tags(GW, "shop/b", "db"),
        "arn:3", tags(GW, "shop/b", "stale"), // a second import of b (a crash between import and memory)
        "arn:4", tags(GW, "shop/gone", "x"),
        "arn:5", tags(OTHER, "shop/a", "old"),
        "arn:6", Map.of(Tags.CLUSTER, "staging", Tags.GATEWAY_STACK, GW.tagValue(), ImportedCertificates.SECRET_TAG, "shop/c"));
    ImportedCertificates.Plan plan = ImportedCertificates.plan(GW, "prod", Map.of("shop/a", "new", "shop/b", "db", "shop/c", "dc"), known);
    assertThat(plan.keep()).containsExactly(Map.entry("shop/b", "arn:2"));
    assertThat(plan.toReimport()).containsExactly(Map.entry("shop/a", "arn:1"));
    assertThat(plan.toImport()).containsExactly("shop/c");
    assertThat(plan.toDelete()).containsExactlyInAnyOrder("arn:3", "arn:4");
  }

  @Test
  void importsOnceTaggedAsOursAndAgainOnlyWhenTheSecretChanges() {
    ImportedCertificates imports = imports();
    ImportedCertificates.Synced first = await(imports.sync(GW, Map.of("shop/a", A1)));
    String arn = first.arns().get("shop/a");
    assertThat(first.failed()).isEmpty();
    assertThat(acm.certs.get(arn).tags()).containsEntry(Tags.CLUSTER, "prod").containsEntry(Tags.GATEWAY_STACK, "shop/gw")
        .containsEntry(ImportedCertificates.SECRET_TAG, "shop/a").containsEntry(ImportedCertificates.DIGEST_TAG, A1.digest())
        .containsEntry("team", "web");
    acm.calls.clear();
    assertThat(await(imports.sync(GW, Map.of("shop/a", A1))).arns()).containsExactly(Map.entry("shop/a", arn));
    assertThat(acm.calls).as("nothing changed: no call at all").isEmpty();

    assertThat(await(imports.sync(GW, Map.of("shop/a", A2))).arns()).containsExactly(Map.entry("shop/a", arn));
    assertThat(acm.mutatingCalls()).containsExactly("ImportCertificate " + arn, "AddTagsToCertificate " + arn);
    assertThat(acm.certs.get(arn).certificate()).isEqualTo("CERT a2");
    assertThat(acm.certs.get(arn).tags()).containsEntry(ImportedCertificates.DIGEST_TAG, A2.digest());
    assertThat(acm.certs).hasSize(1);
  }

  @Test
  void aRestartFindsItsImportsByTagsInsteadOfImportingAgain() {
    String arn = await(imports().sync(GW, Map.of("shop/a", A1))).arns().get("shop/a");
    acm.calls.clear();
    ImportedCertificates restarted = imports();
    assertThat(await(restarted.sync(GW, Map.of("shop/a", A1))).arns()).containsExactly(Map.entry("shop/a", arn));
    assertThat(acm.calls).containsExactly("ListCertificates", "ListTagsForCertificate " + arn);
    // and the listing is done once
    acm.calls.clear();
    await(restarted.sync(GW, Map.of("shop/a", A1)));
    assertThat(acm.calls).isEmpty();
  }

  @Test
  void theArnsOfEveryStacksImportsAreKnownForDiscoveryToLeaveAlone() {
    acm.certs.put("arn:user", new FakeAcm.Cert("C", "", "K", new java.util.HashMap<>(Map.of("team", "web"))));
    ImportedCertificates imports = imports();
    String a = await(imports.sync(GW, Map.of("shop/a", A1))).arns().get("shop/a");
    String b = await(imports.sync(OTHER, Map.of("shop/b", B1))).arns().get("shop/b");
    assertThat(await(imports.arns())).containsExactlyInAnyOrder(a, b);
    // a new leader lists them first
    ImportedCertificates restarted = imports();
    acm.calls.clear();
    assertThat(restarted.listedArns()).as("not listed yet, and no call to list").isEmpty();
    assertThat(acm.calls).isEmpty();
    assertThat(await(restarted.arns())).containsExactlyInAnyOrder(a, b);
    assertThat(restarted.listedArns()).containsExactlyInAnyOrder(a, b);
    await(restarted.release(GW, Set.of()));
    assertThat(await(restarted.arns())).containsExactly(b);
  }

  @Test
  void stacksImportTheirOwnCopiesAndReleaseOnlyTheirs() {
    ImportedCertificates imports = imports();
    String mine = await(imports.sync(GW, Map.of("shop/a", A1, "shop/b", B1))).arns().get("shop/a");
    String theirs = await(imports.sync(OTHER, Map.of("shop/a", A1))).arns().get("shop/a");
    assertThat(mine).isNotEqualTo(theirs);
    await(imports.release(GW, Set.of(mine)));
    assertThat(acm.certs).containsOnlyKeys(mine, theirs);
    await(imports.release(GW, Set.of()));
    assertThat(acm.certs).containsOnlyKeys(theirs);
  }

  @Test
  void deletingWaitsWhileACertificateIsStillInUseThenFails() {
    ImportedCertificates imports = imports();
    String arn = await(imports.sync(GW, Map.of("shop/a", A1))).arns().get("shop/a");
    acm.inUse.put(arn, 2);
    await(imports.release(GW, Set.of()));
    assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(acm.certs).isEmpty();

    String again = await(imports.sync(GW, Map.of("shop/a", A1))).arns().get("shop/a");
    acm.inUse.put(again, 5);
    Future<Void> f = imports.release(GW, Set.of());
    assertThat(f.failed()).isTrue();
    assertThat(f.cause().getMessage()).contains(again, "cannot be deleted yet", "in use");
    assertThat(acm.certs).containsOnlyKeys(again);
    // the next reconciliation tries again (still known)
    acm.inUse.clear();
    await(imports.release(GW, Set.of()));
    assertThat(acm.certs).isEmpty();
  }

  @Test
  void aFailedImportFailsOnlyItsSecret() {
    ImportedCertificates imports = imports();
    String a = await(imports.sync(GW, Map.of("shop/a", A1))).arns().get("shop/a");
    acm.certs.remove(a); // deleted behind our back: the re-import fails, the ARN is kept for the listener
    ImportedCertificates.Synced s = await(imports.sync(GW, Map.of("shop/a", A2, "shop/b", B1)));
    assertThat(s.failed()).containsOnlyKeys("shop/a");
    assertThat(s.arns()).containsKeys("shop/a", "shop/b");
  }
}
