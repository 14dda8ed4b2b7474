package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.Optional;

/** The WAF Classic (regional) operations the controller uses; IAM actions waf-regional:&lt;Operation&gt;. */
public interface WafRegionalPort {
  /** GetWebACLForResource: the ID of the web ACL associated with a resource, empty if none is. */
  Future<Optional<String>> webAclForResource(String resourceArn);

  /** AssociateWebACL: replaces the resource's current web ACL. */
  Future<Void> associateWebAcl(String resourceArn, String webAclId);

  /** DisassociateWebACL. */
  Future<Void> disassociateWebAcl(String resourceArn);
}
