package io.albingress.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IngressAnnotationsTest {
  static final String P = AnnotationCatalog.PREFIX;

  /** Parses `alb.ingress.kubernetes.io/<k>: <v>` pairs. */
  static Parsed<IngressConfig> parse(String... keyValues) {
    Map<String, String> annotations = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      annotations.put(P + keyValues[i], keyValues[i + 1]);
    }
    return IngressAnnotations.parse(annotations);
  }

  static List<String> errors(String... keyValues) {
    return parse(keyValues).errors().stream().map(FieldError::render).toList();
  }

  @Test
  void noAnnotationsGiveTheReferenceDefaults() {
    Parsed<IngressConfig> parsed = IngressAnnotations.parse(Map.of());
    IngressConfig c = parsed.value();
    assertThat(parsed.ok()).isTrue();
    assertThat(c.scheme()).isEqualTo(Scheme.INTERNAL);
    assertThat(c.ipAddressType()).isEqualTo(IpAddressType.IPV4);
    assertThat(c.groupName()).isEmpty();
    assertThat(c.groupOrder()).isZero();
    assertThat(c.listenPorts()).isEmpty();
    assertThat(c.hasExplicitListenPorts()).isFalse();
    assertThat(c.certificateArns()).isEmpty();
    assertThat(c.actions()).isEmpty();
    assertThat(c.conditions()).isEmpty();
  }

  @Test
  void nullAnnotationsAreTreatedAsNone() {
    assertThat(IngressAnnotations.parse(null).ok()).isTrue();
  }

  @Test
  void otherControllersAnnotationsAreIgnored() {
    Parsed<IngressConfig> parsed = IngressAnnotations.parse(Map.of(
        "nginx.ingress.kubernetes.io/rewrite-target", "/$1", "kubernetes.io/ingress.class", "alb"));
    assertThat(parsed.errors()).isEmpty();
  }

  @Test
  void valuesAreTrimmed() {
    assertThat(parse("scheme", "  internet-facing \n").value().scheme()).isEqualTo(Scheme.INTERNET_FACING);
  }

  @Test
  void everyProblemIsCollectedNotJustTheFirst() {
    assertThat(errors("scheme", "public", "ip-address-type", "ipv6", "group.order", "5000")).containsExactlyInAnyOrder(
        P + "scheme: \"public\" is not valid: expected one of internet-facing, internal",
        P + "ip-address-type: \"ipv6\" is not valid: expected one of ipv4, dualstack, dualstack-without-public-ipv4",
        P + "group.order: \"5000\" is not valid: expected an integer from -1000 to 1000");
  }

  @Test
  void hugeValuesAreRefusedOnceWithTheirLength() {
    String huge = "a".repeat(AnnotationReader.MAX_VALUE_LENGTH + 1);
    assertThat(errors("subnets", huge)).containsExactly(
        P + "subnets: value is 65537 characters long; at most 65536 are accepted");
  }

  @Test
  void thousandsOfBadEntriesDoNotFloodTheMessage() {
    String cidrs = String.join(",", java.util.Collections.nCopies(30, "10.0.0.1/8"));
    List<String> errors = errors("inbound-cidrs", cidrs.replace("10.0.0.1/8", "x").replaceFirst("x", "10.0.0.0/8"));
    assertThat(errors).hasSize(11);
    assertThat(errors.get(10)).isEqualTo(P + "inbound-cidrs: and 19 more problems like these");
  }

  @Test
  void quotedValuesAreAbbreviatedInMessages() {
    String error = errors("scheme", "x".repeat(500)).get(0);
    assertThat(error).contains("\"" + "x".repeat(117) + "...\" is not valid").hasSizeLessThan(300);
  }

  @Nested
  class Enums {
    @Test
    void schemeAcceptsBothValues() {
      assertThat(parse("scheme", "internet-facing").value().scheme()).isEqualTo(Scheme.INTERNET_FACING);
      assertThat(parse("scheme", "internal").value().scheme()).isEqualTo(Scheme.INTERNAL);
    }

    @Test
    void schemeIsCaseSensitiveLikeAws() {
      assertThat(errors("scheme", "Internal")).containsExactly(
          P + "scheme: \"Internal\" is not valid: expected one of internet-facing, internal");
    }

    @Test
    void ipAddressTypeAcceptsDualstackWithoutPublicIpv4() {
      assertThat(parse("ip-address-type", "dualstack-without-public-ipv4").value().ipAddressType())
          .isEqualTo(IpAddressType.DUALSTACK_WITHOUT_PUBLIC_IPV4);
    }

    @Test
    void emptyEnumValueIsRefused() {
      assertThat(errors("scheme", " ")).containsExactly(
          P + "scheme: \"\" is not valid: expected one of internet-facing, internal");
    }
  }

  @Nested
  class Group {
    @Test
    void validNameAndOrder() {
      IngressConfig c = parse("group.name", "shop.team-a", "group.order", "-1000").value();
      assertThat(c.groupName()).contains("shop.team-a");
      assertThat(c.groupOrder()).isEqualTo(-1000);
    }

    @Test
    void singleCharacterNameIsValid() {
      assertThat(parse("group.name", "a").value().groupName()).contains("a");
    }

    @Test
    void uppercaseOrUnderscoreNameIsRefused() {
      String expected = "at most 63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
      assertThat(errors("group.name", "Shop_A")).containsExactly(
          P + "group.name: \"Shop_A\" is not valid: expected " + expected);
      assertThat(errors("group.name", "-shop")).hasSize(1);
      assertThat(errors("group.name", "shop.")).hasSize(1);
    }

    @Test
    void nameOf64CharactersIsRefused() {
      assertThat(parse("group.name", "a".repeat(63)).ok()).isTrue();
      assertThat(errors("group.name", "a".repeat(64))).singleElement().asString().contains("at most 63 lowercase letters");
      assertThat(parse("group.name", "a".repeat(64)).value().groupName()).isEmpty();
    }

    @Test
    void orderOutsideRangeOrNotANumberIsRefused() {
      assertThat(errors("group.order", "1001")).containsExactly(
          P + "group.order: \"1001\" is not valid: expected an integer from -1000 to 1000");
      assertThat(errors("group.order", "first")).containsExactly(
          P + "group.order: \"first\" is not valid: expected an integer from -1000 to 1000");
      assertThat(parse("group.order", "1000").ok()).isTrue();
    }
  }

  @Nested
  class LoadBalancerName {
    @Test
    void thirtyTwoCharactersAreAccepted() {
      assertThat(parse("load-balancer-name", "a".repeat(32)).value().loadBalancerName()).contains("a".repeat(32));
    }

    @Test
    void thirtyThreeCharactersAreRefused() {
      assertThat(errors("load-balancer-name", "b".repeat(33))).containsExactly(
          P + "load-balancer-name: \"" + "b".repeat(33) + "\" is not valid: expected at most 32 characters (this one has 33)");
    }

    @Test
    void leadingOrTrailingDashIsRefused() {
      assertThat(errors("load-balancer-name", "-shop")).containsExactly(
          P + "load-balancer-name: \"-shop\" is not valid: expected only letters, digits and '-', not starting or ending with '-'");
      assertThat(errors("load-balancer-name", "shop-")).hasSize(1);
      assertThat(errors("load-balancer-name", "shop_lb")).hasSize(1);
    }

    @Test
    void internalPrefixIsReservedByAws() {
      assertThat(errors("load-balancer-name", "internal-shop")).containsExactly(
          P + "load-balancer-name: \"internal-shop\" is not valid: expected a name that does not start with \"internal-\""
              + " (AWS reserves that prefix)");
    }
  }

  @Nested
  class Subnets {
    @Test
    void idsAndNamesAreKeptInOrder() {
      assertThat(parse("subnets", "subnet-0123456789abcdef0, private-b ,").value().subnets())
          .containsExactly("subnet-0123456789abcdef0", "private-b");
    }

    @Test
    void aSingleSubnetIsRefused() {
      assertThat(errors("subnets", "subnet-01234567")).containsExactly(
          P + "subnets: lists 1 subnet(s); an ALB needs subnets in at least 2 Availability Zones");
    }

    @Test
    void repeatedSubnetIsRefused() {
      assertThat(errors("subnets", "a,b,a,b,c")).containsExactly(P + "subnets: lists the same subnet more than once: a, b");
    }
  }

  @Nested
  class SecurityGroups {
    @Test
    void idsAndNamesAreAccepted() {
      assertThat(parse("security-groups", "sg-0123456789abcdef0,sg-01234567,web-frontend").value().securityGroups())
          .containsExactly("sg-0123456789abcdef0", "sg-01234567", "web-frontend");
    }

    @Test
    void malformedIdIsRefused() {
      assertThat(errors("security-groups", "sg-xyz")).containsExactly(
          P + "security-groups: \"sg-xyz\" is not valid: expected a security group ID (sg- and 8 or 17 hex digits) or a group name");
    }

    @Test
    void overlongNameIsRefused() {
      assertThat(errors("security-groups", "n".repeat(256))).singleElement().asString()
          .endsWith("is not valid: expected a security group name of at most 255 characters");
    }
  }

  @Nested
  class InboundCidrs {
    @Test
    void ipv4AndIpv6BlocksAreAccepted() {
      assertThat(parse("inbound-cidrs", "10.0.0.0/8, 192.168.1.0/24,2001:db8::/32").value().inboundCidrs())
          .containsExactly("10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32");
    }

    @Test
    void hostAddressWithoutPrefixSuggestsSlash32() {
      assertThat(errors("inbound-cidrs", "203.0.113.7")).containsExactly(
          P + "inbound-cidrs: \"203.0.113.7\" is not valid: expected a CIDR block with a prefix length; did you mean 203.0.113.7/32?");
    }

    @Test
    void hostBitsSuggestTheHostAndTheNetwork() {
      assertThat(errors("inbound-cidrs", "10.1.2.3/16")).containsExactly(
          P + "inbound-cidrs: \"10.1.2.3/16\" is not valid: expected no address bits outside the /16 prefix;"
              + " did you mean 10.1.2.3/32 (this host) or 10.1.0.0/16 (its network)?");
    }

    @Test
    void everyBadBlockIsReportedAndGoodOnesKept() {
      Parsed<IngressConfig> parsed = parse("inbound-cidrs", "10.0.0.0/8,nope,1.2.3.4/40");
      assertThat(parsed.value().inboundCidrs()).containsExactly("10.0.0.0/8");
      assertThat(parsed.errors()).extracting(FieldError::message).containsExactly(
          "\"nope\" is not valid: expected a CIDR block such as 10.0.0.0/16 or 2001:db8::/32",
          "\"1.2.3.4/40\" is not valid: expected a prefix length from 0 to 32");
    }
  }

  @Nested
  class Tags {
    @Test
    void pairsAreParsed() {
      assertThat(parse("tags", "team=shop, env = prod,cost-center=").value().tags())
          .containsExactly(Map.entry("team", "shop"), Map.entry("env", "prod"), Map.entry("cost-center", ""));
    }

    @Test
    void pairWithoutEqualsIsRefused() {
      assertThat(errors("tags", "team")).containsExactly(
          P + "tags: \"team\" is not valid: expected key=value pairs separated by commas");
    }

    @Test
    void awsPrefixIsReserved() {
      assertThat(errors("tags", "aws:owner=me")).containsExactly(
          P + "tags: \"aws:owner=me\" is not valid: expected a tag key that does not start with \"aws:\" (reserved by AWS)");
    }

    @Test
    void repeatedKeyIsRefused() {
      assertThat(errors("tags", "a=1,a=2")).containsExactly(P + "tags: key \"a\" is given twice");
    }

    @Test
    void moreThanFiftyTagsAreRefused() {
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 51; i++) {
        many.append("k").append(i).append("=v,");
      }
      assertThat(errors("tags", many.toString())).containsExactly(P + "tags: has 51 tags; AWS allows at most 50 per resource");
    }
  }

  @Nested
  class LoadBalancerAttributes {
    @Test
    void knownAttributesAreParsed() {
      assertThat(parse("load-balancer-attributes", "idle_timeout.timeout_seconds=600,routing.http2.enabled=false")
          .value().loadBalancerAttributes())
          .containsEntry("idle_timeout.timeout_seconds", "600").containsEntry("routing.http2.enabled", "false");
    }

    @Test
    void unknownKeyIsRefused() {
      assertThat(errors("load-balancer-attributes", "idle_timeout=60")).containsExactly(
          P + "load-balancer-attributes: \"idle_timeout=60\" is not valid: expected a known ALB attribute"
              + " (idle_timeout is not one; see the ALB attributes in the AWS documentation)");
    }

    @Test
    void booleanAttributeTakesTrueOrFalse() {
      assertThat(errors("load-balancer-attributes", "deletion_protection.enabled=yes")).containsExactly(
          P + "load-balancer-attributes: \"deletion_protection.enabled=yes\" is not valid: expected"
              + " deletion_protection.enabled=true or deletion_protection.enabled=false");
    }

    @Test
    void idleTimeoutRange() {
      assertThat(errors("load-balancer-attributes", "idle_timeout.timeout_seconds=4001")).containsExactly(
          P + "load-balancer-attributes: \"idle_timeout.timeout_seconds=4001\" is not valid: expected"
              + " idle_timeout.timeout_seconds to be an integer from 1 to 4000");
    }
  }

  @Nested
  class ListenPorts {
    static final String EXPECTED = "a JSON list of single-key objects such as [{\"HTTP\": 80}, {\"HTTPS\": 443}]";

    @Test
    void portsAreParsedInOrder() {
      assertThat(parse("listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}, {\"HTTPS\": 8443}]").value().listenPorts())
          .containsExactly(new ListenPort(Protocol.HTTP, 80), new ListenPort(Protocol.HTTPS, 443), new ListenPort(Protocol.HTTPS, 8443));
    }

    @Test
    void invalidJsonIsRefused() {
      assertThat(errors("listen-ports", "[{\"HTTP\": 80}")).containsExactly(
          P + "listen-ports: \"[{\"HTTP\": 80}\" is not valid: expected " + EXPECTED + " (the value is not valid JSON)");
    }

    @Test
    void objectOrEmptyListIsRefused() {
      assertThat(errors("listen-ports", "{\"HTTP\": 80}")).containsExactly(
          P + "listen-ports: \"{\"HTTP\":80}\" is not valid: expected " + EXPECTED);
      assertThat(errors("listen-ports", "[]")).containsExactly(P + "listen-ports: \"[]\" is not valid: expected " + EXPECTED);
    }

    @Test
    void entryWithTwoKeysIsRefused() {
      assertThat(errors("listen-ports", "[{\"HTTP\": 80, \"HTTPS\": 443}]")).containsExactly(
          P + "listen-ports: \"{\"HTTP\":80,\"HTTPS\":443}\" is not valid: expected " + EXPECTED);
    }

    @Test
    void protocolOtherThanHttpOrHttpsIsRefused() {
      assertThat(errors("listen-ports", "[{\"TCP\": 80}]")).containsExactly(
          P + "listen-ports: \"{\"TCP\":80}\" is not valid: expected protocol HTTP or HTTPS (an ALB listens on nothing else)");
      assertThat(errors("listen-ports", "[{\"http\": 80}]")).hasSize(1);
    }

    @Test
    void portOutOfRangeIsRefused() {
      assertThat(errors("listen-ports", "[{\"HTTP\": 0}]")).containsExactly(
          P + "listen-ports: \"{\"HTTP\":0}\" is not valid: expected a port number from 1 to 65535");
      assertThat(errors("listen-ports", "[{\"HTTP\": 70000}]")).containsExactly(
          P + "listen-ports: \"{\"HTTP\":70000}\" is not valid: expected a port number from 1 to 65535");
    }

    @Test
    void portAsStringOrFractionIsRefused() {
      assertThat(errors("listen-ports", "[{\"HTTP\": \"80\"}]")).containsExactly(
          P + "listen-ports: \"{\"HTTP\":\"80\"}\" is not valid: expected a port number from 1 to 65535");
      assertThat(errors("listen-ports", "[{\"HTTP\": 80.5}]")).hasSize(1);
    }

    @Test
    void duplicatePortIsRefusedEvenWithAnotherProtocol() {
      assertThat(errors("listen-ports", "[{\"HTTP\": 8080}, {\"HTTPS\": 8080}]"))
          .containsExactly(P + "listen-ports: lists port 8080 more than once");
    }
  }

  @Nested
  class SslRedirect {
    @Test
    void portThatListenPortsMakesHttpsIsAccepted() {
      Parsed<IngressConfig> parsed = parse("listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]", "ssl-redirect", "443");
      assertThat(parsed.errors()).isEmpty();
      assertThat(parsed.value().sslRedirectPort()).contains(443);
    }

    @Test
    void portThatListenPortsMakesHttpIsRefused() {
      assertThat(errors("listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]", "ssl-redirect", "80")).containsExactly(
          P + "ssl-redirect: \"80\" is not valid: expected an HTTPS port, but listen-ports makes 80 an HTTP listener,"
              + " which would redirect to itself");
    }

    @Test
    void portThatIsNotANumberIsRefused() {
      assertThat(errors("ssl-redirect", "true")).containsExactly(
          P + "ssl-redirect: \"true\" is not valid: expected an integer from 1 to 65535");
    }
  }

  @Nested
  class CertificateArn {
    static final String ACM = "arn:aws:acm:us-west-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    static final String IAM = "arn:aws:iam::123456789012:server-certificate/prod/shop-2025";

    @Test
    void acmAndIamArnsAreAcceptedAndDeduplicated() {
      assertThat(parse("certificate-arn", ACM + "," + IAM + "," + ACM).value().certificateArns()).containsExactly(ACM, IAM);
    }

    @Test
    void malformedArnIsRefusedAndDropped() {
      Parsed<IngressConfig> parsed = parse("certificate-arn", "arn:aws:acm:us-west-2:1234:certificate/abc," + ACM);
      assertThat(parsed.value().certificateArns()).containsExactly(ACM);
      assertThat(parsed.errors()).extracting(FieldError::render).containsExactly(
          P + "certificate-arn: \"arn:aws:acm:us-west-2:1234:certificate/abc\" is not valid: expected an ACM certificate ARN"
              + " (arn:aws:acm:<region>:<12-digit account>:certificate/<id>) or an IAM server certificate ARN");
    }
  }

  @Nested
  class SslPolicy {
    @Test
    void predefinedPolicyIsAccepted() {
      assertThat(parse("ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06").value().sslPolicy())
          .contains("ELBSecurityPolicy-TLS13-1-2-2021-06");
    }

    @Test
    void unknownPolicySuggestsTheClosestOne() {
      assertThat(errors("ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021")).containsExactly(
          P + "ssl-policy: \"ELBSecurityPolicy-TLS13-1-2-2021\" is not valid: expected a predefined ELB security policy name"
              + " such as ELBSecurityPolicy-TLS13-1-2-2021-06");
    }
  }

  @Nested
  class WafAndShield {
    @Test
    void wafv2AclArnIsAccepted() {
      String arn = "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/shop_acl-1/a1b2c3d4-5678-90ab-cdef-0123456789ab";
      assertThat(parse("wafv2-acl-arn", arn).value().wafv2AclArn()).contains(arn);
    }

    @Test
    void wafClassicIdIsNotAWafv2Arn() {
      assertThat(errors("wafv2-acl-arn", "a1b2c3d4-5678-90ab-cdef-example11111")).containsExactly(
          P + "wafv2-acl-arn: \"a1b2c3d4-5678-90ab-cdef-example11111\" is not valid: expected a WAFv2 web ACL ARN"
              + " (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), or none to remove the association");
    }

    @Test
    void wafv2NoneRemovesTheAssociationAsInTheReferenceController() {
      Parsed<IngressConfig> parsed = parse("wafv2-acl-arn", "none");
      assertThat(parsed.errors()).isEmpty();
      assertThat(parsed.value().wafv2AclArn()).contains(IngressAnnotations.WAFV2_NONE);
    }

    @Test
    void wafv2AclNameIsAWebAclNameOrNone() {
      assertThat(parse("wafv2-acl-name", "shop-acl_1").value().wafv2AclName()).contains("shop-acl_1");
      assertThat(parse("wafv2-acl-name", "none").value().wafv2AclName()).contains("none");
      assertThat(errors("wafv2-acl-name", "shop acl")).containsExactly(P + "wafv2-acl-name: \"shop acl\" is not valid: expected"
          + " a WAFv2 web ACL name (1 to 128 letters, digits, '_' and '-'), or none to remove the association");
    }

    @Test
    void wafAclIdAndItsDeprecatedSpelling() {
      assertThat(parse("waf-acl-id", "499e8b99-6671-4614-a86d-adb1810b7fbe").value().wafAclId())
          .contains("499e8b99-6671-4614-a86d-adb1810b7fbe");
      assertThat(parse("web-acl-id", "499e8b99-6671-4614-a86d-adb1810b7fbe").value().wafAclId())
          .contains("499e8b99-6671-4614-a86d-adb1810b7fbe");
      assertThat(IngressAnnotations.parse(java.util.Map.of(P + "waf-acl-id", "none", P + "web-acl-id", "old")).value().wafAclId())
          .contains("none");
      assertThat(errors("waf-acl-id", "arn:aws:wafv2:x")).hasSize(1);
    }

    @Test
    void shieldTakesABoolean() {
      assertThat(parse("shield-advanced-protection", "true").value().shieldAdvancedProtection()).contains(true);
      assertThat(errors("shield-advanced-protection", "yes")).containsExactly(
          P + "shield-advanced-protection: \"yes\" is not valid: expected true or false");
    }
  }

  @Nested
  class Actions {
    @Test
    void forwardToOneTargetGroupArn() {
      String arn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/legacy/73e2d6bc24d8a067";
      Action action = parse("actions.legacy", "{\"type\":\"forward\",\"targetGroupARN\":\"" + arn + "\"}").value().actions().get("legacy");
      assertThat(action).isEqualTo(new Action.Forward(
          List.of(new Action.ForwardTarget(Optional.empty(), Optional.empty(), Optional.of(arn), Optional.empty(), 1)), Optional.empty()));
    }

    @Test
    void weightedForwardToServices() {
      String json = """
          {"type": "forward", "forwardConfig": {"targetGroups": [
            {"serviceName": "cart-blue", "servicePort": "80", "weight": 90},
            {"serviceName": "cart-green", "servicePort": 80, "weight": 10}],
           "targetGroupStickinessConfig": {"enabled": true, "durationSeconds": 120}}}""";
      Action.Forward forward = (Action.Forward) parse("actions.cart", json).value().actions().get("cart");
      assertThat(forward.targets()).containsExactly(
          new Action.ForwardTarget(Optional.of("cart-blue"), Optional.of("80"), Optional.empty(), Optional.empty(), 90),
          new Action.ForwardTarget(Optional.of("cart-green"), Optional.of("80"), Optional.empty(), Optional.empty(), 10));
      assertThat(forward.stickinessSeconds()).contains(120);
    }

    @Test
    void forwardTargetWithoutServicePortIsRefused() {
      assertThat(errors("actions.cart", "{\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":[{\"serviceName\":\"cart\"}]}}"))
          .containsExactly(P + "actions.cart: \"{\"serviceName\":\"cart\"}\" is not valid: expected each forwardConfig target group"
              + " to have targetGroupARN, targetGroupName, or serviceName and servicePort");
    }

    @Test
    void forwardWeightAbove999IsRefused() {
      assertThat(errors("actions.cart",
          "{\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":[{\"serviceName\":\"a\",\"servicePort\":\"80\",\"weight\":1000}]}}"))
          .singleElement().asString().endsWith("is not valid: expected a weight from 0 to 999");
    }

    @Test
    void forwardWithNothingToForwardToIsRefused() {
      assertThat(errors("actions.cart", "{\"type\":\"forward\"}")).containsExactly(
          P + "actions.cart: \"{\"type\":\"forward\"}\" is not valid: expected a forward action with targetGroupARN,"
              + " targetGroupName or forwardConfig.targetGroups");
    }

    @Test
    void forwardToMoreThanFiveTargetGroupsIsRefused() {
      StringBuilder groups = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        groups.append(i == 0 ? "" : ",").append("{\"serviceName\":\"s").append(i).append("\",\"servicePort\":\"80\",\"weight\":1}");
      }
      assertThat(errors("actions.split", "{\"type\":\"forward\",\"forwardConfig\":{\"targetGroups\":[" + groups + "]}}"))
          .containsExactly(P + "actions.split: forwards to 6 target groups; an ALB action allows at most 5");
    }

    @Test
    void fixedResponse() {
      String json = "{\"type\":\"fixed-response\",\"fixedResponseConfig\":"
          + "{\"contentType\":\"text/plain\",\"statusCode\":\"503\",\"messageBody\":\"down for maintenance\"}}";
      assertThat(parse("actions.maintenance", json).value().actions().get("maintenance")).isEqualTo(
          new Action.FixedResponse("503", Optional.of("text/plain"), Optional.of("down for maintenance")));
    }

    @Test
    void fixedResponseStatusMustBe2xx4xxOr5xx() {
      assertThat(errors("actions.x", "{\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCode\":\"302\"}}")).containsExactly(
          P + "actions.x: \"{\"statusCode\":\"302\"}\" is not valid: expected fixedResponseConfig.statusCode of 2XX, 4XX or 5XX");
    }

    @Test
    void fixedResponseContentTypeMustBeOneAlbAccepts() {
      assertThat(errors("actions.x",
          "{\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCode\":\"200\",\"contentType\":\"text/xml\"}}"))
          .containsExactly(P + "actions.x: \"text/xml\" is not valid: expected fixedResponseConfig.contentType one of"
              + " text/plain, text/css, text/html, application/javascript, application/json");
    }

    @Test
    void fixedResponseBodyOver1024CharactersIsRefused() {
      String json = "{\"type\":\"fixed-response\",\"fixedResponseConfig\":{\"statusCode\":\"200\",\"messageBody\":\""
          + "b".repeat(1025) + "\"}}";
      assertThat(errors("actions.x", json)).containsExactly(
          P + "actions.x: fixedResponseConfig.messageBody is 1025 characters; ALB allows at most 1024");
    }

    @Test
    void redirect() {
      String json = "{\"type\":\"redirect\",\"redirectConfig\":{\"protocol\":\"HTTPS\",\"port\":\"443\",\"statusCode\":\"HTTP_301\"}}";
      assertThat(parse("actions.ssl-redirect", json).value().actions().get("ssl-redirect")).isEqualTo(new Action.Redirect(
          "HTTP_301", Optional.of("HTTPS"), Optional.of("443"), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void redirectStatusMustBe301Or302() {
      assertThat(errors("actions.r", "{\"type\":\"redirect\",\"redirectConfig\":{\"statusCode\":\"301\"}}")).containsExactly(
          P + "actions.r: \"{\"statusCode\":\"301\"}\" is not valid: expected redirectConfig.statusCode HTTP_301 or HTTP_302");
    }

    @Test
    void redirectProtocolAndPortAreChecked() {
      assertThat(errors("actions.r",
          "{\"type\":\"redirect\",\"redirectConfig\":{\"statusCode\":\"HTTP_302\",\"protocol\":\"FTP\",\"port\":\"99999\"}}"))
          .containsExactly(
              P + "actions.r: \"FTP\" is not valid: expected redirectConfig.protocol HTTP, HTTPS or #{protocol}",
              P + "actions.r: \"99999\" is not valid: expected redirectConfig.port from 1 to 65535, or #{port}");
      assertThat(parse("actions.r",
          "{\"type\":\"redirect\",\"redirectConfig\":{\"statusCode\":\"HTTP_302\",\"protocol\":\"#{protocol}\",\"port\":\"#{port}\","
              + "\"host\":\"www.example.com\"}}").ok()).isTrue();
    }

    @Test
    void unknownTypeIsRefused() {
      assertThat(errors("actions.x", "{\"type\":\"authenticate-oidc\"}")).containsExactly(
          P + "actions.x: \"{\"type\":\"authenticate-oidc\"}\" is not valid: expected " + RoutingJson.ACTION_SHAPE);
    }

    @Test
    void notJsonIsRefused() {
      assertThat(errors("actions.x", "forward to cart")).containsExactly(
          P + "actions.x: \"forward to cart\" is not valid: expected " + RoutingJson.ACTION_SHAPE + " (the value is not valid JSON)");
    }

    @Test
    void aBrokenActionDoesNotHideAnotherOnesProblems() {
      assertThat(errors("actions.a", "{\"type\":\"forward\"}", "actions.b", "{\"type\":\"forward\"}")).hasSize(2);
    }
  }

  @Nested
  class Conditions {
    static List<Condition> conditions(String json) {
      Parsed<IngressConfig> parsed = parse("conditions.web", json);
      assertThat(parsed.errors()).isEmpty();
      return parsed.value().conditions().get("web");
    }

    @Test
    void hostHeaderAndPathPattern() {
      assertThat(conditions("""
          [{"field": "host-header", "hostHeaderConfig": {"values": ["anno.example.com"]}},
           {"field": "path-pattern", "pathPatternConfig": {"values": ["/api/*"]}}]""")).containsExactly(
          new Condition("host-header", Optional.empty(), List.of("anno.example.com")),
          new Condition("path-pattern", Optional.empty(), List.of("/api/*")));
    }

    @Test
    void httpHeaderKeepsItsName() {
      assertThat(conditions("[{\"field\":\"http-header\",\"httpHeaderConfig\":{\"httpHeaderName\":\"X-Env\",\"values\":[\"beta\"]}}]"))
          .containsExactly(new Condition("http-header", Optional.of("X-Env"), List.of("beta")));
    }

    @Test
    void requestMethodAndSourceIp() {
      assertThat(conditions("""
          [{"field": "http-request-method", "httpRequestMethodConfig": {"Values": ["GET", "HEAD"]}},
           {"field": "source-ip", "sourceIpConfig": {"values": ["192.168.0.0/16", "2001:db8::/32"]}}]""")).containsExactly(
          new Condition("http-request-method", Optional.empty(), List.of("GET", "HEAD")),
          new Condition("source-ip", Optional.empty(), List.of("192.168.0.0/16", "2001:db8::/32")));
    }

    @Test
    void queryStringPairsKeepTheirKeys() {
      assertThat(conditions("""
          [{"field": "query-string", "queryStringConfig": {"values": [{"key": "version", "value": "v2"}, {"value": "beta"}]}}]"""))
          .containsExactly(new Condition("query-string", Optional.empty(), List.of("version=v2", "=beta")));
    }

    @Test
    void sourceIpWithHostBitsIsRefused() {
      assertThat(errors("conditions.web", "[{\"field\":\"source-ip\",\"sourceIpConfig\":{\"values\":[\"10.0.0.1/8\"]}}]"))
          .containsExactly(P + "conditions.web: \"10.0.0.1/8\" is not valid: expected no address bits outside the /8 prefix;"
              + " did you mean 10.0.0.1/32 (this host) or 10.0.0.0/8 (its network)?");
    }

    @Test
    void unknownFieldOrEmptyValuesAreRefused() {
      List<String> errors = errors("conditions.web", """
          [{"field": "cookie", "cookieConfig": {"values": ["a"]}},
           {"field": "host-header", "hostHeaderConfig": {"values": []}},
           {"field": "http-header", "httpHeaderConfig": {"values": ["x"]}}]""");
      assertThat(errors.get(0)).isEqualTo(P + "conditions.web: unknown key \"cookieConfig\" in [0]; expected field, hostHeaderConfig,"
          + " httpHeaderConfig, httpRequestMethodConfig, pathPatternConfig, queryStringConfig, sourceIPConfig");
      errors = errors("conditions.web", """
          [{"field": "cookie"},
           {"field": "host-header", "hostHeaderConfig": {"values": []}},
           {"field": "http-header", "httpHeaderConfig": {"values": ["x"]}}]""");
      assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e)
          .contains("is not valid: expected a condition with field one of [host-header, path-pattern, http-header,"
              + " http-request-method, query-string, source-ip] and its non-empty values, e.g. [{\"field\": \"http-header\""));
      assertThat(errors.get(0)).startsWith(P + "conditions.web: \"{\"field\":\"cookie\"}");
    }

    @Test
    void objectInsteadOfListIsRefused() {
      assertThat(errors("conditions.web", "{\"field\":\"host-header\"}")).containsExactly(
          P + "conditions.web: \"{\"field\":\"host-header\"}\" is not valid: expected " + RoutingJson.CONDITIONS_SHAPE);
    }
  }

  /** The reference controller's JSON annotations, as its Go decoder reads them (issue 15). */
  @Nested
  class ReferenceJson {
    @Test
    void keysMatchInAnyCaseAsInTheReferenceDocumentation() {
      String redirect = "{\"Type\": \"redirect\", \"RedirectConfig\": { \"Protocol\": \"HTTPS\", \"Port\": \"443\", \"StatusCode\": \"HTTP_301\"}}";
      String forward = """
          {"TYPE": "forward", "ForwardConfig": {"TargetGroups": [
            {"ServiceName": "cart-blue", "ServicePort": "80", "Weight": 80},
            {"serviceName": "cart-green", "servicePort": "80", "WEIGHT": 20}],
           "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 200}}}""";
      Parsed<IngressConfig> parsed = parse("actions.ssl-redirect", redirect, "actions.cart", forward,
          "conditions.cart", "[{\"Field\": \"http-header\", \"HttpHeaderConfig\": {\"HttpHeaderName\": \"X-Env\", \"Values\": [\"beta\"]}}]");
      assertThat(parsed.errors()).isEmpty();
      assertThat(parsed.value().actions().get("ssl-redirect")).isEqualTo(new Action.Redirect(
          "HTTP_301", Optional.of("HTTPS"), Optional.of("443"), Optional.empty(), Optional.empty(), Optional.empty()));
      assertThat(parsed.value().actions().get("cart")).isEqualTo(new Action.Forward(List.of(
          new Action.ForwardTarget(Optional.of("cart-blue"), Optional.of("80"), Optional.empty(), Optional.empty(), 80),
          new Action.ForwardTarget(Optional.of("cart-green"), Optional.of("80"), Optional.empty(), Optional.empty(), 20)), Optional.of(200)));
      assertThat(parsed.value().conditions().get("cart")).containsExactly(new Condition("http-header", Optional.of("X-Env"), List.of("beta")));
    }

    @Test
    void anUnknownKeyIsRefusedInsteadOfIgnored() {
      assertThat(errors("actions.cart", """
          {"type": "forward", "forwardConfig": {"targetGroups": [
            {"serviceName": "cart-blue", "servicePort": "80", "weigth": 80}]}}""")).containsExactly(
          P + "actions.cart: unknown key \"weigth\" in forwardConfig.targetGroups[0]; expected targetGroupARN, targetGroupName,"
              + " serviceName, servicePort, weight");
    }

    @Test
    void forwardingToSeveralTargetGroupsNeedsEveryWeight() {
      assertThat(errors("actions.cart", """
          {"type": "forward", "forwardConfig": {"targetGroups": [
            {"serviceName": "cart-blue", "servicePort": "80", "weight": 80}, {"serviceName": "cart-green", "servicePort": "80"}]}}"""))
          .containsExactly(P + "actions.cart: \"{\"serviceName\":\"cart-green\",\"servicePort\":\"80\"}\" is not valid: expected a weight"
              + " on each target group when forwarding to several, as the reference controller requires (e.g. \"weight\": 50)");
      assertThat(parse("actions.cart", "{\"type\": \"forward\", \"forwardConfig\": {\"targetGroups\": ["
          + "{\"serviceName\": \"cart\", \"servicePort\": \"80\"}]}}").ok()).isTrue();
    }

    @Test
    void weightMustBeANumber() {
      assertThat(errors("actions.cart", "{\"type\": \"forward\", \"forwardConfig\": {\"targetGroups\": ["
          + "{\"serviceName\": \"cart\", \"servicePort\": \"80\", \"weight\": \"20\"}]}}")).singleElement().asString()
          .endsWith("is not valid: expected a weight from 0 to 999");
    }

    @Test
    void forwardByTargetGroupName() {
      Action.Forward simple = (Action.Forward) parse("actions.legacy", "{\"type\": \"forward\", \"targetGroupName\": \"legacy-tg\"}")
          .value().actions().get("legacy");
      assertThat(simple.targets()).containsExactly(
          new Action.ForwardTarget(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("legacy-tg"), 1));
      assertThat(errors("actions.x", "{\"type\": \"forward\", \"targetGroupName\": \"a\", \"forwardConfig\": {}}")).containsExactly(
          P + "actions.x: set either forwardConfig or targetGroupARN/targetGroupName, not both");
    }

    @Test
    void regexValues() {
      Parsed<IngressConfig> parsed = parse("conditions.web", """
          [{"field": "host-header", "hostHeaderConfig": {"regexValues": ["^(.+)\\\\.example\\\\.com$"]}},
           {"field": "path-pattern", "pathPatternConfig": {"regexValues": ["^/api/v[0-9]+/.*$"]}},
           {"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "User-Agent", "regexValues": [".+Mobile.+"]}}]""");
      assertThat(parsed.errors()).isEmpty();
      assertThat(parsed.value().conditions().get("web")).containsExactly(
          new Condition("host-header", Optional.empty(), List.of(), List.of("^(.+)\\.example\\.com$")),
          new Condition("path-pattern", Optional.empty(), List.of(), List.of("^/api/v[0-9]+/.*$")),
          new Condition("http-header", Optional.of("User-Agent"), List.of(), List.of(".+Mobile.+")));
      assertThat(errors("conditions.web", "[{\"field\": \"path-pattern\", \"pathPatternConfig\": {\"values\": [\"/a\"], \"regexValues\": [\"^/b$\"]}}]"))
          .containsExactly(P + "conditions.web: path-pattern: set values or regexValues, not both ({\"values\":[\"/a\"],\"regexValues\":[\"^/b$\"]})");
    }

    @Test
    void transforms() {
      Parsed<IngressConfig> parsed = parse("transforms.api", """
          [{"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "^/api/(.*)$", "replace": "/$1"}]}},
           {"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": [{"regex": "^shop$", "replace": "shop.internal"}]}}]""",
          "use-regex-path-match", "true");
      assertThat(parsed.errors()).isEmpty();
      assertThat(parsed.value().useRegexPathMatch()).isTrue();
      assertThat(parsed.value().transforms().get("api")).containsExactly(
          new Transform("url-rewrite", List.of(new Transform.Rewrite("^/api/(.*)$", "/$1"))),
          new Transform("host-header-rewrite", List.of(new Transform.Rewrite("^shop$", "shop.internal"))));
      assertThat(errors("transforms.api", "[{\"type\": \"url-rewrite\", \"hostHeaderRewriteConfig\": {\"rewrites\": []}}]"))
          .singleElement().asString().startsWith(P + "transforms.api: \"{\"type\":\"url-rewrite\"");
    }
  }
}
