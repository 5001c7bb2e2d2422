package istanbul.hes.demo;

import istanbul.hes.cli.BuildVersion;
import istanbul.hes.cli.KitCommand;
import istanbul.hes.simulator.SimulatorCommand;
import istanbul.hes.simulator.health.HesCodeDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code demo-health --cards N [--host H] [--port P] …}: the Ministry of Health simulator knowing
 * the HES code of every holder of the demo population of N cards, as the demo's own does, run as a
 * process of its own: the load tests' ministry, apart from the node as in production (its CPU is
 * not the node's). The simulator itself knows nothing of the demo; this command hands it the
 * demo's codes.
 */
@Command(name = "demo-health", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
    header = "The Ministry of Health simulator, knowing every demo holder's HES code (a load test's ministry).",
    description = "Credentials: --user/--password or HES_SIMULATOR_HEALTH_USER/_PASSWORD.")
public final class DemoHealthCommand extends SimulatorCommand.Health {
  @Option(names = "--cards", paramLabel = "N", required = true, description = "The demo population's size (demo --cards).")
  long cards;

  @Override
  protected HesCodeDirectory directory() {
    if (cards <= 0) {
      throw new ParameterException(spec().commandLine(), "--cards must be 1 or more, was " + cards);
    }
    return new DemoHesCodes(cards);
  }

  public static CommandLine commandLine() {
    return new CommandLine(new DemoHealthCommand());
  }

  /** Joins the jar's command line as {@code demo-health} (META-INF/services/istanbul.hes.cli.KitCommand). */
  public static final class Kit implements KitCommand {
    @Override
    public CommandLine commandLine() {
      return DemoHealthCommand.commandLine();
    }
  }
}
