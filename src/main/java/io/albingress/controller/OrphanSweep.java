package io.albingress.controller;

import io.albingress.model.StackId;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The periodic orphan sweep (issue 17, defect 4): stacks that own load balancers or target groups
 * tagged for this cluster but have no Ingress (nor finalizer) any more, e.g. a create that landed
 * after its stack was deleted, or during a leadership change. Each is reconciled as an empty stack,
 * which deletes what it owns. Pure.
 */
public final class OrphanSweep {
  private OrphanSweep() {}

  /**
   * @param owning the stack keys found on our resources in AWS ({@link StackId#keyOf}: a Gateway's is gateway:ns/name)
   * @param known the stacks the informer caches know
   * @param watchNamespace with --watch-namespace the caches see one namespace only: only that
   *     namespace's Ingress stacks can be judged (groups, which may span namespaces, are left alone)
   */
  public static Set<StackId> orphans(Set<String> owning, Set<StackId> known, java.util.Optional<String> watchNamespace) {
    Set<String> knownTags = known.stream().map(StackId::key).collect(Collectors.toSet()); // Ingress stacks: the tag value
    return owning.stream().filter(tag -> !tag.isBlank() && !knownTags.contains(tag)).map(StackId::parse)
        .filter(id -> watchNamespace.isEmpty() || !id.explicitGroup() && id.namespace().equals(watchNamespace.get()))
        .collect(Collectors.toSet());
  }
}
