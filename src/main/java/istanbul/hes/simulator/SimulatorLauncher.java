package istanbul.hes.simulator;

import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * What a simulator's {@code main} shares: {@code --name value} options, a port check, and
 * deploying the simulator in a Vert.x of its own that stops on SIGTERM. Command-line output is
 * deliberate here: these are small tools run by hand or by Docker.
 */
public final class SimulatorLauncher {
  private final String usage;

  public SimulatorLauncher(String usage) {
    this.usage = usage;
  }

  /** Options given as {@code --name value}; {@code --help} prints the usage; unknown names stop with status 2. */
  public Map<String, String> options(String[] args, Set<String> known) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        exit(0, null);
      }
      if (!known.contains(name)) {
        exit(2, "unknown option " + name);
      }
      if (i + 1 >= args.length) {
        exit(2, "missing value after " + name);
      }
      options.put(name, args[++i]);
    }
    return options;
  }

  /**
   * The user and password from {@code --user}/{@code --password}, else from the environment
   * ({@code <variablePrefix>_USER}, {@code <variablePrefix>_PASSWORD}, which keeps the password
   * out of the process list); stops with status 2 when either is missing.
   */
  public String[] credentials(Map<String, String> options, String variablePrefix) {
    Map<String, String> environment = System.getenv();
    String user = options.getOrDefault("--user", environment.getOrDefault(variablePrefix + "_USER", ""));
    String password = options.getOrDefault("--password", environment.getOrDefault(variablePrefix + "_PASSWORD", ""));
    if (user.isEmpty() || password.isEmpty()) {
      exit(2, "a user and a password are required (--user/--password or " + variablePrefix + "_USER/_PASSWORD)");
    }
    return new String[] {user, password};
  }

  public int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    exit(2, "--port must be 0..65535, was " + value);
    return -1;
  }

  /** Deploys the simulator, then prints {@code listening} with the port it got; exits 1 if it cannot start. */
  public void start(String name, VerticleBase simulator, IntSupplier actualPort, String listening) {
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(simulator).await();
    } catch (RuntimeException e) {
      System.err.println(name + " could not start: " + e.getMessage());
      vertx.close();
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "simulator-stop"));
    System.out.println(name + " listening on port " + actualPort.getAsInt() + " (" + listening + ")");
  }

  public void exit(int status, String problem) {
    if (problem != null) {
      System.err.println(problem);
    }
    System.err.println("usage: " + usage);
    System.exit(status);
  }

  /** The options of a simulator that wants HTTP Basic credentials. */
  public static final Set<String> CREDENTIALED_OPTIONS = Set.of("--host", "--port", "--user", "--password");

  /** Builds a simulator that wants HTTP Basic credentials. */
  @FunctionalInterface
  public interface CredentialedSimulator {
    SimulatorServer create(String host, int port, String user, String password);
  }

  /**
   * The whole {@code main} of a ministry simulator: {@code [--host 0.0.0.0] [--port P] --user U
   * --password P} (or {@code <environmentPrefix>_USER} / {@code _PASSWORD}), then start it.
   */
  public static void runCredentialed(String[] args, String mainName, int defaultPort, String environmentPrefix, String name,
      String listening, CredentialedSimulator create) {
    SimulatorLauncher launcher = new SimulatorLauncher(
        mainName + " [--host 0.0.0.0] [--port " + defaultPort + "] --user USER --password PASSWORD");
    Map<String, String> options = launcher.options(args, CREDENTIALED_OPTIONS);
    String[] credentials = launcher.credentials(options, environmentPrefix);
    SimulatorServer simulator = create.create(options.getOrDefault("--host", "0.0.0.0"),
        launcher.port(options.getOrDefault("--port", Integer.toString(defaultPort))), credentials[0], credentials[1]);
    launcher.start(name, simulator, simulator::actualPort, listening);
  }
}
