package io.albingress.annotations;

import tools.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses the Ingress-level annotations (load balancer, listeners, routing) into an {@link IngressConfig}. */
public final class IngressAnnotations {
  public static final int DEFAULT_GROUP_ORDER = 0;
  /** The wafv2-acl-arn value that removes any web ACL association. */
  public static final String WAFV2_NONE = "none";
  static final int MAX_TAGS = 50;

  private IngressAnnotations() {}

  public static Parsed<IngressConfig> parse(Map<String, String> annotations) {
    AnnotationReader r = AnnotationReader.of(annotations);
    Optional<String> groupName = groupName(r);
    int groupOrder = r.integer("group.order", -1000, 1000).orElse(DEFAULT_GROUP_ORDER);
    Optional<String> lbName = loadBalancerName(r);
    Scheme scheme = r.choice("scheme", Scheme.class, Scheme.INTERNAL);
    IpAddressType ipType = r.choice("ip-address-type", IpAddressType.class, IpAddressType.IPV4);
    List<String> subnets = subnets(r);
    List<String> securityGroups = securityGroups(r);
    List<String> cidrs = inboundCidrs(r);
    Map<String, String> tags = tags(r);
    Map<String, String> lbAttributes = r.keyValues("load-balancer-attributes", IngressAnnotations::lbAttributeProblem);
    List<ListenPort> listenPorts = listenPorts(r);
    Optional<Integer> sslRedirect = sslRedirect(r, listenPorts);
    List<String> certificates = certificateArns(r);
    Optional<String> sslPolicy = sslPolicy(r);
    Optional<String> waf = wafAcl(r);
    Optional<Boolean> shield = r.bool("shield-advanced-protection");
    Optional<String> wafv2Name = wafv2AclName(r);
    Optional<String> wafClassic = wafClassicAclId(r);
    Map<String, Action> actions = new LinkedHashMap<>();
    Map<String, List<Condition>> conditions = new LinkedHashMap<>();
    Map<String, List<Transform>> transforms = new LinkedHashMap<>();
    for (String name : AnnotationCatalog.ourNames(annotations == null ? Map.of() : annotations)) {
      if (name.startsWith("actions.")) {
        RoutingJson.action(r, name).ifPresent(a -> actions.put(name.substring("actions.".length()), a));
      } else if (name.startsWith("conditions.")) {
        RoutingJson.conditions(r, name).ifPresent(c -> conditions.put(name.substring("conditions.".length()), c));
      } else if (name.startsWith("transforms.")) {
        RoutingJson.transforms(r, name).ifPresent(t -> transforms.put(name.substring("transforms.".length()), t));
      }
    }
    IngressConfig config = new IngressConfig(groupName, groupOrder, lbName, scheme, ipType, subnets, securityGroups,
        cidrs, tags, lbAttributes, listenPorts, sslRedirect, certificates, sslPolicy, waf, shield, wafv2Name, wafClassic,
        actions, conditions, transforms, r.bool("use-regex-path-match").orElse(false),
        ListenerAnnotations.mutualAuthentication(r),
        ListenerAnnotations.attributes(r, AnnotationCatalog.ourNames(annotations == null ? Map.of() : annotations)));
    return new Parsed<>(config, r.errors());
  }

