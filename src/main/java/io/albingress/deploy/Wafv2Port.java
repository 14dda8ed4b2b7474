package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;

/** The WAFv2 operations the controller uses; each method names its API operation (IAM action wafv2:&lt;Operation&gt;). */
public interface Wafv2Port {
  /** GetWebACLForResource: the ARN of the web ACL associated with a resource, empty if none is. */
  Future<Optional<String>> webAclForResource(String resourceArn);

  /** AssociateWebACL: a resource has at most one web ACL; this replaces the current one. */
  Future<Void> associateWebAcl(String resourceArn, String webAclArn);

  /** DisassociateWebACL. */
  Future<Void> disassociateWebAcl(String resourceArn);

  /** ListWebACLs in the REGIONAL scope, every page: web ACL name to ARN. */
  Future<Map<String, String>> regionalWebAcls();
}
