package istanbul.hes.simulator.health;

import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Runs the Ministry of Health simulator as a process of its own:
 * {@code java -cp hes-gateway.jar istanbul.hes.simulator.health.HealthMinistrySimulatorMain
 * --port 9090 --user institution --password secret}. The credentials may come from the
 * environment instead (HES_SIMULATOR_HEALTH_USER, HES_SIMULATOR_HEALTH_PASSWORD), which keeps
 * the password out of the process list. Stops on SIGTERM / Ctrl+C.
 */
public final class HealthMinistrySimulatorMain {
  private HealthMinistrySimulatorMain() {}

  public static void main(String[] args) {
    Map<String, String> environment = System.getenv();
    String host = "0.0.0.0";
    int port = 9090;
    String user = environment.getOrDefault("HES_SIMULATOR_HEALTH_USER", "");
    String password = environment.getOrDefault("HES_SIMULATOR_HEALTH_PASSWORD", "");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        usage(0);
      }
      if (i + 1 >= args.length) {
        System.err.println("missing value after " + arg);
        usage(2);
      }
      String value = args[++i];
      switch (arg) {
        case "--host" -> host = value;
        case "--port" -> port = port(value);
        case "--user" -> user = value;
        case "--password" -> password = value;
        default -> {
          System.err.println("unknown option " + arg);
          usage(2);
        }
      }
    }
    if (user.isEmpty() || password.isEmpty()) {
      System.err.println("a user and a password are required (--user/--password or HES_SIMULATOR_HEALTH_USER/PASSWORD)");
      usage(2);
    }

    Vertx vertx = Vertx.vertx();
    HealthMinistrySimulator simulator = new HealthMinistrySimulator(host, port, user, password);
    try {
      vertx.deployVerticle(simulator).await();
    } catch (RuntimeException e) {
      System.err.println("the simulator could not start: " + e.getMessage());
      vertx.close();
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "simulator-stop"));
    System.out.println("Ministry of Health simulator listening on " + host + ":" + simulator.actualPort()
        + " (POST /check-hes-code, /check-hes-codes; operator endpoints under /simulator)");
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      System.err.println("--port must be 0..65535, was " + value);
      usage(2);
      return -1;
    }
  }

  private static void usage(int status) {
    System.err.println("usage: HealthMinistrySimulatorMain [--host 0.0.0.0] [--port 9090] --user USER --password PASSWORD");
    System.exit(status);
  }
}
