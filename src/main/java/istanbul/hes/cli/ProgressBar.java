package istanbul.hes.cli;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * A one-line progress bar (percent, count, rate): redrawn in place on a terminal; on a pipe (for
 * instance under Maven) one line every 10 %.
 */
public final class ProgressBar {
  private static final int WIDTH = 40;

  private final PrintWriter out;
  private final long total;
  private final String unit;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private long lastDrawn = -1;
  private int lastDecile = -1;

  /** A bar on this stream, redrawn in place when the process has a terminal. */
  public ProgressBar(PrintStream out, long total, String unit) {
    this(new PrintWriter(out), total, unit, System.console() != null);
  }

  /** A bar on this writer; {@code terminal}: redrawn in place, else one line every 10 %. */
  public ProgressBar(PrintWriter out, long total, String unit, boolean terminal) {
    this.out = out;
    this.total = Math.max(1, total);
    this.unit = unit;
    this.terminal = terminal;
  }

  public void update(long done) {
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

  public void done() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }

  private String line(long done, long now) {
    int filled = (int) (done * WIDTH / total);
    double seconds = Math.max(1e-3, (now - started) / 1e9);
    return String.format("[%s%s] %3d %% %,d/%,d %s %,.0f %s/s %.0f s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), done * 100 / total, done, total, unit, done / seconds, unit, seconds);
  }
}
