package io.albingress.stack;

import io.albingress.annotations.Scheme;
import io.albingress.model.StackId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** AWS names in the reference controller's pattern: k8s-<ns8>-<name8>-<hash10>, at most 32 characters. */
public final class Names {
  private Names() {}

  public static String loadBalancer(String cluster, StackId stack, Scheme scheme) {
    String hash = hash(cluster, stack.key(), scheme.wireName());
    if (stack.explicitGroup()) {
      return "k8s-" + clip(alnum(stack.name()), 17) + "-" + hash;
    }
    return "k8s-" + clip(alnum(stack.namespace()), 8) + "-" + clip(alnum(stack.name()), 8) + "-" + hash;
  }

  /** Everything immutable about a target group goes into the hash, so changing it yields a new name. */
  public static String targetGroup(String cluster, StackId stack, String namespace, String service, String identity) {
    return "k8s-" + clip(alnum(namespace), 8) + "-" + clip(alnum(service), 8) + "-" + hash(cluster, stack.key(), namespace, service, identity);
  }

  /** The first 10 hex digits of sha256 over the parts, as the reference controller computes it. */
  public static String hash(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(p.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String alnum(String s) {
    return s.replaceAll("[^A-Za-z0-9]", "");
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
