package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.app.ControllerApp;
import io.albingress.aws.CallMetrics;
import io.albingress.testing.Meters;
import io.albingress.testing.MotoElbv2;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.albingress.testing.TestEnvironment.Result;
import io.albingress.testing.TestEnvironment.TestNamespace;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * Security groups against the real apiserver and moto: a default Ingress gets a managed frontend
 * group and the cluster's backend group (never the VPC default), the nodes' group admits the backend
 * group on the NodePort, inbound-cidrs and listen-ports move the frontend rules, IP mode opens the
 * pod port, and deletion removes what the controller made while a foreign rule stays.
 */
@ExtendWith(TestEnvironment.class)
class SecurityGroupsIT {
  private static final String DESCRIPTION_PREFIX = "elbv2.k8s.aws/cluster=";
  private StartedController started;
  private MotoElbv2 moto;
  private Ec2Client ec2;
  private Env env;
  private TestNamespace ns;

  private ControllerApp second;
  private String secondNamespace;

  @AfterEach
  void stop() {
    if (second != null) {
      second.stop();
    }
    if (secondNamespace != null) {
      env.kubectl(null, "delete", "namespace", secondNamespace, "--wait=false");
    }
    if (started != null) {
      started.close();
    }
    if (ec2 != null) {
      ec2.close();
    }
  }

  private void start(Env env, TestNamespace ns) throws Exception {
    this.env = env;
    this.ns = ns;
    ec2 = Ec2Client.builder().endpointOverride(URI.create(env.awsEndpoint())).region(Region.of(env.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    started = StartedController.start(env, ns);
    moto = started.moto();
  }

  private String service(String type) {
    return service("web", type);
  }

  private String service(String name, String type) {
    return service(ns.name(), name, type);
  }

  private static String service(String namespace, String name, String type) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec: {type: %s, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
        """.formatted(name, namespace, type);
  }

  private String ingress(Map<String, String> annotations) {
    return ingress("shop", "alb", "web", annotations);
  }

  private String ingress(String name, String className, String serviceName, Map<String, String> annotations) {
    String extra = annotations.entrySet().stream()
        .map(e -> "    alb.ingress.kubernetes.io/" + e.getKey() + ": '" + e.getValue() + "'\n").collect(Collectors.joining());
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: %s
          annotations:
            alb.ingress.kubernetes.io/scheme: internet-facing
        %s
        spec:
          ingressClassName: %s
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """.formatted(name, ns.name(), extra.stripTrailing(), className, serviceName);
  }

  private void apply(String yaml) {
    kubectl(yaml, "apply", "-f", "-");
  }

  private void kubectl(String stdin, String... args) {
    Result r = env.kubectl(stdin, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.stderr()).isZero();
  }

  private static <T> T await(Supplier<T> value, Predicate<T> done) {
    List<T> last = new ArrayList<>();
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
      T now = value.get();
      last.add(0, now);
      return done.test(now);
    });
    return last.get(0);
  }

  private long reconciles() {
    return Meters.total(started.app().registry(), "alb_reconciles_total");
  }

  /** Waits until no stack reconciliation runs or comes. */
  private void settled() throws InterruptedException {
    long before;
    long after = reconciles();
    do {
      before = after;
      Thread.sleep(1500);
      after = reconciles();
    } while (after != before || !started.app().reconcilerIdle());
  }

