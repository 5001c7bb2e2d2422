package istanbul.hes.loadtest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's own time per kind of answer, from its {@code gateway_tap_seconds} histogram: one
 * scrape before a run and one after, the difference per series ({@code decision}, {@code reason}),
 * and quantiles read as "at most the bucket bound where the cumulative count reaches them". Server
 * time (read body to answer written), so a {@code HES_RISK} denial includes its record's commit.
 */
final class ClassLatency {
  private static final Pattern BUCKET = Pattern.compile(
      "(?m)^gateway_tap_seconds_bucket\\{([^}]*)\\} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(decision|reason|le)=\"([^\"]*)\"");

  /** Cumulative bucket counts per class ("ALLOW OK"), by upper bound in seconds. */
  private final Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();

  /**
   * {@code ClassLatency save URL FILE}: keeps the node's scrape in FILE; {@code ClassLatency since
   * URL FILE}: prints the table of what the node answered since FILE was saved.
   */
  public static void main(String[] args) throws Exception {
    String scrape = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(args[1]))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    java.nio.file.Path file = java.nio.file.Path.of(args[2]);
    if (args[0].equals("save")) {
      java.nio.file.Files.writeString(file, scrape);
    } else {
      System.out.print(parse(scrape).since(parse(java.nio.file.Files.readString(file))).table());
    }
  }

  static ClassLatency parse(String scrape) {
    ClassLatency latency = new ClassLatency();
    Matcher line = BUCKET.matcher(scrape);
    while (line.find()) {
      String decision = null;
      String reason = null;
      double le = Double.NaN;
      Matcher label = LABEL.matcher(line.group(1));
      while (label.find()) {
        switch (label.group(1)) {
          case "decision" -> decision = label.group(2);
          case "reason" -> reason = label.group(2);
          default -> le = label.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(label.group(2));
        }
      }
      if (decision != null && reason != null) {
        latency.buckets.computeIfAbsent(decision + " " + reason, k -> new TreeMap<>())
            .merge(le, Double.parseDouble(line.group(2)), Double::sum);
      }
    }
    return latency;
  }

  /** What happened between {@code before} and this scrape. */
  ClassLatency since(ClassLatency before) {
    ClassLatency delta = new ClassLatency();
    buckets.forEach((answer, counts) -> {
      TreeMap<Double, Double> earlier = before.buckets.getOrDefault(answer, new TreeMap<>());
      TreeMap<Double, Double> difference = new TreeMap<>();
      counts.forEach((le, count) -> difference.put(le, count - earlier.getOrDefault(le, 0.0)));
      delta.buckets.put(answer, difference);
    });
    return delta;
  }

  /** Adds another run's differences (several rounds into one distribution). */
  ClassLatency plus(ClassLatency other) {
    ClassLatency sum = new ClassLatency();
    buckets.forEach((answer, counts) -> sum.buckets.put(answer, new TreeMap<>(counts)));
    other.buckets.forEach((answer, counts) -> {
      TreeMap<Double, Double> into = sum.buckets.computeIfAbsent(answer, k -> new TreeMap<>());
      counts.forEach((le, count) -> into.merge(le, count, Double::sum));
    });
    return sum;
  }

  /** One line per class with taps: count, p50 and p99 (at most), in µs. */
  String table() {
    StringBuilder text = new StringBuilder("| answer | taps | p50 ≤ | p99 ≤ |\n|---|---:|---:|---:|\n");
    buckets.forEach((answer, counts) -> {
      double total = counts.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
      if (total > 0) {
        text.append(String.format("| %s | %,.0f | %s | %s |%n", answer, total, bound(counts, total * 0.5), bound(counts, total * 0.99)));
      }
    });
    return text.toString();
  }

  /** The bucket bound (µs) at which {@code answer}'s cumulative count reaches the quantile; infinite past the last bucket, NaN without taps. */
  double quantileMicros(String answer, double quantile) {
    TreeMap<Double, Double> counts = buckets.getOrDefault(answer, new TreeMap<>());
    double total = counts.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total == 0) {
      return Double.NaN;
    }
    for (Map.Entry<Double, Double> bucket : counts.entrySet()) {
      if (bucket.getValue() >= total * quantile) {
        return bucket.getKey() * 1e6;
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** As {@link #quantileMicros}, over every answer but {@code excluded} (their buckets merged). */
  double quantileMicrosOfAllBut(String excluded, double quantile) {
    ClassLatency others = new ClassLatency();
    TreeMap<Double, Double> merged = others.buckets.computeIfAbsent("others", k -> new TreeMap<>());
    buckets.forEach((answer, counts) -> {
      if (!answer.equals(excluded)) {
        counts.forEach((le, count) -> merged.merge(le, count, Double::sum));
      }
    });
    return others.quantileMicros("others", quantile);
  }

  private static String bound(TreeMap<Double, Double> cumulative, double rank) {
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        return bucket.getKey().isInfinite() ? "> 50 ms" : String.format("%,.0f µs", bucket.getKey() * 1e6);
      }
    }
    return "-";
  }
}
