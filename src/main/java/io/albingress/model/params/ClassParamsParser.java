package io.albingress.model.params;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.annotations.FieldError;
import io.albingress.annotations.Formats;
import io.albingress.annotations.IngressAnnotations;
import io.albingress.annotations.Parsed;
import io.albingress.annotations.SpecReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code spec} of an IngressClassParams (its JSON map) into {@link ClassParams}, with every problem
 * as a {@link FieldError} on the spec path ({@code spec.scheme}). Fields that become annotations are also
 * checked by the annotation parser, so one rule (CIDR, certificate ARN, SSL policy...) lives in one place;
 * a field whose annotation this controller does not apply yet is an error, never silently dropped.
 */
public final class ClassParamsParser extends SpecReader {
  static final Set<String> SCHEMES = Set.of("internal", "internet-facing");
  static final Set<String> IP_ADDRESS_TYPES = Set.of("ipv4", "dualstack", "dualstack-without-public-ipv4");
  static final Set<String> TARGET_TYPES = Set.of("instance", "ip");
  static final Set<String> KNOWN_FIELDS = Set.of("loadBalancerName", "certificateArn", "namespaceSelector", "group", "scheme",
      "inboundCIDRs", "sslPolicy", "sslRedirectPort", "subnets", "ipAddressType", "tags", "targetType",
      "loadBalancerAttributes", "listeners", "minimumLoadBalancerCapacity", "ipamConfiguration", "PrefixListsIDs",
      "prefixListsIDs", "wafv2AclArn", "wafv2AclName");


  private ClassParamsParser() {}

  /** @param spec the object's {@code spec}; null is an empty spec */
  public static Parsed<ClassParams> parse(String name, Map<String, Object> spec) {
    return new ClassParamsParser().read(name, spec == null ? Map.of() : spec);
  }

  private Parsed<ClassParams> read(String name, Map<String, Object> spec) {
    spec.keySet().stream().filter(k -> !KNOWN_FIELDS.contains(k)).sorted()
        .forEach(k -> error("spec." + k, "is not a field of elbv2.k8s.aws/v1beta1 IngressClassParams"));
    Optional<NamespaceSelector> selector = map(spec, "namespaceSelector", "spec.namespaceSelector").map(this::selector);
    Optional<String> group = map(spec, "group", "spec.group").flatMap(g -> {
      Optional<String> n = string(g, "name", "spec.group.name");
      if (n.isEmpty()) {
        error("spec.group.name", "is required when spec.group is set");
      } else if (n.get().length() > 63 || !Formats.GROUP_NAME.matcher(n.get()).matches()) {
        error("spec.group.name", "\"" + FieldError.abbreviate(n.get()) + "\" is not valid: expected at most 63 lower-case"
            + " letters, digits, '-' and '.', starting and ending with a letter or digit");
      }
      return n;
    });
    Optional<String> scheme = choice(spec, "scheme", SCHEMES);
    Optional<String> ipType = choice(spec, "ipAddressType", IP_ADDRESS_TYPES);
    Optional<String> targetType = choice(spec, "targetType", TARGET_TYPES);
    List<String> subnetIds = List.of();
    Map<String, List<String>> subnetTags = Map.of();
    Optional<Map<String, Object>> subnets = map(spec, "subnets", "spec.subnets");
    if (subnets.isPresent()) {
      subnetIds = strings(subnets.get(), "ids", "spec.subnets.ids");
      subnetTags = subnetTags(subnets.get());
      if (subnetIds.isEmpty() == subnetTags.isEmpty()) {
        error("spec.subnets", "give exactly one of ids and tags" + (subnetIds.isEmpty() ? " (both are empty)" : " (both are set)"));
      }
    }
    List<String> prefixLists = strings(spec, "prefixListsIDs", "spec.prefixListsIDs");
    if (prefixLists.isEmpty()) {
      prefixLists = strings(spec, "PrefixListsIDs", "spec.PrefixListsIDs");
    }
    Optional<Integer> capacity = map(spec, "minimumLoadBalancerCapacity", "spec.minimumLoadBalancerCapacity").flatMap(m -> integer(m, "capacityUnits",
        "spec.minimumLoadBalancerCapacity.capacityUnits"));
    Optional<String> ipam = map(spec, "ipamConfiguration", "spec.ipamConfiguration").flatMap(m -> string(m, "ipv4IPAMPoolId",
        "spec.ipamConfiguration.ipv4IPAMPoolId"));
    ClassParams params = new ClassParams(name, selector, group,
        string(spec, "loadBalancerName", "spec.loadBalancerName"), scheme, ipType, subnetIds, subnetTags,
        strings(spec, "certificateArn", "spec.certificateArn"), string(spec, "sslPolicy", "spec.sslPolicy"),
        string(spec, "sslRedirectPort", "spec.sslRedirectPort"), strings(spec, "inboundCIDRs", "spec.inboundCIDRs"),
        keyValues(spec, "tags"), targetType, keyValues(spec, "loadBalancerAttributes"), listeners(spec), prefixLists,
        string(spec, "wafv2AclArn", "spec.wafv2AclArn"), string(spec, "wafv2AclName", "spec.wafv2AclName"), capacity, ipam);
    checkAsAnnotations(params);
    return new Parsed<>(params, errors);
  }

