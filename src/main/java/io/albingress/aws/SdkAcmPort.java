package io.albingress.aws;

import io.albingress.deploy.AcmPort;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.acm.AcmAsyncClient;
import software.amazon.awssdk.services.acm.model.CertificateType;
import software.amazon.awssdk.services.acm.model.Filters;
import software.amazon.awssdk.services.acm.model.ImportCertificateRequest;
import software.amazon.awssdk.services.acm.model.KeyAlgorithm;
import software.amazon.awssdk.services.acm.model.ListCertificatesRequest;
import software.amazon.awssdk.services.acm.model.ResourceInUseException;
import software.amazon.awssdk.services.acm.model.ResourceNotFoundException;
import software.amazon.awssdk.services.acm.model.Tag;

/** {@link AcmPort} on the SDK's async ACM client (shared Netty HTTP client; completes on the caller's context). */
public final class SdkAcmPort implements AcmPort {
  private final AwsClients aws;
  private final AcmAsyncClient client;

  public SdkAcmPort(AwsClients aws) {
    this.aws = aws;
    this.client = aws.acm();
  }

  @Override
  public Future<List<String>> importedCertificates() {
    // every key type: ListCertificates returns only RSA_2048 certificates unless asked
    Filters keyTypes = Filters.builder().keyTypes(KeyAlgorithm.RSA_1024, KeyAlgorithm.RSA_2048, KeyAlgorithm.RSA_3072,
        KeyAlgorithm.RSA_4096, KeyAlgorithm.EC_PRIME256_V1, KeyAlgorithm.EC_SECP384_R1, KeyAlgorithm.EC_SECP521_R1).build();
    return Paging.all(
        token -> aws.call(() -> client.listCertificates(ListCertificatesRequest.builder().includes(keyTypes).nextToken(token).build())),
        r -> r.certificateSummaryList().stream()
            // a summary without a type (older emulators) is looked at too: its tags decide
            .filter(s -> s.type() == null || s.type() == CertificateType.IMPORTED || s.type() == CertificateType.UNKNOWN_TO_SDK_VERSION)
            .map(s -> s.certificateArn()).toList(),
        r -> r.nextToken());
  }

  @Override
  public Future<Optional<Map<String, String>>> tags(String arn) {
    return aws.call(() -> client.listTagsForCertificate(b -> b.certificateArn(arn)))
        .map(r -> Optional.of(r.tags().stream().collect(Collectors.toMap(Tag::key, t -> t.value() == null ? "" : t.value(), (a, b) -> b))))
        .recover(e -> cause(e) instanceof ResourceNotFoundException ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  @Override
  public Future<String> importCertificate(Optional<String> arn, String certificate, String chain, String privateKey, Map<String, String> tags) {
    ImportCertificateRequest.Builder b = ImportCertificateRequest.builder()
        .certificate(SdkBytes.fromString(certificate, StandardCharsets.UTF_8))
        .privateKey(SdkBytes.fromString(privateKey, StandardCharsets.UTF_8));
    if (!chain.isEmpty()) {
      b.certificateChain(SdkBytes.fromString(chain, StandardCharsets.UTF_8));
    }
    arn.ifPresent(b::certificateArn);
    if (arn.isEmpty() && !tags.isEmpty()) {
      b.tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
    }
    return aws.call(() -> client.importCertificate(b.build())).map(r -> r.certificateArn());
  }

  @Override
  public Future<Void> addTags(String arn, Map<String, String> tags) {
    return aws.call(() -> client.addTagsToCertificate(b -> b.certificateArn(arn)
        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()))).mapEmpty();
  }

  @Override
  public Future<Void> deleteCertificate(String arn) {
    return aws.call(() -> client.deleteCertificate(b -> b.certificateArn(arn))).<Void>mapEmpty().recover(e -> {
      Throwable c = cause(e);
      if (c instanceof ResourceNotFoundException) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(c instanceof ResourceInUseException ? new InUse(c.getMessage()) : e);
    });
  }

  private static Throwable cause(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
