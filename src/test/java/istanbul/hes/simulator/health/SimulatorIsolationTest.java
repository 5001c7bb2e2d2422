package istanbul.hes.simulator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The simulators stand apart: the gateway never uses them, and they use nothing of the gateway.
 * The one exception is the demo command, whose job is to stand the outside world up next to a
 * node (it starts the simulators as separate servers and points the node at them over HTTP).
 */
class SimulatorIsolationTest {
  private static final Path MAIN = Path.of("src", "main", "java", "istanbul", "hes");

  private static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.toString().endsWith(".java")).toList();
    }
  }

  @Test
  void noGatewayCodeImportsTheSimulator() throws IOException {
    Path simulators = MAIN.resolve("simulator");
    Path demo = MAIN.resolve("demo");
    for (Path file : sources(MAIN)) {
      if (!file.startsWith(simulators) && !file.startsWith(demo)) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("istanbul.hes.simulator");
      }
    }
  }

  @Test
  void noSimulatorUsesAGatewayPackage() throws IOException {
    List<Path> simulators = sources(MAIN.resolve("simulator"));
    assertThat(simulators).isNotEmpty();
    for (Path file : simulators) {
      Files.readAllLines(file).stream()
          .map(line -> line.replaceFirst("^import static ", "import "))
          .filter(line -> line.startsWith("import istanbul.hes."))
          // istanbul.hes.cli is the jar's neutral command-line support (usage errors, the build's version).
          .filter(line -> !line.startsWith("import istanbul.hes.cli."))
          .forEach(line -> assertThat(line).as(file.toString()).startsWith("import istanbul.hes.simulator."));
    }
  }
}
