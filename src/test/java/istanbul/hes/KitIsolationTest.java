package istanbul.hes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing of the gateway depends on the demo kit, so the gateway's jar (built without the kit's
 * classes) runs: outside the kit's packages and classes, no source names one of them. The kit
 * joins the command line through a service, never by name.
 */
class KitIsolationTest {
  private static final Path MAIN = Path.of("src", "main", "java", "istanbul", "hes");
  private static final List<Path> KIT = List.of(MAIN.resolve("simulator"), MAIN.resolve("demo"), MAIN.resolve("embedded"),
      MAIN.resolve("citizen/auth/DevelopmentTokenIssuer.java"), MAIN.resolve("citizen/auth/TokenCommand.java"),
      MAIN.resolve("identity/DevelopmentKeys.java"));
  private static final List<String> KIT_NAMES = List.of("istanbul.hes.simulator", "istanbul.hes.demo", "istanbul.hes.embedded",
      "DevelopmentTokenIssuer", "TokenCommand", "DevelopmentKeys");

  @Test
  void noGatewaySourceNamesAKitClass() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      List<Path> gateway = files.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> KIT.stream().noneMatch(file::startsWith)).toList();
      assertThat(gateway).hasSizeGreaterThan(100);
      for (Path file : gateway) {
        String source = Files.readString(file);
        for (String name : KIT_NAMES) {
          assertThat(source).as("%s names %s", file, name).doesNotContain(name);
        }
      }
    }
  }
}
