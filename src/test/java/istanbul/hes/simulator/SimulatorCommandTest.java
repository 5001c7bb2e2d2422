package istanbul.hes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.cli.CommandLines;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The {@code simulator} command's wiring: its subcommands, their usage and usage errors (nothing is started). */
class SimulatorCommandTest {
  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var line = CommandLines.configure(SimulatorCommand.commandLine());
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void everySimulatorIsASubcommand() {
    assertThat(SimulatorCommand.commandLine().getSubcommands().keySet()).containsExactly("health", "interior", "sms", "push");
    Run help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Runs a simulator of an outside service: health, interior, sms or push.")
        .contains("simulator [-hV] (health | interior | sms | push)");
  }

  @Test
  void pushTakesAHostAndAPort() {
    Run help = run("push", "--host", "127.0.0.1", "--port", "0", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: simulator push").contains("--host=HOST").contains("--port=PORT").contains("Default: 9092");
    assertThat(SimulatorCommand.optionNames(new SimulatorCommand.Push())).contains("--host", "--port");
  }

  @Test
  void usageErrorsNameTheProblem() {
    Run none = run();
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("a simulator is required: health, interior, sms or push");
    Run port = run("push", "--port", "70000");
    assertThat(port.exit()).isEqualTo(2);
    assertThat(port.err()).contains("--port must be 0..65535, was 70000").contains("Usage: simulator push");
    Run unknown = run("push", "--bogus");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--bogus'");
  }
}
