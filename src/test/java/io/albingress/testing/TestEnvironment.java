package io.albingress.testing;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for integration tests on the real local control plane and moto
 * ({@code hack/testenv}). The environment starts once per test run, or is reused when already
 * running; each test gets its own namespace and a freshly reset and re-seeded moto. What this
 * extension started is stopped at the end of the run, failures included.
 */
public final class TestEnvironment implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(TestEnvironment.class);

  /** Parameter type: the namespace created for the current test. */
  public record TestNamespace(String name) {}

  /** The running environment: its variables (from env.sh), seed and helpers. */
  public static final class Env implements AutoCloseable {
    private final Path repo;
    private final Map<String, String> vars;
    private final boolean startedHere;

    Env(Path repo, Map<String, String> vars, boolean startedHere) {
      this.repo = repo;
      this.vars = vars;
      this.startedHere = startedHere;
    }

    public String var(String name) {
      String v = vars.get(name);
      if (v == null) {
        throw new IllegalStateException(name + " is not set by target/testenv/env.sh");
      }
      return v;
    }

    public Path repo() {
      return repo;
    }

    public File kubeconfig() {
      return new File(var("KUBECONFIG"));
    }

    public String clusterName() {
      return var("CLUSTER_NAME");
    }

    public String region() {
      return var("AWS_REGION");
    }

    /** From seed.json: every reseed creates a new VPC. */
    public String vpcId() {
      return seed().getString("vpcId");
    }

    public String awsEndpoint() {
      return var("AWS_ENDPOINT_URL");
    }

    public JsonObject seed() {
      try {
        return new JsonObject(Files.readString(Path.of(var("TESTENV_SEED_JSON"))));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Runs kubectl against the test apiserver. */
    public Result kubectl(String stdin, String... args) {
      List<String> command = new java.util.ArrayList<>(List.of(var("TESTENV_KUBECTL")));
      command.addAll(List.of(args));
      return run(command, stdin);
    }

    /** Runs a hack/testenv subcommand, e.g. stop-apiserver; fails the test when it fails. */
    public void testenv(String command) {
      Result r = run(List.of(repo.resolve("hack/testenv").toString(), command), null);
      if (r.exit() != 0) {
        throw new IllegalStateException("hack/testenv " + command + " failed:\n" + r.stdout() + r.stderr());
      }
    }

    /** Resets moto and seeds AWS and Kubernetes again (nodes, IngressClass). */
    public void reseed() {
      Result r = run(List.of(repo.resolve("hack/testenv").toString(), "reseed"), null);
      if (r.exit() != 0) {
        throw new IllegalStateException("hack/testenv reseed failed:\n" + r.stdout() + r.stderr());
      }
    }

    Result run(List<String> command, String stdin) {
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
        pb.environment().putAll(vars);
        Path out = Files.createTempFile("testenv-out", ".txt");
        Path err = Files.createTempFile("testenv-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
          p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not finish in 10 minutes");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      if (startedHere) {
        run(List.of(repo.resolve("hack/testenv").toString(), "down"), null);
      }
    }
  }

  /** A finished command. */
  public record Result(int exit, String stdout, String stderr) {}

  /** The environment of this test run, started on first use. */
  public static Env env(ExtensionContext context) {
    return context.getRoot().getStore(STORE).getOrComputeIfAbsent(Env.class, k -> startOrReuse(), Env.class);
  }

  /** The environment outside JUnit (benchmarks): started or reused; close() stops it only if started here. */
  public static Env standalone() {
    return startOrReuse();
  }

  private static Env startOrReuse() {
    Path repo = Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));
    Path envFile = repo.resolve("target/testenv/env.sh");
    Env probe = new Env(repo, Map.of(), false);
    boolean running = Files.exists(envFile)
        && probe.run(List.of(repo.resolve("hack/testenv").toString(), "status"), null).exit() == 0;
    if (!running) {
      Result up = probe.run(List.of(repo.resolve("hack/testenv").toString(), "up"), null);
      if (up.exit() != 0) {
        throw new IllegalStateException("hack/testenv up failed:\n" + up.stdout() + up.stderr());
      }
    }
    Env env = new Env(repo, readEnv(probe, envFile), !running);
    // the AWS SDK in this JVM talks to moto, the standard way (system properties mirror the env vars)
    System.setProperty("aws.endpointUrl", env.awsEndpoint());
    System.setProperty("aws.region", env.region());
    System.setProperty("aws.accessKeyId", env.var("AWS_ACCESS_KEY_ID"));
    System.setProperty("aws.secretAccessKey", env.var("AWS_SECRET_ACCESS_KEY"));
    return env;
  }

  private static Map<String, String> readEnv(Env probe, Path envFile) {
    Result r = probe.run(List.of("bash", "-c", "source \"$0\" >/dev/null && env -0", envFile.toString()), null);
    if (r.exit() != 0) {
      throw new IllegalStateException("cannot read " + envFile + ": " + r.stderr());
    }
    Map<String, String> vars = new HashMap<>();
    for (String entry : r.stdout().split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        vars.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return vars;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Env env = env(context);
    env.reseed();
    String method = context.getRequiredTestMethod().getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String ns = "it-" + method.substring(0, Math.min(30, method.length())) + "-" + UUID.randomUUID().toString().substring(0, 6);
    Result created = env.kubectl(null, "create", "namespace", ns);
    if (created.exit() != 0) {
      throw new IllegalStateException("cannot create namespace " + ns + ": " + created.stderr());
    }
    context.getStore(STORE).put(TestNamespace.class, new TestNamespace(ns));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace ns = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
    if (ns != null) {
      env(context).kubectl(null, "delete", "namespace", ns.name(), "--wait=false");
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Env.class || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == Env.class) {
      return env(context);
    }
    return context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
  }
}
