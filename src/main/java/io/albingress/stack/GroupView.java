package io.albingress.stack;

import io.albingress.model.IngressGroup;
import io.albingress.validation.ClusterView;
import io.albingress.model.ParsedIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.albingress.model.ParsedIngress;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.albingress.model.ParsedIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.List;
import java.util.Optional;

/** The cluster as a member sees it while the group is built: Services, and the members accepted before it. */
final class GroupView implements ClusterView {
  private final IngressGroup group;
  private final List<StackBuilder.Member> accepted;

  GroupView(IngressGroup group, List<StackBuilder.Member> accepted) {
    this.group = group;
    this.accepted = accepted;
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return group.service(namespace, name);
  }

  @Override
  public Optional<IngressClass> ingressClass(String name) {
    return Optional.empty();
  }

  @Override
  public List<Ingress> groupMembers(String groupName) {
    return accepted.stream().map(StackBuilder.Member::ingress).toList();
  }

  /** The accepted members as the builder parsed them: group checks parse nothing again. */
  @Override
  public List<ParsedIngress> parsedGroupMembers(String groupName) {
    return accepted.stream().map(StackBuilder.Member::parsed).toList();
  }
}
