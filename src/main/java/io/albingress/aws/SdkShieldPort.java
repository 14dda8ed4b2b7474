package io.albingress.aws;

import io.albingress.deploy.ShieldPort;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.shield.model.ResourceNotFoundException;

/** {@link ShieldPort} on the SDK's async client (shared Netty HTTP client; completes on the caller's context). */
public final class SdkShieldPort implements ShieldPort {
  private final AwsClients aws;
  /** Built on the first call (most clusters never make one). */
  private final AwsClients.AddOnClients clients;

  public SdkShieldPort(AwsClients aws) {
    this.aws = aws;
    this.clients = aws.addOns();
  }

  @Override
  public Future<Optional<Protection>> protectionForResource(String resourceArn) {
    return aws.call(() -> clients.shield().describeProtection(b -> b.resourceArn(resourceArn)))
        .map(r -> Optional.ofNullable(r.protection()).map(p -> new Protection(p.id(), p.name())))
        .recover(e -> notFound(e) ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  @Override
  public Future<String> createProtection(String resourceArn, String name) {
    return aws.call(() -> clients.shield().createProtection(b -> b.resourceArn(resourceArn).name(name))).map(r -> r.protectionId());
  }

  @Override
  public Future<Void> deleteProtection(String protectionId) {
    return aws.call(() -> clients.shield().deleteProtection(b -> b.protectionId(protectionId))).mapEmpty();
  }

  private static boolean notFound(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof ResourceNotFoundException;
  }
}
