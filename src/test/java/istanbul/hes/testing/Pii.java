package istanbul.hes.testing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The personal values tests generated (synthetic identity numbers, HES codes, phones), so that the log can be
 * searched for them: none may ever appear in a log line.
 */
public final class Pii {
  private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

  private Pii() {}

  public static String register(String value) {
    VALUES.add(value);
    return value;
  }

  public static int registered() {
    return VALUES.size();
  }

  /** Captured log lines that contain a registered value. */
  public static List<String> leakedLines() {
    return LogCapture.lines().stream()
        .filter(line -> VALUES.stream().anyMatch(line::contains))
        .toList();
  }
}
