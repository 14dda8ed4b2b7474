package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ACM operations certificate imports use; IAM actions acm:&lt;Operation&gt;. */
public interface AcmPort {
  /** DeleteCertificate refused because a listener still uses the certificate (ResourceInUseException). */
  final class InUse extends RuntimeException {
    public InUse(String message) {
      super(message, null, false, false);
    }
  }

  /** ListCertificates (every key type): the ARNs of the imported certificates. */
  Future<List<String>> importedCertificates();

  /** ListTagsForCertificate; empty when the certificate is gone. */
  Future<Optional<Map<String, String>>> tags(String arn);

  /**
   * ImportCertificate: a new certificate with {@code tags} when {@code arn} is empty, else a re-import into that ARN
   * (ACM takes no tags then). Answers the ARN.
   */
  Future<String> importCertificate(Optional<String> arn, String certificate, String chain, String privateKey, Map<String, String> tags);

  /** AddTagsToCertificate. */
  Future<Void> addTags(String arn, Map<String, String> tags);

  /** DeleteCertificate; fails with {@link InUse} while in use; a certificate already gone counts as deleted. */
  Future<Void> deleteCertificate(String arn);
}
