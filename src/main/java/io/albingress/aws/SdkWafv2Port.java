package io.albingress.aws;

import io.albingress.deploy.Wafv2Port;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.wafv2.model.ListWebAcLsResponse;
import software.amazon.awssdk.services.wafv2.model.Scope;
import software.amazon.awssdk.services.wafv2.model.WebACLSummary;

/** {@link Wafv2Port} on the SDK's async client (shared Netty HTTP client; completes on the caller's context). */
public final class SdkWafv2Port implements Wafv2Port {
  /** ListWebACLs takes at most 100 a page. */
  static final int PAGE = 100;

  private final AwsClients aws;
  /** Built on the first call (most clusters never make one). */
  private final AwsClients.AddOnClients clients;

  public SdkWafv2Port(AwsClients aws) {
    this.aws = aws;
    this.clients = aws.addOns();
  }

  @Override
  public Future<Optional<String>> webAclForResource(String resourceArn) {
    return aws.call(() -> clients.wafv2().getWebACLForResource(b -> b.resourceArn(resourceArn)))
        .map(r -> Optional.ofNullable(r.webACL()).map(acl -> acl.arn()));
  }

  @Override
  public Future<Void> associateWebAcl(String resourceArn, String webAclArn) {
    return aws.call(() -> clients.wafv2().associateWebACL(b -> b.resourceArn(resourceArn).webACLArn(webAclArn))).mapEmpty();
  }

  @Override
  public Future<Void> disassociateWebAcl(String resourceArn) {
    return aws.call(() -> clients.wafv2().disassociateWebACL(b -> b.resourceArn(resourceArn))).mapEmpty();
  }

  @Override
  public Future<Map<String, String>> regionalWebAcls() {
    return Paging.<ListWebAcLsResponse, WebACLSummary>all(
        marker -> aws.call(() -> clients.wafv2().listWebACLs(b -> b.scope(Scope.REGIONAL).limit(PAGE).nextMarker(marker))),
        r -> r.webACLs(), r -> r.nextMarker()).map(SdkWafv2Port::byName);
  }

  static Map<String, String> byName(List<WebACLSummary> acls) {
    Map<String, String> out = new HashMap<>();
    acls.forEach(a -> out.putIfAbsent(a.name(), a.arn()));
    return out;
  }
}
