package io.albingress.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The value of the {@link Tags#TARGETS_HASH} tag on a stack's load balancer: one hash over every
 * target group of the stack, each by ARN with the {@link TargetsHash} of its registered targets. Like
 * the target groups' own tag it is present only while true (removed before any target of the stack
 * changes, written when all of them are quiet), and the load balancer's tags are read at start-up
 * anyway: a restart learns every target group's targets from it without DescribeTags on the target
 * groups nor DescribeTargetHealth. Pure.
 */
public final class StackTargets {
  private StackTargets() {}

  /** @param hashByArn each target group's ARN and the {@link TargetsHash} of its targets */
  public static String of(Map<String, String> hashByArn) {
    StringBuilder text = new StringBuilder();
    hashByArn.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).sorted().forEach(s -> text.append(s).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return hashByArn.size() + "-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The target groups the load balancer's tag vouches for, by ARN with their targets hash: when every
   * desired target group was found by name and the tag equals the hash of the found ARNs with the
   * hashes of their desired targets; else empty (the caller lists the target groups with their tags).
   *
   * @param desiredHashByName each desired target group's name and the hash of its desired targets
   * @param arnByName target groups found by name (anyone's: the tag, which names the ARNs, proves ownership)
   */
  public static Optional<Map<String, String>> vouched(Map<String, String> desiredHashByName, Map<String, String> arnByName,
      Optional<String> loadBalancerTag) {
    if (loadBalancerTag.isEmpty() || desiredHashByName.isEmpty() || !arnByName.keySet().containsAll(desiredHashByName.keySet())) {
      return Optional.empty();
    }
    Map<String, String> byArn = new java.util.HashMap<>();
    desiredHashByName.forEach((name, hash) -> byArn.put(arnByName.get(name), hash));
    return loadBalancerTag.get().equals(of(byArn)) ? Optional.of(Map.copyOf(byArn)) : Optional.empty();
  }
}
