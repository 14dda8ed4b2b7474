package io.albingress.deploy;

import io.albingress.model.Ref;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Resolves any {@link Ref} of a stack (load balancer, listener, target group) to the ARN it has in
 * AWS. Immutable: each step of a deployment adds the ARNs it produced and passes the result on.
 */
public record Refs(Map<String, String> arns) {
  public static final Refs NONE = new Refs(Map.of());

  public Refs {
    arns = Map.copyOf(arns);
  }

  /** Adds the ARNs of every resource that exists after the given changes. */
  public Refs with(List<Change> changes) {
    Map<String, String> all = new HashMap<>(arns);
    changes.stream().filter(c -> c.op() != Change.Op.DELETED && !c.arn().isEmpty())
        .forEach(c -> all.put(Ref.to(c.kind(), c.id()).ref(), c.arn()));
    return new Refs(all);
  }

  public Refs with(Ref ref, String arn) {
    Map<String, String> all = new HashMap<>(arns);
    all.put(ref.ref(), arn);
    return new Refs(all);
  }

  /** The key under which a target group named in a forward action is resolved (not a resource of the stack). */
  public static Ref targetGroupNamed(String name) {
    return Ref.to("TargetGroupName", name);
  }

  public Optional<String> find(Ref ref) {
    return Optional.ofNullable(arns.get(ref.ref()));
  }

  /** The ARN of a resource an earlier step created or found; a missing one is a bug in the step order. */
  public String arn(Ref ref) {
    return find(ref).orElseThrow(() -> new IllegalStateException("no ARN yet for " + ref.ref()));
  }

  /** A stable view for hashing: sorted by reference. */
  public Map<String, String> sorted() {
    return new TreeMap<>(arns);
  }
}
