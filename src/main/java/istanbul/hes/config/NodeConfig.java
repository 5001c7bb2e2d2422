package istanbul.hes.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param failureLogIntervalSeconds at most one WARN line per kind of dependency failure (PostgreSQL
 *     or Redis down) per this many seconds; the metrics count every failure
 */
public record NodeConfig(String id, Path dataDir, int eventLoops, int shutdownGraceSeconds, int eventLoopWarningMillis,
    int failureLogIntervalSeconds) {
  static NodeConfig from(ConfigSource source) {
    String id = source.string("node.id");
    if (id.isEmpty()) {
      id = hostName();
    }
    return new NodeConfig(
        id,
        Path.of(source.string("node.dataDir")),
        source.integer("node.eventLoops", 0, 1024),
        source.integer("node.shutdownGraceSeconds", 1, 600),
        source.integer("node.eventLoopWarningMillis", 10, 60_000),
        source.integer("node.failureLogIntervalSeconds", 1, 3600));
  }

  public Duration failureLogInterval() {
    return Duration.ofSeconds(failureLogIntervalSeconds);
  }

  private static String hostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "gateway";
    }
  }
}