  private static Optional<String> groupName(AnnotationReader r) {
    Optional<String> name = r.string("group.name");
    if (name.isPresent() && (name.get().length() > 63 || !Formats.GROUP_NAME.matcher(name.get()).matches())) {
      r.invalid("group.name", name.get(),
          "at most 63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
      return Optional.empty();
    }
    return name;
  }

  private static Optional<String> loadBalancerName(AnnotationReader r) {
    Optional<String> name = r.string("load-balancer-name");
    if (name.isEmpty()) {
      return name;
    }
    String n = name.get();
    String problem = null;
    if (n.length() > 32) {
      problem = "at most 32 characters (this one has " + n.length() + ")";
    } else if (!Formats.LB_NAME.matcher(n).matches()) {
      problem = "only letters, digits and '-', not starting or ending with '-'";
    } else if (n.startsWith("internal-")) {
      problem = "a name that does not start with \"internal-\" (AWS reserves that prefix)";
    }
    if (problem != null) {
      r.invalid("load-balancer-name", n, problem);
      return Optional.empty();
    }
    return name;
  }

  private static List<String> subnets(AnnotationReader r) {
    List<String> subnets = r.list("subnets");
    List<String> distinct = subnets.stream().distinct().toList();
    if (distinct.size() != subnets.size()) {
      Set<String> seen = new HashSet<>();
      List<String> repeated = subnets.stream().filter(s -> !seen.add(s)).distinct().toList();
      r.error("subnets", "lists the same subnet more than once: " + FieldError.abbreviate(String.join(", ", repeated)));
    }
    if (r.has("subnets") && distinct.size() < 2) {
      r.error("subnets", "lists " + distinct.size() + " subnet(s); an ALB needs subnets in at least 2 Availability Zones");
    }
    return distinct;
  }

  private static List<String> securityGroups(AnnotationReader r) {
    List<String> groups = r.list("security-groups");
    for (String g : groups) {
      if (g.startsWith("sg-") && !Formats.SECURITY_GROUP_ID.matcher(g).matches()) {
        r.invalid("security-groups", g, "a security group ID (sg- and 8 or 17 hex digits) or a group name");
      } else if (g.length() > 255) {
        r.invalid("security-groups", g, "a security group name of at most 255 characters");
      }
    }
    return groups;
  }

  private static List<String> inboundCidrs(AnnotationReader r) {
    List<String> valid = new ArrayList<>();
    for (String cidr : r.list("inbound-cidrs")) {
      Formats.cidrProblem(cidr).ifPresentOrElse(p -> r.invalid("inbound-cidrs", cidr, p), () -> valid.add(cidr));
    }
    return valid;
  }

  static Map<String, String> tags(AnnotationReader r) {
    Map<String, String> tags = r.keyValues("tags", e -> Formats.tagProblem(e.getKey(), e.getValue()));
    if (tags.size() > MAX_TAGS) {
      r.error("tags", "has " + tags.size() + " tags; AWS allows at most " + MAX_TAGS + " per resource");
    }
    return tags;
  }

  static Optional<String> lbAttributeProblem(Map.Entry<String, String> e) {
    if (!Formats.LOAD_BALANCER_ATTRIBUTES.contains(e.getKey())) {
      return Optional.of("a known ALB attribute (" + FieldError.abbreviate(e.getKey())
          + " is not one; see the ALB attributes in the AWS documentation)");
    }
    return valueProblem(e, Map.of("idle_timeout.timeout_seconds", new int[] {1, 4000}, "client_keep_alive.seconds", new int[] {60, 604800}));
  }

  /** `.enabled` keys take booleans; keys in {@code ranges} take integers in range. */
  static Optional<String> valueProblem(Map.Entry<String, String> e, Map<String, int[]> ranges) {
    String key = e.getKey();
    String value = e.getValue();
    if (key.endsWith(".enabled") && !value.equals("true") && !value.equals("false")) {
      return Optional.of(key + "=true or " + key + "=false");
    }
    int[] range = ranges.get(key);
    if (range != null && AnnotationReader.parseInt(value).filter(i -> i >= range[0] && i <= range[1]).isEmpty()) {
      return Optional.of(key + " to be an integer from " + range[0] + " to " + range[1]);
    }
    return Optional.empty();
  }

  private static List<ListenPort> listenPorts(AnnotationReader r) {
    String expected = "a JSON list of single-key objects such as [{\"HTTP\": 80}, {\"HTTPS\": 443}]";
    Optional<JsonNode> json = r.json("listen-ports", expected);
    if (json.isEmpty()) {
      return List.of();
    }
    if (!json.get().isArray() || json.get().isEmpty()) {
      r.invalid("listen-ports", json.get().toString(), expected);
      return List.of();
    }
    List<ListenPort> ports = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (JsonNode entry : json.get()) {
      if (!entry.isObject() || entry.size() != 1) {
        r.invalid("listen-ports", entry.toString(), expected);
        continue;
      }
      String protocol = entry.propertyNames().iterator().next();
      JsonNode port = entry.get(protocol);
      boolean protocolOk = protocol.equals("HTTP") || protocol.equals("HTTPS");
      boolean portOk = port.canConvertToInt() && port.isIntegralNumber() && port.asInt() >= 1 && port.asInt() <= 65535;
      if (!protocolOk) {
        r.invalid("listen-ports", entry.toString(), "protocol HTTP or HTTPS (an ALB listens on nothing else)");
      } else if (!portOk) {
        r.invalid("listen-ports", entry.toString(), "a port number from 1 to 65535");
      } else if (!seen.add(port.asInt())) {
        r.error("listen-ports", "lists port " + port.asInt() + " more than once");
      } else {
        ports.add(new ListenPort(Protocol.valueOf(protocol), port.asInt()));
      }
    }
    return ports;
  }

  /**
   * The HTTPS listener may come from another member of the IngressGroup (the validator checks the
   * whole group); here only a port this Ingress itself makes an HTTP listener is refused.
   */
  private static Optional<Integer> sslRedirect(AnnotationReader r, List<ListenPort> listenPorts) {
    Optional<Integer> port = r.integer("ssl-redirect", 1, 65535);
    if (port.isPresent() && listenPorts.contains(new ListenPort(Protocol.HTTP, port.get()))) {
      r.invalid("ssl-redirect", String.valueOf(port.get()), "an HTTPS port, but listen-ports makes " + port.get()
          + " an HTTP listener, which would redirect to itself");
    }
    return port;
  }

  private static List<String> certificateArns(AnnotationReader r) {
    List<String> arns = r.list("certificate-arn");
    for (String arn : arns) {
      if (!Formats.isCertificateArn(arn)) {
        r.invalid("certificate-arn", arn,
            "an ACM certificate ARN (arn:aws:acm:<region>:<12-digit account>:certificate/<id>) or an IAM server certificate ARN");
      }
    }
    return arns.stream().filter(Formats::isCertificateArn).distinct().toList();
  }

  private static Optional<String> sslPolicy(AnnotationReader r) {
    Optional<String> policy = r.string("ssl-policy");
    if (policy.isPresent() && !Formats.SSL_POLICIES.contains(policy.get())) {
      String hint = policy.get().length() > 100 ? "" : Formats.SSL_POLICIES.stream().sorted()
          .min(java.util.Comparator.comparingInt(p -> AnnotationCatalog.editDistance(p, policy.get())))
          .map(p -> " such as " + p).orElse("");
      r.invalid("ssl-policy", policy.get(), "a predefined ELB security policy name" + hint);
      return Optional.empty();
    }
    return policy;
  }

  /** "none" removes a web ACL association, as in the reference controller (an absent annotation leaves it alone). */
  private static Optional<String> wafAcl(AnnotationReader r) {
    Optional<String> arn = r.string("wafv2-acl-arn");
    if (arn.isPresent() && !arn.get().equals(WAFV2_NONE) && !Formats.WAFV2_ARN.matcher(arn.get()).matches()) {
      r.invalid("wafv2-acl-arn", arn.get(), "a WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>),"
          + " or none to remove the association");
      return Optional.empty();
    }
    return arn;
  }

  /** Resolved to the web ACL's ARN at deploy time (regional scope); "none" removes the association. */
  private static Optional<String> wafv2AclName(AnnotationReader r) {
    Optional<String> name = r.string("wafv2-acl-name");
    if (name.isPresent() && !Formats.WAFV2_NAME.matcher(name.get()).matches()) {
      r.invalid("wafv2-acl-name", name.get(), "a WAFv2 web ACL name (1 to 128 letters, digits, '_' and '-'), or none to remove the association");
      return Optional.empty();
    }
    return name;
  }

  /** WAF Classic (regional) web ACL ID; the reference also reads the deprecated web-acl-id when waf-acl-id is absent. */
  private static Optional<String> wafClassicAclId(AnnotationReader r) {
    String key = r.has("waf-acl-id") ? "waf-acl-id" : "web-acl-id";
    Optional<String> id = r.string(key);
    if (id.isPresent() && !Formats.WAF_CLASSIC_ID.matcher(id.get()).matches()) {
      r.invalid(key, id.get(), "a WAF Classic web ACL ID (such as 499e8b99-6671-4614-a86d-adb1810b7fbe), or none to remove the association");
      return Optional.empty();
    }
    return id;
  }
}
