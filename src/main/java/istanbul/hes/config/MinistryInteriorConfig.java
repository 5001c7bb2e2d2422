package istanbul.hes.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The Ministry of Interior's violation endpoint ({@code {baseUrl}/v1/violations}, HTTP Basic) and
 * how reports are delivered to it: batch size, pause when nothing is due, the deadline of a call,
 * how long a claimed batch is reserved, the backoff (full jitter between 0 and
 * min(cap, base·2^attempts)), when a report is given up (attempts, age), and the recording rate
 * above which delivery gives way to the taps (0: never). Empty baseUrl: not configured, reports
 * stay in the outbox.
 */
public record MinistryInteriorConfig(String baseUrl, String username, String password, int batchSize, int pollMillis,
    int timeoutMillis, int leaseSeconds, int backoffBaseMillis, int backoffCapMillis, int maxAttempts, long maxAgeSeconds,
    int breakerFailures, long breakerResetMillis, Optional<Path> trustFile, int yieldAboveDenialsPerSecond) {
  static MinistryInteriorConfig from(ConfigSource source) {
    String baseUrl = source.string("ministryInterior.baseUrl");
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    return new MinistryInteriorConfig(baseUrl,
        source.string("ministryInterior.username"),
        source.string("ministryInterior.password"),
        source.integer("ministryInterior.batchSize", 1, 10_000),
        source.integer("ministryInterior.pollMillis", 10, 600_000),
        source.integer("ministryInterior.timeoutMillis", 100, 120_000),
        source.integer("ministryInterior.leaseSeconds", 1, 3_600),
        source.integer("ministryInterior.backoffBaseMillis", 1, 600_000),
        source.integer("ministryInterior.backoffCapMillis", 1, 86_400_000),
        source.integer("ministryInterior.maxAttempts", 1, 1_000),
        source.longValue("ministryInterior.maxAgeSeconds", 60, 30L * 86_400),
        source.integer("ministryInterior.breakerFailures", 1, 1_000),
        source.longValue("ministryInterior.breakerResetMillis", 100, 3_600_000),
        ConfigPaths.optional(source, "ministryInterior.trustFile"),
        source.integer("ministryInterior.yieldAboveDenialsPerSecond", 0, 1_000_000));
  }

  public boolean configured() {
    return !baseUrl.isEmpty();
  }

  @Override
  public String toString() {
    return "MinistryInteriorConfig[baseUrl=" + (configured() ? baseUrl : "not configured") + ", credentials=***, batchSize="
        + batchSize + "]";
  }
}
