package io.albingress.validation;

import static io.albingress.annotations.AnnotationCatalog.key;

import io.albingress.annotations.Action;
import io.albingress.annotations.FieldError;
import io.albingress.annotations.IngressConfig;
import io.albingress.annotations.ListenPort;
import io.albingress.annotations.Protocol;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.StackId;
import io.albingress.model.IngressRoutes;
import io.albingress.model.ListenPorts;
import io.albingress.model.ParsedIngress;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Settings members of an IngressGroup must agree on, and the quotas of their shared ALB. */
final class GroupChecks {
  static final int MAX_RULES_PER_LOAD_BALANCER = 100;
  static final int WARN_RULES_PER_LOAD_BALANCER = 80;
  static final int MAX_TARGET_GROUPS_PER_LOAD_BALANCER = 100;
  static final int MAX_CERTIFICATES_PER_LOAD_BALANCER = 25;
  static final int MAX_LISTENERS_PER_LOAD_BALANCER = 50;

  /**
   * Group-wide settings, compared only where both members set the annotation (as the reference
   * controller does). ssl-policy and inbound-cidrs belong to listeners and are compared per shared port.
   */
  private static final Map<String, Function<IngressConfig, Object>> SHARED = Map.of(
      "scheme", IngressConfig::scheme,
      "ip-address-type", IngressConfig::ipAddressType,
      "subnets", c -> new TreeSet<>(c.subnets()),
      "security-groups", c -> new TreeSet<>(c.securityGroups()),
      "load-balancer-name", IngressConfig::loadBalancerName,
      "ssl-redirect", IngressConfig::sslRedirectPort,
      "wafv2-acl-arn", IngressConfig::wafv2AclArn,
      "shield-advanced-protection", IngressConfig::shieldAdvancedProtection,
      "wafv2-acl-name", IngressConfig::wafv2AclName,
      "waf-acl-id", IngressConfig::wafAclId);

  /** {@code targetGroups}: the Service ports its paths and forward actions reach, as ns/name:port. */
  private record Member(Ingress ingress, IngressConfig config, List<ListenPort> ports, int rules, Set<String> targetGroups) {}

  private final Ingress ingress;
  private final IngressConfig config;
  private final List<IngressRoutes.Route> routes;
  private final ClusterView cluster;
  private final IngressClassMatcher classes;
  private final Findings findings;

  GroupChecks(ParsedIngress parsed, ClusterView cluster, IngressClassMatcher classes, Findings findings) {
    this.ingress = parsed.ingress();
    this.config = parsed.config();
    this.routes = parsed.routes();
    this.cluster = cluster;
    this.classes = classes;
    this.findings = findings;
  }

  void run() {
    Member self = member(ingress, config, routes);
    List<Member> others = new ArrayList<>();
    String group = config.groupName().orElse(null);
    if (group != null) {
      for (ParsedIngress parsed : cluster.parsedGroupMembers(group)) {
        Ingress other = parsed.ingress();
        if (!sameObject(other) && classes.isOurs(other) && other.getMetadata().getDeletionTimestamp() == null) {
          others.add(member(other, parsed.config(), parsed.routes()));
        }
      }
    }
    for (Member other : others) {
      conflicts(group, self, other);
    }
    crossNamespaceHosts(group, others);
    sslRedirectTarget(group, self, others);
    quota(group, self, others);
    loadBalancerNameOfAnotherStack();
  }

  /**
   * A member from another namespace that routes a host the group already routes: its rules mix with the other
   * namespace's on one ALB. Only a warning, as the reference allows it; IngressClassParams with {@code group} and a
   * namespaceSelector are the way to keep other namespaces out (checked in {@link ParamsChecks}).
   */
  private void crossNamespaceHosts(String group, List<Member> others) {
    if (group == null || others.isEmpty() || classes.params(ingress).params().flatMap(p -> p.group()).isPresent()) {
      return;
    }
    String namespace = ingress.getMetadata().getNamespace();
    Set<String> hosts = new TreeSet<>(IngressRoutes.hosts(ingress));
    for (Member other : others) {
      if (namespace.equals(other.ingress().getMetadata().getNamespace())) {
        continue;
      }
      List<String> shared = IngressRoutes.hosts(other.ingress()).stream().filter(hosts::contains).distinct().sorted().toList();
      if (!shared.isEmpty()) {
        findings.warn(key("group.name") + ": group \"" + group + "\" already routes " + String.join(", ", shared) + " for Ingress "
            + IngressValidator.nameOf(other.ingress()) + " of namespace " + other.ingress().getMetadata().getNamespace()
            + "; this Ingress's rules for that host share its ALB and listener from another namespace. To keep other"
            + " namespaces out of a group, fix it in an IngressClassParams (spec.group) with a namespaceSelector");
      }
    }
  }

