package io.albingress.deploy;

import io.vertx.core.Future;
import java.util.Map;

/**
 * Listener attributes (listener-attributes.&lt;Protocol&gt;-&lt;Port&gt;): described only when the model sets
 * some, and only the keys whose value differs modified; attributes the model does not set are left
 * as they are, as for load balancer and target group attributes.
 */
final class ListenerAttributeSynth {
  static final String KIND = "ListenerAttributes";

  private final Elbv2 elb;

  ListenerAttributeSynth(Elbv2 elb) {
    this.elb = elb;
  }

  /** The desired attributes whose value differs from the current one. Pure. */
  static Map<String, String> drift(Map<String, String> desired, Map<String, String> current) {
    return TagSynth.changed(desired, current);
  }

  /** @param created the listener was created in this run: it has AWS's defaults, so set the desired ones without describing */
  Future<Change> sync(String listenerId, String listenerArn, Map<String, String> desired, boolean created) {
    if (desired.isEmpty()) {
      return Future.succeededFuture(Change.unchanged(KIND, listenerId, listenerArn));
    }
    Future<Map<String, String>> changed = created ? Future.succeededFuture(desired)
        : elb.listenerAttributes(listenerArn).map(current -> drift(desired, current));
    return changed.compose(c -> c.isEmpty() ? Future.succeededFuture(Change.unchanged(KIND, listenerId, listenerArn))
        : elb.modifyListenerAttributes(listenerArn, c).map(v -> Change.modified(KIND, listenerId, listenerArn)));
  }
}
