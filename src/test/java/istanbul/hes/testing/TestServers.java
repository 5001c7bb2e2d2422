package istanbul.hes.testing;

import istanbul.hes.embedded.EmbeddedServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The PostgreSQL and Redis every test of this JVM shares: external ones when
 * HES_TEST_DATABASE_URL / HES_TEST_REDIS_URL are set, otherwise one embedded PostgreSQL and one
 * embedded Redis, started on first use (data under target/test-data/servers-*) and stopped, their
 * data deleted, when the JVM exits. Tests never share data through them: each test environment
 * has a schema of its own.
 */
public final class TestServers {
  public static final String DATABASE_URL_VARIABLE = "HES_TEST_DATABASE_URL";
  public static final String REDIS_URL_VARIABLE = "HES_TEST_REDIS_URL";

  private static String databaseUrl;
  private static String redisUrl;
  private static Path serversDirectory;
  private static EmbeddedServers.Postgres postgres;
  private static EmbeddedServers.Redis redis;

  private TestServers() {}

  public static synchronized String databaseUrl() {
    if (databaseUrl == null) {
      databaseUrl = external(DATABASE_URL_VARIABLE);
      if (databaseUrl == null) {
        postgres = EmbeddedServers.startPostgres(serversDirectory().resolve("postgres"), 0);
        databaseUrl = postgres.url();
      }
    }
    return databaseUrl;
  }

  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      redisUrl = external(REDIS_URL_VARIABLE);
      if (redisUrl == null) {
        redis = EmbeddedServers.startRedis(serversDirectory().resolve("redis"), 0);
        redisUrl = redis.url();
      }
    }
    return redisUrl;
  }

  private static String external(String variable) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Path serversDirectory() {
    if (serversDirectory == null) {
      serversDirectory = TestDirectories.create("servers-" + UUID.randomUUID().toString().substring(0, 8));
      Runtime.getRuntime().addShutdownHook(new Thread(TestServers::stopEmbedded, "test-servers-stop"));
    }
    return serversDirectory;
  }

  private static synchronized void stopEmbedded() {
    if (redis != null) {
      redis.close();
    }
    if (postgres != null) {
      postgres.close();
      // The embedded server's own shutdown hook may be the one stopping it: wait for the
      // postmaster to be gone before deleting its data.
      Path pid = serversDirectory.resolve("postgres").resolve("postmaster.pid");
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> !Files.exists(pid));
    }
    TestDirectories.deleteRecursively(serversDirectory);
  }

  /** Where test data lives: target/test-data, so {@code mvn clean} removes whatever a crash left. */
  static final class TestDirectories {
    private static final Path ROOT = Path.of("target", "test-data").toAbsolutePath();

    private TestDirectories() {}

    static Path create(String name) {
      try {
        Files.createDirectories(ROOT);
        return Files.createTempDirectory(ROOT, name + "-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static void deleteRecursively(Path directory) {
      if (!Files.exists(directory)) {
        return;
      }
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
