package io.albingress.gateway;

import io.albingress.model.Certificate;
import io.albingress.model.ClusterFacts;
import io.albingress.model.Known;
import io.albingress.model.Subnet;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/** Gateway API objects from YAML, and a cluster with internal subnets in two AZs and one ACM certificate. */
final class GatewayFixtures {
  static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String CLUSTER = "prod";
  static final String CERT = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-00000000000a";
  static final ClusterFacts FACTS = new ClusterFacts(CLUSTER, "us-west-2", "vpc-1", Known.of(List.of(
      new Subnet("subnet-a", "us-west-2a", "vpc-1", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")),
      new Subnet("subnet-b", "us-west-2b", "vpc-1", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")))),
      Known.of(List.of(new Certificate(CERT, Certificate.ISSUED, List.of("*.example.com")))), Map.of("team", "web"));

  private GatewayFixtures() {}

  static <T> T yaml(String text, Class<T> type) {
    return JSON.unmarshal("# yaml\n" + text, type); // a leading { would be read as JSON
  }

  static Gateway gateway(String listeners) {
    return yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: shop, generation: 2}
        spec:
          gatewayClassName: alb
          listeners:
        """ + listeners.indent(4), Gateway.class);
  }

  /** The GatewayClass alb whose parametersRef names the LoadBalancerConfiguration infra/base. */
  static GatewayClass parameterizedClass() {
    return yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: alb}
        spec:
          controllerName: gateway.k8s.aws/alb
          parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: base, namespace: infra}
        """, GatewayClass.class);
  }

  /** The Gateway shop/gw of class alb, one HTTP listener, whose infrastructure names the LoadBalancerConfiguration public. */
  static Gateway parameterizedGateway() {
    return yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: shop}
        spec:
          gatewayClassName: alb
          infrastructure: {parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: public}}
          listeners: [{name: http, port: 80, protocol: HTTP}]
        """, Gateway.class);
  }

  static Gateway httpGateway() {
    return gateway("- {name: http, port: 80, protocol: HTTP}\n");
  }

  static HTTPRoute route(String name, String created, String spec) {
    return yaml("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: shop, generation: 1, creationTimestamp: "%s"}
        spec:
        """.formatted(name, created) + spec.indent(2), HTTPRoute.class);
  }

  static HTTPRouteMatch match(String yaml) {
    return yaml(yaml, HTTPRouteMatch.class);
  }

  static HTTPRouteRule rule(String yaml) {
    return yaml(yaml, HTTPRouteRule.class);
  }

  static Service service(String name, String extra) {
    return yaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: shop%s}
        spec:
          type: NodePort
          ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]
        """.formatted(name, extra), Service.class);
  }
}
