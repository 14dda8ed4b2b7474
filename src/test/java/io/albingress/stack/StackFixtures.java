package io.albingress.stack;

import io.albingress.model.Certificate;
import io.albingress.model.ClusterFacts;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.Known;
import io.albingress.model.Stack;
import io.albingress.model.Subnet;
import io.albingress.plan.Manifests;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster the golden tests build in: cluster "prod" in us-west-2 with tagged subnets in three AZs
 * (public, private, one subnet of another cluster, one whose role tag is "0"), ACM certificates, and
 * the Services of namespace shop.
 */
final class StackFixtures {
  static final String CLUSTER = "prod";
  static final String REGION = "us-west-2";
  static final String VPC = "vpc-0123456789abcdef0";
  static final String ALB = "alb.ingress.kubernetes.io/";

  static final String PUBLIC_A = "subnet-0a1a1a1a1a1a1a1a1";
  static final String PUBLIC_B = "subnet-0b1b1b1b1b1b1b1b1";
  static final String PUBLIC_B_UNTAGGED = "subnet-0b0b0b0b0b0b0b0b0";
  static final String PUBLIC_C = "subnet-0c1c1c1c1c1c1c1c1";
  static final String PRIVATE_A = "subnet-0a2a2a2a2a2a2a2a2";
  static final String PRIVATE_B = "subnet-0b2b2b2b2b2b2b2b2";
  static final String PRIVATE_C = "subnet-0c2c2c2c2c2c2c2c2";
  /** Lowest ID in us-west-2a, but tagged for the cluster "staging". */
  static final String OTHER_CLUSTER_A = "subnet-000000000000000a1";
  /** Lower ID than PUBLIC_A, but its role tag says "0". */
  static final String ROLE_ZERO_A = "subnet-0a0a0a0a0a0a0a0a0";

  static final List<Subnet> SUBNETS = List.of(
      subnet(PUBLIC_A, "us-west-2a", "public-a", Map.of(Subnet.ROLE_ELB, "1")),
      // two public subnets in 2b: the one tagged for our cluster wins over the lower ID
      subnet(PUBLIC_B_UNTAGGED, "us-west-2b", "public-b0", Map.of(Subnet.ROLE_ELB, "1")),
      subnet(PUBLIC_B, "us-west-2b", "public-b", Map.of(Subnet.ROLE_ELB, "1", Subnet.CLUSTER_TAG_PREFIX + CLUSTER, "shared")),
      subnet(PUBLIC_C, "us-west-2c", "public-c", Map.of(Subnet.ROLE_ELB, "")),
      subnet(PRIVATE_A, "us-west-2a", "private-a", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")),
      subnet(PRIVATE_B, "us-west-2b", "private-b", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")),
      subnet(PRIVATE_C, "us-west-2c", "private-c", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")),
      subnet(OTHER_CLUSTER_A, "us-west-2a", "staging-a", Map.of(Subnet.ROLE_ELB, "1", Subnet.CLUSTER_TAG_PREFIX + "staging", "owned")),
      subnet(ROLE_ZERO_A, "us-west-2a", "not-for-elb", Map.of(Subnet.ROLE_ELB, "0")));

  static final String CERT_WILDCARD = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000a";
  static final String CERT_SHOP = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000b";
  static final String CERT_PENDING = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000c";
  static final String CERT_EXTRA = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000d";

  static final List<Certificate> CERTIFICATES = List.of(
      new Certificate(CERT_WILDCARD, Certificate.ISSUED, List.of("*.example.com")),
      new Certificate(CERT_SHOP, Certificate.ISSUED, List.of("shop.example.com")),
      new Certificate(CERT_PENDING, "PENDING_VALIDATION", List.of("shop.example.org")),
      new Certificate(CERT_EXTRA, Certificate.ISSUED, List.of("extra.example.net")));

  static final ClusterFacts FACTS = new ClusterFacts(CLUSTER, REGION, VPC, Known.of(SUBNETS), Known.of(CERTIFICATES), Map.of());

  static final String SERVICES = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        type: NodePort
        ports:
          - {name: http, port: 80, targetPort: 8080, nodePort: 30080}
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: api
        namespace: shop
        annotations: {alb.ingress.kubernetes.io/healthcheck-path: /healthz}
      spec:
        type: NodePort
        ports:
          - {name: http, port: 8080, targetPort: 8081, nodePort: 30081}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: search, namespace: shop}
      spec:
        ports:
          - {name: http, port: 80, targetPort: 9200}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: cart, namespace: shop}
      spec:
        ports:
          - {name: http, port: 80, targetPort: http}
      """;

  /** The base case's spec: one host, path / to web:80. */
  static final String BASE_SPEC = """
      rules:
        - host: shop.example.com
          http:
            paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      """;

  private StackFixtures() {}

  static Subnet subnet(String id, String az, String name, Map<String, String> tags) {
    Map<String, String> all = new LinkedHashMap<>(tags);
    all.put("Name", name);
    return new Subnet(id, az, VPC, all);
  }

  /** Annotation name/value pairs, names without the alb.ingress.kubernetes.io/ prefix. */
  static Map<String, String> a(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static String ingress(String name, Map<String, String> annotations, String spec) {
    return ingress("shop", name, annotations, spec);
  }

  static String ingress(String namespace, String name, Map<String, String> annotations, String spec) {
    StringBuilder y = new StringBuilder("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name
        + "\n  namespace: " + namespace + "\n");
    if (!annotations.isEmpty()) {
      y.append("  annotations:\n");
      annotations.forEach((k, v) -> y.append("    ").append(ALB).append(k).append(": ")
          .append(GoldenJson.MAPPER.writeValueAsString(v)).append('\n'));
    }
    y.append("spec:\n  ingressClassName: alb\n");
    spec.lines().forEach(l -> y.append("  ").append(l).append('\n'));
    return y.toString();
  }

  /** The one IngressGroup the documents make, with the shop Services. */
  static IngressGroup group(String... documents) {
    String yaml = SERVICES + "---\n" + String.join("---\n", documents);
    Manifests manifests;
    try {
      manifests = new Manifests(new KubernetesSerialization())
          .read("-", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    } catch (Manifests.UnreadableManifest e) {
      throw new IllegalArgumentException(e.getMessage() + "\n" + yaml, e);
    }
    List<IngressGroup> groups = IngressGroup.of(manifests.all(Ingress.class), manifests.all(Service.class));
    if (groups.size() != 1) {
      throw new IllegalArgumentException("expected one group, got " + groups.stream().map(IngressGroup::id).toList());
    }
    return groups.get(0);
  }

  static Stack build(IngressGroup group, ClusterFacts facts) {
    return new StackBuilder(new IngressClassMatcher("alb", name -> Optional.empty())).build(group, facts);
  }
}
