package io.albingress.deploy;

import io.albingress.model.Permission;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The EC2 operations security groups need, one method each, paginated and batched inside. */
public interface Ec2SecurityGroups {

  /** A security group with its ingress rules, one peer per rule. */
  record Group(String id, String name, String vpcId, Map<String, String> tags, List<RuleDiff.Rule> ingress) {}

  /** An EC2 error with its code, for implementations that do not throw the SDK's exceptions. */
  final class Ec2Error extends RuntimeException {
    private final String code;

    public Ec2Error(String code, String message) {
      super(code + ": " + message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** Groups in the VPC carrying every one of these tags. */
  Future<List<Group>> byTags(String vpcId, Map<String, String> tags);

  /** Groups by ID; an ID that does not exist is left out of the answer. */
  Future<List<Group>> byIds(Collection<String> ids);

  /** Groups in the VPC whose `Name` tag is one of these names. */
  Future<List<Group>> byNameTags(String vpcId, Collection<String> names);

  /** Groups in the VPC whose group name (the CreateSecurityGroup name) is one of these. */
  Future<List<Group>> byGroupNames(String vpcId, Collection<String> names);

  /** Groups in the VPC with an ingress rule whose peer is this group. */
  Future<List<Group>> admitting(String vpcId, String sourceGroupId);

  /** @return the new group's ID */
  Future<String> create(String vpcId, String name, String description, Map<String, String> tags);

  /** Deleting a group that is already gone succeeds. */
  Future<Void> delete(String groupId);

  Future<Void> authorizeIngress(String groupId, Collection<Permission> permissions, String description);

  /** Revokes rules as described (EC2 ignores the description when matching; some emulators do not). */
  Future<Void> revokeIngress(String groupId, Collection<RuleDiff.Rule> rules);

  /** Adds or overwrites tags; never removes any. */
  Future<Void> tag(String groupId, Map<String, String> tags);

  /** Instance ID to the security groups of its primary network interface; unknown instances are left out. */
  Future<Map<String, List<String>>> instanceGroups(Collection<String> instanceIds);

  /** Private IP to the security groups of the network interface holding it in the VPC. */
  Future<Map<String, List<String>>> interfaceGroupsByIp(String vpcId, Collection<String> privateIps);

  /** The EC2 error code of a failure, from the SDK or from {@link Ec2Error}. */
  static Optional<String> errorCode(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof Ec2Error err) {
      return Optional.of(err.code());
    }
    if (cause instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      return Optional.ofNullable(a.awsErrorDetails().errorCode());
    }
    return Optional.empty();
  }
}
