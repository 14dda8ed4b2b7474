package io.albingress.stack;

import io.albingress.annotations.Action;
import io.albingress.model.IngressRoutes;
import java.util.List;
import java.util.Map;

/** What the controller's event mapping shares with the builder: which Services a route uses. */
public final class StackBuilderSupport {
  private StackBuilderSupport() {}

  public static List<String> servicesOf(IngressRoutes.Route route, Map<String, Action> actions) {
    return TargetGroups.servicesOf(route, actions);
  }
}
