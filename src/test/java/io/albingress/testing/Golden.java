package io.albingress.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Values for the placeholders of the golden AWS content files (golden/aws/*.json), taken from the
 * test's own environment, never from the controller: namespace, cluster, seeded certificate,
 * NodePorts and the instance targets of the Ready nodes, and AWS's default attributes
 * (golden/aws/defaults.json).
 */
public final class Golden {
  private static final Path DIR = Path.of(System.getProperty("project.basedir", "."), "src/test/resources/golden/aws");

  private Golden() {}

  public static Map<String, String> values(TestEnvironment.Env env, String ns, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put("ns", ns);
    values.put("cluster", env.clusterName());
    values.put("certificateArn", env.seed().getString("certificateArn"));
    JsonObject defaults = read(DIR.resolve("defaults.json"));
    values.put("lbAttributes", defaults.getJsonObject("loadBalancerAttributes").encode());
    values.put("tgAttributes", defaults.getJsonObject("targetGroupAttributes").encode());
    String instances = instances(env);
    for (String service : new String[] {"web", "api"}) {
      var port = env.kubectl(null, "get", "service", service, "-n", ns, "-o", "jsonpath={.spec.ports[0].nodePort}");
      if (port.exit() != 0) {
        continue;
      }
      String nodePort = port.stdout().trim();
      values.put("nodePort." + service, nodePort);
      values.put("targets." + service, instances.isEmpty() ? "" : java.util.Arrays.stream(instances.split(","))
          .map(i -> i + ":" + nodePort).sorted().collect(Collectors.joining(",")));
    }
    return values;
  }

  /** Instance IDs (from spec.providerID) of the Ready nodes not excluded from load balancers, as instance mode registers them. */
  static String instances(TestEnvironment.Env env) {
    JsonObject nodes = new JsonObject(env.kubectl(null, "get", "nodes", "-o", "json").stdout());
    return nodes.getJsonArray("items", new JsonArray()).stream().map(JsonObject.class::cast)
        .filter(n -> !n.getJsonObject("metadata").getJsonObject("labels", new JsonObject())
            .containsKey("node.kubernetes.io/exclude-from-external-load-balancers"))
        .filter(n -> n.getJsonObject("status", new JsonObject()).getJsonArray("conditions", new JsonArray()).stream()
            .map(JsonObject.class::cast).anyMatch(c -> "Ready".equals(c.getString("type")) && "True".equals(c.getString("status"))))
        .map(n -> n.getJsonObject("spec").getString("providerID", ""))
        .filter(p -> !p.isEmpty()).map(p -> p.substring(p.lastIndexOf('/') + 1)).sorted().collect(Collectors.joining(","));
  }

  /** The call bound RELIABILITY.md states for a test, as "`AwsFaultsIT` call bound: N calls". */
  public static long reliabilityBound(String test) {
    String doc = readText(Path.of(System.getProperty("project.basedir", "."), "RELIABILITY.md"));
    Matcher m = Pattern.compile("`" + test + "` call bound: (\\d+) calls").matcher(doc);
    if (!m.find()) {
      throw new IllegalStateException("RELIABILITY.md states no call bound for " + test + " (\"`" + test + "` call bound: N calls\")");
    }
    return Long.parseLong(m.group(1));
  }

  private static JsonObject read(Path file) {
    return new JsonObject(readText(file));
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
