package istanbul.hes.simulator.interior;

import istanbul.hes.simulator.SimulatorLauncher;
import java.util.Map;
import java.util.Set;

/**
 * Runs the Ministry of Interior simulator as a process of its own:
 * {@code java -cp hes-gateway.jar istanbul.hes.simulator.interior.InteriorMinistrySimulatorMain
 * --port 9191 --user USER --password PASSWORD} (or HES_SIMULATOR_INTERIOR_USER /
 * HES_SIMULATOR_INTERIOR_PASSWORD in the environment). Stops on SIGTERM / Ctrl+C.
 */
public final class InteriorMinistrySimulatorMain {
  /** The credentials may come from {@value}_USER and {@value}_PASSWORD (Docker, compose). */
  public static final String ENVIRONMENT_PREFIX = "HES_SIMULATOR_INTERIOR";
  /** The options the command line takes. */
  public static final Set<String> OPTIONS = Set.of("--host", "--port", "--user", "--password");

  private InteriorMinistrySimulatorMain() {}

  public static void main(String[] args) {
    SimulatorLauncher launcher = new SimulatorLauncher(
        "InteriorMinistrySimulatorMain [--host 0.0.0.0] [--port 9191] --user USER --password PASSWORD");
    Map<String, String> options = launcher.options(args, OPTIONS);
    String[] credentials = launcher.credentials(options, ENVIRONMENT_PREFIX);
    InteriorMinistrySimulator simulator = new InteriorMinistrySimulator(
        options.getOrDefault("--host", "0.0.0.0"), launcher.port(options.getOrDefault("--port", "9191")), credentials[0], credentials[1]);
    launcher.start("Ministry of Interior simulator", simulator, simulator::actualPort,
        "POST /v1/violations; operator endpoints under /simulator");
  }
}
