package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Condition;
import io.albingress.annotations.HealthCheck;
import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.Protocol;
import io.albingress.annotations.ProtocolVersion;
import io.albingress.annotations.Scheme;
import io.albingress.annotations.TargetType;
import io.albingress.model.Listener;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Ref;
import io.albingress.model.RuleAction;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.Tags;
import io.albingress.model.TargetGroup;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small desired stacks for the deploy tests: stack shop/web of cluster "test". */
final class DeployFixtures {
  static final String CLUSTER = "test";
  static final StackId STACK = StackId.ingress("shop", "web");
  static final String CERT_A = "arn:aws:acm:us-west-2:123456789012:certificate/a";
  static final String CERT_B = "arn:aws:acm:us-west-2:123456789012:certificate/b";
  static final String CERT_C = "arn:aws:acm:us-west-2:123456789012:certificate/c";
  static final String CERT_D = "arn:aws:acm:us-west-2:123456789012:certificate/d";
  static final HealthCheck HEALTH = new HealthCheck("traffic-port", Protocol.HTTP, "/", 15, 5, 2, 2, "200");

  private DeployFixtures() {}

  static Map<String, String> tags(String resourceId) {
    return Map.of(Tags.CLUSTER, CLUSTER, Tags.STACK, STACK.tagValue(), Tags.RESOURCE, resourceId);
  }

  /** A target group whose name, like the builder's, encodes the immutable port. */
  static TargetGroup targetGroup(String service, int port) {
    return targetGroup(service, port, HEALTH);
  }

  static TargetGroup targetGroup(String service, int port, HealthCheck health) {
    String id = "shop/" + service + ":" + port;
    return new TargetGroup(id, "k8s-shop-" + service + "-" + port, new TargetGroup.ServiceRef("shop", service, "http", 80,
        String.valueOf(port), 30000 + port % 1000), TargetType.IP, Protocol.HTTP, ProtocolVersion.HTTP1, port, health, Map.of(),
        Map.of(), tags(id));
  }

  static LoadBalancer loadBalancer(Scheme scheme) {
    return new LoadBalancer(LoadBalancer.RESOURCE_ID, "k8s-shop-web-0123456789", scheme, IpAddressType.IPV4,
        List.of("subnet-a", "subnet-b"), List.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), tags(LoadBalancer.RESOURCE_ID));
  }

  static Listener http(int port) {
    return new Listener(String.valueOf(port), Ref.to("LoadBalancer", LoadBalancer.RESOURCE_ID), Protocol.HTTP, port,
        RuleAction.FixedResponse.NOT_FOUND, List.of(), Optional.empty(), tags(String.valueOf(port)));
  }

  static Listener https(int port, List<String> certificates) {
    return new Listener(String.valueOf(port), Ref.to("LoadBalancer", LoadBalancer.RESOURCE_ID), Protocol.HTTPS, port,
        RuleAction.FixedResponse.NOT_FOUND, certificates, Optional.of("ELBSecurityPolicy-2016-08"), tags(String.valueOf(port)));
  }

  static ListenerRule rule(int port, int priority, String path, TargetGroup to) {
    String id = port + ":" + priority;
    return new ListenerRule(id, Ref.to("Listener", String.valueOf(port)), priority,
        List.of(new Condition("path-pattern", Optional.empty(), List.of(path))),
        RuleAction.Forward.to(Ref.to("TargetGroup", to.resourceId())), "shop/web " + path, tags(id), List.of());
  }

  static Stack stack(LoadBalancer lb, List<Listener> listeners, List<ListenerRule> rules, List<TargetGroup> targetGroups) {
    return new Stack(STACK, List.of("shop/web"), lb, listeners, rules, targetGroups, List.of());
  }

  /** Two paths on port 80, to two target groups. */
  static Stack basic(Scheme scheme) {
    TargetGroup web = targetGroup("web", 8080);
    TargetGroup api = targetGroup("api", 9000);
    return stack(loadBalancer(scheme), List.of(http(80)), List.of(rule(80, 1, "/web", web), rule(80, 2, "/api", api)), List.of(web, api));
  }

  /** Stack shop/web-N: one load balancer, one listener, one rule, one target group, all named after N. */
  static Stack numbered(int n) {
    StackId id = StackId.ingress("shop", "web-" + n);
    Map<String, String> tags = Map.of(Tags.CLUSTER, CLUSTER, Tags.STACK, id.tagValue());
    TargetGroup tg = targetGroup("web", 8080);
    tg = new TargetGroup(tg.resourceId(), "k8s-shop-web" + n + "-8080", tg.service(), tg.targetType(), tg.protocol(), tg.protocolVersion(),
        tg.port(), tg.healthCheck(), tg.attributes(), Map.of(), tags);
    LoadBalancer lb = loadBalancer(Scheme.INTERNET_FACING);
    lb = new LoadBalancer(lb.resourceId(), "k8s-shop-web" + n, lb.scheme(), lb.ipAddressType(), lb.subnetIds(), lb.securityGroups(),
        lb.attributes(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), tags);
    return new Stack(id, List.of("shop/web-" + n), lb, List.of(http(80)), List.of(rule(80, 1, "/", tg)), List.of(tg), List.of());
  }

  /** The fake's futures complete at once: the result, or the failure thrown. */
  static <T> T done(Future<T> future) {
    assertThat(future.isComplete()).as("completed").isTrue();
    if (future.failed()) {
      throw new AssertionError("failed: " + future.cause(), future.cause());
    }
    return future.result();
  }
}
