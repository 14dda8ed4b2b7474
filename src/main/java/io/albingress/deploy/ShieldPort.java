package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.Optional;

/** The Shield Advanced operations the controller uses; IAM actions shield:&lt;Operation&gt;. */
public interface ShieldPort {
  /** A protection as Shield names it. */
  record Protection(String id, String name) {}

  /** DescribeProtection by resource ARN: empty when the resource has no protection. */
  Future<Optional<Protection>> protectionForResource(String resourceArn);

  /** CreateProtection: answers the new protection's ID. */
  Future<String> createProtection(String resourceArn, String name);

  /** DeleteProtection. */
  Future<Void> deleteProtection(String protectionId);
}
