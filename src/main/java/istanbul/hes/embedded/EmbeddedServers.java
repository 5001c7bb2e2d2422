package istanbul.hes.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import istanbul.hes.config.GatewayConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
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

  /**
   * Starts an embedded PostgreSQL and/or Redis for whichever the configuration leaves empty, under
   * {@code node.dataDir}, and returns the configuration pointing at them. What was started is
   * added to {@code started}, for {@link #stopAll}.
   */
  public static GatewayConfig startWhereMissing(GatewayConfig config, List<AutoCloseable> started) {
    GatewayConfig result = config;
    if (result.database().embedded()) {
      Postgres postgres = startPostgres(result.node().dataDir().resolve("postgres"), result.database().embeddedPort());
      started.add(postgres);
      result = result.withDatabase(result.database().withUrl(postgres.url()));
    }
    if (result.redis().embedded()) {
      Redis redis = startRedis(result.node().dataDir().resolve("redis"), result.redis().embeddedPort());
      started.add(redis);
      result = result.withRedis(result.redis().withUrl(redis.url()));
    }
    return result;
  }

  /** Stops what {@link #startWhereMissing} started, last first; a failure is logged, not thrown. */
  public static void stopAll(List<AutoCloseable> started) {
    synchronized (started) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          LOG.warn("embedded server did not stop cleanly: {}", e.toString());
        }
      }
      started.clear();
    }
  }

  public static Postgres startPostgres(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      Path absolute = dataDirectory.toAbsolutePath().normalize();
      // The postmaster keeps its command line, which names the data folder it holds: absolute
      // since it is started with one below, relative as an older start may have left it.
      stopOrphan(absolute.resolve("postmaster.pid"), "PostgreSQL",
          info -> info.commandLine().map(line -> line.contains("postgres")
              && (line.contains(absolute.toString()) || line.contains("-D " + dataDirectory))).orElse(false));
      EmbeddedPostgres server = EmbeddedPostgres.builder()
          .setDataDirectory(absolute)
          .setCleanDataDirectory(false)
          .setPort(port == 0 ? freePort() : port)
          .setServerConfig("max_connections", "200")
          .setServerConfig("shared_buffers", "256MB")
          // Bulk loads of the demo population and of risk deltas: favour throughput.
          .setServerConfig("max_wal_size", "4GB")
          .setServerConfig("synchronous_commit", "on")
          // The node stops it, after everything that uses it; a node that dies first leaves an
          // orphan, which the next start stops (stopOrphan).
          .setRegisterShutdownHook(false)
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
      Path pidFile = dataDirectory.toAbsolutePath().resolve("redis.pid");
      // Redis rewrites its process title, so the executable decides: embedded-redis runs its own
      // extracted, versioned binary (redis-server-<version>-…), never a system redis-server.
      stopOrphan(pidFile, "Redis", info -> info.command().map(path -> path.contains("redis-server-")).orElse(false));
      int chosen = port == 0 ? freePort() : port;
      RedisServer server = RedisServer.newRedisServer()
          .port(chosen)
          .bind("127.0.0.1")
          .setting("dir " + dataDirectory.toAbsolutePath())
          .setting("pidfile " + pidFile)
          // Redis holds only disposable state (stream, challenges, rate limits): no snapshots.
          .setting("save \"\"")
          .setting("appendonly no")
          // No shutdown hook of its own: it would stop Redis under a node still stopping
          // gracefully (hooks run at once). The node stops it last; an orphan left by a node that
          // died first is stopped by the next start (stopOrphan).
          .onShutdownForceStop(false)
          .build();
      server.start();
      LOG.info("embedded Redis started on port {}", chosen);
      return new Redis(server, "redis://127.0.0.1:" + chosen);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Redis did not start", e);
    }
  }

  /**
   * A node killed with SIGKILL leaves its embedded servers running; PostgreSQL would keep holding
   * its data folder and the next start would fail. The process named in the server's pid file is
   * shut down (SIGTERM, then SIGKILL after 30 s) when it is alive and {@code ours} recognises it
   * (a pid may have been reused by any other process since).
   */
  static void stopOrphan(Path pidFile, String server, Predicate<ProcessHandle.Info> ours) throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (RuntimeException e) {
      return; // not a pid file the server wrote: the server itself will judge it
    }
    ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(process -> ours.test(process.info()))
        .ifPresent(orphan -> {
          LOG.warn("stopping embedded {} pid {} left running by a node that did not shut down", server, pid);
          orphan.destroy();
          try {
            orphan.onExit().get(30, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            orphan.destroyForcibly();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException e) {
            LOG.warn("could not wait for pid {}: {}", pid, e.toString());
          }
        });
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