  /** ALB names are unique per account and region: two stacks asking for one name would fight over one ALB. */
  private void loadBalancerNameOfAnotherStack() {
    if (config.loadBalancerName().isEmpty()) {
      return;
    }
    String name = config.loadBalancerName().get();
    StackId mine = IngressGroup.stackOf(ingress);
    cluster.withLoadBalancerName(name).stream()
        .filter(o -> !sameObject(o) && classes.isOurs(o) && o.getMetadata().getDeletionTimestamp() == null)
        .filter(o -> !IngressGroup.stackOf(o).equals(mine))
        .findFirst()
        .ifPresent(o -> findings.deny(key("load-balancer-name") + ": \"" + name + "\" is already asked for by Ingress "
            + IngressValidator.nameOf(o) + " of stack " + IngressGroup.stackOf(o) + "; ALB names are unique per account and region,"
            + " so choose another name, or join that Ingress's group with " + key("group.name")));
  }

  /** The reference controller needs an HTTPS listener on the ssl-redirect port somewhere in the group. */
  private void sslRedirectTarget(String group, Member self, List<Member> others) {
    if (config.sslRedirectPort().isEmpty()) {
      return;
    }
    int port = config.sslRedirectPort().get();
    if (self.ports().contains(new ListenPort(Protocol.HTTP, port))) {
      return; // refused by the annotation parser already
    }
    ListenPort https = new ListenPort(Protocol.HTTPS, port);
    if (self.ports().contains(https) || others.stream().anyMatch(o -> o.ports().contains(https))) {
      return;
    }
    String listeners = "this Ingress listens on " + IngressValidator.portsText(self.ports());
    String where = group == null ? listeners : "no member of group \"" + group + "\" has one (" + listeners + ")";
    boolean defaults = !config.hasExplicitListenPorts();
    findings.deny(key("ssl-redirect") + ": redirects HTTP to port " + port + ", which needs an HTTPS listener, but "
        + (group == null ? listeners : where) + "; add {\"HTTPS\": " + port + "} to " + key("listen-ports")
        + (defaults && port == 443 ? ", or set " + key("certificate-arn") + " so that the default listener is HTTPS:443" : ""));
  }

  private void conflicts(String group, Member self, Member other) {
    Map<String, String> mine = IngressValidator.annotations(ingress);
    Map<String, String> theirs = IngressValidator.annotations(other.ingress());
    String where = " on Ingress " + IngressValidator.nameOf(other.ingress()) + " of group \"" + group + "\"";
    String agree = "; members of a group share one ALB and must agree";
    SHARED.keySet().stream().sorted().forEach(name -> {
      if (mine.containsKey(key(name)) && theirs.containsKey(key(name))
          && !Objects.equals(SHARED.get(name).apply(self.config()), SHARED.get(name).apply(other.config()))) {
        findings.deny(key(name) + ": " + quoted(mine.get(key(name))) + " conflicts with " + quoted(theirs.get(key(name))) + where + agree);
      }
    });
    perKey("tags", "tag", self.config().tags(), other.config().tags(), where + agree);
    perKey("load-balancer-attributes", "attribute", self.config().loadBalancerAttributes(),
        other.config().loadBalancerAttributes(), where + agree);
    for (ListenPort p : self.ports()) {
      other.ports().stream().filter(o -> o.port() == p.port() && o.protocol() != p.protocol()).findFirst()
          .ifPresent(o -> findings.deny(key("listen-ports") + ": port " + p.port() + " is " + p.protocol() + " here but "
              + o.protocol() + where + "; a port has one listener with one protocol"));
    }
    listenerSettings(self, other, where);
    defaultBackends(self, other, group);
  }

