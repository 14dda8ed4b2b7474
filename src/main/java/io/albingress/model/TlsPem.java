package io.albingress.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM of a {@code kubernetes.io/tls} Secret, checked as ACM ImportCertificate needs it: {@code tls.crt} holds the
 * certificate first and its chain after it, {@code tls.key} an unencrypted private key (PKCS#8 {@code PRIVATE KEY},
 * PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}) that belongs to the certificate. The key is checked
 * against the certificate by signing with it and verifying with the certificate's public key (a PKCS#1 or SEC1 key is
 * read as the PKCS#8 key with the certificate's algorithm identifier, which names the curve of an EC key). As ACM
 * does, the certificate must be valid at import time and the parts within ACM's sizes. Pure but for
 * {@link #check(String, String)} reading the clock.
 *
 * @param certificate the first certificate block
 * @param chain the other certificate blocks, empty when there are none
 * @param privateKey the key block
 * @param digest sha256 (hex) of certificate, chain and key: tells an import whether the Secret changed since
 */
public record TlsPem(String certificate, String chain, String privateKey, String digest) {
  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  /** ImportCertificate's limits (bytes): Certificate 32768, PrivateKey 5120, CertificateChain 2097152. */
  static final int MAX_CERTIFICATE = 32_768;
  static final int MAX_KEY = 5_120;
  static final int MAX_CHAIN = 2_097_152;

  /** A checked PEM, or why it cannot be used. */
  public record Checked(Optional<TlsPem> pem, Optional<String> problem) {
    static Checked ok(TlsPem pem) {
      return new Checked(Optional.of(pem), Optional.empty());
    }

    static Checked bad(String problem) {
      return new Checked(Optional.empty(), Optional.of(problem));
    }
  }

  private record Block(String type, byte[] der, String text) {}

  /** Checks {@code tls.crt} and {@code tls.key} (decoded text) now; never throws. */
  public static Checked check(String crt, String key) {
    return check(crt, key, java.time.Instant.now());
  }

  /** Checks {@code tls.crt} and {@code tls.key} (decoded text) at {@code now}; never throws. */
  public static Checked check(String crt, String key, java.time.Instant now) {
    if (crt == null || crt.isBlank()) {
      return Checked.bad("tls.crt is missing or empty");
    }
    if (key == null || key.isBlank()) {
      return Checked.bad("tls.key is missing or empty");
    }
    List<Block> certs;
    List<Block> keys;
    try {
      certs = blocks(crt);
      keys = blocks(key);
    } catch (IllegalArgumentException e) {
      return Checked.bad(e.getMessage());
    }
    if (certs.isEmpty() || certs.stream().anyMatch(b -> !b.type().equals("CERTIFICATE"))) {
      return Checked.bad("tls.crt must hold PEM CERTIFICATE blocks only");
    }
    if (keys.size() != 1) {
      return Checked.bad("tls.key must hold exactly one PEM private key block, found " + keys.size());
    }
    List<X509Certificate> parsed = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : certs) {
        parsed.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      return Checked.bad("tls.crt does not parse as X.509: " + e.getMessage());
    }
    X509Certificate leaf = parsed.get(0);
    if (now.isBefore(leaf.getNotBefore().toInstant()) || now.isAfter(leaf.getNotAfter().toInstant())) {
      // ImportCertificate refuses a certificate that is expired or not valid yet
      return Checked.bad("the certificate in tls.crt is valid from " + leaf.getNotBefore().toInstant() + " to "
          + leaf.getNotAfter().toInstant() + ", not now; ACM imports only a certificate valid at import time");
    }
    Block k = keys.get(0);
    Optional<String> keyProblem = switch (k.type()) {
      case "PRIVATE KEY" -> matches(pkcs8(k.der(), leaf.getPublicKey().getAlgorithm()), leaf);
      case "RSA PRIVATE KEY" -> matches(pkcs8(rsaPkcs1ToPkcs8(k.der()), "RSA"), leaf);
      case "EC PRIVATE KEY" -> "EC".equals(leaf.getPublicKey().getAlgorithm())
          ? matches(pkcs8(wrap(algorithmIdentifier(leaf.getPublicKey().getEncoded()), k.der()), "EC"), leaf)
          : Optional.of("tls.key is an EC key but the certificate's key is " + leaf.getPublicKey().getAlgorithm());
      case "ENCRYPTED PRIVATE KEY" -> Optional.of("tls.key is encrypted; ACM imports unencrypted keys only");
      default -> Optional.of("tls.key holds a " + k.type() + " block, not a private key");
    };
    if (keyProblem.isPresent()) {
      return Checked.bad(keyProblem.get());
    }
    String certificate = certs.get(0).text();
    String chain = String.join("\n", certs.subList(1, certs.size()).stream().map(Block::text).toList());
    if (certificate.length() > MAX_CERTIFICATE || k.text().length() > MAX_KEY || chain.length() > MAX_CHAIN) {
      return Checked.bad("larger than ACM imports: certificate " + certificate.length() + " bytes (at most " + MAX_CERTIFICATE + "), key "
          + k.text().length() + " (" + MAX_KEY + "), chain " + chain.length() + " (" + MAX_CHAIN + ")");
    }
    return Checked.ok(new TlsPem(certificate, chain, k.text(), digest(certificate, chain, k.text())));
  }

  /** sha256 hex over the three parts, each followed by a NUL. */
  public static String digest(String certificate, String chain, String key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String s : List.of(certificate, chain, key)) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Block> blocks(String pem) {
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      String body = m.group(2);
      if (body.contains(":")) {
        throw new IllegalArgumentException("a PEM " + m.group(1) + " block has headers (an encrypted key?); ACM imports unencrypted keys only");
      }
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.trim()), m.group(0).trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a PEM " + m.group(1) + " block is not valid base64");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no PEM block found");
    }
    return out;
  }

  /** The key read as PKCS#8, or why not, wrapped for {@link #matches}. */
  private static Object pkcs8(byte[] der, String algorithm) {
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      return "tls.key does not parse as a " + algorithm + " private key (the certificate's key is " + algorithm + ")";
    }
  }

  private static Optional<String> matches(Object key, X509Certificate cert) {
    if (key instanceof String problem) {
      return Optional.of(problem);
    }
    PrivateKey priv = (PrivateKey) key;
    PublicKey pub = cert.getPublicKey();
    String alg = "RSA".equals(pub.getAlgorithm()) ? "SHA256withRSA" : "EC".equals(pub.getAlgorithm()) ? "SHA256withECDSA" : null;
    if (alg == null) {
      return Optional.of("the certificate's key algorithm " + pub.getAlgorithm() + " is not one ACM imports (RSA, EC)");
    }
    try {
      byte[] probe = "alb-ingress key check".getBytes(StandardCharsets.UTF_8);
      Signature s = Signature.getInstance(alg);
      s.initSign(priv);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig) ? Optional.empty() : Optional.of("tls.key does not belong to the certificate in tls.crt");
    } catch (GeneralSecurityException | RuntimeException e) {
      return Optional.of("tls.key cannot be checked against the certificate: " + e.getMessage());
    }
  }

  /** PKCS#1 RSAPrivateKey wrapped in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL). */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    return wrap(algorithm, pkcs1);
  }

  /**
   * The AlgorithmIdentifier of a SubjectPublicKeyInfo (SEQUENCE { AlgorithmIdentifier, BIT STRING }): for EC it names the
   * curve, so a SEC1 ECPrivateKey wrapped with it reads as the PKCS#8 key of that curve. Empty on malformed DER.
   */
  static byte[] algorithmIdentifier(byte[] spki) {
    try {
      int outer = headerLength(spki, 0);
      int innerHeader = headerLength(spki, outer);
      int innerLength = contentLength(spki, outer);
      return java.util.Arrays.copyOfRange(spki, outer, outer + innerHeader + innerLength);
    } catch (RuntimeException e) {
      return new byte[0];
    }
  }

  private static int headerLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }

  private static int contentLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      n = (n << 8) | (der[at + 2 + i] & 0xff);
    }
    return n;
  }

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING privateKey }. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(der(0x04, key));
    return der(0x30, body.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((n >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