  /** EC2 calls so far, by operation. */
  private Map<String, Long> ec2Calls() {
    Map<String, Long> out = new TreeMap<>();
    Meters.series(started.app().registry(), CallMetrics.CALLS).forEach((labels, value) -> {
      if ("EC2".equalsIgnoreCase(labels.get("service"))) {
        out.merge(labels.get("operation"), value.longValue(), Long::sum);
      }
    });
    return out;
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        out.put(k, d);
      }
    });
    return out;
  }

  private SecurityGroup group(String id) {
    return ec2.describeSecurityGroups(b -> b.groupIds(id)).securityGroups().get(0);
  }

  private List<SecurityGroup> groupsTagged(String key, String value) {
    return ec2.describeSecurityGroups(b -> b.filters(Filter.builder().name("tag:" + key).values(value).build())).securityGroups();
  }

  /** A group's ingress rules as "tcp:80 from 0.0.0.0/0" (one string per peer), with the description for group peers. */
  private Set<String> rules(String groupId) {
    Set<String> out = new TreeSet<>();
    for (IpPermission p : group(groupId).ipPermissions()) {
      String head = p.ipProtocol() + ":" + p.fromPort() + (p.fromPort().equals(p.toPort()) ? "" : "-" + p.toPort()) + " from ";
      p.ipRanges().forEach(r -> out.add(head + r.cidrIp()));
      p.ipv6Ranges().forEach(r -> out.add(head + r.cidrIpv6()));
      p.prefixListIds().forEach(r -> out.add(head + r.prefixListId()));
      p.userIdGroupPairs().forEach(r -> out.add(head + r.groupId() + " (" + r.description() + ")"));
    }
    return out;
  }

  private LoadBalancer loadBalancer() {
    return await(() -> moto.loadBalancers(), l -> l.size() == 1).get(0);
  }

  private String frontendGroup() {
    List<SecurityGroup> g = groupsTagged("ingress.k8s.aws/resource", "ManagedLBSecurityGroup");
    assertThat(g).hasSize(1);
    return g.get(0).groupId();
  }

  private String backendGroup() {
    List<SecurityGroup> g = groupsTagged("ingress.k8s.aws/resource", "backend-sg");
    assertThat(g).hasSize(1);
    return g.get(0).groupId();
  }

  private int nodePort() {
    return nodePort("web");
  }

  private int nodePort(String service) {
    return nodePort(ns.name(), service);
  }

  private int nodePort(String namespace, String service) {
    Result r = env.kubectl(null, "get", "service", service, "-n", namespace, "-o", "jsonpath={.spec.ports[0].nodePort}");
    return Integer.parseInt(r.stdout().trim());
  }

  @Test
  void managedGroupsFollowTheIngressAndGoWithIt(Env env, TestNamespace ns) throws Exception {
    String nodeSg = env.seed().getString("nodeSecurityGroupId");
    start(env, ns);
    // someone else's rule on the nodes' group, which must survive everything below
    ec2.authorizeSecurityGroupIngress(b -> b.groupId(nodeSg).ipPermissions(IpPermission.builder().ipProtocol("tcp")
        .fromPort(22).toPort(22).ipRanges(r -> r.cidrIp("10.0.0.0/8").description("ssh")).build()));
    String foreign = "tcp:22 from 10.0.0.0/8";
    String vpcDefault = ec2.describeSecurityGroups(b -> b.filters(Filter.builder().name("vpc-id").values(env.vpcId()).build(),
        Filter.builder().name("group-name").values("default").build())).securityGroups().get(0).groupId();

    apply(service("NodePort"));
    Map<String, Long> beforeCreate = ec2Calls();
    apply(ingress(Map.of()));
    LoadBalancer lb = await(this::loadBalancer, l -> l.securityGroups().size() == 2);
    settled();
    Map<String, Long> createCalls = minus(ec2Calls(), beforeCreate);
    String frontend = frontendGroup();
    String backend = backendGroup();
    assertThat(lb.securityGroups()).containsExactlyInAnyOrder(frontend, backend).doesNotContain(vpcDefault);
    assertThat(group(frontend).tags()).anySatisfy(t -> assertThat(t.key() + "=" + t.value())
        .isEqualTo("ingress.k8s.aws/stack=" + ns.name() + "/shop"));
    assertThat(rules(frontend)).containsExactly("tcp:80 from 0.0.0.0/0");
    assertThat(rules(backend)).isEmpty();
    String nodeRule = "tcp:" + nodePort() + " from " + backend + " (" + DESCRIPTION_PREFIX + env.clusterName() + ")";
    assertThat(rules(nodeSg)).containsExactlyInAnyOrder(foreign, nodeRule);
    System.out.println("EC2 calls for one create: " + createCalls);

    // inbound-cidrs replaces the open rule
    apply(ingress(Map.of("inbound-cidrs", "10.0.0.0/8")));
    await(() -> rules(frontend), r -> r.equals(Set.of("tcp:80 from 10.0.0.0/8")));
    // a listen-port change moves the rule
    apply(ingress(Map.of("inbound-cidrs", "10.0.0.0/8", "listen-ports", "[{\"HTTP\": 8080}]")));
    await(() -> rules(frontend), r -> r.equals(Set.of("tcp:8080 from 10.0.0.0/8")));
    settled();
    assertThat(frontendGroup()).isEqualTo(frontend);
    assertThat(rules(nodeSg)).containsExactlyInAnyOrder(foreign, nodeRule);

    Map<String, Long> beforeDelete = ec2Calls();
    kubectl(null, "delete", "ingress", "shop", "-n", ns.name(), "--wait=false");
    await(() -> groupsTagged("ingress.k8s.aws/resource", "ManagedLBSecurityGroup"), List::isEmpty);
    await(() -> rules(nodeSg), r -> r.equals(Set.of(foreign)));
    settled();
    System.out.println("EC2 calls for one delete: " + minus(ec2Calls(), beforeDelete));
    assertThat(moto.loadBalancers()).isEmpty();
    assertThat(rules(nodeSg)).containsExactly(foreign);
  }

  @Test
  void ipModeOpensThePodPortOnThePodsInterfaceGroup(Env env, TestNamespace ns) throws Exception {
    start(env, ns);
    String privateSubnet = env.seed().getJsonArray("subnets").stream().map(o -> (io.vertx.core.json.JsonObject) o)
        .filter(s -> "private".equals(s.getString("role"))).findFirst().orElseThrow().getString("id");
    String podSg = ec2.createSecurityGroup(b -> b.groupName("pods-" + ns.name()).description("pods").vpcId(env.vpcId())).groupId();
    String podIp = "10.0.11.77";
    ec2.createNetworkInterface(b -> b.subnetId(privateSubnet).privateIpAddress(podIp).groups(podSg));

    apply(service("ClusterIP"));
    apply("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-abc12, namespace: %s, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        ports: [{name: http, port: 8080, protocol: TCP}]
        endpoints: [{addresses: [%s], conditions: {ready: true, serving: true, terminating: false}}]
        """.formatted(ns.name(), podIp));
    apply(ingress(Map.of("target-type", "ip")));
    await(this::loadBalancer, l -> l.securityGroups().size() == 2);
    String backend = backendGroup();
    await(() -> rules(podSg), r -> r.equals(Set.of("tcp:8080 from " + backend + " (" + DESCRIPTION_PREFIX + env.clusterName() + ")")));

    kubectl(null, "delete", "ingress", "shop", "-n", ns.name(), "--wait=false");
    await(() -> rules(podSg), Set::isEmpty);
  }

  /**
   * A second controller in the same cluster: its own namespace (--watch-namespace), class alb-b and
   * backend group (--backend-security-group). Two controllers that watch the same namespace share the
   * finalizer and the stack tags: each would take the other's Ingresses for ones that left its class
   * and delete their load balancers (as two reference controllers would), so they are told apart by
   * namespace (README, Known limitations).
   */
  private ControllerApp startSecond(String namespace, String backendGroup) throws Exception {
    java.nio.file.Path certDir = java.nio.file.Files.createTempDirectory("controller-certs");
    io.albingress.testing.TestCerts.write(certDir, "127.0.0.1");
    var settings = new io.albingress.app.ControllerSettings(env.clusterName(), java.util.Optional.of(env.kubeconfig()), "alb-b",
        java.util.Optional.of(env.region()), env.vpcId(), "127.0.0.1", 0, certDir, 0, 0, java.util.Optional.of(namespace), false, 3,
        Duration.ofHours(1), Map.of("owner", "it"), false).withBackendSecurityGroup(backendGroup);
    return ControllerApp.start(settings).toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static String legacyIngress(String namespace, String name, String className, String serviceName, String annotation) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: %s
          annotations:
            kubernetes.io/ingress.class: %s
            alb.ingress.kubernetes.io/scheme: internet-facing
            %s
        spec:
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """.formatted(name, namespace, className, annotation, serviceName);
  }

  @Test
  void twoControllersInOneClusterKeepEachOthersRules(Env env, TestNamespace ns) throws Exception {
    String nodeSg = env.seed().getString("nodeSecurityGroupId");
    start(env, ns);
    String backendB = ec2.createSecurityGroup(b -> b.groupName("backend-b-" + ns.name()).description("controller b")
        .vpcId(env.vpcId())).groupId();
    secondNamespace = ns.name() + "-b";
    kubectl(null, "create", "namespace", secondNamespace);
    second = startSecond(secondNamespace, backendB);
    apply(service("web", "NodePort"));
    apply(service(secondNamespace, "web2", "NodePort"));
    apply(legacyIngress(ns.name(), "a", "alb", "web", ""));
    apply(legacyIngress(secondNamespace, "b", "alb-b", "web2", ""));
    await(() -> moto.loadBalancers(), l -> l.size() == 2 && l.stream().allMatch(lb -> lb.securityGroups().size() == 2));
    String backendA = backendGroup();
    String desc = " (" + DESCRIPTION_PREFIX + env.clusterName() + ")";
    String ruleA = "tcp:" + nodePort("web") + " from " + backendA + desc;
    String ruleB = "tcp:" + nodePort(secondNamespace, "web2") + " from " + backendB + desc;
    await(() -> rules(nodeSg), r -> r.equals(Set.of(ruleA, ruleB)));
    LoadBalancer lbB = moto.loadBalancers().stream().filter(lb -> lb.securityGroups().contains(backendB)).findFirst().orElseThrow();
    assertThat(lbB.securityGroups()).doesNotContain(backendA);

    // each one's changes and deletions leave the other's rule alone
    apply(legacyIngress(secondNamespace, "b", "alb-b", "web2", "alb.ingress.kubernetes.io/inbound-cidrs: 10.0.0.0/8"));
    kubectl(null, "delete", "ingress", "a", "-n", ns.name(), "--wait=false");
    await(() -> rules(nodeSg), r -> r.equals(Set.of(ruleB)));
    kubectl(null, "delete", "ingress", "b", "-n", secondNamespace, "--wait=false");
    await(() -> rules(nodeSg), Set::isEmpty);
    assertThat(groupsTagged("ingress.k8s.aws/resource", "ManagedLBSecurityGroup")).isEmpty();
  }
}
