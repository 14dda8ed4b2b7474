package io.albingress.aws;

import io.albingress.deploy.WafRegionalPort;
import io.vertx.core.Future;
import java.util.Optional;
import software.amazon.awssdk.services.waf.regional.WafRegionalAsyncClient;

/** {@link WafRegionalPort} on the SDK's async client (shared Netty HTTP client; completes on the caller's context). */
public final class SdkWafRegionalPort implements WafRegionalPort {
  private final AwsClients aws;
  /** Built on the first call (most clusters never make one). */
  private final AwsClients.AddOnClients clients;

  public SdkWafRegionalPort(AwsClients aws) {
    this.aws = aws;
    this.clients = aws.addOns();
  }

  @Override
  public Future<Optional<String>> webAclForResource(String resourceArn) {
    return aws.call(() -> client().getWebACLForResource(b -> b.resourceArn(resourceArn)))
        .map(r -> Optional.ofNullable(r.webACLSummary()).map(s -> s.webACLId()));
  }

  @Override
  public Future<Void> associateWebAcl(String resourceArn, String webAclId) {
    return aws.call(() -> client().associateWebACL(b -> b.resourceArn(resourceArn).webACLId(webAclId))).mapEmpty();
  }

  @Override
  public Future<Void> disassociateWebAcl(String resourceArn) {
    return aws.call(() -> client().disassociateWebACL(b -> b.resourceArn(resourceArn))).mapEmpty();
  }

  private WafRegionalAsyncClient client() {
    return clients.wafRegional();
  }
}
