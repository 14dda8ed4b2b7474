package io.albingress.webhook;

import io.albingress.validation.AwsFacts;
import io.vertx.core.Future;

/** AWS facts for validation; implementations answer within their deadline and never fail. */
@FunctionalInterface
public interface AwsFactsSource {
  Future<AwsFacts> lookup(AwsFacts.Needs needs);

  static AwsFactsSource unavailable(String reason) {
    return needs -> Future.succeededFuture(AwsFacts.unknown(reason));
  }
}
