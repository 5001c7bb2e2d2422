package istanbul.hes.simulator.health;

import istanbul.hes.simulator.SimulatorLauncher;
import java.util.Set;

/**
 * Runs the Ministry of Health simulator as a process of its own:
 * {@code java -cp hes-gateway.jar istanbul.hes.simulator.health.HealthMinistrySimulatorMain
 * --port 9090 --user institution --password secret}. The credentials may come from the
 * environment instead (HES_SIMULATOR_HEALTH_USER, HES_SIMULATOR_HEALTH_PASSWORD), which keeps
 * the password out of the process list. Stops on SIGTERM / Ctrl+C.
 */
public final class HealthMinistrySimulatorMain {
  /** The credentials may come from {@value}_USER and {@value}_PASSWORD (Docker, compose). */
  public static final String ENVIRONMENT_PREFIX = "HES_SIMULATOR_HEALTH";
  /** The options the command line takes. */
  public static final Set<String> OPTIONS = SimulatorLauncher.CREDENTIALED_OPTIONS;

  private HealthMinistrySimulatorMain() {}

  public static void main(String[] args) {
    SimulatorLauncher.runCredentialed(args, "HealthMinistrySimulatorMain", 9090, ENVIRONMENT_PREFIX, "Ministry of Health simulator",
        "POST /check-hes-code, /check-hes-codes; operator endpoints under /simulator", HealthMinistrySimulator::new);
  }
}
