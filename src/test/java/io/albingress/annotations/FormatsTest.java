package io.albingress.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormatsTest {

  /** The hand-written ACM ARN matcher says what the pattern says, on valid ARNs and on many near misses. */
  @Test
  void acmRegionAgreesWithThePattern() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "arnws:-cmiogvteuw0123456789abcdefABCDEF/xyz.";
    java.util.List<String> seeds = java.util.List.of(
        "arn:aws:acm:us-west-2:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        "arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc",
        "arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/ABC-def",
        "arn:aws-iso-b:acm:us-isob-east-1:123456789012:certificate/1",
        "arn:aws-isof:acm:eu-isoe-west-1:123456789012:certificate/1",
        "arn:aws:iam::123456789012:server-certificate/test",
        "arn:aws:acm:ap-southeast-2:123456789012:certificate/" + "a".repeat(128),
        "arn:aws:acm:ap-southeast-2:123456789012:certificate/" + "a".repeat(129),
        "arn:aws:acm:u-west-2:123456789012:certificate/1", "arn:aws:acm:us--west-2:123456789012:certificate/1",
        "arn:aws:acm:us-west-:123456789012:certificate/1", "arn:aws:acm:us-2:123456789012:certificate/1",
        "arn:aws:acm:us-west-22:123456789012:certificate/1", "arn:aws:acm:us-west-2:12345678901:certificate/1",
        "arn:aws:acm:us-west-2:123456789012:certificate/", "", "arn:aws");
    int checked = 0;
    for (String seed : seeds) {
      for (int n = 0; n < 3000; n++) {
        StringBuilder b = new StringBuilder(seed);
        int edits = n == 0 ? 0 : 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
          int at = b.length() == 0 ? 0 : random.nextInt(b.length() + 1);
          char c = alphabet.charAt(random.nextInt(alphabet.length()));
          switch (random.nextInt(3)) {
            case 0 -> b.insert(at, c);
            case 1 -> { if (at < b.length()) b.deleteCharAt(at); }
            default -> { if (at < b.length()) b.setCharAt(at, c); }
          }
        }
        String arn = b.toString();
        var m = Formats.ACM_ARN.matcher(arn);
        String expected = m.matches() ? m.group(2) : null;
        assertThat(Formats.acmRegionOrNull(arn)).as(arn).isEqualTo(expected);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(10_000);
    assertThat(Formats.acmRegion(seeds.get(0))).contains("us-west-2");
    assertThat(Formats.acmRegion(seeds.get(5))).isEmpty();
  }

  @Nested
  class Cidr {
    static final String EXAMPLE = "a CIDR block such as 10.0.0.0/16 or 2001:db8::/32";

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "10.0.0.0/8", "192.168.1.0/24", "203.0.113.7/32", "255.255.255.255/32",
        "::/0", "2001:db8::/32", "2001:db8:0:1::/64", "::1/128", "1:2:3:4:5:6:7:8/128", "::ffff:10.0.0.0/104"})
    void validBlocks(String cidr) {
      assertThat(Formats.cidrProblem(cidr)).isEmpty();
    }

    @Test
    void addressWithoutPrefixSuggestsAHostBlock() {
      assertThat(Formats.cidrProblem("10.0.0.1")).contains("a CIDR block with a prefix length; did you mean 10.0.0.1/32?");
      assertThat(Formats.cidrProblem("2001:db8::7")).contains("a CIDR block with a prefix length; did you mean 2001:db8::7/128?");
    }

    @Test
    void hostBitsSuggestHostAndNetwork() {
      assertThat(Formats.cidrProblem("192.168.1.7/24")).contains(
          "no address bits outside the /24 prefix; did you mean 192.168.1.7/32 (this host) or 192.168.1.0/24 (its network)?");
      assertThat(Formats.cidrProblem("10.200.3.4/12")).contains(
          "no address bits outside the /12 prefix; did you mean 10.200.3.4/32 (this host) or 10.192.0.0/12 (its network)?");
    }

    @Test
    void ipv6NetworkIsShownInShortForm() {
      assertThat(Formats.cidrProblem("2001:db8:0:0:1:0:0:1/64")).contains(
          "no address bits outside the /64 prefix; did you mean 2001:db8:0:0:1:0:0:1/128 (this host) or 2001:db8::/64 (its network)?");
    }

    @Test
    void prefixOutOfRangeOrNotDecimal() {
      assertThat(Formats.cidrProblem("10.0.0.0/33")).contains("a prefix length from 0 to 32");
      assertThat(Formats.cidrProblem("2001:db8::/129")).contains("a prefix length from 0 to 128");
      assertThat(Formats.cidrProblem("10.0.0.0/+8")).contains("a prefix length from 0 to 32");
      assertThat(Formats.cidrProblem("10.0.0.0/")).contains("a prefix length from 0 to 32");
    }

    /** Host names are never looked up, and ambiguous legacy IPv4 forms are refused, as Go's parser does. */
    @ParameterizedTest
    @ValueSource(strings = {"cafe/32", "localhost/32", "10.1/16", "10/8", "010.0.0.1/32", "0x7f.0.0.1/32", "256.0.0.0/8",
        "1.2.3.4.5/32", "fe80::1%eth0/64", "1::2::3/64", ":::/0", "1:2:3:4:5:6:7:8:9/128", "", "/", "10.0.0.0 /8"})
    void malformedAddresses(String cidr) {
      assertThat(Formats.cidrProblem(cidr)).contains(EXAMPLE);
    }
  }

  @Nested
  class SuccessCodes {
    @Test
    void http() {
      assertThat(Formats.successCodesProblem("200", false)).isEmpty();
      assertThat(Formats.successCodesProblem("200-299,404", false)).isEmpty();
      assertThat(Formats.successCodesProblem("499", false)).isEmpty();
      assertThat(Formats.successCodesProblem("199", false))
          .contains("HTTP codes from 200 to 499 as a single code, a list (200,202) or a range (200-299)");
      assertThat(Formats.successCodesProblem("200,", false)).isPresent();
      assertThat(Formats.successCodesProblem("200 - 299", false)).isPresent();
      assertThat(Formats.successCodesProblem("300-200", false)).isPresent();
    }

    @Test
    void grpc() {
      assertThat(Formats.successCodesProblem("0", true)).isEmpty();
      assertThat(Formats.successCodesProblem("0-99", true)).isEmpty();
      assertThat(Formats.successCodesProblem("100", true))
          .contains("gRPC codes from 0 to 99 as a single code, a list (0,12) or a range (0-99)");
    }
  }

  @Nested
  class Tags {
    @Test
    void validTags() {
      assertThat(Formats.tagProblem("team", "shop")).isEmpty();
      assertThat(Formats.tagProblem("kubernetes.io/cluster/prod", "owned")).isEmpty();
      assertThat(Formats.tagProblem("Équipe", "café + crème @ 2:30")).isEmpty();
      assertThat(Formats.tagProblem("k", "")).isEmpty();
    }

    @Test
    void keyLength() {
      assertThat(Formats.tagProblem("", "v")).contains("a tag key of 1 to 128 characters");
      assertThat(Formats.tagProblem("k".repeat(128), "v")).isEmpty();
      assertThat(Formats.tagProblem("k".repeat(129), "v")).contains("a tag key of 1 to 128 characters");
    }

    @Test
    void awsPrefixIsReservedInAnyCase() {
      assertThat(Formats.tagProblem("AWS:team", "v")).contains("a tag key that does not start with \"aws:\" (reserved by AWS)");
    }

    @Test
    void valueLength() {
      assertThat(Formats.tagProblem("k", "v".repeat(256))).isEmpty();
      assertThat(Formats.tagProblem("k", "v".repeat(257))).contains("a tag value of at most 256 characters");
    }

    @Test
    void forbiddenCharacters() {
      String expected = "tag keys and values made of letters, digits, spaces and _ . : / = + - @";
      assertThat(Formats.tagProblem("team", "a;b")).contains(expected);
      assertThat(Formats.tagProblem("te*am", "ok")).contains(expected);
      assertThat(Formats.tagProblem("team", "line\nbreak")).contains(expected);
    }
  }

  @Nested
  class Arns {
    @Test
    void acmArnsInEveryPartition() {
      assertThat(Formats.isCertificateArn("arn:aws:acm:us-west-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789")).isTrue();
      assertThat(Formats.isCertificateArn("arn:aws-cn:acm:cn-north-1:123456789012:certificate/0a1b2c3d")).isTrue();
      assertThat(Formats.isCertificateArn("arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/0a1b2c3d")).isTrue();
    }

    @Test
    void iamServerCertificateArns() {
      assertThat(Formats.isCertificateArn("arn:aws:iam::123456789012:server-certificate/prod/shop_2025")).isTrue();
      assertThat(Formats.acmRegion("arn:aws:iam::123456789012:server-certificate/prod/shop_2025")).isEmpty();
    }

    @Test
    void malformedArns() {
      assertThat(Formats.isCertificateArn("arn:aws:acm:us-west-2:12345:certificate/0a1b")).isFalse();
      assertThat(Formats.isCertificateArn("arn:aws:acm:uswest2:123456789012:certificate/0a1b")).isFalse();
      assertThat(Formats.isCertificateArn("arn:aws:acm:us-west-2:123456789012:certificate/not-hex!")).isFalse();
      assertThat(Formats.isCertificateArn("0a1b2c3d-4e5f-6789-abcd-ef0123456789")).isFalse();
      assertThat(Formats.isCertificateArn("arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/x/1")).isFalse();
    }

    @Test
    void acmRegionIsExtracted() {
      assertThat(Formats.acmRegion("arn:aws:acm:eu-central-1:123456789012:certificate/0a1b")).contains("eu-central-1");
      assertThat(Formats.acmRegion("arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/0a1b")).contains("us-gov-west-1");
    }

    @Test
    void idPatterns() {
      assertThat(Formats.SUBNET_ID.matcher("subnet-0123abcd").matches()).isTrue();
      assertThat(Formats.SUBNET_ID.matcher("subnet-0123456789abcdef0").matches()).isTrue();
      assertThat(Formats.SUBNET_ID.matcher("subnet-0123456789").matches()).isFalse();
      assertThat(Formats.SECURITY_GROUP_ID.matcher("sg-0123456789abcdef0").matches()).isTrue();
      assertThat(Formats.SECURITY_GROUP_ID.matcher("sg-XYZ01234").matches()).isFalse();
      assertThat(Formats.WAFV2_ARN.matcher(
          "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/0a1b2c3d-4e5f-6789-abcd-ef0123456789").matches()).isTrue();
    }
  }
}
