package istanbul.hes.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL and Redis processes started from binaries shipped in Maven artifacts: what a
 * node uses when no external servers are configured, so the demo and the tests need only Java
 * and Maven. Starting and stopping block: call from a worker or from {@code main}.
 */
public final class EmbeddedServers {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

  private EmbeddedServers() {}

  /** A running embedded PostgreSQL; its data survives restarts in {@code dataDirectory}. */
  public record Postgres(EmbeddedPostgres server, String url) implements AutoCloseable {
    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A running embedded Redis. */
  public record Redis(RedisServer server, String url) implements AutoCloseable {
    @Override
    public void close() {
      try {
        server.stop();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Postgres startPostgres(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres server = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setPort(port == 0 ? freePort() : port)
          .setServerConfig("max_connections", "200")
          .setServerConfig("shared_buffers", "256MB")
          // Bulk loads of the demo population and of risk deltas: favour throughput.
          .setServerConfig("max_wal_size", "4GB")
          .setServerConfig("synchronous_commit", "on")
          .setRegisterShutdownHook(true)
          .start();
      String url = "postgresql://postgres@127.0.0.1:" + server.getPort() + "/postgres";
      LOG.info("embedded PostgreSQL started on port {} with data in {}", server.getPort(), dataDirectory);
      return new Postgres(server, url);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  public static Redis startRedis(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      int chosen = port == 0 ? freePort() : port;
      RedisServer server = RedisServer.newRedisServer()
          .port(chosen)
          .bind("127.0.0.1")
          .setting("dir " + dataDirectory.toAbsolutePath())
          // Redis holds only disposable state (stream, challenges, rate limits): no snapshots.
          .setting("save \"\"")
          .setting("appendonly no")
          .onShutdownForceStop(true)
          .build();
      server.start();
      LOG.info("embedded Redis started on port {}", chosen);
      return new Redis(server, "redis://127.0.0.1:" + chosen);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Redis did not start", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
