package io.albingress.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.testing.TestCerts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TlsPemTest {
  static TestCerts.Pem rsa;
  static TestCerts.Pem other;
  static TestCerts.Pem ec;

  @BeforeAll
  static void certs() throws Exception {
    rsa = TestCerts.selfSigned("a.example.com");
    other = TestCerts.selfSigned("b.example.com");
    ec = TestCerts.selfSigned("c.example.com", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
  }

  @Test
  void aCertificateAndItsPkcs8KeyAreAccepted() {
    TlsPem.Checked c = TlsPem.check(rsa.certificate(), rsa.key());
    assertThat(c.problem()).isEmpty();
    TlsPem pem = c.pem().get();
    assertThat(pem.certificate()).startsWith("-----BEGIN CERTIFICATE-----").endsWith("-----END CERTIFICATE-----");
    assertThat(pem.chain()).isEmpty();
    assertThat(pem.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(pem.digest()).hasSize(64).isEqualTo(TlsPem.check(rsa.certificate(), rsa.key()).pem().get().digest());
  }

  @Test
  void pkcs1RsaKeysAndEcKeysAreAccepted() throws Exception {
    String pkcs1 = TestCerts.convertKey(rsa.key(), "rsa", "-traditional");
    assertThat(pkcs1).contains("BEGIN RSA PRIVATE KEY");
    assertThat(TlsPem.check(rsa.certificate(), pkcs1).problem()).isEmpty();
    assertThat(TlsPem.check(ec.certificate(), ec.key()).problem()).isEmpty();
    String sec1 = TestCerts.convertKey(ec.key(), "ec");
    assertThat(sec1).contains("BEGIN EC PRIVATE KEY");
    assertThat(TlsPem.check(ec.certificate(), sec1).problem()).isEmpty();
  }

  @Test
  void theChainIsWhatFollowsTheFirstCertificate() {
    TlsPem pem = TlsPem.check(rsa.certificate() + other.certificate(), rsa.key()).pem().get();
    assertThat(pem.chain()).isEqualTo(other.certificate().trim());
    assertThat(pem.digest()).isNotEqualTo(TlsPem.check(rsa.certificate(), rsa.key()).pem().get().digest());
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() throws Exception {
    assertThat(TlsPem.check(rsa.certificate(), other.key()).problem()).contains("tls.key does not belong to the certificate in tls.crt");
    assertThat(TlsPem.check(rsa.certificate(), TestCerts.convertKey(other.key(), "rsa", "-traditional")).problem())
        .contains("tls.key does not belong to the certificate in tls.crt");
    assertThat(TlsPem.check(rsa.certificate(), ec.key()).problem().get()).contains("does not parse as a RSA private key");
    assertThat(TlsPem.check(rsa.certificate(), TestCerts.convertKey(ec.key(), "ec")).problem().get()).contains("EC key");
  }

  @Test
  void aSec1EcKeyIsCheckedAgainstTheCertificatesCurveAndKey() throws Exception {
    TestCerts.Pem otherEc = TestCerts.selfSigned("d.example.com", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
    assertThat(TlsPem.check(ec.certificate(), TestCerts.convertKey(otherEc.key(), "ec")).problem())
        .contains("tls.key does not belong to the certificate in tls.crt");
    TestCerts.Pem p384 = TestCerts.selfSigned("e.example.com", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1");
    assertThat(TlsPem.check(p384.certificate(), TestCerts.convertKey(p384.key(), "ec")).problem()).isEmpty();
    assertThat(TlsPem.check(ec.certificate(), TestCerts.convertKey(p384.key(), "ec")).problem()).isPresent();
  }

  @Test
  void aCertificateNotValidAtImportTimeIsRefusedAsAcmWould() {
    java.time.Instant now = java.time.Instant.now();
    assertThat(TlsPem.check(rsa.certificate(), rsa.key(), now.plus(java.time.Duration.ofDays(3))).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("valid from").contains("not now"));
    assertThat(TlsPem.check(rsa.certificate(), rsa.key(), now.minus(java.time.Duration.ofDays(1))).problem()).isPresent();
    assertThat(TlsPem.check(rsa.certificate(), rsa.key(), now.plusSeconds(5)).problem()).isEmpty();
  }

  @Test
  void partsLargerThanAcmImportsAreRefused() {
    String longChain = other.certificate().repeat(TlsPem.MAX_CHAIN / other.certificate().length() + 2);
    assertThat(TlsPem.check(rsa.certificate() + longChain, rsa.key()).problem())
        .hasValueSatisfying(p -> assertThat(p).contains("larger than ACM imports").contains("chain"));
  }

  @Test
  void brokenPemIsRefusedWithAReason() {
    assertThat(TlsPem.check("", rsa.key()).problem()).contains("tls.crt is missing or empty");
    assertThat(TlsPem.check(rsa.certificate(), null).problem()).contains("tls.key is missing or empty");
    assertThat(TlsPem.check("hello", rsa.key()).problem()).contains("no PEM block found");
    assertThat(TlsPem.check(rsa.key(), rsa.key()).problem()).contains("tls.crt must hold PEM CERTIFICATE blocks only");
    assertThat(TlsPem.check(rsa.certificate(), rsa.key() + rsa.key()).problem().get()).contains("exactly one", "found 2");
    String garbled = rsa.certificate().replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nAAAA");
    assertThat(TlsPem.check(garbled, rsa.key()).problem().get()).contains("tls.crt does not parse as X.509");
    assertThat(TlsPem.check(rsa.certificate(), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n").problem())
        .contains("tls.key is encrypted; ACM imports unencrypted keys only");
  }
}
