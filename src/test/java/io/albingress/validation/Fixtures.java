package io.albingress.validation;

import io.albingress.annotations.AnnotationCatalog;
import io.albingress.model.Certificate;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.Known;
import io.albingress.model.SecurityGroupSummary;
import io.albingress.model.Subnet;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test data: Ingresses, Services, subnets and certificates of a small shop, built with the fabric8 builders. */
final class Fixtures {
  static final String NS = "shop";
  static final String REGION = "us-west-2";
  static final String VPC = "vpc-0a1b2c3d";
  static final String ALB = "alb.ingress.kubernetes.io/";

  static final Subnet SUBNET_A = subnet("subnet-0aaaaaaaaaaaaaaaa", "us-west-2a", "public-a");
  static final Subnet SUBNET_B = subnet("subnet-0bbbbbbbbbbbbbbbb", "us-west-2b", "public-b");
  static final Subnet SUBNET_C = subnet("subnet-0cccccccccccccccc", "us-west-2c", "public-c");
  static final Subnet SUBNET_A2 = subnet("subnet-0aaaaaaaaaaaaaaa2", "us-west-2a", "public-a2");
  /** Two subnets share the Name "shared". */
  static final Subnet SHARED_1 = subnet("subnet-05555555555555551", "us-west-2a", "shared");
  static final Subnet SHARED_2 = subnet("subnet-05555555555555552", "us-west-2b", "shared");

  static final String CERT_SHOP = "arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555";
  static final String CERT_PENDING = "arn:aws:acm:us-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000";
  static final String CERT_MISSING = "arn:aws:acm:us-west-2:123456789012:certificate/deadbeef-0000-0000-0000-000000000000";
  static final String CERT_OTHER_REGION = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
  static final String CERT_IAM = "arn:aws:iam::123456789012:server-certificate/legacy/shop-2019";

  static final List<Certificate> CERTIFICATES = List.of(
      new Certificate(CERT_SHOP, "ISSUED", List.of("shop.example.com", "*.shop.example.com")),
      new Certificate(CERT_PENDING, "PENDING_VALIDATION", List.of("new.example.com")));

  static final String SG_WEB = "sg-0aaaaaaaaaaaaaaa1";
  static final List<SecurityGroupSummary> SECURITY_GROUPS = List.of(
      new SecurityGroupSummary(SG_WEB, "web-sg"),
      new SecurityGroupSummary("sg-0123456789abcdef0", "shop-frontend"),
      new SecurityGroupSummary("sg-0aaaaaaaaaaaaaaa4", "web-frontend"),
      new SecurityGroupSummary("sg-0aaaaaaaaaaaaaaa2", "twice"),
      new SecurityGroupSummary("sg-0aaaaaaaaaaaaaaa3", "twice"));

  static final AwsFacts AWS = new AwsFacts(
      Known.of(List.of(SUBNET_A, SUBNET_B, SUBNET_C, SUBNET_A2, SHARED_1, SHARED_2)), Known.of(CERTIFICATES), Known.of(SECURITY_GROUPS));

  private Fixtures() {}

  static Subnet subnet(String id, String az, String name) {
    return new Subnet(id, az, VPC, Map.of("Name", name, Subnet.ROLE_ELB, "1"));
  }

  static IngressValidator validator(TestCluster cluster) {
    return new IngressValidator(new IngressClassMatcher("alb", cluster::ingressClass), REGION, VPC);
  }

  static IngressClass ingressClass(String name, String controller) {
    return new IngressClassBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withController(controller).endSpec().build();
  }

