package istanbul.hes.loadtest;

import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation;
import istanbul.hes.demo.DemoPopulation.Profile;
import istanbul.hes.simulator.health.RiskDeltaFeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/delta-latency.sh [--cards N] [--samples S]}: from a risk delta's arrival
 * at the ministry simulator to the tap answer changing, at the node's default poll settings.
 * Starts a demo node (its own data folder), then, one delta at a time at random moments, makes
 * the holder of an allowed card RISKY (until a tap answers HES_RISK) or CLEARED again (until it
 * answers OK), tapping every 2 ms over HTTP, and prints the latency percentiles.
 */
public final class DeltaLatencyBenchmark {
  private DeltaLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    long cards = 100_000;
    int samples = 300;
    Path dataDir = Path.of("loadtest", "target", "delta-latency-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--samples" -> samples = Integer.parseInt(args[i + 1]);
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("usage: delta-latency.sh [--cards N] [--samples S] [--data-dir DIR]");
      }
    }
    Map<String, String> overrides = Map.of("tap.host", "127.0.0.1", "tap.port", "0", "admin.host", "127.0.0.1", "admin.port", "0",
        "citizen.port", "0", "points.port", "0", "node.id", "delta-latency");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    GatewayNode node = GatewayNode.start(environment.config()).await();
    try {
      node.mapLoaded().await();
      RiskDeltaFeed feed = environment.healthSimulator().orElseThrow(() -> new IllegalStateException("no ministry simulator")).deltaFeed();
      System.out.printf("node ready; risk deltas polled every %d ms (riskDeltas.pollMillis)%n", node.config().riskDeltas().pollMillis());
      List<Long> holders = new ArrayList<>();
      for (long i = 0; i < cards && holders.size() < samples; i++) {
        if (DemoPopulation.profile(i) == Profile.ALLOW) {
          holders.add(i);
        }
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String tapUrl = "http://127.0.0.1:" + node.tapPort() + "/v1/taps";
      Random random = new Random(11);
      // A reused population keeps the risk the last run left: every holder starts from OK, and
      // these untimed deltas and taps warm the path up.
      int reset = 0;
      for (long holder : holders) {
        if (tapAnswer(http, tapUrl, environment.validatorToken(), holder).contains("\"HES_RISK\"")) {
          feed.append(DemoPopulation.feedIdentity(holder), RiskDeltaFeed.Status.CLEARED);
          awaitAnswer(http, tapUrl, environment.validatorToken(), holder, "\"OK\"");
          reset++;
        }
      }
      System.out.printf("%d of %d holders were left risky by an earlier run: cleared before measuring%n", reset, holders.size());
      List<Double> millis = new ArrayList<>();
      int failures = 0;
      for (int s = 0; s < samples; s++) {
        long holder = holders.get(s % holders.size());
        boolean risky = (s / holders.size()) % 2 == 0;
        Thread.sleep(random.nextInt(400)); // a random phase against the poll interval
        String identity = DemoPopulation.feedIdentity(holder);
        long arrived = System.nanoTime();
        feed.append(identity, risky ? RiskDeltaFeed.Status.RISKY : RiskDeltaFeed.Status.CLEARED);
        String expected = risky ? "\"HES_RISK\"" : "\"OK\"";
        String body = "{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber(holder)) + "\",\"validator\":\"LATENCY-01\",\"at\":\""
            + Instant.now() + "\"}";
        while (true) {
          HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(tapUrl))
              .header("Authorization", "Bearer " + environment.validatorToken()).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() != 200) {
            failures++;
          } else if (answer.body().contains(expected)) {
            break;
          }
          if (System.nanoTime() - arrived > TimeUnit.SECONDS.toNanos(30)) {
            throw new IllegalStateException("sample " + s + ": the tap answer did not change within 30 s");
          }
          Thread.sleep(2);
        }
        millis.add((System.nanoTime() - arrived) / 1e6);
      }
      Collections.sort(millis);
      System.out.printf("%d deltas, arrival at the simulator -> tap answer changed: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms; "
              + "%d taps answered other than 200%n",
          millis.size(), percentile(millis, 50), percentile(millis, 90), percentile(millis, 99), millis.get(millis.size() - 1), failures);
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
      environment.close();
    }
    System.exit(0);
  }

  private static String tapAnswer(HttpClient http, String tapUrl, String token, long holder) throws Exception {
    String body = "{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber(holder)) + "\",\"validator\":\"LATENCY-01\",\"at\":\""
        + Instant.now() + "\"}";
    return http.send(HttpRequest.newBuilder(URI.create(tapUrl)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Taps the holder's card until it answers {@code expected} (bounded: 30 s). */
  private static void awaitAnswer(HttpClient http, String tapUrl, String token, long holder, String expected) throws Exception {
    long began = System.nanoTime();
    while (!tapAnswer(http, tapUrl, token, holder).contains(expected)) {
      if (System.nanoTime() - began > TimeUnit.SECONDS.toNanos(30)) {
        throw new IllegalStateException("holder " + holder + " did not answer " + expected + " within 30 s");
      }
      Thread.sleep(2);
    }
  }

  private static double percentile(List<Double> sorted, double p) {
    int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
