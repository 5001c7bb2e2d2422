package istanbul.hes.testing;

import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The rate limits count in fixed one-minute windows from the epoch: a test that counts requests up
 * to a limit must not straddle two windows, or the second window's fresh counter answers where the
 * test expects the limit.
 */
public final class RateWindows {
  private static final long WINDOW_MILLIS = 60_000;

  private RateWindows() {}

  /** Returns once the current window has at least {@code room} left (waiting for the next one if not). */
  public static void awaitRoom(Duration room) {
    Awaitility.await().atMost(room.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
        .until(() -> WINDOW_MILLIS - System.currentTimeMillis() % WINDOW_MILLIS >= room.toMillis());
  }
}
