package istanbul.hes.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/**
 * Logback appender (see logback-test.xml) that keeps every log line of the test JVM in memory,
 * so tests can assert what was or was not logged, and counts Vert.x blocked-thread warnings,
 * which {@link TestGuards} turns into test failures.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  /** The logger vertx-core 5.0 writes "Thread ... has been blocked" warnings to. */
  public static final String BLOCKED_THREAD_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
  private static final int MAX_LINES = 200_000;

  private static final List<String> LINES = new ArrayList<>();
  private static final List<String> BLOCKED = new ArrayList<>();
  private static long dropped;

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder()
        .append(event.getLevel()).append(' ')
        .append('[').append(event.getThreadName()).append("] ")
        .append(event.getLoggerName()).append(" - ")
        .append(event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append('\n').append(ThrowableProxyUtil.asString(thrown));
    }
    String text = line.toString();
    synchronized (LINES) {
      if (LINES.size() < MAX_LINES) {
        LINES.add(text);
      } else {
        dropped++;
      }
      if (BLOCKED_THREAD_LOGGER.equals(event.getLoggerName()) && event.getLevel().isGreaterOrEqual(Level.WARN)) {
        BLOCKED.add(text);
      }
    }
  }

  /** Every captured line so far (level, thread, logger, message and stack trace, if any). */
  public static List<String> lines() {
    synchronized (LINES) {
      if (dropped > 0) {
        throw new IllegalStateException(dropped + " log lines were not captured: raise MAX_LINES");
      }
      return List.copyOf(LINES);
    }
  }

  /** How many blocked-thread warnings were logged so far; a mark for {@link #blockedWarningsSince}. */
  public static int blockedWarningCount() {
    synchronized (LINES) {
      return BLOCKED.size();
    }
  }

  /** Removes and returns the warnings logged after {@code mark}: for a test that provokes them on purpose. */
  public static List<String> takeBlockedWarningsSince(int mark) {
    synchronized (LINES) {
      List<String> since = BLOCKED.subList(Math.min(mark, BLOCKED.size()), BLOCKED.size());
      List<String> taken = List.copyOf(since);
      since.clear();
      return taken;
    }
  }

  public static List<String> blockedWarningsSince(int mark) {
    synchronized (LINES) {
      return List.copyOf(BLOCKED.subList(Math.min(mark, BLOCKED.size()), BLOCKED.size()));
    }
  }
}
