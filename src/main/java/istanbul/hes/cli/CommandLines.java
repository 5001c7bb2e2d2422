package istanbul.hes.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every command line of the jar shares, the gateway's and the kit's (the simulators' own
 * mains too): a usage error is its line, any suggestion, then the command's usage, always
 * (picocli leaves the usage out when it has a suggestion), exit 2.
 */
public final class CommandLines {
  private CommandLines() {}

  public static CommandLine configure(CommandLine line) {
    return line.setParameterExceptionHandler((exception, args) -> {
      CommandLine command = exception.getCommandLine();
      PrintWriter err = command.getErr();
      err.println(exception.getMessage());
      UnmatchedArgumentException.printSuggestions(exception, err);
      if (command.getParent() == null && command.getCommandSpec().subcommands().containsKey("node")
          && args.length > 0 && args[0].startsWith("--")) {
        // Before picocli a node's options could come without the command.
        err.println("Options follow the command: hes-gateway node " + String.join(" ", args));
      }
      err.print(command.getUsageMessage(command.getColorScheme()));
      err.flush();
      return command.getCommandSpec().exitCodeOnInvalidInput();
    });
  }
}
