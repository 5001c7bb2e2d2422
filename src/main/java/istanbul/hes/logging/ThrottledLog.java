package istanbul.hes.logging;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A WARN line per kind of failure at most once per interval: an outage fails every request, and
 * one line per request buried the log (9,282 lines in 21.6 s on one node). The first failure of a
 * kind is logged at once; the ones that follow within the interval are only counted, and the next
 * line of that kind says how many there were. Metrics carry the exact counts. Never a stack trace:
 * callers pass a summary of the failure, not the throwable.
 *
 * <p>Thread-safe: one small state per kind, guarded by its own monitor (held for a few field updates).
 */
public final class ThrottledLog {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long lastLoggedNanos;
    long suppressed;
  }

  public ThrottledLog(Logger logger, Duration interval) {
    this(logger, interval, System::nanoTime);
  }

  ThrottledLog(Logger logger, Duration interval, LongSupplier nanoTime) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Logs {@code format} (SLF4J style, no throwable among the arguments) at WARN unless a line of
   * {@code kind} was logged less than an interval ago; then it is counted for the next line.
   *
   * @return whether the line was written
   */
  public boolean warn(String kind, String format, Object... arguments) {
    long suppressed;
    long now = nanoTime.getAsLong();
    Window window = windows.computeIfAbsent(kind, key -> new Window());
    synchronized (window) {
      if (window.lastLoggedNanos != 0 && now - window.lastLoggedNanos < intervalNanos) {
        window.suppressed++;
        return false;
      }
      window.lastLoggedNanos = now == 0 ? 1 : now;
      suppressed = window.suppressed;
      window.suppressed = 0;
    }
    if (suppressed == 0) {
      logger.warn(format, arguments);
    } else {
      Object[] withCount = java.util.Arrays.copyOf(arguments, arguments.length + 2);
      withCount[arguments.length] = suppressed;
      withCount[arguments.length + 1] = intervalNanos / 1_000_000_000L;
      logger.warn(format + " [{} more like it not logged, at most one line per {} s]", withCount);
    }
    return true;
  }
}
