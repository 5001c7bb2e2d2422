package istanbul.hes.simulator.interior;

import istanbul.hes.simulator.SimulatorLauncher;
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
  public static final Set<String> OPTIONS = SimulatorLauncher.CREDENTIALED_OPTIONS;

  private InteriorMinistrySimulatorMain() {}

  public static void main(String[] args) {
    SimulatorLauncher.runCredentialed(args, "InteriorMinistrySimulatorMain", 9191, ENVIRONMENT_PREFIX, "Ministry of Interior simulator",
        "POST /v1/violations; operator endpoints under /simulator", InteriorMinistrySimulator::new);
  }
}
