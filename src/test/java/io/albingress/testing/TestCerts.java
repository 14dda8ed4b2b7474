package io.albingress.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Self-signed serving certificates for tests, made with openssl (as cert-manager would lay them out). */
public final class TestCerts {
  private TestCerts() {}

  /** Writes tls.crt and tls.key for 127.0.0.1/localhost into {@code dir}. */
  public static void write(Path dir, String commonName) throws IOException, InterruptedException {
    dir.toFile().mkdirs();
    Path crt = dir.resolve("tls.crt.tmp");
    Path key = dir.resolve("tls.key.tmp");
    run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=" + commonName, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout", key.toString(), "-out", crt.toString()));
    // rename so a reloading server never sees a half-written file
    java.nio.file.Files.move(key, dir.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    java.nio.file.Files.move(crt, dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** A self-signed certificate and its key as PEM text (tls.crt, tls.key). */
  public record Pem(String certificate, String key) {}

  /**
   * A self-signed certificate for {@code host}, made with openssl: {@code keyArgs} as for {@code req -newkey} (e.g. "rsa:2048",
   * or "ec" with "-pkeyopt ec_paramgen_curve:prime256v1"); the key is PKCS#8.
   */
  public static Pem selfSigned(String host, String... keyArgs) throws IOException, InterruptedException {
    Path dir = java.nio.file.Files.createTempDirectory("certs");
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "req", "-x509", "-newkey"));
    cmd.addAll(keyArgs.length == 0 ? List.of("rsa:2048") : List.of(keyArgs));
    cmd.addAll(List.of("-nodes", "-days", "2", "-subj", "/CN=" + host, "-addext", "subjectAltName=DNS:" + host,
        "-keyout", dir.resolve("k").toString(), "-out", dir.resolve("c").toString()));
    run(cmd);
    return new Pem(java.nio.file.Files.readString(dir.resolve("c")), java.nio.file.Files.readString(dir.resolve("k")));
  }

  /** The key converted with openssl ({@code args}, e.g. "rsa", "-traditional"): PKCS#1 or SEC1 forms. */
  public static String convertKey(String key, String... args) throws IOException, InterruptedException {
    Path dir = java.nio.file.Files.createTempDirectory("certs");
    java.nio.file.Files.writeString(dir.resolve("in"), key);
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-in", dir.resolve("in").toString(), "-out", dir.resolve("out").toString()));
    run(cmd);
    return java.nio.file.Files.readString(dir.resolve("out"));
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }
}
