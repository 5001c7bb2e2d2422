package istanbul.hes.loadtest;

import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation;
import istanbul.hes.simulator.health.RiskDeltaFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/delta-storm.sh [--changes N] [--cards C] [--page-size P] [--rounds R] [--seconds S] [--warmup W]}:
 * storms of N risk deltas (default 1,000,000), each about a different personalized demo holder,
 * appended to the ministry simulator at once; measures the time until all are applied (committed
 * with the feed position, and in the map), and the tap latency (wrk, 1 thread, 8 connections,
 * keep-alive, S seconds) idle and during the storm.
 *
 * <p>Every delta changes its holder's card as the database holds it when the storm begins (RISKY
 * for a card not risky now, CLEARED for one that is), so every storm, in every round and on a
 * reused population, is real work; after each storm every card is checked to have changed (all in
 * PostgreSQL, a sample in the node's map). A warm-up storm of W deltas (default a tenth of N) and
 * S seconds of taps come first, not kept; then R rounds (default 3) of an idle and a storm run, the
 * order rotating; every round and the medians are printed. A failed tap or check exits 1.
 */
public final class DeltaStormBenchmark {
  private static final int MAP_SAMPLE = 200;

  private DeltaStormBenchmark() {}

  public static void main(String[] args) {
    BenchmarkMain.exit(() -> run(args));
  }

  private static boolean run(String[] args) throws Exception {
    int changes = 1_000_000;
    long cards = 4_200_000;
    int pageSize = 10_000;
    int rounds = 3;
    int seconds = 20;
    int warmup = -1;
    Path dataDir = Path.of("loadtest", "target", "delta-storm-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--changes" -> changes = Integer.parseInt(args[i + 1].replace("_", ""));
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--page-size" -> pageSize = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1].replace("_", ""));
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("usage: delta-storm.sh [--changes N] [--cards C] [--page-size P] [--rounds R]"
            + " [--seconds S] [--warmup W] [--data-dir DIR]");
      }
    }
    if (warmup < 0) {
      warmup = Math.max(1, changes / 10);
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
      Wrk wrk = new Wrk(environment.validatorToken(), 1, 8, Files.createTempDirectory("delta-storm"));
      SplittableRandom random = new SplittableRandom(3);
      List<String> bodies = new ArrayList<>();
      for (int b = 0; b < 4096; b++) {
        bodies.add("{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber(random.nextLong(cards)))
            + "\",\"validator\":\"STORM-01\",\"at\":\"2026-11-21T08:00:00Z\"}");
      }
      Path script = wrk.script("taps", bodies, 1);
      String url = "http://127.0.0.1:" + node.tapPort() + "/v1/taps";

      long failures = 0;
      Wrk.Result warmTaps = wrk.run(url, script, seconds);
      Storm warm = storm(probe, feed, holders.subList(0, Math.min(warmup, changes)), wrk, url, script, seconds);
      failures += warmTaps.errors() + warmTaps.non2xx() + warm.taps.errors() + warm.taps.non2xx();
      System.out.printf("warm-up (not kept): %d s of taps idle, then a storm of %,d deltas applied in %.1f s; tap errors %d%n", seconds,
          warm.deltas, warm.seconds, failures);

      Rounds table = new Rounds("deltas", "applied s|%.1f", "deltas/s", "taps/s", "p50 µs", "p99 µs", "tap errors + non-2xx",
          "node JVM µs/delta|%.1f", "PostgreSQL µs/delta|%.1f", "cores busy|%.2f");
      table.printHeader();
      for (int round = 1; round <= rounds; round++) {
        for (int k = 0; k < 2; k++) {
          boolean stormTurn = (round + k) % 2 == 0;
          if (stormTurn) {
            Storm storm = storm(probe, feed, holders, wrk, url, script, seconds);
            failures += storm.taps.errors() + storm.taps.non2xx();
            table.add(Integer.toString(round), "storm (taps: its first " + seconds + " s)", storm.deltas, storm.seconds,
                storm.deltas / storm.seconds, storm.taps.requestsPerSecond(), storm.taps.p50Micros(), storm.taps.p99Micros(),
                storm.taps.errors() + storm.taps.non2xx(), storm.cpu.secondsSince(storm.cpuBefore, "node JVM") * 1e6 / storm.deltas,
                storm.cpu.secondsSince(storm.cpuBefore, "PostgreSQL") * 1e6 / storm.deltas, storm.cpu.coresSince(storm.cpuBefore));
          } else {
            Wrk.Result idle = wrk.run(url, script, seconds);
            failures += idle.errors() + idle.non2xx();
            table.add(Integer.toString(round), "idle", Double.NaN, Double.NaN, Double.NaN, idle.requestsPerSecond(), idle.p50Micros(),
                idle.p99Micros(), idle.errors() + idle.non2xx(), Double.NaN, Double.NaN, Double.NaN);
          }
        }
      }
      table.printMedians();
      System.out.printf("every storm changed every card it was about (all checked in PostgreSQL, %d per storm in the map);"
          + " tap errors and non-2xx answers, warm-up included: %d%n", MAP_SAMPLE, failures);
      return failures == 0;
    } finally {
      probe.close();
      node.stop().await(60, TimeUnit.SECONDS);
      environment.close();
    }
  }

  /**
   * One storm: its deltas, the seconds until all were applied, the taps during its first seconds,
   * and the machine's CPU from the deltas' append to the last one applied (the node JVM holds the
   * ministry simulator serving the pages too; wrk is a process of its own).
   */
  private record Storm(int deltas, double seconds, Wrk.Result taps, ProcessCpu cpuBefore, ProcessCpu cpu) {}

  /**
   * Appends one delta per holder, each turning the holder's card from what PostgreSQL holds now
   * to the other state, taps with wrk meanwhile, waits until the node's feed position reaches the
   * last one, then checks that every card changed (throws if one did not).
   */
  private static Storm storm(NodeProbe probe, RiskDeltaFeed feed, List<Long> holders, Wrk wrk, String url, Path script, int seconds)
      throws Exception {
    if (cursor(probe) != feed.last()) {
      throw new IllegalStateException("the node is not caught up with the feed before the storm");
    }
    Set<Long> riskyNow = riskyCards(probe);
    boolean[] toRisky = new boolean[holders.size()];
    for (int h = 0; h < holders.size(); h++) {
      toRisky[h] = !riskyNow.contains(DemoPopulation.cardNumber(holders.get(h)));
    }
    int[] next = {0, 0};
    ProcessCpu cpuBefore = ProcessCpu.snapshot();
    long appendStart = System.nanoTime();
    long last = feed.appendMany(holders.size(), () -> DemoPopulation.feedIdentity(holders.get(next[0]++)),
        () -> toRisky[next[1]++] ? RiskDeltaFeed.Status.RISKY : RiskDeltaFeed.Status.CLEARED);
    CompletableFuture<Wrk.Result> duringStorm = CompletableFuture.supplyAsync(() -> {
      try {
        return wrk.run(url, script, seconds);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    while (cursor(probe) < last) {
      Thread.sleep(100);
    }
    double applied = (System.nanoTime() - appendStart) / 1e9;
    ProcessCpu cpu = ProcessCpu.snapshot();
    Wrk.Result taps = duringStorm.get(seconds + 60L, TimeUnit.SECONDS);

    Set<Long> riskyAfter = riskyCards(probe);
    int unchanged = 0;
    for (int h = 0; h < holders.size(); h++) {
      if (riskyAfter.contains(DemoPopulation.cardNumber(holders.get(h))) != toRisky[h]) {
        unchanged++;
      }
    }
    if (unchanged > 0) {
      throw new IllegalStateException(unchanged + " of " + holders.size() + " cards did not change in PostgreSQL after the storm");
    }
    int step = Math.max(1, holders.size() / MAP_SAMPLE);
    for (int h = holders.size() - 1; h >= 0; h -= step) {
      String entry = probe.mapEntry(DemoPopulation.cardNumber(holders.get(h)));
      if (!entry.contains("\"risky\":" + toRisky[h])) {
        throw new IllegalStateException("the node's map holds " + entry + " for a card the storm made " + (toRisky[h] ? "risky" : "not risky"));
      }
    }
    return new Storm(holders.size(), applied, taps, cpuBefore, cpu);
  }

  /** The cards PostgreSQL holds as risky now. */
  private static Set<Long> riskyCards(NodeProbe probe) {
    return new HashSet<>(probe.longs("SELECT card_no FROM cards WHERE risky"));
  }

  private static long cursor(NodeProbe probe) {
    return probe.count("SELECT last_applied_seq FROM delta_cursor");
  }
}
