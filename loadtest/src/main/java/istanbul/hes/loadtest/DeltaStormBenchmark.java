package istanbul.hes.loadtest;

import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation;
import istanbul.hes.simulator.health.RiskDeltaFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/delta-storm.sh [--changes N] [--cards C] [--page-size P]}: a storm of N
 * risk deltas (default 1,000,000), each about a different personalized demo holder and each
 * changing their card (RISKY for a holder not risky, CLEARED for one who is), appended to the
 * ministry simulator at once; measures the time until all are applied (committed with the feed
 * position, and in the map), and the tap p99 (wrk, 1 thread, 8 connections, keep-alive) idle and
 * during the storm.
 */
public final class DeltaStormBenchmark {
  private static final int WRK_SECONDS = 20;

  private DeltaStormBenchmark() {}

  public static void main(String[] args) throws Exception {
    int changes = 1_000_000;
    long cards = 4_200_000;
    int pageSize = 10_000;
    Path dataDir = Path.of("loadtest", "target", "delta-storm-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--changes" -> changes = Integer.parseInt(args[i + 1].replace("_", ""));
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--page-size" -> pageSize = Integer.parseInt(args[i + 1]);
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("usage: delta-storm.sh [--changes N] [--cards C] [--page-size P] [--data-dir DIR]");
      }
    }
    List<Long> holders = new ArrayList<>(changes);
    for (long i = 0; i < cards && holders.size() < changes; i++) {
      if (DemoPopulation.personalized(i)) {
        holders.add(i);
      }
    }
    if (holders.size() < changes) {
      throw new IllegalArgumentException(cards + " cards have only " + holders.size() + " holders: raise --cards");
    }
    Map<String, String> overrides = Map.of("tap.host", "127.0.0.1", "tap.port", "0", "admin.host", "127.0.0.1", "admin.port", "0",
        "citizen.port", "0", "points.port", "0", "node.id", "delta-storm", "riskDeltas.pageSize", Integer.toString(pageSize));
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    GatewayNode node = GatewayNode.start(environment.config()).await();
    NodeProbe probe = new NodeProbe(environment.config(), node);
    try {
      node.mapLoaded().await();
      RiskDeltaFeed feed = environment.healthSimulator().orElseThrow().deltaFeed();
      long start = cursor(probe);
      if (start != feed.last()) {
        throw new IllegalStateException("the node is not caught up with the feed before the storm");
      }
      Wrk wrk = new Wrk(environment.validatorToken(), 1, 8, Files.createTempDirectory("delta-storm"));
      SplittableRandom random = new SplittableRandom(3);
      List<String> bodies = new ArrayList<>();
      for (int b = 0; b < 4096; b++) {
        bodies.add("{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber(random.nextLong(cards)))
            + "\",\"validator\":\"STORM-01\",\"at\":\"2026-11-21T08:00:00Z\"}");
      }
      Path script = wrk.script("taps", bodies, 1);
      String url = "http://127.0.0.1:" + node.tapPort() + "/v1/taps";
      Wrk.Result idle = wrk.run(url, script, WRK_SECONDS);
      System.out.printf("idle taps: %.0f/s, p50 %d µs, p99 %d µs%n", idle.requestsPerSecond(), idle.p50Micros(), idle.p99Micros());

      int[] next = {0};
      long appendStart = System.nanoTime();
      long last = feed.appendMany(changes, () -> {
        long i = holders.get(next[0]++);
        return DemoPopulation.feedIdentity(i);
      }, new java.util.function.Supplier<>() {
        int k = 0;

        @Override
        public RiskDeltaFeed.Status get() {
          return DemoPopulation.risky(holders.get(k++)) ? RiskDeltaFeed.Status.CLEARED : RiskDeltaFeed.Status.RISKY;
        }
      });
      CompletableFuture<Wrk.Result> duringStorm = CompletableFuture.supplyAsync(() -> {
        try {
          return wrk.run(url, script, WRK_SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      while (cursor(probe) < last) {
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - appendStart) / 1e9;
      Wrk.Result storm = duringStorm.get(WRK_SECONDS + 60L, TimeUnit.SECONDS);
      long lastCard = DemoPopulation.cardNumber(holders.get(changes - 1));
      System.out.printf("%,d deltas appended at the simulator; all applied (committed with the position) in %.1f s (%,.0f/s)%n",
          changes, seconds, changes / seconds);
      System.out.printf("the last holder's card now answers %s in the map%n", probe.mapEntry(lastCard));
      System.out.printf("taps during the storm (first %d s): %.0f/s, p50 %d µs, p99 %d µs, errors %d, non-2xx %d%n", WRK_SECONDS,
          storm.requestsPerSecond(), storm.p50Micros(), storm.p99Micros(), storm.errors(), storm.non2xx());
    } finally {
      probe.close();
      node.stop().await(60, TimeUnit.SECONDS);
      environment.close();
    }
    System.exit(0);
  }

  private static long cursor(NodeProbe probe) {
    return probe.count("SELECT last_applied_seq FROM delta_cursor");
  }
}
