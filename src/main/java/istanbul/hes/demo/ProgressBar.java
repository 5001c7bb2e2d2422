package istanbul.hes.demo;

import java.io.PrintStream;

/**
 * A one-line progress bar (percent, count, rate): redrawn in place on a terminal; on a pipe (for
 * instance under Maven) one line every 10 %.
 */
final class ProgressBar {
  private static final int WIDTH = 40;

  private final PrintStream out;
  private final long total;
  private final String unit;
  private final boolean terminal = System.console() != null;
  private final long started = System.nanoTime();
  private long lastDrawn = -1;
  private int lastDecile = -1;

  ProgressBar(PrintStream out, long total, String unit) {
    this.out = out;
    this.total = Math.max(1, total);
    this.unit = unit;
  }

  void update(long done) {
    long now = System.nanoTime();
    int decile = (int) (done * 10 / total);
    if (terminal) {
      if (done < total && lastDrawn >= 0 && now - lastDrawn < 200_000_000L) {
        return;
      }
      out.print('\r' + line(done, now));
      lastDrawn = now;
    } else if (decile != lastDecile || done == total) {
      out.println(line(done, now));
      lastDecile = decile;
    }
    out.flush();
  }

  void done() {
    if (terminal) {
      out.println();
    }
  }

  private String line(long done, long now) {
    int filled = (int) (done * WIDTH / total);
    double seconds = Math.max(1e-3, (now - started) / 1e9);
    return String.format("[%s%s] %3d %% %,d/%,d %s %,.0f %s/s %.0f s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), done * 100 / total, done, total, unit, done / seconds, unit, seconds);
  }
}
