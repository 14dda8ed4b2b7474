package io.albingress.plan;

/**
 * Gateway API manifests for plan's tests as YAML documents in the namespace team, joined into one file
 * by {@link #of}: the GatewayClass alb, the Gateway team/gw, routes and NodePort Services.
 */
final class GatewayManifests {
  private GatewayManifests() {}

  /** The documents as one multi-document YAML file. */
  static String of(String... documents) {
    return String.join("---\n", documents);
  }

  /** The GatewayClass alb of this controller; {@code more}: further spec fields, each after a comma. */
  static String gatewayClass(String more) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: alb}
        spec: {controllerName: gateway.k8s.aws/alb%s}
        """.formatted(more);
  }

  static String gatewayClass() {
    return gatewayClass("");
  }

  /** The Gateway team/gw of class alb; {@code spec}: its spec after gatewayClassName (listeners and more). */
  static String gateway(String spec) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: team}
        spec:
          gatewayClassName: alb
        """ + spec.indent(2);
  }

  /** A route ({@code kind} HTTPRoute or GRPCRoute) in team with this spec. */
  static String route(String kind, String name, String spec) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: %s
        metadata: {name: %s, namespace: team}
        spec:
        """.formatted(kind, name) + spec.indent(2);
  }

  /** A ListenerSet with this spec. */
  static String listenerSet(String name, String namespace, String spec) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: ListenerSet
        metadata: {name: %s, namespace: %s}
        spec:
        """.formatted(name, namespace) + spec.indent(2);
  }

  /** A NodePort Service in team with one port. */
  static String nodePortService(String name, int port, int nodePort) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: team}
        spec: {type: NodePort, ports: [{port: %d, nodePort: %d}]}
        """.formatted(name, port, nodePort);
  }
}