  static ServicePort port(String name, int port) {
    return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(8080)).build();
  }

  static Service service(String name, String type, ServicePort... ports) {
    return service(name, type, Map.of(), ports);
  }

  static Service service(String name, String type, Map<String, String> annotations, ServicePort... ports) {
    return new ServiceBuilder().withNewMetadata().withNamespace(NS).withName(name).withAnnotations(annotations).endMetadata()
        .withNewSpec().withType(type).withPorts(ports).endSpec().build();
  }

  static Service nodePort(String name) {
    return service(name, "NodePort", port("http", 80));
  }

  static Service clusterIp(String name) {
    return service(name, "ClusterIP", port("http", 80));
  }

  static Ing ingress() {
    return new Ing("app");
  }

  static Ing ingress(String name) {
    return new Ing(name);
  }

  /** A small builder over IngressBuilder for the shapes these tests need. */
  static final class Ing {
    private String name;
    private String namespace = NS;
    private String className = "alb";
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final List<IngressRuleBuilder> rules = new ArrayList<>();
    private final List<List<String>> tls = new ArrayList<>();
    private IngressBackend defaultBackend;

    private Ing(String name) {
      this.name = name;
    }

    Ing namespace(String ns) {
      this.namespace = ns;
      return this;
    }

    /** An `alb.ingress.kubernetes.io/<name>` annotation. */
    Ing alb(String annotation, String value) {
      annotations.put(AnnotationCatalog.key(annotation), value);
      return this;
    }

    Ing annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    Ing className(String name) {
      this.className = name;
      return this;
    }

    /** Only the legacy `kubernetes.io/ingress.class` annotation. */
    Ing legacyClass(String value) {
      this.className = null;
      return annotation(AnnotationCatalog.LEGACY_CLASS, value);
    }

    Ing noClass() {
      this.className = null;
      return this;
    }

    Ing path(String host, String path, IngressBackend backend) {
      return path(host, path, "Prefix", backend);
    }

    Ing path(String host, String path, String pathType, IngressBackend backend) {
      HTTPIngressPath p = new HTTPIngressPathBuilder().withPath(path).withPathType(pathType).withBackend(backend).build();
      IngressRuleBuilder rule = rules.stream().filter(r -> java.util.Objects.equals(r.getHost(), host)).findFirst().orElse(null);
      if (rule == null) {
        rule = new IngressRuleBuilder().withHost(host).withNewHttp().endHttp();
        rules.add(rule);
      }
      rule.editHttp().addToPaths(p).endHttp();
      return this;
    }

    Ing path(String path, String service, int port) {
      return path(null, path, backend(service, port));
    }

    Ing hostPath(String host, String path, String service, int port) {
      return path(host, path, backend(service, port));
    }

    Ing pathToPortName(String path, String service, String portName) {
      return path(null, path, backendNamed(service, portName));
    }

    /** A path to `actions.<action>` (service.port.name: use-annotation). */
    Ing useAnnotation(String path, String action) {
      return path(null, path, backendNamed(action, "use-annotation"));
    }

    /** n distinct paths on host shop.example.com, all to Service web:80. */
    Ing paths(int n) {
      for (int i = 0; i < n; i++) {
        hostPath("shop.example.com", "/p" + i, "web", 80);
      }
      return this;
    }

    Ing tls(String... hosts) {
      tls.add(List.of(hosts));
      return this;
    }

    Ing defaultBackend(String service, int port) {
      this.defaultBackend = backend(service, port);
      return this;
    }

    Ing defaultBackend(IngressBackend backend) {
      this.defaultBackend = backend;
      return this;
    }

    Ingress build() {
      IngressBuilder b = new IngressBuilder().withNewMetadata().withNamespace(namespace).withName(name)
          .withAnnotations(annotations).endMetadata();
      var spec = b.withNewSpec().withIngressClassName(className).withDefaultBackend(defaultBackend);
      rules.forEach(r -> spec.addToRules(r.build()));
      tls.forEach(hosts -> spec.addToTls(new IngressTLSBuilder().withHosts(hosts).withSecretName("unused").build()));
      return spec.endSpec().build();
    }
  }

  static IngressBackend backend(String service, int port) {
    return new IngressBackendBuilder().withNewService().withName(service).withNewPort().withNumber(port).endPort().endService().build();
  }

  static IngressBackend backendNamed(String service, String portName) {
    return new IngressBackendBuilder().withNewService().withName(service).withNewPort().withName(portName).endPort().endService().build();
  }
}
