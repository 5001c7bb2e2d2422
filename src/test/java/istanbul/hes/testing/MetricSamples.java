package istanbul.hes.testing;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text scrape. */
public final class MetricSamples {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([-+0-9.eE]+|NaN)$");

  private MetricSamples() {}

  /** The value of the first sample of a metric whose labels include all of {@code labels}; fails when there is none. */
  public static double value(String scrape, String metric, String... labels) {
    for (String line : scrape.split("\n")) {
      Matcher matcher = SAMPLE.matcher(line);
      if (matcher.matches() && matcher.group(1).equals(metric)) {
        String found = matcher.group(2) == null ? "" : matcher.group(2);
        boolean all = true;
        for (String label : labels) {
          all &= found.contains(label);
        }
        if (all) {
          return Double.parseDouble(matcher.group(3));
        }
      }
    }
    throw new AssertionError("no sample " + metric + " " + List.of(labels) + " in the scrape");
  }
}
