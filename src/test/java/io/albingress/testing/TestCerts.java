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

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }
}
