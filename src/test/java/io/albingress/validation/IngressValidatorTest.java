package io.albingress.validation;

import static io.albingress.validation.Fixtures.ALB;
import static io.albingress.validation.Fixtures.AWS;
import static io.albingress.validation.Fixtures.CERTIFICATES;
import static io.albingress.validation.Fixtures.CERT_IAM;
import static io.albingress.validation.Fixtures.CERT_MISSING;
import static io.albingress.validation.Fixtures.CERT_OTHER_REGION;
import static io.albingress.validation.Fixtures.CERT_PENDING;
import static io.albingress.validation.Fixtures.CERT_SHOP;
import static io.albingress.validation.Fixtures.SUBNET_A;
import static io.albingress.validation.Fixtures.SUBNET_A2;
import static io.albingress.validation.Fixtures.SUBNET_B;
import static io.albingress.validation.Fixtures.SUBNET_C;
import static io.albingress.validation.Fixtures.clusterIp;
import static io.albingress.validation.Fixtures.ingress;
import static io.albingress.validation.Fixtures.ingressClass;
import static io.albingress.validation.Fixtures.nodePort;
import static io.albingress.validation.Fixtures.port;
import static io.albingress.validation.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Known;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IngressValidatorTest {
  static final String FIRST_PATH = "spec.rules[0].http.paths[0].backend";
  static final String HTTP_AND_HTTPS = "[{\"HTTP\": 80}, {\"HTTPS\": 443}]";

  TestCluster cluster = new TestCluster().with(nodePort("web"));
  AwsFacts aws = AWS;

  Verdict validate(Fixtures.Ing ingress) {
    return validate(ingress.build());
  }

  Verdict validate(Ingress ingress) {
    return Fixtures.validator(cluster).validate(ingress, cluster, aws);
  }

  /** An Ingress of ours with one path to the NodePort Service "web". */
  static Fixtures.Ing web() {
    return ingress().path("/", "web", 80);
  }

  static void assertClean(Verdict v) {
    assertThat(v.denials()).isEmpty();
    assertThat(v.warnings()).isEmpty();
    assertThat(v.allowed()).isTrue();
  }

  @Test
  void aPlainIngressIsAllowedWithoutWarnings() {
    assertClean(validate(web()));
  }

  @Test
  void allProblemsAreCollected() {
    Verdict v = validate(web().alb("scheme", "public").alb("target-type", "pod").alb("healthcheck-interval-seconds", "1"));
    assertThat(v.denials()).containsExactlyInAnyOrder(
        ALB + "scheme: \"public\" is not valid: expected one of internet-facing, internal",
        ALB + "target-type: \"pod\" is not valid: expected one of instance, ip",
        ALB + "healthcheck-interval-seconds: \"1\" is not valid: expected an integer from 5 to 300");
    assertThat(v.message("Ingress shop/app")).startsWith("Ingress shop/app has 3 problems:\n  - ");
  }

  @Test
  void singleProblemMessage() {
    Verdict v = validate(web().alb("scheme", "public"));
    assertThat(v.message("Ingress shop/app")).isEqualTo(
        "Ingress shop/app has 1 problem:\n  - " + ALB + "scheme: \"public\" is not valid: expected one of internet-facing, internal");
  }

  @Nested
  class IngressClassSelection {
    @Test
    void ingressOfAnotherControllerIsAllowedUntouchedEvenWithBadAnnotations() {
      cluster.with(ingressClass("nginx", "k8s.io/ingress-nginx"));
      Verdict v = validate(ingress().className("nginx").path("/", "missing", 1)
          .alb("scheme", "public").alb("target-type", "pods").alb("listen-ports", "[{"));
      assertClean(v);
    }

    @Test
    void ingressWithoutAnyClassIsNotOurs() {
      assertClean(validate(ingress().noClass().alb("scheme", "public").path("/", "web", 80)));
    }

    @Test
    void ingressClassNamedDifferentlyButRunByUsIsValidated() {
      cluster.with(ingressClass("internet", "ingress.k8s.aws/alb"));
      assertThat(validate(web().className("internet").alb("scheme", "public")).denials()).hasSize(1);
    }

    @Test
    void ourClassNameCountsBeforeTheIngressClassExists() {
      assertThat(validate(web().alb("scheme", "public")).allowed()).isFalse();
    }

    @Test
    void ourClassNameRunByAnotherControllerIsNotOurs() {
      cluster.with(ingressClass("alb", "example.com/other"));
      assertClean(validate(web().alb("scheme", "public")));
    }

    @Test
    void legacyAnnotationIsAcceptedWithADeprecationWarning() {
      Verdict v = validate(web().legacyClass("alb"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly(
          "annotation kubernetes.io/ingress.class is deprecated; set spec.ingressClassName: alb instead");
    }

    @Test
    void legacyAnnotationIsValidatedToo() {
      assertThat(validate(web().legacyClass("alb").alb("scheme", "public")).denials()).hasSize(1);
    }

    @Test
    void legacyAnnotationOfAnotherClassIsNotOurs() {
      assertClean(validate(web().legacyClass("nginx").alb("scheme", "public")));
    }
  }

  @Nested
  class TargetTypeAndNodePort {
    @Test
    void unknownTargetTypeIsDenied() {
      assertThat(validate(web().alb("target-type", "nodes")).denials()).containsExactly(
          ALB + "target-type: \"nodes\" is not valid: expected one of instance, ip");
    }

    @Test
    void instanceModeWithClusterIpIsDeniedNamingTheServiceAndBothFixes() {
      cluster = new TestCluster().with(clusterIp("web"));
      assertThat(validate(web()).denials()).containsExactly(
          FIRST_PATH + ": Service shop/web is of type ClusterIP, but target-type instance sends traffic to a NodePort;"
              + " change the Service to type: NodePort, or set " + ALB + "target-type: ip");
    }

    @Test
    void serviceWithoutTypeIsClusterIp() {
      cluster = new TestCluster().with(new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata()
          .withNewSpec().withPorts(port("http", 80)).endSpec().build());
      assertThat(validate(web()).denials()).singleElement().asString().contains("is of type ClusterIP");
    }

    @Test
    void ipModeAcceptsClusterIp() {
      cluster = new TestCluster().with(clusterIp("web"));
      assertClean(validate(web().alb("target-type", "ip")));
    }

    @Test
    void serviceAnnotationSayingIpOverridesTheIngress() {
      cluster = new TestCluster().with(service("web", "ClusterIP", Map.of(ALB + "target-type", "ip"), port("http", 80)));
      assertClean(validate(web().alb("target-type", "instance")));
    }

    @Test
    void serviceAnnotationSayingInstanceOverridesAnIpIngress() {
      cluster = new TestCluster().with(service("web", "ClusterIP", Map.of(ALB + "target-type", "instance"), port("http", 80)));
      assertThat(validate(web().alb("target-type", "ip")).denials()).singleElement().asString()
          .contains("Service shop/web is of type ClusterIP, but target-type instance sends traffic to a NodePort");
    }

    @Test
    void invalidServiceAnnotationIsDeniedNamingTheService() {
      cluster = new TestCluster().with(service("web", "NodePort", Map.of(ALB + "target-type", "pods"), port("http", 80)));
      assertThat(validate(web()).denials()).containsExactly(
          ALB + "target-type (on Service shop/web): \"pods\" is not valid: expected one of instance, ip");
    }

    @Test
    void loadBalancerServiceHasNodePorts() {
      cluster = new TestCluster().with(service("web", "LoadBalancer", port("http", 80)));
      assertClean(validate(web()));
    }

    @Test
    void loadBalancerServiceWithoutNodePortsIsDeniedInInstanceMode() {
      cluster = new TestCluster().with(new ServiceBuilder(service("web", "LoadBalancer", port("http", 80)))
          .editSpec().withAllocateLoadBalancerNodePorts(false).endSpec().build());
      assertThat(validate(web()).denials()).containsExactly(
          FIRST_PATH + ": Service shop/web sets allocateLoadBalancerNodePorts: false, so it has no NodePort for target-type instance;"
              + " allocate node ports, or set " + ALB + "target-type: ip");
    }

    @Test
    void externalNameServiceIsDenied() {
      cluster = new TestCluster().with(service("web", "ExternalName", port("http", 80)));
      assertThat(validate(web().alb("target-type", "ip")).denials()).containsExactly(
          FIRST_PATH + ": Service shop/web is of type ExternalName, which has no endpoints or node ports an ALB can reach");
    }

    @Test
    void missingServiceIsOnlyAWarning() {
      Verdict v = validate(ingress().path("/", "cart", 80));
      assertThat(v.denials()).isEmpty();
      assertThat(v.warnings()).containsExactly(FIRST_PATH + ": Service shop/cart does not exist yet; the ALB routes to it once"
          + " it is created (with target-type instance it must be of type NodePort or LoadBalancer)");
    }

    @Test
    void missingServiceInIpModeDoesNotMentionNodePorts() {
      assertThat(validate(ingress().path("/", "cart", 80).alb("target-type", "ip")).warnings()).containsExactly(
          FIRST_PATH + ": Service shop/cart does not exist yet; the ALB routes to it once it is created");
    }

    @Test
    void portMissingByNumberIsDenied() {
      assertThat(validate(ingress().path("/", "web", 8080)).denials()).containsExactly(
          FIRST_PATH + ": Service shop/web has no port \"8080\"; it has ports http (80)");
    }

    @Test
    void portMissingByNameIsDenied() {
      assertThat(validate(ingress().pathToPortName("/", "web", "grpc")).denials()).containsExactly(
          FIRST_PATH + ": Service shop/web has no port \"grpc\"; it has ports http (80)");
    }

    @Test
    void portByNameIsFound() {
      assertClean(validate(ingress().pathToPortName("/", "web", "http")));
    }

    @Test
    void unnamedPortsAreListedByNumber() {
      cluster = new TestCluster().with(service("web", "NodePort", port(null, 80), port("admin", 9000)));
      assertThat(validate(ingress().path("/", "web", 81)).denials()).containsExactly(
          FIRST_PATH + ": Service shop/web has no port \"81\"; it has ports 80, admin (9000)");
    }

    @Test
    void aServiceUsedByManyPathsIsReportedPerPath() {
      cluster = new TestCluster().with(clusterIp("web"));
      Verdict v = validate(ingress().path("/a", "web", 80).path("/b", "web", 80));
      assertThat(v.denials()).hasSize(2);
      assertThat(v.denials().get(1)).startsWith("spec.rules[0].http.paths[1].backend: Service shop/web is of type ClusterIP");
    }

    @Test
    void defaultBackendIsNamedAsSuch() {
      cluster = new TestCluster().with(clusterIp("web"));
      assertThat(validate(ingress().defaultBackend("web", 80)).denials()).containsExactly(
          "spec.defaultBackend: Service shop/web is of type ClusterIP, but target-type instance sends traffic to a NodePort;"
              + " change the Service to type: NodePort, or set " + ALB + "target-type: ip");
    }

    @Test
    void resourceBackendIsDenied() {
      Verdict v = validate(ingress().path(null, "/", new IngressBackendBuilder()
          .withResource(new io.fabric8.kubernetes.api.model.TypedLocalObjectReference("k8s.example.com", "Bucket", "static")).build()));
      assertThat(v.denials()).containsExactly(
          FIRST_PATH + ".resource: resource backends are not supported by the ALB controller; use a Service backend");
    }

    @Test
    void withoutServiceKnowledgeNoBackendIsChecked() {
      cluster = new TestCluster().withoutServiceKnowledge();
      assertClean(validate(ingress().path("/", "cart", 8080)));
    }

    @Test
    void namedHealthCheckPortMustBeAServicePortInInstanceMode() {
      assertThat(validate(web().alb("healthcheck-port", "metrics")).denials()).containsExactly(
          ALB + "healthcheck-port: \"metrics\" is not a port name of Service shop/web, which target-type instance needs"
              + " to find the health check NodePort; it has ports http (80) (or give a port number)");
      assertClean(validate(web().alb("healthcheck-port", "http")));
      assertClean(validate(web().alb("healthcheck-port", "9000")));
    }

    @Test
    void namedHealthCheckPortIsAServicePortWithANumericTargetPortInIpMode() {
      assertClean(validate(web().alb("target-type", "ip").alb("healthcheck-port", "http")));
      assertThat(validate(web().alb("target-type", "ip").alb("healthcheck-port", "metrics")).denials()).containsExactly(
          ALB + "healthcheck-port: \"metrics\" is not a port name of Service shop/web, which target-type ip needs to find the"
              + " health check target port; it has ports http (80) (or give a port number)");
      cluster = new TestCluster().with(new ServiceBuilder(nodePort("web")).editSpec().editFirstPort().withNewTargetPort("web").endPort()
          .endSpec().build());
      assertThat(validate(web().alb("target-type", "ip").alb("healthcheck-port", "http")).denials()).containsExactly(
          ALB + "healthcheck-port: \"http\" is Service port 80 of Service shop/web, whose targetPort is the named port \"web\";"
              + " target-type ip needs a numeric health check port, so give the container port number");
    }
  }

  @Nested
  class UseAnnotation {
    static final String FIXED_503 = "{\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCode\":\"503\"}}";

    @Test
    void backendWithoutItsActionIsDenied() {
      assertThat(validate(ingress().useAnnotation("/", "response-503")).denials()).containsExactly(
          FIRST_PATH + ".service.port.name: \"use-annotation\" needs the annotation " + ALB + "actions.response-503, which is missing");
    }

    @Test
    void backendWithItsActionIsAllowed() {
      assertClean(validate(ingress().useAnnotation("/", "response-503").alb("actions.response-503", FIXED_503)));
    }

    @Test
    void malformedActionIsDeniedOnce() {
      assertThat(validate(ingress().useAnnotation("/", "x").alb("actions.x", "{\"type\":\"drop\"}")).denials()).containsExactly(
          ALB + "actions.x: \"{\"type\":\"drop\"}\" is not valid: expected"
              + " {\"type\": \"forward\"|\"fixed-response\"|\"redirect\", ...} with forwardConfig, fixedResponseConfig or redirectConfig");
    }

    @Test
    void forwardActionServicesAreChecked() {
      cluster.with(clusterIp("cart-green"), nodePort("cart-blue"));
      String forward = "{\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":["
          + "{\"serviceName\":\"cart-blue\",\"servicePort\":\"80\",\"weight\":90},"
          + "{\"serviceName\":\"cart-green\",\"servicePort\":\"http\",\"weight\":10}]}}";
      assertThat(validate(ingress().useAnnotation("/", "cart").alb("actions.cart", forward)).denials()).containsExactly(
          ALB + "actions.cart: Service shop/cart-green is of type ClusterIP, but target-type instance sends traffic to a NodePort;"
              + " change the Service to type: NodePort, or set " + ALB + "target-type: ip");
    }

    @Test
    void forwardToTargetGroupArnNeedsNoService() {
      String forward = "{\"type\":\"forward\",\"targetGroupARN\":"
          + "\"arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/legacy/73e2d6bc24d8a067\"}";
      assertClean(validate(ingress().useAnnotation("/", "legacy").alb("actions.legacy", forward)));
    }

    @Test
    void conditionsForAnExistingBackendAreAccepted() {
      String conditions = "[{\"field\":\"source-ip\",\"sourceIpConfig\":{\"values\":[\"10.0.0.0/8\"]}}]";
      assertClean(validate(web().alb("conditions.web", conditions)));
    }

    @Test
    void conditionsForNoBackendAreWarnedAboutBecauseTheyWouldBeIgnored() {
      String conditions = "[{\"field\":\"source-ip\",\"sourceIpConfig\":{\"values\":[\"10.0.0.0/8\"]}}]";
      Verdict v = validate(web().alb("conditions.wbe", conditions));
      assertThat(v.denials()).isEmpty();
      assertThat(v.warnings()).containsExactly(ALB + "conditions.wbe applies to no path: no backend of this Ingress is named"
          + " \"wbe\" (backends: web), so these conditions are ignored");
    }

    @Test
    void malformedConditionsAreDenied() {
      assertThat(validate(web().alb("conditions.web", "[{\"field\":\"host-header\"}]")).denials()).singleElement().asString()
          .startsWith(ALB + "conditions.web: \"{\"field\":\"host-header\"}\" is not valid: expected a condition with field one of");
    }
  }

  @Nested
  class Subnets {
    @Test
    void idsInTwoZonesAreAllowed() {
      assertClean(validate(web().alb("subnets", SUBNET_A.id() + "," + SUBNET_B.id())));
    }

    @Test
    void namesAreResolved() {
      assertClean(validate(web().alb("subnets", "public-a, public-b, public-c")));
    }

    @Test
    void unknownIdIsDenied() {
      assertThat(validate(web().alb("subnets", SUBNET_A.id() + ",subnet-0fffffffffffffff0")).denials()).containsExactly(
          ALB + "subnets: subnet \"subnet-0fffffffffffffff0\" was not found in the cluster's VPC vpc-0a1b2c3d (by subnet ID or Name tag)");
    }

    @Test
    void unknownNameIsDenied() {
      assertThat(validate(web().alb("subnets", "public-a,public-z")).denials()).containsExactly(
          ALB + "subnets: subnet \"public-z\" was not found in the cluster's VPC vpc-0a1b2c3d (by subnet ID or Name tag)");
    }

    @Test
    void nameMatchingTwoSubnetsIsDenied() {
      assertThat(validate(web().alb("subnets", "shared,public-c")).denials()).containsExactly(
          ALB + "subnets: the Name \"shared\" matches 2 subnets (subnet-05555555555555551, subnet-05555555555555552); use subnet IDs");
    }

    @Test
    void aSingleSubnetIsDeniedOnce() {
      assertThat(validate(web().alb("subnets", SUBNET_A.id())).denials()).containsExactly(
          ALB + "subnets: lists 1 subnet(s); an ALB needs subnets in at least 2 Availability Zones");
    }

    @Test
    void twoSubnetsInOneZoneAreDenied() {
      assertThat(validate(web().alb("subnets", SUBNET_A.id() + "," + SUBNET_A2.id())).denials()).containsExactly(
          ALB + "subnets: subnet-0aaaaaaaaaaaaaaaa and subnet-0aaaaaaaaaaaaaaa2 are both in us-west-2a;"
              + " an ALB takes one subnet per Availability Zone",
          ALB + "subnets: the listed subnets span only one Availability Zone (us-west-2a); an ALB needs subnets in at least 2");
    }

    @Test
    void aSecondSubnetInAZoneIsDeniedEvenWithEnoughZones() {
      assertThat(validate(web().alb("subnets", String.join(",", SUBNET_A.id(), SUBNET_B.id(), SUBNET_A2.id()))).denials())
          .containsExactly(ALB + "subnets: subnet-0aaaaaaaaaaaaaaaa and subnet-0aaaaaaaaaaaaaaa2 are both in us-west-2a;"
              + " an ALB takes one subnet per Availability Zone");
    }

    @Test
    void aMissingSubnetIdAwsCouldNotAnswerForIsAWarningNotADenial() {
      aws = new AwsFacts(AWS.subnets(), AWS.certificates(), java.util.Map.of("subnet-0fffffffffffffff0", "EC2 DescribeSubnets failed: throttled"));
      Verdict v = validate(web().alb("subnets", "subnet-0fffffffffffffff0,subnet-05555555555555551"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly("could not verify " + ALB
          + "subnets entry \"subnet-0fffffffffffffff0\": EC2 DescribeSubnets failed: throttled");
      assertThat(Fixtures.validator(cluster).needs(web().alb("subnets", "subnet-0fffffffffffffff0,shared").build()).subnetIds())
          .containsExactly("subnet-0fffffffffffffff0");
    }

    @Test
    void unknownAwsStateIsAWarningNotADenial() {
      aws = new AwsFacts(Known.unknown("EC2 DescribeSubnets failed: throttled"), Known.of(CERTIFICATES));
      Verdict v = validate(web().alb("subnets", "subnet-0fffffffffffffff0,public-z"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly("could not verify " + ALB
          + "subnets [subnet-0fffffffffffffff0, public-z]: EC2 DescribeSubnets failed: throttled");
    }
  }

  @Nested
  class Certificates {
    @Test
    void issuedCertificateCoveringTheHostIsAllowed() {
      assertClean(validate(ingress().hostPath("shop.example.com", "/", "web", 80).alb("certificate-arn", CERT_SHOP)));
    }

    @Test
    void wildcardCoversOneLabel() {
      assertClean(validate(ingress().hostPath("api.shop.example.com", "/", "web", 80).alb("certificate-arn", CERT_SHOP)));
      assertThat(validate(ingress().hostPath("v1.api.shop.example.com", "/", "web", 80).alb("certificate-arn", CERT_SHOP))
          .warnings()).hasSize(1);
    }

    @Test
    void malformedArnIsDenied() {
      assertThat(validate(web().alb("certificate-arn", "arn:aws:acm:us-west-2:123:certificate/x")).denials()).containsExactly(
          ALB + "certificate-arn: \"arn:aws:acm:us-west-2:123:certificate/x\" is not valid: expected an ACM certificate ARN"
              + " (arn:aws:acm:<region>:<12-digit account>:certificate/<id>) or an IAM server certificate ARN");
    }

    @Test
    void certificateInAnotherRegionIsDeniedOnce() {
      assertThat(validate(web().alb("certificate-arn", CERT_OTHER_REGION)).denials()).containsExactly(
          ALB + "certificate-arn: \"" + CERT_OTHER_REGION + "\" is in region eu-west-1, but the ALB is in us-west-2;"
              + " ACM certificates must be in the load balancer's region");
    }

    @Test
    void unknownCertificateIsDenied() {
      assertThat(validate(web().alb("certificate-arn", CERT_MISSING)).denials()).containsExactly(
          ALB + "certificate-arn: \"" + CERT_MISSING + "\" was not found in ACM in us-west-2");
    }

    @Test
    void pendingCertificateIsDenied() {
      assertThat(validate(web().alb("certificate-arn", CERT_PENDING)).denials()).containsExactly(
          ALB + "certificate-arn: \"" + CERT_PENDING + "\" has status PENDING_VALIDATION;"
              + " only ISSUED certificates can be attached to a listener");
    }

    @Test
    void hostNotCoveredIsAWarning() {
      Verdict v = validate(ingress().hostPath("api.other.com", "/", "web", 80).alb("certificate-arn", CERT_SHOP));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly("host \"api.other.com\" is not covered by any certificate in " + ALB
          + "certificate-arn; HTTPS clients will see a name mismatch");
    }

    @Test
    void iamServerCertificateIsAcceptedWithoutAcm() {
      assertClean(validate(ingress().hostPath("legacy.example.com", "/", "web", 80).alb("certificate-arn", CERT_IAM)));
    }

    @Test
    void certificateWithoutHttpsListenerIsUnusedAndWarned() {
      Verdict v = validate(web().alb("certificate-arn", CERT_SHOP).alb("listen-ports", "[{\"HTTP\": 80}]"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly(ALB + "certificate-arn is set, but " + ALB
          + "listen-ports [HTTP:80] has no HTTPS listener, so the certificate is not used");
    }

    @Test
    void aMissingArnAwsCouldNotAnswerForIsAWarningNotADenial() {
      aws = new AwsFacts(AWS.subnets(), AWS.certificates(), java.util.Map.of(CERT_MISSING, "ACM DescribeCertificate failed: throttled"));
      Verdict v = validate(web().alb("certificate-arn", CERT_MISSING));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly(
          "could not verify " + ALB + "certificate-arn \"" + CERT_MISSING + "\": ACM DescribeCertificate failed: throttled");
    }

    @Test
    void needsNamesTheExplicitAcmArnsToLookUpOnTheirOwn() {
      assertThat(Fixtures.validator(cluster).needs(web().alb("certificate-arn", CERT_MISSING + "," + CERT_IAM).build()).certificateArns())
          .containsExactly(CERT_MISSING);
    }

    @Test
    void unknownAcmStateIsAWarning() {
      aws = new AwsFacts(AWS.subnets(), Known.unknown("ACM ListCertificates failed: access denied"));
      Verdict v = validate(web().alb("certificate-arn", CERT_MISSING));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly(
          "could not verify " + ALB + "certificate-arn: ACM ListCertificates failed: access denied");
    }
  }

  @Nested
  class ListenPortsAndDiscovery {
    @Test
    void malformedJsonIsDenied() {
      assertThat(validate(web().alb("listen-ports", "[{\"HTTP\": 80]")).denials()).singleElement().asString()
          .endsWith("(the value is not valid JSON)");
    }

    @Test
    void badProtocolAndPortsAreDenied() {
      assertThat(validate(web().alb("listen-ports", "[{\"TCP\": 80}, {\"HTTP\": 0}, {\"HTTP\": 70000}]")).denials())
          .containsExactly(
              ALB + "listen-ports: \"{\"TCP\":80}\" is not valid: expected protocol HTTP or HTTPS (an ALB listens on nothing else)",
              ALB + "listen-ports: \"{\"HTTP\":0}\" is not valid: expected a port number from 1 to 65535",
              ALB + "listen-ports: \"{\"HTTP\":70000}\" is not valid: expected a port number from 1 to 65535");
    }

    @Test
    void duplicatePortIsDenied() {
      assertThat(validate(web().alb("listen-ports", "[{\"HTTP\": 80}, {\"HTTP\": 80}]")).denials())
          .containsExactly(ALB + "listen-ports: lists port 80 more than once");
    }

    @Test
    void httpsWithoutCertificateOrHostsIsDenied() {
      assertThat(validate(web().alb("listen-ports", "[{\"HTTPS\": 443}]")).denials()).containsExactly(
          ALB + "listen-ports: HTTPS listener HTTPS:443 needs a certificate: set " + ALB + "certificate-arn,"
              + " or name hosts in spec.tls or spec.rules that an ISSUED ACM certificate covers");
    }

    @Test
    void httpsWithACertificateDiscoveredForTlsHostsIsAllowed() {
      assertClean(validate(web().tls("shop.example.com").alb("listen-ports", HTTP_AND_HTTPS)));
    }

    @Test
    void discoveryCoversTheTlsHosts() {
      assertClean(validate(web().tls("www.shop.example.com").alb("listen-ports", "[{\"HTTPS\": 443}]")));
    }

    @Test
    void tlsAloneKeepsTheDefaultHttpListenerAsInTheReferenceAndIsWarned() {
      Verdict v = validate(web().tls("www.shop.example.com"));
      assertThat(v.denials()).isEmpty();
      assertThat(v.warnings()).containsExactly("spec.tls is set, but the listeners are [HTTP:80]: as in the reference controller,"
          + " spec.tls alone does not make an HTTPS listener; add {\"HTTPS\": 443} to " + ALB + "listen-ports (its certificate is"
          + " discovered for the hosts) or set " + ALB + "certificate-arn");
    }

    @Test
    void discoveryFindingNoCertificateIsDenied() {
      assertThat(validate(web().tls("www.unknown.org").alb("listen-ports", HTTP_AND_HTTPS)).denials()).containsExactly(
          ALB + "listen-ports: HTTPS listener HTTPS:443 needs a certificate, and no ISSUED ACM certificate in us-west-2 covers"
              + " www.unknown.org; request or import one, or set " + ALB + "certificate-arn");
    }

    @Test
    void discoveryIgnoresCertificatesThatAreNotIssued() {
      assertThat(validate(web().tls("new.example.com").alb("listen-ports", "[{\"HTTPS\": 443}]")).denials()).singleElement().asString()
          .contains("no ISSUED ACM certificate in us-west-2 covers new.example.com");
    }

    @Test
    void discoveryCoveringSomeHostsWarnsAboutTheOthers() {
      Verdict v = validate(ingress().hostPath("shop.example.com", "/", "web", 80).tls("shop.example.com", "www.unknown.org").alb("listen-ports", "[{\"HTTPS\": 443}]"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly(
          "no ISSUED ACM certificate covers www.unknown.org; HTTPS clients of those hosts will see a name mismatch");
    }

    @Test
    void discoveryWithUnknownAcmStateIsAWarning() {
      aws = AwsFacts.unknown("offline plan");
      Verdict v = validate(web().tls("shop.example.com").alb("listen-ports", "[{\"HTTPS\": 443}]"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly("could not verify certificate discovery for hosts [shop.example.com]: offline plan");
    }
  }

  @Nested
  class SslRedirect {
    @Test
    void redirectToTheHttpsListenerIsAllowed() {
      assertClean(validate(ingress().hostPath("shop.example.com", "/", "web", 80)
          .alb("certificate-arn", CERT_SHOP).alb("listen-ports", HTTP_AND_HTTPS).alb("ssl-redirect", "443")));
    }

    @Test
    void redirectWithoutAnyHttpsListenerIsDenied() {
      assertThat(validate(web().alb("ssl-redirect", "443")).denials()).containsExactly(
          ALB + "ssl-redirect: redirects HTTP to port 443, which needs an HTTPS listener, but this Ingress listens on [HTTP:80];"
              + " add {\"HTTPS\": 443} to " + ALB + "listen-ports, or set " + ALB + "certificate-arn so that the default listener is HTTPS:443");
    }

    @Test
    void redirectToAPortThatIsNotListedIsDenied() {
      assertThat(validate(web().tls("shop.example.com").alb("listen-ports", HTTP_AND_HTTPS).alb("ssl-redirect", "8443")).denials())
          .containsExactly(ALB + "ssl-redirect: redirects HTTP to port 8443, which needs an HTTPS listener, but this Ingress listens on"
              + " [HTTP:80, HTTPS:443]; add {\"HTTPS\": 8443} to " + ALB + "listen-ports");
    }

    @Test
    void redirectToAnHttpPortIsDeniedOnce() {
      assertThat(validate(web().tls("shop.example.com").alb("listen-ports", HTTP_AND_HTTPS).alb("ssl-redirect", "80")).denials())
          .containsExactly(ALB + "ssl-redirect: \"80\" is not valid: expected an HTTPS port, but listen-ports makes 80 an HTTP listener,"
              + " which would redirect to itself");
    }

    @Test
    void httpsListenerOfAnotherGroupMemberIsEnough() {
      cluster.with(ingress("secure").alb("group.name", "shop").tls("shop.example.com").alb("listen-ports", "[{\"HTTPS\": 443}]").path("/secure", "web", 80).build());
      assertClean(validate(web().alb("group.name", "shop").alb("listen-ports", "[{\"HTTP\": 80}]").alb("ssl-redirect", "443")));
    }
  }

  @Nested
  class Enums {
    @Test
    void schemeAndIpAddressType() {
      assertThat(validate(web().alb("scheme", "external").alb("ip-address-type", "ipv6")).denials()).containsExactly(
          ALB + "scheme: \"external\" is not valid: expected one of internet-facing, internal",
          ALB + "ip-address-type: \"ipv6\" is not valid: expected one of ipv4, dualstack, dualstack-without-public-ipv4");
    }

    @Test
    void backendProtocolAndVersion() {
      assertThat(validate(web().alb("backend-protocol", "GRPC").alb("backend-protocol-version", "h2")).denials()).containsExactly(
          ALB + "backend-protocol: \"GRPC\" is not valid: expected one of HTTP, HTTPS",
          ALB + "backend-protocol-version: \"h2\" is not valid: expected one of HTTP1, HTTP2, GRPC");
    }

    @Test
    void validValuesAreAllowed() {
      assertClean(validate(web().alb("scheme", "internet-facing").alb("ip-address-type", "dualstack")
          .alb("backend-protocol", "HTTPS").alb("backend-protocol-version", "GRPC")));
    }
  }

  @Nested
  class HealthCheck {
    @Test
    void intervalRange() {
      assertThat(validate(web().alb("healthcheck-interval-seconds", "301")).denials()).containsExactly(
          ALB + "healthcheck-interval-seconds: \"301\" is not valid: expected an integer from 5 to 300");
    }

    @Test
    void timeoutRangeAndLessThanInterval() {
      assertThat(validate(web().alb("healthcheck-timeout-seconds", "121")).denials()).containsExactly(
          ALB + "healthcheck-timeout-seconds: \"121\" is not valid: expected an integer from 2 to 120");
      assertThat(validate(web().alb("healthcheck-interval-seconds", "10").alb("healthcheck-timeout-seconds", "10")).denials())
          .containsExactly(ALB + "healthcheck-timeout-seconds: the health check timeout (10s) must be less than its interval (10s)");
    }

    @Test
    void thresholds() {
      assertThat(validate(web().alb("healthy-threshold-count", "11").alb("unhealthy-threshold-count", "1")).denials())
          .containsExactly(
              ALB + "healthy-threshold-count: \"11\" is not valid: expected an integer from 2 to 10",
              ALB + "unhealthy-threshold-count: \"1\" is not valid: expected an integer from 2 to 10");
    }

    @Test
    void successCodesSyntax() {
      assertThat(validate(web().alb("success-codes", "200-2xx")).denials()).containsExactly(ALB + "success-codes: \"200-2xx\""
          + " is not valid: expected HTTP codes from 200 to 499 as a single code, a list (200,202) or a range (200-299)");
    }

    @Test
    void healthCheckPortForms() {
      assertClean(validate(web().alb("healthcheck-port", "traffic-port")));
      assertClean(validate(web().alb("healthcheck-port", "8080")));
      assertThat(validate(web().alb("healthcheck-port", "70000")).denials()).containsExactly(ALB + "healthcheck-port: \"70000\""
          + " is not valid: expected traffic-port, a port number from 1 to 65535, or a named port");
    }

    @Test
    void serviceOverridesTheHealthCheckOfItsTargetGroup() {
      cluster = new TestCluster().with(service("web", "NodePort", Map.of(ALB + "healthcheck-interval-seconds", "2"), port("http", 80)));
      assertThat(validate(web()).denials()).containsExactly(ALB + "healthcheck-interval-seconds (on Service shop/web): \"2\""
          + " is not valid: expected an integer from 5 to 300");
    }
  }

  @Nested
  class OtherAnnotations {
    @Test
    void sslPolicy() {
      assertThat(validate(web().alb("ssl-policy", "ELBSecurityPolicy-TLS-1-2-2017")).denials()).containsExactly(
          ALB + "ssl-policy: \"ELBSecurityPolicy-TLS-1-2-2017\" is not valid: expected a predefined ELB security policy name"
              + " such as ELBSecurityPolicy-TLS-1-2-2017-01");
    }

    @Test
    void inboundCidrs() {
      assertThat(validate(web().alb("inbound-cidrs", "10.0.0.0/8, 203.0.113.9")).denials()).containsExactly(
          ALB + "inbound-cidrs: \"203.0.113.9\" is not valid: expected a CIDR block with a prefix length; did you mean 203.0.113.9/32?");
    }

    @Test
    void ipv6CidrsOnAnIpv4LoadBalancerAreDenied() {
      assertThat(validate(web().alb("inbound-cidrs", "10.0.0.0/8,2001:db8::/32")).denials()).containsExactly(
          ALB + "inbound-cidrs: IPv6 blocks [2001:db8::/32] cannot admit clients because " + ALB
              + "ip-address-type is ipv4; set it to dualstack, or list only IPv4 blocks");
      assertClean(validate(web().alb("inbound-cidrs", "2001:db8::/32").alb("ip-address-type", "dualstack")));
    }

    @Test
    void securityGroups() {
      assertThat(validate(web().alb("security-groups", "sg-12345")).denials()).containsExactly(
          ALB + "security-groups: \"sg-12345\" is not valid: expected a security group ID (sg- and 8 or 17 hex digits) or a group name");
    }

    @Test
    void securityGroupsMustExistInTheVpc() {
      assertClean(validate(web().alb("security-groups", "web-sg, " + Fixtures.SG_WEB)));
      assertThat(validate(web().alb("security-groups", "sg-0bbbbbbbbbbbbbbb1, nope, twice")).denials()).containsExactly(
          ALB + "security-groups: security group \"sg-0bbbbbbbbbbbbbbb1\" was not found in the cluster's VPC " + Fixtures.VPC,
          ALB + "security-groups: security group \"nope\" was not found in the cluster's VPC " + Fixtures.VPC
              + " (names are matched against the Name tag)",
          ALB + "security-groups: the Name \"twice\" matches 2 security groups (sg-0aaaaaaaaaaaaaaa2, sg-0aaaaaaaaaaaaaaa3); use group IDs");
    }

    @Test
    void securityGroupsNotLookedUpAreWarnedNotDenied() {
      aws = new AwsFacts(AWS.subnets(), AWS.certificates());
      Verdict v = validate(web().alb("security-groups", "nope"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).singleElement().asString().startsWith("could not verify " + ALB + "security-groups [nope]");
    }

    @Test
    void inboundCidrsAndPrefixListsWithUserGroupsAreWarnedAsNotApplied() {
      Verdict v = validate(web().alb("security-groups", "web-sg").alb("inbound-cidrs", "10.0.0.0/8")
          .alb("security-group-prefix-lists", "pl-0123456789abcdef0"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("is not applied: " + ALB + "security-groups names"));
      assertClean(validate(web().alb("inbound-cidrs", "10.0.0.0/8").alb("security-group-prefix-lists", "pl-0123456789abcdef0")));
    }

    @Test
    void prefixListsAndTheBackendFlagAreChecked() {
      assertThat(validate(web().alb("security-group-prefix-lists", "pl-123").alb("manage-backend-security-group-rules", "yes")).denials())
          .hasSize(2).anySatisfy(d -> assertThat(d).contains("\"pl-123\" is not valid: expected a managed prefix list ID"));
    }

    @Test
    void tags() {
      assertThat(validate(web().alb("tags", "team=shop,aws:cost=1,owner")).denials()).containsExactly(
          ALB + "tags: \"aws:cost=1\" is not valid: expected a tag key that does not start with \"aws:\" (reserved by AWS)",
          ALB + "tags: \"owner\" is not valid: expected key=value pairs separated by commas");
    }

    @Test
    void loadBalancerAttributes() {
      assertThat(validate(web().alb("load-balancer-attributes", "routing.http2.enabled=yes,idle_timeout.seconds=60")).denials())
          .containsExactly(
              ALB + "load-balancer-attributes: \"routing.http2.enabled=yes\" is not valid: expected routing.http2.enabled=true"
                  + " or routing.http2.enabled=false",
              ALB + "load-balancer-attributes: \"idle_timeout.seconds=60\" is not valid: expected a known ALB attribute"
                  + " (idle_timeout.seconds is not one; see the ALB attributes in the AWS documentation)");
    }

    @Test
    void targetGroupAttributes() {
      assertThat(validate(web().alb("target-group-attributes", "stickiness.enabled=1,slow_start=30")).denials()).containsExactly(
          ALB + "target-group-attributes: \"stickiness.enabled=1\" is not valid: expected stickiness.enabled=true or stickiness.enabled=false",
          ALB + "target-group-attributes: \"slow_start=30\" is not valid: expected a known target group attribute (slow_start is not one)");
    }

    @Test
    void loadBalancerName() {
      assertThat(validate(web().alb("load-balancer-name", "x".repeat(33))).denials()).containsExactly(
          ALB + "load-balancer-name: \"" + "x".repeat(33) + "\" is not valid: expected at most 32 characters (this one has 33)");
      assertThat(validate(web().alb("load-balancer-name", "-shop")).denials()).containsExactly(ALB + "load-balancer-name: \"-shop\""
          + " is not valid: expected only letters, digits and '-', not starting or ending with '-'");
      assertThat(validate(web().alb("load-balancer-name", "internal-shop")).denials()).containsExactly(ALB + "load-balancer-name:"
          + " \"internal-shop\" is not valid: expected a name that does not start with \"internal-\" (AWS reserves that prefix)");
    }

    @Test
    void groupNameAndOrder() {
      assertThat(validate(web().alb("group.name", "Shop Front").alb("group.order", "1001")).denials()).containsExactly(
          ALB + "group.name: \"Shop Front\" is not valid: expected at most 63 lowercase letters, digits, '-' and '.',"
              + " starting and ending with a letter or digit",
          ALB + "group.order: \"1001\" is not valid: expected an integer from -1000 to 1000");
      assertThat(validate(web().alb("group.name", "g".repeat(64))).denials()).hasSize(1);
    }

    @Test
    void wafv2AndShield() {
      assertThat(validate(web().alb("wafv2-acl-arn", "arn:aws:waf::123456789012:webacl/abc").alb("shield-advanced-protection", "on"))
          .denials()).containsExactly(
              ALB + "wafv2-acl-arn: \"arn:aws:waf::123456789012:webacl/abc\" is not valid: expected a WAFv2 web ACL ARN"
                  + " (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), or none to remove the association",
              ALB + "shield-advanced-protection: \"on\" is not valid: expected true or false");
    }

    @Test
    void unknownAnnotationIsWarnedWithASuggestion() {
      Verdict v = validate(web().alb("target-tpye", "ip"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly(
          ALB + "target-tpye is not a known annotation and is ignored; did you mean " + ALB + "target-type?");
    }

    @Test
    void unknownAnnotationWithoutLikelyMeaning() {
      assertThat(validate(web().alb("frobnicate-everything", "yes")).warnings()).containsExactly(
          ALB + "frobnicate-everything is not a known annotation and is ignored");
    }

    @Test
    void misspeltActionFamilyIsWarned() {
      assertThat(validate(web().alb("action.web", "{}")).warnings()).containsExactly(
          ALB + "action.web is not a known annotation and is ignored; did you mean " + ALB + "actions.web?");
    }

    @Test
    void referenceAnnotationsThisControllerIgnoresAreWarned() {
      Verdict v = validate(web().alb("enable-frontend-nlb", "true"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly(ALB + "enable-frontend-nlb is not applied by this controller and is ignored");
    }

    @Test
    void securityAnnotationsOnceDeniedAreNowApplied() {
      // auth, JWT validation, mutual TLS and listener attributes were denied until applied; none is denied now
      for (String name : java.util.List.of("auth-type", "jwt-validation", "mutual-authentication", "listener-attributes.HTTPS-443")) {
        assertThat(io.albingress.annotations.AnnotationCatalog.support(name)).as(name)
            .contains(io.albingress.annotations.AnnotationCatalog.Support.APPLIED);
      }
      Verdict v = validate(web().alb("mutual-authentication", "[{\"port\": 443, \"mode\": \"off\"}]"));
      assertThat(v.denials()).noneMatch(d -> d.contains("not applied by this controller"));
    }

    @Test
    void theAddOnsAreAcceptedWithoutAWord() {
      Verdict v = validate(web().alb("wafv2-acl-name", "shop").alb("waf-acl-id", "none").alb("shield-advanced-protection", "true"));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).isEmpty();
    }
  }

  @Nested
  class ListenerSettings {
    static final String MTLS = "mutual-authentication";

    @Test
    void mutualTlsAndListenerAttributesAreAcceptedWithoutAWord() {
      assertClean(validate(web().alb("certificate-arn", CERT_SHOP)
          .alb(MTLS, "[{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"partners\", \"advertiseTrustStoreCaNames\": \"on\"}]")
          .alb("listener-attributes.HTTPS-443", "routing.http.response.server.enabled=false,"
              + "routing.http.response.strict_transport_security.header_value=max-age=31536000")));
    }

    @Test
    void badValuesAreDeniedNamingKeyAndValue() {
      assertThat(validate(web().alb("certificate-arn", CERT_SHOP).alb(MTLS, "[{\"port\": 443, \"mode\": \"strict\"}]")).denials())
          .containsExactly(ALB + MTLS + ": \"{\"port\":443,\"mode\":\"strict\"}\" is not valid: expected \"mode\": off, passthrough or verify");
      assertThat(validate(web().alb("listener-attributes.HTTP-80", "routing.http.response.server.enabled=maybe")).denials())
          .containsExactly(ALB + "listener-attributes.HTTP-80: \"routing.http.response.server.enabled=maybe\" is not valid: expected"
              + " routing.http.response.server.enabled=true or routing.http.response.server.enabled=false");
    }

    @Test
    void aServicesBadTagsAreDeniedOnTheIngressThatUsesIt() {
      Service tagged = nodePort("tagged");
      tagged.getMetadata().setAnnotations(Map.of(ALB + "tags", "owner"));
      cluster.with(tagged);
      assertThat(validate(ingress().path("/", "tagged", 80)).denials()).containsExactly(
          ALB + "tags (on Service shop/tagged): \"owner\" is not valid: expected key=value pairs separated by commas");
    }

    @Test
    void aPortThisIngressDoesNotListenOnIsDenied() {
      assertThat(validate(web().alb(MTLS, "[{\"port\": 443, \"mode\": \"passthrough\"}]")).denials()).containsExactly(
          ALB + MTLS + ": port 443 (passthrough) is not an HTTPS listener of this Ingress, so its mutual TLS would not be applied;"
              + " this Ingress listens on [HTTP:80] (" + ALB + "listen-ports)");
      assertThat(validate(web().alb("listener-attributes.HTTPS-443", "routing.http.response.server.enabled=false")).denials())
          .containsExactly(ALB + "listener-attributes.HTTPS-443: this Ingress has no HTTPS:443 listener, so its attributes would not"
              + " be applied; this Ingress listens on [HTTP:80] (" + ALB + "listen-ports)");
    }
  }

  @Nested
  class Groups {
    static final String AGREE = "; members of a group share one ALB and must agree";
    static final String ON_OTHER = " on Ingress shop/other of group \"shop\"";

    Fixtures.Ing member() {
      return web().alb("group.name", "shop");
    }

    void other(Fixtures.Ing other) {
      cluster.with(other.alb("group.name", "shop").build());
    }

    Fixtures.Ing otherIngress() {
      return ingress("other").path("/other", "web", 80);
    }

    @Test
    void membersThatAgreeAreAllowed() {
      other(otherIngress().alb("scheme", "internet-facing").alb("subnets", SUBNET_B.id() + "," + SUBNET_A.id()));
      assertClean(validate(member().alb("scheme", "internet-facing").alb("subnets", SUBNET_A.id() + "," + SUBNET_B.id())));
    }

    @Test
    void settingsOnlyOneMemberSetsDoNotConflict() {
      other(otherIngress().alb("scheme", "internet-facing").alb("ssl-policy", "ELBSecurityPolicy-2016-08"));
      assertClean(validate(member()));
    }

    @Test
    void scheme() {
      other(otherIngress().alb("scheme", "internal"));
      assertThat(validate(member().alb("scheme", "internet-facing")).denials()).containsExactly(
          ALB + "scheme: \"internet-facing\" conflicts with \"internal\"" + ON_OTHER + AGREE);
    }

    @Test
    void ipAddressType() {
      other(otherIngress().alb("ip-address-type", "ipv4"));
      assertThat(validate(member().alb("ip-address-type", "dualstack")).denials()).containsExactly(
          ALB + "ip-address-type: \"dualstack\" conflicts with \"ipv4\"" + ON_OTHER + AGREE);
    }

    @Test
    void subnets() {
      other(otherIngress().alb("subnets", "public-a,public-b"));
      assertThat(validate(member().alb("subnets", "public-a,public-c")).denials()).containsExactly(
          ALB + "subnets: \"public-a,public-c\" conflicts with \"public-a,public-b\"" + ON_OTHER + AGREE);
    }

    @Test
    void securityGroups() {
      other(otherIngress().alb("security-groups", "sg-0123456789abcdef0"));
      assertThat(validate(member().alb("security-groups", "web-frontend")).denials()).containsExactly(
          ALB + "security-groups: \"web-frontend\" conflicts with \"sg-0123456789abcdef0\"" + ON_OTHER + AGREE);
    }

    @Test
    void loadBalancerName() {
      other(otherIngress().alb("load-balancer-name", "shop-b"));
      assertThat(validate(member().alb("load-balancer-name", "shop-a")).denials()).containsExactly(
          ALB + "load-balancer-name: \"shop-a\" conflicts with \"shop-b\"" + ON_OTHER + AGREE);
    }

    @Test
    void sslPolicyOfASharedHttpsListener() {
      other(otherIngress().alb("certificate-arn", CERT_SHOP).alb("ssl-policy", "ELBSecurityPolicy-2016-08"));
      assertThat(validate(member().alb("certificate-arn", CERT_SHOP).alb("ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"))
          .denials()).containsExactly(ALB + "ssl-policy: \"ELBSecurityPolicy-TLS13-1-2-2021-06\" conflicts with"
              + " \"ELBSecurityPolicy-2016-08\"" + ON_OTHER + ", which shares HTTPS listener HTTPS:443; a listener has one policy");
    }

    @Test
    void mutualAuthenticationOfASharedHttpsListener() {
      other(otherIngress().alb("certificate-arn", CERT_SHOP)
          .alb("mutual-authentication", "[{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"partners\"}]"));
      assertThat(validate(member().alb("certificate-arn", CERT_SHOP)
          .alb("mutual-authentication", "[{\"port\": 443, \"mode\": \"passthrough\"}]")).denials()).containsExactly(
          ALB + "mutual-authentication: port 443 is \"passthrough\" here but \"verify with trust store partners\"" + ON_OTHER
              + ", which shares HTTPS listener HTTPS:443; a listener has one mutual TLS setting");
      // the same setting, or none on this member, agrees
      assertClean(validate(member().alb("certificate-arn", CERT_SHOP)
          .alb("mutual-authentication", "[{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"partners\"}]")));
      assertClean(validate(member().alb("certificate-arn", CERT_SHOP)));
    }

    @Test
    void listenerAttributesOfASharedListener() {
      other(otherIngress().alb("listener-attributes.HTTP-80", "routing.http.response.server.enabled=true"));
      assertThat(validate(member().alb("listener-attributes.HTTP-80", "routing.http.response.server.enabled=false")).denials())
          .containsExactly(ALB + "listener-attributes.HTTP-80: listener attribute \"routing.http.response.server.enabled\" is"
              + " \"false\" here but \"true\"" + ON_OTHER + ", which shares listener HTTP:80; a listener has one value of each attribute");
      assertClean(validate(member().alb("listener-attributes.HTTP-80",
          "routing.http.response.x_frame_options.header_value=DENY")));
    }

    @Test
    void sslPoliciesOfDifferentListenersDoNotConflict() {
      other(otherIngress().alb("certificate-arn", CERT_SHOP).alb("listen-ports", "[{\"HTTPS\": 8443}]")
          .alb("ssl-policy", "ELBSecurityPolicy-2016-08"));
      assertClean(validate(member().alb("certificate-arn", CERT_SHOP).alb("ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06")));
    }

    @Test
    void port443HttpHereButHttpsThere() {
      other(otherIngress().alb("certificate-arn", CERT_SHOP));
      assertThat(validate(member().alb("listen-ports", "[{\"HTTP\": 443}]")).denials()).containsExactly(
          ALB + "listen-ports: port 443 is HTTP here but HTTPS" + ON_OTHER + "; a port has one listener with one protocol");
    }

    @Test
    void tagsWithTheSameKeyMustAgree() {
      other(otherIngress().alb("tags", "team=payments,env=prod"));
      assertThat(validate(member().alb("tags", "team=shop,env=prod,owner=me")).denials()).containsExactly(
          ALB + "tags: tag \"team\" is \"shop\" here but \"payments\"" + ON_OTHER + AGREE);
    }

    @Test
    void loadBalancerAttributesMustAgree() {
      other(otherIngress().alb("load-balancer-attributes", "idle_timeout.timeout_seconds=120"));
      assertThat(validate(member().alb("load-balancer-attributes", "idle_timeout.timeout_seconds=60")).denials()).containsExactly(
          ALB + "load-balancer-attributes: attribute \"idle_timeout.timeout_seconds\" is \"60\" here but \"120\"" + ON_OTHER + AGREE);
    }

    @Test
    void wafAndSslRedirectMustAgree() {
      String waf1 = "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/one/0a1b2c3d-0000-0000-0000-000000000001";
      String waf2 = "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/two/0a1b2c3d-0000-0000-0000-000000000002";
      other(otherIngress().tls("shop.example.com").alb("listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}, {\"HTTPS\": 8443}]")
          .alb("wafv2-acl-arn", waf1).alb("ssl-redirect", "8443"));
      assertThat(validate(member().alb("wafv2-acl-arn", waf2).alb("ssl-redirect", "443")).denials()).containsExactly(
          ALB + "ssl-redirect: \"443\" conflicts with \"8443\"" + ON_OTHER + AGREE,
          ALB + "wafv2-acl-arn: \"" + waf2 + "\" conflicts with \"" + waf1 + "\"" + ON_OTHER + AGREE);
    }

    @Test
    void inboundCidrsOfASharedListenerMustAgree() {
      other(otherIngress().alb("inbound-cidrs", "10.0.0.0/8"));
      assertThat(validate(member().alb("inbound-cidrs", "192.168.0.0/16")).denials()).containsExactly(
          ALB + "inbound-cidrs: [192.168.0.0/16] conflicts with [10.0.0.0/8]" + ON_OTHER
              + ", which shares listener HTTP:80; a listener admits one set of CIDRs");
    }

    @Test
    void ingressesOfAnotherClassInTheSameGroupAreIgnored() {
      cluster.with(ingressClass("nginx", "k8s.io/ingress-nginx"));
      other(otherIngress().className("nginx").alb("scheme", "internal"));
      assertClean(validate(member().alb("scheme", "internet-facing")));
    }

    @Test
    void ingressesBeingDeletedAreIgnored() {
      Ingress deleting = otherIngress().alb("group.name", "shop").alb("scheme", "internal").build();
      deleting.getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");
      cluster.with(deleting);
      assertClean(validate(member().alb("scheme", "internet-facing")));
    }

    @Test
    void anUpdateIsNotComparedWithItsOwnStoredVersion() {
      cluster.with(web().alb("group.name", "shop").alb("scheme", "internal").build());
      assertClean(validate(member().alb("scheme", "internet-facing")));
    }

    @Test
    void conflictsWithSeveralMembersAreEachNamed() {
      other(otherIngress().alb("scheme", "internal"));
      cluster.with(ingress("third").path("/3", "web", 80).alb("group.name", "shop").alb("scheme", "internal").build());
      assertThat(validate(member().alb("scheme", "internet-facing")).denials()).containsExactly(
          ALB + "scheme: \"internet-facing\" conflicts with \"internal\"" + ON_OTHER + AGREE,
          ALB + "scheme: \"internet-facing\" conflicts with \"internal\" on Ingress shop/third of group \"shop\"" + AGREE);
    }
  }

  @Nested
  class Quotas {
    static final String THIS = "the load balancer of this Ingress";

    @Test
    void eightyRulesAreFine() {
      assertClean(validate(ingress().paths(80)));
    }

    @Test
    void moreThanEightyRulesAreWarned() {
      Verdict v = validate(ingress().paths(81));
      assertThat(v.allowed()).isTrue();
      assertThat(v.warnings()).containsExactly(THIS + " has 81 rules, close to the ALB limit of 100");
    }

    @Test
    void moreThanOneHundredRulesAreDenied() {
      assertThat(validate(ingress().paths(101)).denials()).containsExactly("spec.rules: " + THIS + " would have 101 rules"
          + " (each path is a rule on each listener of its Ingress); an ALB allows at most 100, not counting default rules"
          + " (split the group or merge paths)");
    }

    @Test
    void rulesAreCountedPerLoadBalancerAcrossListeners() {
      // 60 paths on HTTP:80 and HTTPS:443 are 120 rules: the quota is per load balancer, not per listener
      assertThat(validate(ingress().paths(60).alb("listen-ports", HTTP_AND_HTTPS).alb("certificate-arn", CERT_SHOP)).denials())
          .containsExactly("spec.rules: " + THIS + " would have 120 rules (each path is a rule on each listener of its Ingress);"
              + " an ALB allows at most 100, not counting default rules (split the group or merge paths)");
    }

    @Test
    void anSslRedirectedHttpListenerHasNoRules() {
      assertClean(validate(ingress().paths(60).alb("listen-ports", HTTP_AND_HTTPS).alb("certificate-arn", CERT_SHOP)
          .alb("ssl-redirect", "443")));
    }

    @Test
    void rulesAreCountedAcrossTheGroup() {
      cluster.with(ingress("other").alb("group.name", "shop").alb("listen-ports", "[{\"HTTP\": 8080}]").paths(50).build());
      assertThat(validate(ingress().alb("group.name", "shop").paths(51)).denials()).containsExactly("spec.rules: the load balancer of"
          + " group \"shop\" would have 101 rules (each path is a rule on each listener of its Ingress); an ALB allows at most 100,"
          + " not counting default rules (split the group or merge paths)");
    }

    @Test
    void theDefaultBackendIsNotARule() {
      assertClean(validate(ingress().paths(80).defaultBackend("web", 80)));
    }

    @Test
    void moreThanOneHundredTargetGroupsAreDenied() {
      Fixtures.Ing ing = ingress();
      for (int i = 0; i < 101; i++) {
        cluster.with(nodePort("svc" + i));
        ing.path("/s" + i, "svc" + i, 80);
      }
      assertThat(validate(ing).denials()).containsExactly(
          "spec.rules: " + THIS + " would have 101 rules (each path is a rule on each listener of its Ingress); an ALB allows at most 100,"
              + " not counting default rules (split the group or merge paths)",
          "spec.rules: " + THIS + " would have 101 target groups (one per Service port); an ALB allows at most 100 (split the group)");
    }

    @Test
    void moreThanTwentyFiveCertificatesBesideTheDefaultAreDenied() {
      aws = new AwsFacts(AWS.subnets(), Known.unknown("not looked up"));
      List<String> arns = new java.util.ArrayList<>();
      for (int i = 0; i < 27; i++) {
        arns.add("arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-0000000000" + (10 + i));
      }
      assertThat(validate(web().alb("certificate-arn", String.join(",", arns))).denials()).containsExactly(ALB + "certificate-arn: " + THIS
          + " would have 27 certificates; an ALB allows the default one and at most 25 more (use certificates covering several hosts,"
          + " or split the group)");
    }
  }

  @Test
  void needsAsksAwsOnlyForWhatIsChecked() {
    IngressValidator validator = Fixtures.validator(cluster);
    assertThat(validator.needs(web().build())).isEqualTo(new AwsFacts.Needs(false, false));
    assertThat(Fixtures.validator(cluster).needs(web().alb("subnets", "a,b").build())).isEqualTo(new AwsFacts.Needs(true, false));
    assertThat(validator.needs(web().tls("shop.example.com").alb("listen-ports", "[{\"HTTPS\": 443}]").build())).isEqualTo(new AwsFacts.Needs(false, true));
    assertThat(validator.needs(web().noClass().alb("subnets", "a,b").build())).isEqualTo(new AwsFacts.Needs(false, false));
    assertThat(validator.needs(web().alb("security-groups", "web-sg").build())).isEqualTo(new AwsFacts.Needs(false, false, true));
  }

  @Test
  void warningsAndDenialsAreNotRepeated() {
    cluster = new TestCluster();
    Verdict v = validate(ingress().path("/a", "cart", 80).path("/b", "cart", 80));
    assertThat(v.warnings()).hasSize(2);
    assertThat(List.copyOf(new java.util.LinkedHashSet<>(v.warnings()))).isEqualTo(v.warnings());
  }

  /** Answers that match the reference controller's model builder (issue 15). */
  @Nested
  class ReferenceParity {
    @Test
    void wildcardsInPrefixAndExactPathsAreDenied() {
      Verdict v = validate(ingress().path(null, "/static/*", "Prefix", Fixtures.backend("web", 80))
          .path(null, "/file?.txt", "Exact", Fixtures.backend("web", 80))
          .path(null, "/img/*.png", "ImplementationSpecific", Fixtures.backend("web", 80)));
      assertThat(v.denials()).containsExactly(
          "spec.rules[0].http.paths[0].path: \"/static/*\" is of pathType Prefix, and prefix paths shouldn't contain wildcards:"
              + " Kubernetes matches * and ? literally, an ALB as wildcards; use pathType ImplementationSpecific for an ALB wildcard pattern",
          "spec.rules[0].http.paths[1].path: \"/file?.txt\" is of pathType Exact, and exact paths shouldn't contain wildcards:"
              + " Kubernetes matches * and ? literally, an ALB as wildcards; use pathType ImplementationSpecific for an ALB wildcard pattern");
    }

    @Test
    void aSecondDefaultBackendInAGroupIsDeniedNamingTheFirst() {
      cluster.with(ingress("other").path("/other", "web", 80).defaultBackend("web", 80).alb("group.name", "shop").build());
      assertThat(validate(web().alb("group.name", "shop").defaultBackend("web", 80)).denials()).containsExactly(
          "spec.defaultBackend: Ingress shop/other of group \"shop\" already sets the default backend of listener HTTP:80;"
              + " a listener has one default action, so remove spec.defaultBackend here or there"
              + " (a path / with pathType Prefix routes everything else too)");
    }

    @Test
    void defaultBackendsOnDifferentListenersDoNotConflict() {
      cluster.with(ingress("other").path("/other", "web", 80).defaultBackend("web", 80).alb("group.name", "shop")
          .alb("listen-ports", "[{\"HTTP\": 8080}]").build());
      assertClean(validate(web().alb("group.name", "shop").defaultBackend("web", 80)));
    }

    @Test
    void forwardToSeveralTargetGroupsWithoutWeightsIsDenied() {
      cluster.with(nodePort("api"));
      Verdict v = validate(ingress().useAnnotation("/", "split").alb("actions.split", "{\"type\": \"forward\", \"forwardConfig\":"
          + " {\"targetGroups\": [{\"serviceName\": \"web\", \"servicePort\": 80, \"weight\": 90}, {\"serviceName\": \"api\", \"servicePort\": 80}]}}"));
      assertThat(v.denials()).containsExactly(ALB + "actions.split: \"{\"serviceName\":\"api\",\"servicePort\":80}\" is not valid:"
          + " expected a weight on each target group when forwarding to several, as the reference controller requires (e.g. \"weight\": 50)");
    }

    @Test
    void pascalCaseKeysAreAcceptedAndAnUnknownKeyIsDenied() {
      assertClean(validate(ingress().useAnnotation("/", "ssl-redirect").alb("actions.ssl-redirect",
          "{\"Type\": \"redirect\", \"RedirectConfig\": { \"Protocol\": \"HTTPS\", \"Port\": \"443\", \"StatusCode\": \"HTTP_301\"}}")));
      assertThat(validate(ingress().useAnnotation("/", "ssl-redirect").alb("actions.ssl-redirect",
          "{\"Type\": \"redirect\", \"RedirectConfig\": {\"Protocol\": \"HTTPS\", \"StatusCode\": \"HTTP_301\", \"Code\": 301}}")).denials())
          .containsExactly(ALB + "actions.ssl-redirect: unknown key \"Code\" in redirectConfig; expected host, path, port, protocol, query,"
              + " statusCode");
    }
  
    @Test
    void regexValuesCannotJoinTheRulesPlainHostOrPath() {
      Verdict v = validate(ingress().hostPath("shop.example.com", "/", "web", 80).alb("conditions.web",
          "[{\"field\": \"host-header\", \"hostHeaderConfig\": {\"regexValues\": [\"^.+\\\\.example\\\\.com$\"]}}]"));
      assertThat(v.denials()).containsExactly(ALB + "conditions.web host-header regexValue ^.+\\.example\\.com$ cannot join"
          + " host shop.example.com of spec.rules[0] in one rule: an ALB host-header condition takes values or regexValues, not both;"
          + " write them all as regexValues, or all as values");
    }

    @Test
    void aRegexPathCannotJoinPathPatternValues() {
      Verdict v = validate(ingress().path(null, "/api/v[0-9]+", "ImplementationSpecific", Fixtures.backend("web", 80))
          .alb("use-regex-path-match", "true")
          .alb("conditions.web", "[{\"field\": \"path-pattern\", \"pathPatternConfig\": {\"values\": [\"/v1/*\"]}}]"));
      assertThat(v.denials()).containsExactly("path /api/v[0-9]+ of spec.rules[0].http.paths[0] (a regex by " + ALB
          + "use-regex-path-match) cannot join " + ALB + "conditions.web path-pattern value /v1/* in one rule: an ALB path-pattern"
          + " condition takes values or regexValues, not both; write them all as regexValues, or all as values");
    }
  
    @Test
    void anIpv6ServiceInIpModeNeedsADualstackLoadBalancer() {
      cluster = new TestCluster().with(new ServiceBuilder(clusterIp("web")).editSpec().withIpFamilies("IPv6").endSpec().build());
      assertThat(validate(web().alb("target-type", "ip")).denials()).containsExactly(FIRST_PATH + ": Service shop/web has IPv6"
          + " endpoints (ipFamilies [IPv6]), so its target-type ip target group is ipv6, which an ipv4 load balancer cannot reach;"
          + " set " + ALB + "ip-address-type: dualstack");
      assertClean(validate(web().alb("target-type", "ip").alb("ip-address-type", "dualstack")));
    }

    @Test
    void aLoadBalancerNameAnotherStackUsesIsDenied() {
      cluster.with(ingress("other").path("/other", "web", 80).alb("load-balancer-name", "shop-alb").build());
      assertThat(validate(web().alb("load-balancer-name", "shop-alb")).denials()).containsExactly(ALB + "load-balancer-name: \"shop-alb\""
          + " is already asked for by Ingress shop/other of stack shop/other; ALB names are unique per account and region, so choose"
          + " another name, or join that Ingress's group with " + ALB + "group.name");
      // members of one group share the name
      cluster = new TestCluster().with(nodePort("web"))
          .with(ingress("other").path("/other", "web", 80).alb("group.name", "shop").alb("load-balancer-name", "shop-alb").build());
      assertClean(validate(web().alb("group.name", "shop").alb("load-balancer-name", "shop-alb")));
    }
}
}
