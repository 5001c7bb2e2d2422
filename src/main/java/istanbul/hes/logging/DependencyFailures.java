package istanbul.hes.logging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of the node's dependencies that are outages, not bugs: PostgreSQL that cannot be
 * reached, closed the connection, is shutting down or is out of resources; Redis that cannot be
 * reached. Requests they fail are answered 503 with Retry-After (see {@code Problems}); each is
 * counted in {@code gateway_dependency_failures_total{dependency,operation}} and logged as one
 * short WARN line per dependency and operation per interval ({@code node.failureLogIntervalSeconds}).
 */
public final class DependencyFailures {
  private static final Logger LOG = LoggerFactory.getLogger(DependencyFailures.class);

  /** What failed; its name is the metric's {@code dependency} tag. */
  public enum Dependency {
    POSTGRESQL, REDIS;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry meters;
  private final Duration logInterval;
  private final ThrottledLog log;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public DependencyFailures(MeterRegistry meters, Duration logInterval) {
    this.meters = meters;
    this.logInterval = logInterval;
    this.log = new ThrottledLog(LOG, logInterval);
  }

  /** At most one line per kind per this interval: for features that keep a {@link ThrottledLog} of their own. */
  public Duration logInterval() {
    return logInterval;
  }

  /** A throttled log writing to {@code logger} with this node's interval. */
  public ThrottledLog throttled(Logger logger) {
    return new ThrottledLog(logger, logInterval);
  }

  /** Counts and logs nowhere but here: for pieces built without a node (tests, tools). */
  public static DependencyFailures standalone() {
    return new DependencyFailures(new SimpleMeterRegistry(), ThrottledLog.DEFAULT_INTERVAL);
  }

  /**
   * Whether {@code failure} says PostgreSQL is unavailable rather than that a statement was wrong:
   * no connection (refused, timed out, closed, none free in time), or a server error of SQLSTATE
   * class 08 (connection exception), 53 (insufficient resources) or 57P01–57P03 (shutting down,
   * cannot connect now). A statement that PostgreSQL refused for its content is not one.
   */
  public static boolean postgresqlUnavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof DatabaseException database) {
        String state = database.getSqlState();
        return state != null && (state.startsWith("08") || state.startsWith("53")
            || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
      }
      if (connectionLevel(cause)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code failure} says a connection could not be made or was lost (of any client). */
  public static boolean connectionLevel(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof ClosedConnectionException || cause instanceof ConnectException
          || cause instanceof ConnectTimeoutException || cause instanceof ClosedChannelException
          || cause instanceof java.net.NoRouteToHostException || cause instanceof java.net.UnknownHostException) {
        return true;
      }
      if (cause instanceof java.io.IOException io && io.getMessage() != null
          && (io.getMessage().contains("Connection reset") || io.getMessage().contains("Broken pipe"))) {
        return true;
      }
      if (cause instanceof VertxException && cause.getMessage() != null) {
        String message = cause.getMessage();
        // The SQL client's pool ("Timeout waiting for connection") and closed connections.
        if (message.startsWith("Timeout waiting for connection") || message.contains("Connection is closed")
            || message.contains("Connection closed") || message.contains("Connection refused")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The dependency {@code failure} says is unavailable, if it is an outage of PostgreSQL. */
  public static Optional<Dependency> outage(Throwable failure) {
    return postgresqlUnavailable(failure) ? Optional.of(Dependency.POSTGRESQL) : Optional.empty();
  }

  /**
   * Counts the failure of {@code operation} (a short fixed name: a listener, a loop) and logs one
   * WARN line for it unless one was logged for the same dependency and operation within the interval.
   */
  public void record(Dependency dependency, String operation, Throwable failure) {
    count(dependency, operation);
    log.warn(dependency.tag() + '|' + operation, "{} unavailable: {} failed ({})", dependency.tag(), operation, summary(failure));
  }

  /** Counts the failure of {@code operation} without logging it (the caller logs in its own words). */
  public void count(Dependency dependency, String operation) {
    counters.computeIfAbsent(dependency.tag() + '|' + operation, key -> Counter.builder("gateway_dependency_failures")
            .description("Requests and background steps that failed because a dependency was unavailable (answered 503)")
            .tag("dependency", dependency.tag())
            .tag("operation", operation)
            .register(meters))
        .increment();
  }

  /**
   * A one-line description of a failure for a log line: its class and, for a server error, its
   * SQLSTATE; the message only of connection-level failures (addresses, never data).
   */
  public static String summary(Throwable failure) {
    if (failure == null) {
      return "unknown";
    }
    if (failure instanceof DatabaseException database) {
      return failure.getClass().getSimpleName() + " SQLSTATE " + database.getSqlState();
    }
    String message = failure.getMessage();
    if (message != null && message.length() > 160) {
      message = message.substring(0, 160) + "…";
    }
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
