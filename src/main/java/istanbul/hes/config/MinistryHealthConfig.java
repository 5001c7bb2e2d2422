package istanbul.hes.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.net.URISyntaxException;

/**
 * The Ministry of Health HES service: where it is, the institution's credentials (secrets, never
 * printed), and how hard the client tries. An empty {@code baseUrl} means not configured.
 */
public record MinistryHealthConfig(
    String baseUrl,
    String username,
    String password,
    int timeoutMillis,
    int retries,
    int retryBackoffMillis,
    int breakerFailures,
    long breakerResetMillis,
    int bulkBatchSize,
    Optional<Path> trustFile) {

  /** Without a trust file of its own: the JVM's default trust store. */
  public MinistryHealthConfig(String baseUrl, String username, String password, int timeoutMillis, int retries,
      int retryBackoffMillis, int breakerFailures, long breakerResetMillis, int bulkBatchSize) {
    this(baseUrl, username, password, timeoutMillis, retries, retryBackoffMillis, breakerFailures, breakerResetMillis,
        bulkBatchSize, Optional.empty());
  }

  static MinistryHealthConfig from(ConfigSource source) {
    String baseUrl = source.string("ministryHealth.baseUrl");
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    if (!baseUrl.isEmpty()) {
      try {
        URI uri = new URI(baseUrl);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
          throw source.invalid("ministryHealth.baseUrl", "must be empty (not configured) or an http:// or https:// URL");
        }
      } catch (URISyntaxException e) {
        throw source.invalid("ministryHealth.baseUrl", "is not a valid URL");
      }
    }
    String username = source.string("ministryHealth.username");
    String password = source.string("ministryHealth.password");
    if (!baseUrl.isEmpty() && username.isEmpty()) {
      throw source.invalid("ministryHealth.username", "is required when ministryHealth.baseUrl is set");
    }
    if (!baseUrl.isEmpty() && password.isEmpty()) {
      throw source.invalid("ministryHealth.password", "is required when ministryHealth.baseUrl is set");
    }
    return new MinistryHealthConfig(
        baseUrl,
        username,
        password,
        source.integer("ministryHealth.timeoutMillis", 50, 120_000),
        source.integer("ministryHealth.retries", 0, 10),
        source.integer("ministryHealth.retryBackoffMillis", 0, 60_000),
        source.integer("ministryHealth.breakerFailures", 1, 1000),
        source.longValue("ministryHealth.breakerResetMillis", 100, 3_600_000),
        source.integer("ministryHealth.bulkBatchSize", 1, 10_000),
        ConfigPaths.optional(source, "ministryHealth.trustFile"));
  }

  public boolean configured() {
    return !baseUrl.isEmpty();
  }

  public MinistryHealthConfig withBaseUrl(String newBaseUrl) {
    return new MinistryHealthConfig(newBaseUrl, username, password, timeoutMillis, retries, retryBackoffMillis,
        breakerFailures, breakerResetMillis, bulkBatchSize, trustFile);
  }

  @Override
  public String toString() {
    return "MinistryHealthConfig[baseUrl=" + (configured() ? baseUrl : "not configured")
        + ", credentials=" + (username.isEmpty() && password.isEmpty() ? "none" : "***")
        + ", timeoutMillis=" + timeoutMillis + ", retries=" + retries + ", retryBackoffMillis=" + retryBackoffMillis
        + ", breakerFailures=" + breakerFailures + ", breakerResetMillis=" + breakerResetMillis
        + ", bulkBatchSize=" + bulkBatchSize + ", trustFile=" + trustFile.map(Path::toString).orElse("JVM default") + "]";
  }
}
