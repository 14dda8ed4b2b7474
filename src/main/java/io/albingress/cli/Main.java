package io.albingress.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: `controller`, `plan`, `--help`, `--version`. */
@Command(
    name = "alb-ingress-controller",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Turns Kubernetes Ingresses into AWS Application Load Balancers.",
    subcommands = {ControllerCommand.class, PlanCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setParameterExceptionHandler((e, args) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see --help)");
          return 2;
        })
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: controller or plan");
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"alb-ingress-controller " + p.getProperty("version", "unknown")};
    }
  }
}
