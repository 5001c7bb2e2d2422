package istanbul.hes.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServersTest {
  @TempDir
  Path data;

  /**
   * What a SIGKILLed demo leaves behind: its PostgreSQL still running on the data folder. The demo's
   * default folder is relative (data/demo), so the killed process is given a relative one, as
   * {@code mvn -Pdemo package} does, and the next start names it in full.
   */
  @Test
  void serversLeftRunningByAKilledNodeAreStoppedAndPostgresDataKept() throws Exception {
    Process killedNode = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KilledNode.class.getName(), "demo-data")
        .directory(data.toFile())
        .inheritIO()
        .start();
    assertThat(killedNode.waitFor(120, TimeUnit.SECONDS)).isTrue();
    Path folder = data.resolve("demo-data");
    long orphanPid = Long.parseLong(Files.readAllLines(folder.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("the orphan is running").contains(true);

    EmbeddedServers.Postgres restarted = EmbeddedServers.startPostgres(folder.resolve("postgres"), 0);
    try (Connection connection = jdbc(restarted); ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(42);
      assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    } finally {
      restarted.close();
    }

    long orphanRedisPid = Long.parseLong(Files.readAllLines(folder.resolve("redis").resolve("redis.pid")).get(0).trim());
    assertThat(ProcessHandle.of(orphanRedisPid).map(ProcessHandle::isAlive)).as("the orphan Redis is running").contains(true);
    EmbeddedServers.Redis restartedRedis = EmbeddedServers.startRedis(folder.resolve("redis"), 0);
    try {
      assertThat(ProcessHandle.of(orphanRedisPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    } finally {
      restartedRedis.close();
    }
  }

  /** A node that starts its servers, writes, and dies without running any shutdown hook. */
  public static final class KilledNode {
    public static void main(String[] args) throws Exception {
      EmbeddedServers.Postgres postgres = EmbeddedServers.startPostgres(Path.of(args[0]).resolve("postgres"), 0);
      EmbeddedServers.startRedis(Path.of(args[0]).resolve("redis"), 0);
      try (Connection connection = jdbc(postgres)) {
        connection.createStatement().execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
      }
      Runtime.getRuntime().halt(137);
    }
  }

  static Connection jdbc(EmbeddedServers.Postgres postgres) throws Exception {
    return DriverManager.getConnection("jdbc:" + postgres.url().replace("postgresql://postgres@", "postgresql://") + "?user=postgres");
  }
}
