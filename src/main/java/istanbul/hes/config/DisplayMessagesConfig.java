package istanbul.hes.config;

import java.nio.file.Path;

/** The validators' screen texts: the file they are read from, and how often it is checked for changes. */
public record DisplayMessagesConfig(Path file, int reloadSeconds) {
  static DisplayMessagesConfig from(ConfigSource source) {
    String file = source.string("displayMessages.file");
    if (file.isEmpty()) {
      throw source.invalid("displayMessages.file", "must name the file of the validators' screen texts");
    }
    return new DisplayMessagesConfig(Path.of(file), source.integer("displayMessages.reloadSeconds", 1, 3_600));
  }
}
