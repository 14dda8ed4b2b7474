package io.albingress.annotations;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Syntax rules for AWS identifiers and values, shared by every parser. */
public final class Formats {
  public static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9a-f]{8}([0-9a-f]{9})?");
  public static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[0-9a-f]{8}([0-9a-f]{9})?");
  public static final Pattern ACM_ARN =
      Pattern.compile("arn:aws(-cn|-us-gov|-iso[a-z]*)?:acm:([a-z]{2}(-[a-z]+)+-\\d):(\\d{12}):certificate/[0-9a-fA-F-]{1,128}");
  public static final Pattern IAM_CERT_ARN =
      Pattern.compile("arn:aws(-cn|-us-gov|-iso[a-z]*)?:iam::(\\d{12}):server-certificate/[\\w+=,.@/-]{1,128}");
  public static final Pattern WAFV2_ARN =
      Pattern.compile("arn:aws(-cn|-us-gov|-iso[a-z]*)?:wafv2:[a-z0-9-]+:\\d{12}:(regional|global)/webacl/[\\w-]+/[0-9a-f-]+");
  /** WAFv2 Name: 1-128 of [\w-] (API reference, WebACL.Name). */
  public static final Pattern WAFV2_NAME = Pattern.compile("[\\w-]{1,128}");
  /** WAF Classic ResourceId: 1-128 characters; IDs are UUIDs, "none" removes. */
  public static final Pattern WAF_CLASSIC_ID = Pattern.compile("[0-9A-Za-z-]{1,128}");
  public static final Pattern GROUP_NAME = Pattern.compile("^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$");
  public static final Pattern LB_NAME = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$");
  public static final Pattern PORT_NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
  public static final Pattern TAG_CHARS = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$");
  public static final Pattern HTTP_CODES = Pattern.compile("^\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*$");
  public static final Pattern GRPC_CODES = Pattern.compile("^\\d{1,2}(-\\d{1,2})?(,\\d{1,2}(-\\d{1,2})?)*$");

  public static final Set<String> SSL_POLICIES = Set.of(
      "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-2015-05", "ELBSecurityPolicy-TLS-1-0-2015-04",
      "ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-TLS-1-2-2017-01",
      "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-2018-06",
      "ELBSecurityPolicy-FS-1-1-2019-08", "ELBSecurityPolicy-FS-1-2-2019-08",
      "ELBSecurityPolicy-FS-1-2-Res-2019-08", "ELBSecurityPolicy-FS-1-2-Res-2020-10",
      "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
      "ELBSecurityPolicy-TLS13-1-1-2021-06", "ELBSecurityPolicy-TLS13-1-0-2021-06",
      "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
      "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
      "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
      "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
      "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09");

  public static final Set<String> LOAD_BALANCER_ATTRIBUTES = Set.of(
      "access_logs.s3.enabled", "access_logs.s3.bucket", "access_logs.s3.prefix",
      "connection_logs.s3.enabled", "connection_logs.s3.bucket", "connection_logs.s3.prefix",
      "health_check_logs.s3.enabled", "health_check_logs.s3.bucket", "health_check_logs.s3.prefix",
      "idle_timeout.timeout_seconds", "client_keep_alive.seconds", "deletion_protection.enabled",
      "routing.http2.enabled", "routing.http.drop_invalid_header_fields.enabled",
      "routing.http.preserve_host_header.enabled", "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
      "routing.http.xff_client_port.enabled", "routing.http.xff_header_processing.mode",
      "routing.http.desync_mitigation_mode", "waf.fail_open.enabled", "zonal_shift.config.enabled");

  public static final Set<String> TARGET_GROUP_ATTRIBUTES = Set.of(
      "deregistration_delay.timeout_seconds", "stickiness.enabled", "stickiness.type",
      "stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.cookie_name",
      "stickiness.app_cookie.duration_seconds", "load_balancing.algorithm.type",
      "load_balancing.algorithm.anomaly_mitigation", "slow_start.duration_seconds",
      "load_balancing.cross_zone.enabled",
      "target_group_health.dns_failover.minimum_healthy_targets.count",
      "target_group_health.dns_failover.minimum_healthy_targets.percentage",
      "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
      "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage");

  private Formats() {}

  public static boolean isCertificateArn(String s) {
    return acmRegionOrNull(s) != null || IAM_CERT_ARN.matcher(s).matches();
  }

  /** Region of an ACM ARN, empty for IAM server certificates (which are global). */
  public static Optional<String> acmRegion(String arn) {
    return Optional.ofNullable(acmRegionOrNull(arn));
  }

  /**
   * {@link #ACM_ARN} matched by hand (admission reads each certificate ARN several times per review; the
   * regex engine took a few per cent of a review's CPU): the region, or null when the ARN does not match.
   * FormatsTest checks it against the pattern.
   */
  static String acmRegionOrNull(String s) {
    if (s == null || !s.startsWith("arn:aws")) {
      return null;
    }
    int i = 7;
    if (s.startsWith("-cn", i)) {
      i += 3;
    } else if (s.startsWith("-us-gov", i)) {
      i += 7;
    } else if (s.startsWith("-iso", i)) {
      i += 4;
      while (i < s.length() && isLower(s.charAt(i))) {
        i++;
      }
    }
    if (!s.startsWith(":acm:", i)) {
      return null;
    }
    i += 5;
    int regionEnd = s.indexOf(':', i);
    if (regionEnd < 0 || !isRegion(s, i, regionEnd)) {
      return null;
    }
    int account = regionEnd + 1;
    if (account + 12 > s.length()) {
      return null;
    }
    for (int k = account; k < account + 12; k++) {
      if (!isDigit(s.charAt(k))) {
        return null;
      }
    }
    int rest = account + 12;
    if (!s.startsWith(":certificate/", rest)) {
      return null;
    }
    int id = rest + 13;
    int idLength = s.length() - id;
    if (idLength < 1 || idLength > 128) {
      return null;
    }
    for (int k = id; k < s.length(); k++) {
      char c = s.charAt(k);
      if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-')) {
        return null;
      }
    }
    return s.substring(i, regionEnd);
  }

  /** [a-z]{2}(-[a-z]+)+-\d over s[from, to). */
  private static boolean isRegion(String s, int from, int to) {
    int n = to - from;
    // two letters, at least one "-x", then "-d"
    if (n < 6 || !isLower(s.charAt(from)) || !isLower(s.charAt(from + 1)) || s.charAt(to - 2) != '-' || !isDigit(s.charAt(to - 1))) {
      return false;
    }
    boolean afterDash = false;
    for (int k = from + 2; k < to - 2; k++) {
      char c = s.charAt(k);
      if (c == '-') {
        if (afterDash) {
          return false; // an empty segment
        }
        afterDash = true;
      } else if (isLower(c) && (afterDash || k > from + 2)) {
        afterDash = false;
      } else {
        return false;
      }
    }
    return s.charAt(from + 2) == '-' && !afterDash;
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A problem with an AWS tag, or empty when it is valid. */
  public static Optional<String> tagProblem(String key, String value) {
    if (key.isEmpty() || key.length() > 128) {
      return Optional.of("a tag key of 1 to 128 characters");
    }
    if (key.toLowerCase().startsWith("aws:")) {
      return Optional.of("a tag key that does not start with \"aws:\" (reserved by AWS)");
    }
    if (value.length() > 256) {
      return Optional.of("a tag value of at most 256 characters");
    }
    if (!TAG_CHARS.matcher(key).matches() || !TAG_CHARS.matcher(value).matches()) {
      return Optional.of("tag keys and values made of letters, digits, spaces and _ . : / = + - @");
    }
    return Optional.empty();
  }

  /**
   * A problem with a CIDR block, naming the likely intended block, or empty when it is valid.
   * Host bits beyond the prefix are the usual mistake: "10.0.0.1/24". Addresses are parsed as
   * literals only (never looked up in DNS), as strictly as the reference controller's Go parser:
   * four decimal octets without leading zeros, or an IPv6 address without a zone.
   */
  public static Optional<String> cidrProblem(String cidr) {
    String example = "a CIDR block such as 10.0.0.0/16 or 2001:db8::/32";
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? cidr : cidr.substring(0, slash);
    Optional<byte[]> parsed = address.indexOf(':') >= 0 ? ipv6(address) : ipv4(address);
    if (parsed.isEmpty()) {
      return Optional.of(example);
    }
    byte[] bytes = parsed.get();
    int bits = bytes.length * 8;
    String hostSuffix = "/" + bits;
    if (slash < 0) {
      return Optional.of("a CIDR block with a prefix length; did you mean " + address + hostSuffix + "?");
    }
    String prefixText = cidr.substring(slash + 1);
    Optional<Integer> prefix = prefixText.matches("\\d{1,3}")
        ? Optional.of(Integer.parseInt(prefixText)).filter(p -> p <= bits) : Optional.empty();
    if (prefix.isEmpty()) {
      return Optional.of("a prefix length from 0 to " + bits);
    }
    BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    BigInteger mask = all.shiftRight(bits - prefix.get()).shiftLeft(bits - prefix.get());
    BigInteger value = new BigInteger(1, bytes);
    BigInteger network = value.and(mask);
    if (!network.equals(value)) {
      return Optional.of("no address bits outside the /" + prefix.get() + " prefix; did you mean "
          + address + hostSuffix + " (this host) or " + toAddress(network, bytes.length) + "/" + prefix.get() + " (its network)?");
    }
    return Optional.empty();
  }

  private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern HEXTET = Pattern.compile("[0-9a-fA-F]{1,4}");

  private static Optional<byte[]> ipv4(String s) {
    if (!IPV4.matcher(s).matches()) {
      return Optional.empty();
    }
    String[] parts = s.split("\\.");
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      out[i] = (byte) Integer.parseInt(parts[i]);
    }
    return Optional.of(out);
  }

  /** RFC 4291 text forms: eight hextets, one "::", and an optional dotted IPv4 tail. */
  private static Optional<byte[]> ipv6(String s) {
    if (s.length() > 45 || s.contains(":::")) {
      return Optional.empty();
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return Optional.empty();
    }
    String head = gap < 0 ? s : s.substring(0, gap);
    String tail = gap < 0 ? "" : s.substring(gap + 2);
    java.util.ArrayList<Integer> front = new java.util.ArrayList<>();
    java.util.ArrayList<Integer> back = new java.util.ArrayList<>();
    if (!hextets(head, front, gap < 0) || !hextets(tail, back, true)) {
      return Optional.empty();
    }
    int count = front.size() + back.size();
    if (gap < 0 ? count != 8 : count > 7) {
      return Optional.empty();
    }
    byte[] out = new byte[16];
    for (int i = 0; i < front.size(); i++) {
      out[2 * i] = (byte) (front.get(i) >> 8);
      out[2 * i + 1] = (byte) (int) front.get(i);
    }
    for (int i = 0; i < back.size(); i++) {
      int at = 8 - back.size() + i;
      out[2 * at] = (byte) (back.get(i) >> 8);
      out[2 * at + 1] = (byte) (int) back.get(i);
    }
    return Optional.of(out);
  }

  /** Colon-separated hextets into {@code out}; the last one may be a dotted IPv4 address when {@code last}. */
  private static boolean hextets(String part, List<Integer> out, boolean last) {
    if (part.isEmpty()) {
      return true;
    }
    String[] pieces = part.split(":", -1);
    for (int i = 0; i < pieces.length; i++) {
      String p = pieces[i];
      if (last && i == pieces.length - 1 && p.indexOf('.') >= 0) {
        Optional<byte[]> v4 = ipv4(p);
        if (v4.isEmpty()) {
          return false;
        }
        byte[] b = v4.get();
        out.add((b[0] & 0xff) << 8 | (b[1] & 0xff));
        out.add((b[2] & 0xff) << 8 | (b[3] & 0xff));
      } else if (HEXTET.matcher(p).matches()) {
        out.add(Integer.parseInt(p, 16));
      } else {
        return false;
      }
    }
    return true;
  }

  /** Dotted IPv4, or IPv6 in RFC 5952 form (lowercase, the longest run of zero hextets as "::"). */
  private static String toAddress(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] b = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, b, length - copy, copy);
    if (length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] h = new int[8];
    for (int i = 0; i < 8; i++) {
      h[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && h[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(h[i]));
    }
    return out.toString();
  }

  /** Problems with a success-codes value, for HTTP (200-499) or gRPC (0-99) health checks. */
  public static Optional<String> successCodesProblem(String codes, boolean grpc) {
    int min = grpc ? 0 : 200;
    int max = grpc ? 99 : 499;
    String expected = grpc
        ? "gRPC codes from 0 to 99 as a single code, a list (0,12) or a range (0-99)"
        : "HTTP codes from 200 to 499 as a single code, a list (200,202) or a range (200-299)";
    if (!(grpc ? GRPC_CODES : HTTP_CODES).matcher(codes).matches()) {
      return Optional.of(expected);
    }
    for (String part : codes.split(",")) {
      List<Integer> bounds = java.util.Arrays.stream(part.split("-")).map(Integer::parseInt).toList();
      if (bounds.stream().anyMatch(c -> c < min || c > max) || (bounds.size() == 2 && bounds.get(0) > bounds.get(1))) {
        return Optional.of(expected);
      }
    }
    return Optional.empty();
  }
}
