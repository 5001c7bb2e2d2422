package istanbul.hes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * config/gateway.yaml is the operators' reference (and the defaults the jar carries): every key
 * in it has an explanation, a comment above it or above the group of keys it belongs to, with no
 * blank line between.
 */
class ConfigDocumentationTest {
  private static final Path FILE = Path.of("config", "gateway.yaml");

  @Test
  void everyKeyOfTheDefaultFileIsExplained() throws IOException {
    List<String> undocumented = new ArrayList<>();
    boolean explained = false;
    String section = "";
    for (String line : Files.readAllLines(FILE)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        explained = false;
      } else if (trimmed.startsWith("#")) {
        explained = true;
      } else if (!line.startsWith(" ")) {
        section = trimmed;
        explained = false;
      } else if (!explained) {
        undocumented.add(section + " " + trimmed);
      }
    }
    assertThat(undocumented).as("keys without an explanation in %s", FILE).isEmpty();
  }
}