  /** As in the reference, a listener takes the default action of at most one member's spec.defaultBackend. */
  private void defaultBackends(Member self, Member other, String group) {
    if (!hasDefaultBackend(self.ingress()) || !hasDefaultBackend(other.ingress())) {
      return;
    }
    self.ports().stream().filter(p -> other.ports().contains(p)).findFirst().ifPresent(p ->
        findings.deny("spec.defaultBackend: Ingress " + IngressValidator.nameOf(other.ingress()) + " of group \"" + group
            + "\" already sets the default backend of listener " + p + "; a listener has one default action, so remove"
            + " spec.defaultBackend here or there (a path / with pathType Prefix routes everything else too)"));
  }

  private static boolean hasDefaultBackend(Ingress ingress) {
    return ingress.getSpec() != null && ingress.getSpec().getDefaultBackend() != null;
  }

  /** ssl-policy and inbound-cidrs configure a listener: members sharing that listener must agree. */
  private void listenerSettings(Member self, Member other, String where) {
    List<ListenPort> shared = self.ports().stream().filter(p -> other.ports().contains(p)).toList();
    boolean sharedHttps = shared.stream().anyMatch(p -> p.protocol() == Protocol.HTTPS);
    if (sharedHttps && self.config().sslPolicy().isPresent() && other.config().sslPolicy().isPresent()
        && !self.config().sslPolicy().equals(other.config().sslPolicy())) {
      findings.deny(key("ssl-policy") + ": " + quoted(self.config().sslPolicy().get()) + " conflicts with "
          + quoted(other.config().sslPolicy().get()) + where + ", which shares HTTPS listener "
          + shared.stream().filter(p -> p.protocol() == Protocol.HTTPS).findFirst().orElseThrow() + "; a listener has one policy");
    }
    for (ListenPort p : shared) {
      if (p.protocol() == Protocol.HTTPS) {
        var mine = self.config().mutualAuthentication().get(p.port());
        var theirs = other.config().mutualAuthentication().get(p.port());
        if (mine != null && theirs != null && !mine.equals(theirs)) {
          findings.deny(key("mutual-authentication") + ": port " + p.port() + " is " + ListenerChecks.describe(mine) + " here but "
              + ListenerChecks.describe(theirs) + where + ", which shares HTTPS listener " + p + "; a listener has one mutual TLS setting");
        }
      }
      perKey(ListenerChecks.attributesKey(p), "listener attribute", self.config().listenerAttributes().getOrDefault(p, Map.of()),
          other.config().listenerAttributes().getOrDefault(p, Map.of()), where + ", which shares listener " + p
              + "; a listener has one value of each attribute");
    }
    Set<String> myCidrs = new TreeSet<>(self.config().inboundCidrs());
    Set<String> theirCidrs = new TreeSet<>(other.config().inboundCidrs());
    if (!shared.isEmpty() && !myCidrs.isEmpty() && !theirCidrs.isEmpty() && !myCidrs.equals(theirCidrs)) {
      findings.deny(key("inbound-cidrs") + ": " + myCidrs + " conflicts with " + theirCidrs + where + ", which shares listener "
          + shared.get(0) + "; a listener admits one set of CIDRs");
    }
  }

  private void perKey(String name, String what, Map<String, String> mine, Map<String, String> theirs, String suffix) {
    new TreeSet<>(mine.keySet()).forEach(k -> {
      if (theirs.containsKey(k) && !theirs.get(k).equals(mine.get(k))) {
        findings.deny(key(name) + ": " + what + " " + quoted(k) + " is " + quoted(mine.get(k)) + " here but "
            + quoted(theirs.get(k)) + suffix);
      }
    });
  }

  private static String quoted(String value) {
    return "\"" + FieldError.abbreviate(value.trim()) + "\"";
  }