  /** The fields that become annotations go through the annotation parser; its errors are named by spec path. */
  private void checkAsAnnotations(ClassParams params) {
    Map<String, String> rendered = ClassParamsOverlay.annotations(params);
    Map<String, String> asAnnotations = new LinkedHashMap<>();
    rendered.forEach((k, v) -> asAnnotations.put(AnnotationCatalog.key(k), v));
    for (String annotation : rendered.keySet()) {
      AnnotationCatalog.Support support = AnnotationCatalog.support(annotation).orElse(AnnotationCatalog.Support.APPLIED);
      if (support != AnnotationCatalog.Support.APPLIED) {
        error(ClassParamsOverlay.specPath(annotation), "is not applied by this controller yet (it would be the annotation "
            + AnnotationCatalog.key(annotation) + "); remove it, or keep this class on a controller that applies it");
      }
    }
    for (FieldError e : IngressAnnotations.parse(asAnnotations).errors()) {
      String annotation = e.field().startsWith(AnnotationCatalog.PREFIX) ? e.field().substring(AnnotationCatalog.PREFIX.length()) : e.field();
      errors.add(new FieldError(ClassParamsOverlay.specPath(annotation), e.message()));
    }
  }

  private NamespaceSelector selector(Map<String, Object> s) {
    Map<String, String> labels = new LinkedHashMap<>();
    map(s, "matchLabels", "spec.namespaceSelector.matchLabels").ifPresent(m -> m.forEach((k, v) -> {
      if (v instanceof String str) {
        labels.put(k, str);
      } else {
        error("spec.namespaceSelector.matchLabels." + k, "must be a string");
      }
    }));
    List<NamespaceSelector.Requirement> requirements = new ArrayList<>();
    List<Object> exprs = list(s, "matchExpressions", "spec.namespaceSelector.matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      String field = "spec.namespaceSelector.matchExpressions[" + i + "]";
      if (!(exprs.get(i) instanceof Map<?, ?> raw)) {
        error(field, "must be an object with key, operator and values");
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) raw;
      Optional<String> key = string(e, "key", field + ".key");
      Optional<String> op = string(e, "operator", field + ".operator");
      List<String> values = strings(e, "values", field + ".values");
      if (key.isEmpty()) {
        error(field + ".key", "is required");
        continue;
      }
      NamespaceSelector.Operator operator;
      try {
        operator = NamespaceSelector.Operator.valueOf(op.orElse(""));
      } catch (IllegalArgumentException x) {
        error(field + ".operator", "\"" + FieldError.abbreviate(op.orElse("")) + "\" is not valid: expected In, NotIn, Exists or DoesNotExist");
        continue;
      }
      boolean needsValues = operator == NamespaceSelector.Operator.In || operator == NamespaceSelector.Operator.NotIn;
      if (needsValues && values.isEmpty()) {
        error(field + ".values", "must not be empty for operator " + operator);
      } else if (!needsValues && !values.isEmpty()) {
        error(field + ".values", "must be empty for operator " + operator);
      }
      requirements.add(new NamespaceSelector.Requirement(key.get(), operator, values));
    }
    return new NamespaceSelector(labels, requirements);
  }

  private Map<String, List<String>> subnetTags(Map<String, Object> subnets) {
    Map<String, List<String>> tags = new LinkedHashMap<>();
    map(subnets, "tags", "spec.subnets.tags").ifPresent(m -> m.keySet().forEach(k -> tags.put(k, strings(m, k, "spec.subnets.tags." + k))));
    return tags;
  }

  /** tags and loadBalancerAttributes: lists of {key, value}; a key given twice is an error. */
  private Map<String, String> keyValues(Map<String, Object> spec, String field) {
    return keyValues(list(spec, field, "spec." + field), "spec." + field);
  }

  private List<ClassParams.ListenerParams> listeners(Map<String, Object> spec) {
    List<ClassParams.ListenerParams> result = new ArrayList<>();
    List<Object> items = list(spec, "listeners", "spec.listeners");
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String field = "spec.listeners[" + i + "]";
      if (!(items.get(i) instanceof Map<?, ?> raw)) {
        error(field, "must be an object with protocol, port and listenerAttributes");
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> l = (Map<String, Object>) raw;
      Optional<String> protocol = string(l, "protocol", field + ".protocol");
      Optional<Integer> port = integer(l, "port", field + ".port");
      if (protocol.isEmpty() || !Set.of("HTTP", "HTTPS").contains(protocol.get())) {
        error(field + ".protocol", "\"" + FieldError.abbreviate(protocol.orElse("")) + "\" is not valid: expected HTTP or HTTPS");
        continue;
      }
      if (port.isEmpty() || port.get() < 1 || port.get() > 65535) {
        error(field + ".port", "\"" + port.map(String::valueOf).orElse("") + "\" is not valid: expected a port from 1 to 65535");
        continue;
      }
      if (!seen.add(protocol.get() + "-" + port.get())) {
        error(field, protocol.get() + ":" + port.get() + " is listed twice");
        continue;
      }
      result.add(new ClassParams.ListenerParams(protocol.get(), port.get(),
          keyValues(list(l, "listenerAttributes", field + ".listenerAttributes"), field + ".listenerAttributes")));
    }
    return result;
  }

  private Optional<String> choice(Map<String, Object> spec, String field, Set<String> allowed) {
    Optional<String> v = string(spec, field, "spec." + field);
    if (v.isPresent() && !allowed.contains(v.get())) {
      error("spec." + field, "\"" + FieldError.abbreviate(v.get()) + "\" is not valid: expected one of " + new java.util.TreeSet<>(allowed));
      return Optional.empty();
    }
    return v;
  }
}
