package istanbul.hes.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code java … istanbul.hes.loadtest.JmhRounds RESULT.json}: every measured iteration of a JMH run
 * (its {@code -rf json} result), fork by fork, and the median per benchmark, as the other
 * benchmarks print their rounds ({@link Rounds}); with {@code -prof gc}, the allocation per
 * operation beside each. Exits 1 when the result holds no benchmark.
 */
public final class JmhRounds {
  private JmhRounds() {}

  public static void main(String[] args) throws IOException {
    JsonArray results = new JsonArray(Files.readString(Path.of(args[0])));
    if (results.isEmpty()) {
      System.err.println(args[0] + " holds no benchmark result");
      System.exit(1);
    }
    String unit = results.getJsonObject(0).getJsonObject("primaryMetric").getString("scoreUnit");
    Rounds table = new Rounds(unit, "B/op|%.2f");
    table.printHeader();
    for (Object entry : results) {
      JsonObject result = (JsonObject) entry;
      String name = result.getString("benchmark").replaceAll(".*\\.", "") + params(result.getJsonObject("params"));
      JsonArray scores = result.getJsonObject("primaryMetric").getJsonArray("rawData");
      JsonArray allocations = allocation(result.getJsonObject("secondaryMetrics"));
      for (int fork = 0; fork < scores.size(); fork++) {
        JsonArray iterations = scores.getJsonArray(fork);
        for (int i = 0; i < iterations.size(); i++) {
          double bytes = allocations == null ? Double.NaN : allocations.getJsonArray(fork).getDouble(i);
          table.add("fork " + (fork + 1) + ", iteration " + (i + 1), name, iterations.getDouble(i), bytes);
        }
      }
    }
    table.printMedians();
  }

  /** The benchmark's parameters that tell runs apart, e.g. " (cards=1000000)"; none when it has none. */
  private static String params(JsonObject params) {
    if (params == null || params.isEmpty()) {
      return "";
    }
    return params.stream().filter(p -> !String.valueOf(p.getValue()).isEmpty())
        .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(", ", " (", ")"));
  }

  /** The raw data of {@code -prof gc}'s normalized allocation rate (bytes per operation), or null without it. */
  private static JsonArray allocation(JsonObject secondary) {
    if (secondary == null) {
      return null;
    }
    for (Map.Entry<String, Object> metric : secondary) {
      if (metric.getKey().endsWith("gc.alloc.rate.norm")) {
        return ((JsonObject) metric.getValue()).getJsonArray("rawData");
      }
    }
    return null;
  }
}
