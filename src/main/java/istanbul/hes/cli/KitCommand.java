package istanbul.hes.cli;

import picocli.CommandLine;

/**
 * A command of the demo kit (simulators) that the jar's command line takes in when the kit is on
 * the class path: listed in META-INF/services, so the gateway's own code names no kit class.
 */
public interface KitCommand {
  CommandLine commandLine();
}
