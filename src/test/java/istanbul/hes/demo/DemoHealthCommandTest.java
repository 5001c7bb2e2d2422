package istanbul.hes.demo;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.cli.CommandLines;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The {@code demo-health} command's usage and usage errors (nothing is started). */
class DemoHealthCommandTest {
  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var line = CommandLines.configure(DemoHealthCommand.commandLine());
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void itIsTheHealthSimulatorWithTheDemoPopulationsCodes() {
    Run help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: demo-health").contains("--cards=N").contains("--port=PORT").contains("--host=HOST")
        .contains("HES_SIMULATOR_HEALTH_USER");
  }

  @Test
  void thePopulationSizeIsRequiredAndPositive() {
    Run missing = run("--port", "0", "--user", "u", "--password", "p");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--cards=N'");
    Run negative = run("--port", "0", "--user", "u", "--password", "p", "--cards", "-5");
    assertThat(negative.exit()).isEqualTo(2);
    assertThat(negative.err()).contains("--cards must be 1 or more, was -5");
  }
}
