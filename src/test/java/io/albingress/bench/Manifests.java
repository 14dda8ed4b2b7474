package io.albingress.bench;

import java.util.List;

/** The manifests the benchmarks apply. */
final class Manifests {
  private Manifests() {}

  static String service(String ns, String name, int port, String... annotations) {
    StringBuilder a = new StringBuilder();
    for (int i = 0; i + 1 < annotations.length; i += 2) {
      a.append(a.length() == 0 ? "" : ", ").append(annotations[i]).append(": '").append(annotations[i + 1]).append('\'');
    }
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s, annotations: {%s}}
        spec: {type: NodePort, selector: {app: %s}, ports: [{name: http, port: %d}]}
        ---
        """.formatted(name, ns, a, name, port);
  }

  /** A headless Service (no cluster IP: the test apiserver's service range holds only 254), for IP-mode targets. */
  static String headless(String ns, String name, int port) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec: {clusterIP: None, selector: {app: %s}, ports: [{name: http, port: %d}]}
        ---
        """.formatted(name, ns, name, port);
  }

  /** A path: {@code path}, pathType, service, port. */
  record Path(String path, String type, String service, int port) {}

  static String ingress(String ns, String name, List<String> annotations, List<Path> paths) {
    StringBuilder a = new StringBuilder();
    for (int i = 0; i + 1 < annotations.size(); i += 2) {
      a.append("    ").append(annotations.get(i)).append(": '").append(annotations.get(i + 1)).append("'\n");
    }
    StringBuilder p = new StringBuilder();
    for (Path x : paths) {
      p.append("          - {path: ").append(x.path()).append(", pathType: ").append(x.type()).append(", backend: {service: {name: ")
          .append(x.service()).append(", port: {number: ").append(x.port()).append("}}}}\n");
    }
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: %s
          annotations:
        %s
        spec:
          ingressClassName: alb
          rules:
            - http:
                paths:
        %s---
        """.formatted(name, ns, a.toString().stripTrailing(), p);
  }
}
