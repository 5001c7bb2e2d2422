package istanbul.hes.simulator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The simulator stands apart: the gateway never uses it, and it uses nothing of the gateway. */
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
    for (Path file : sources(MAIN)) {
      if (!file.startsWith(simulators)) {
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
          .forEach(line -> assertThat(line).as(file.toString()).startsWith("import istanbul.hes.simulator."));
    }
  }
}
