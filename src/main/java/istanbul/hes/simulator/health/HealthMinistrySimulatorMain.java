package istanbul.hes.simulator.health;

import istanbul.hes.simulator.SimulatorCommand;
import java.util.Set;

/**
 * Runs the Ministry of Health simulator as a process of its own:
 * {@code java -cp hes-gateway-kit.jar istanbul.hes.simulator.health.HealthMinistrySimulatorMain
 * --port 9090 --user institution --password secret}. The credentials may come from the
 * environment instead (HES_SIMULATOR_HEALTH_USER, HES_SIMULATOR_HEALTH_PASSWORD), which keeps
 * the password out of the process list. Stops on SIGTERM / Ctrl+C. The same as
 * {@code java -jar hes-gateway-kit.jar simulator health …}.
 */
public final class HealthMinistrySimulatorMain {
  /** The credentials may come from {@value}_USER and {@value}_PASSWORD (Docker, compose). */
  public static final String ENVIRONMENT_PREFIX = SimulatorCommand.HEALTH_ENVIRONMENT_PREFIX;
  /** The options the command line takes. */
  public static final Set<String> OPTIONS = SimulatorCommand.optionNames(new SimulatorCommand.Health());

  private HealthMinistrySimulatorMain() {}

  public static void main(String[] args) {
    System.exit(SimulatorCommand.runStandalone(HealthMinistrySimulatorMain.class.getSimpleName(), new SimulatorCommand.Health(), args));
  }
}
