package io.albingress.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The project's webhook-config/ manifests, pointed at a webhook server on 127.0.0.1 (clientConfig.url
 * plus caBundle instead of the in-cluster Service), as kubectl input.
 */
public final class WebhookRegistration {
  private static final YAMLMapper YAML = new YAMLMapper();

  private WebhookRegistration() {}

  /** Points the apiserver's webhook configurations at this controller; fails the test when kubectl does. */
  public static void register(TestEnvironment.Env env, io.albingress.app.ControllerApp app) throws IOException {
    TestEnvironment.Result r = env.kubectl(manifests(env.repo(), app.webhookPort(), app.webhookCertDir().resolve("tls.crt")), "apply", "-f", "-");
    if (r.exit() != 0) {
      throw new AssertionError("registering the webhooks failed: " + r.stdout() + r.stderr());
    }
  }

  /** Removes the webhook configurations, so that a stopped controller blocks no later test. */
  public static void unregister(TestEnvironment.Env env) {
    env.kubectl(null, "delete", "validatingwebhookconfiguration,mutatingwebhookconfiguration", "alb-ingress-controller", "--ignore-not-found");
  }

  public static String manifests(Path repo, int port, Path caCert) throws IOException {
    String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(caCert));
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.list(repo.resolve("webhook-config"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        JsonNode doc = YAML.readTree(Files.readString(f, StandardCharsets.UTF_8));
        for (JsonNode webhook : doc.path("webhooks")) {
          ObjectNode client = (ObjectNode) webhook.get("clientConfig");
          String path = client.path("service").path("path").asString();
          client.removeAll();
          client.put("url", "https://127.0.0.1:" + port + path);
          client.put("caBundle", caBundle);
        }
        ((ObjectNode) doc.get("metadata")).remove("annotations");
        out.append("---\n").append(YAML.writeValueAsString(doc));
      }
    }
    return out.toString();
  }
}
