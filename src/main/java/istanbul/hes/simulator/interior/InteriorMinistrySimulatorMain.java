package istanbul.hes.simulator.interior;

import istanbul.hes.simulator.SimulatorCommand;
import java.util.Set;

/**
 * Runs the Ministry of Interior simulator as a process of its own:
 * {@code java -cp hes-gateway-kit.jar istanbul.hes.simulator.interior.InteriorMinistrySimulatorMain
 * --port 9191 --user USER --password PASSWORD} (or HES_SIMULATOR_INTERIOR_USER /
 * HES_SIMULATOR_INTERIOR_PASSWORD in the environment). Stops on SIGTERM / Ctrl+C. The same as
 * {@code java -jar hes-gateway-kit.jar simulator interior …}.
 */
public final class InteriorMinistrySimulatorMain {
  /** The credentials may come from {@value}_USER and {@value}_PASSWORD (Docker, compose). */
  public static final String ENVIRONMENT_PREFIX = SimulatorCommand.INTERIOR_ENVIRONMENT_PREFIX;
  /** The options the command line takes. */
  public static final Set<String> OPTIONS = SimulatorCommand.optionNames(new SimulatorCommand.Interior());

  private InteriorMinistrySimulatorMain() {}

  public static void main(String[] args) {
    System.exit(SimulatorCommand.runStandalone(InteriorMinistrySimulatorMain.class.getSimpleName(), new SimulatorCommand.Interior(), args));
  }
}
