package istanbul.hes.config;

import java.nio.file.Path;
import java.util.Optional;

/** Keys naming an optional file: empty means none. */
final class ConfigPaths {
  private ConfigPaths() {}

  static Optional<Path> optional(ConfigSource source, String key) {
    String value = source.string(key);
    return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
  }
}
