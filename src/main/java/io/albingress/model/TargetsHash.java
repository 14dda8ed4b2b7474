package io.albingress.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

/**
 * The value of the {@link Tags#TARGETS_HASH} tag: a hash of a target group's
 * registered targets (id and port, sorted). The tag is present only while it is true: it is removed
 * before any RegisterTargets or DeregisterTargets and written again once the target group has been
 * quiet for a while, so after a restart a target group whose tag equals the hash of its desired
 * targets needs no DescribeTargetHealth. Pure.
 */
public final class TargetsHash {
  /** The hash of no targets: what a target group carries from its creation. */
  public static final String EMPTY = of(java.util.List.of());

  private TargetsHash() {}

  public static String of(Collection<Target> targets) {
    StringBuilder text = new StringBuilder();
    targets.stream().map(t -> t.id() + ":" + t.port()).sorted().forEach(s -> text.append(s).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return targets.size() + "-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