  /**
   * ELBv2 quotas of one load balancer (Elastic Load Balancing quotas page): 100 rules and 100 target
   * groups per ALB, 25 certificates not counting the default one, 50 listeners. A change that would
   * pass one is denied here rather than failing in AWS after admission.
   */
  private void quota(String group, Member self, List<Member> others) {
    List<Member> all = new ArrayList<>(others);
    all.add(self);
    String scope = group == null ? "the load balancer of this Ingress" : "the load balancer of group \"" + group + "\"";
    boolean sslRedirect = all.stream().anyMatch(m -> m.config().sslRedirectPort().isPresent());
    int rules = all.stream().mapToInt(m -> m.rules() * (int) m.ports().stream()
        .filter(p -> !(sslRedirect && p.protocol() == Protocol.HTTP)).count()).sum();
    if (rules > MAX_RULES_PER_LOAD_BALANCER) {
      findings.deny("spec.rules: " + scope + " would have " + rules + " rules (each path is a rule on each listener of its Ingress);"
          + " an ALB allows at most " + MAX_RULES_PER_LOAD_BALANCER + ", not counting default rules (split the group or merge paths)");
    } else if (rules > WARN_RULES_PER_LOAD_BALANCER) {
      findings.warn(scope + " has " + rules + " rules, close to the ALB limit of " + MAX_RULES_PER_LOAD_BALANCER);
    }
    Set<String> targetGroups = new TreeSet<>();
    all.forEach(m -> targetGroups.addAll(m.targetGroups()));
    if (targetGroups.size() > MAX_TARGET_GROUPS_PER_LOAD_BALANCER) {
      findings.deny("spec.rules: " + scope + " would have " + targetGroups.size() + " target groups (one per Service port);"
          + " an ALB allows at most " + MAX_TARGET_GROUPS_PER_LOAD_BALANCER + " (split the group)");
    }
    Set<String> certificates = new TreeSet<>();
    all.forEach(m -> certificates.addAll(m.config().certificateArns()));
    if (certificates.size() - 1 > MAX_CERTIFICATES_PER_LOAD_BALANCER) {
      findings.deny(key("certificate-arn") + ": " + scope + " would have " + certificates.size() + " certificates; an ALB allows"
          + " the default one and at most " + MAX_CERTIFICATES_PER_LOAD_BALANCER + " more (use certificates covering several hosts,"
          + " or split the group)");
    }
    Set<Integer> ports = new TreeSet<>();
    all.forEach(m -> m.ports().forEach(p -> ports.add(p.port())));
    if (ports.size() > MAX_LISTENERS_PER_LOAD_BALANCER) {
      findings.deny(key("listen-ports") + ": " + scope + " would have " + ports.size() + " listeners; an ALB allows at most "
          + MAX_LISTENERS_PER_LOAD_BALANCER);
    }
  }

  private static Member member(Ingress ingress, IngressConfig config, List<IngressRoutes.Route> routes) {
    List<ListenPort> ports = ListenPorts.effective(config, IngressValidator.wantsTls(ingress, config));
    int rules = (int) routes.stream().filter(r -> !r.isDefaultBackend()).count();
    String ns = ingress.getMetadata().getNamespace();
    Set<String> targetGroups = new TreeSet<>();
    for (IngressRoutes.Route r : routes) {
      var svc = r.backend() == null ? null : r.backend().getService();
      if (svc == null || svc.getPort() == null) {
        continue;
      }
      if (BackendChecks.USE_ANNOTATION.equals(svc.getPort().getName())) {
        if (config.actions().get(svc.getName()) instanceof Action.Forward f) {
          f.targets().stream().filter(t -> t.serviceName().isPresent())
              .forEach(t -> targetGroups.add(ns + "/" + t.serviceName().get() + ":" + t.servicePort().orElse("")));
        }
      } else {
        targetGroups.add(ns + "/" + svc.getName() + ":" + (svc.getPort().getNumber() != null ? svc.getPort().getNumber() : svc.getPort().getName()));
      }
    }
    return new Member(ingress, config, ports, rules, targetGroups);
  }

  private boolean sameObject(Ingress other) {
    return Objects.equals(other.getMetadata().getNamespace(), ingress.getMetadata().getNamespace())
        && Objects.equals(other.getMetadata().getName(), ingress.getMetadata().getName());
  }
}
