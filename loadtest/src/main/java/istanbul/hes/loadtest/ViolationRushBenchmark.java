package istanbul.hes.loadtest;

import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation.Profile;
import istanbul.hes.demo.DemoPopulation;
import istanbul.hes.simulator.Faults;
import istanbul.hes.simulator.interior.InteriorMinistrySimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/violation-rush.sh [--cards N] [--seconds S] [--backlog B]}: a rush of
 * HES_RISK denials at a demo node, and the outbox it leaves.
 *
 * <ol>
 *   <li>Ordinary taps alone for 10 s (the comparison).</li>
 *   <li>Rush: for S seconds (default 20) wrk sends taps of risky cards at as many validators
 *       ({@code RUSH-1…1000}) as fast as 64 connections get answers, every answer waiting for its
 *       record's commit, while ordinary taps (cards not risky) come at a bounded rate on 8 more
 *       connections; delivery to the Ministry of Interior simulator runs meanwhile. Printed: the
 *       denials answered per second, the denials recorded (the outbox's tap count must equal the
 *       answered denials), and the p50/p99 of both kinds of taps.</li>
 *   <li>Backlog: the simulator goes down; the rush goes on until the outbox holds B reports
 *       (default 100,000) not delivered; the simulator comes back; printed: the time until the
 *       outbox is empty, and what the simulator received (distinct ids, repeats).</li>
 * </ol>
 */
public final class ViolationRushBenchmark {
  private static final int RUSH_CONNECTIONS = 64;
  private static final int ORDINARY_CONNECTIONS = 8;
  /** Each ordinary connection pauses this long between taps: about 8 × 250 = 2,000 ordinary taps/s offered. */
  private static final int ORDINARY_PAUSE_MILLIS = 4;
  private static final int VALIDATORS = 1_000;

  private ViolationRushBenchmark() {}

  public static void main(String[] args) throws Exception {
    long cards = 1_000_000;
    int seconds = 20;
    long backlog = 100_000;
    Path dataDir = Path.of("loadtest", "target", "violation-rush-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--backlog" -> backlog = Long.parseLong(args[i + 1].replace("_", ""));
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException(
            "usage: violation-rush.sh [--cards N] [--seconds S] [--backlog B] [--data-dir DIR]");
      }
    }
    List<String> risky = new ArrayList<>();
    List<String> ordinary = new ArrayList<>();
    for (long i = 0; i < cards; i++) {
      String card = CardNumber.format(DemoPopulation.cardNumber(i));
      if (DemoPopulation.profile(i) == Profile.HES_RISK) {
        risky.add(card);
      } else if (ordinary.size() < 20_000) {
        ordinary.add(card);
      }
    }
    Map<String, String> overrides = Map.of("tap.host", "127.0.0.1", "tap.port", "0", "admin.host", "127.0.0.1", "admin.port", "0",
        "citizen.port", "0", "points.port", "0", "node.id", "violation-rush", "riskDeltas.enabled", "false");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    InteriorMinistrySimulator ministry = environment.interiorSimulator().orElseThrow();
    GatewayNode node = GatewayNode.start(environment.config()).await();
    NodeProbe probe = new NodeProbe(environment.config(), node);
    try {
      node.mapLoaded().await();
      probe.execute("TRUNCATE violation_outbox");
      System.out.printf("%,d risky cards among %,d; rush at %d validators, %d connections; ordinary taps on %d connections%n",
          risky.size(), cards, VALIDATORS, RUSH_CONNECTIONS, ORDINARY_CONNECTIONS);

      Wrk wrk = new Wrk(environment.validatorToken(), 1, ORDINARY_CONNECTIONS, Files.createTempDirectory("violation-rush"));
      String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      Path rush = wrk.randomTaps("rush", risky, "RUSH-", VALIDATORS, at, 0);
      Path ordinaryTaps = wrk.randomTaps("ordinary", ordinary, "GATE-", 50, at, ORDINARY_PAUSE_MILLIS);
      String url = "http://127.0.0.1:" + node.tapPort() + "/v1/taps";

      // 0. Ordinary taps alone, for comparison.
      Wrk.Result idle = wrk.run(url, ordinaryTaps, 10, ORDINARY_CONNECTIONS);
      System.out.printf("ordinary taps alone: %,.0f/s, p50 %.2f ms, p99 %.2f ms%n", idle.requestsPerSecond(), idle.p50Micros() / 1000.0,
          idle.p99Micros() / 1000.0);

      // 1. The rush, delivery running.
      int rushSeconds = seconds;
      CompletableFuture<Wrk.Result> ordinaryDuring = CompletableFuture.supplyAsync(() -> run(wrk, url, ordinaryTaps, rushSeconds, ORDINARY_CONNECTIONS));
      Wrk.Result denials = wrk.run(url, rush, seconds, RUSH_CONNECTIONS);
      Wrk.Result others = ordinaryDuring.get(seconds + 60L, TimeUnit.SECONDS);
      long recorded = probe.count("SELECT coalesce(sum(taps), 0) FROM violation_outbox");
      long reports = probe.count("SELECT count(*) FROM violation_outbox");
      long answered = denials.requests() - denials.errors() - denials.non2xx();
      System.out.printf("rush: %,d HES_RISK denials answered in %.1f s = %,.0f/s; p50 %.1f ms, p99 %.1f ms; errors %d, non-2xx %d%n",
          answered, denials.durationMicros() / 1e6, denials.requestsPerSecond(), denials.p50Micros() / 1000.0,
          denials.p99Micros() / 1000.0, denials.errors(), denials.non2xx());
      System.out.printf("      recorded in the outbox: %,d denials (%s the answered ones) in %,d reports; %,d groups written (%.1f records per group)%n",
          recorded, recorded >= answered ? "all" : "MISSING " + (answered - recorded) + " of", reports,
          (long) probe.metric("gateway_violation_groups_written_total"),
          probe.metric("gateway_violations_recorded_total") / Math.max(1, probe.metric("gateway_violation_groups_written_total")));
      System.out.printf("      ordinary taps meanwhile: %,.0f/s, p50 %.2f ms, p99 %.2f ms; errors %d, non-2xx %d%n",
          others.requestsPerSecond(), others.p50Micros() / 1000.0, others.p99Micros() / 1000.0, others.errors(), others.non2xx());
      long drainStart = System.nanoTime();
      while (undelivered(probe) > 0) {
        Thread.sleep(200);
      }
      System.out.printf("      delivered to the ministry simulator %.1f s after the rush; it holds %,d ids%n",
          (System.nanoTime() - drainStart) / 1e9, ministry.received().size());

      // 2. The backlog: ministry down while denials pile up, then back.
      ministry.faults(Faults.goDown());
      long fillStart = System.nanoTime();
      while (undelivered(probe) < backlog) {
        wrk.run(url, rush, 5, RUSH_CONNECTIONS);
      }
      long waiting = undelivered(probe);
      System.out.printf("backlog: %,d reports waiting after %.0f s with the ministry down%n", waiting, (System.nanoTime() - fillStart) / 1e9);
      long distinctBefore = ministry.received().size();
      long back = System.nanoTime();
      ministry.clearFaults();
      long left = waiting;
      while (left > 0) {
        Thread.sleep(250);
        left = undelivered(probe);
      }
      double drained = (System.nanoTime() - back) / 1e9;
      System.out.printf("      drained %,d reports in %.1f s (%,.0f/s) once the ministry was back; the simulator received %,d new ids, "
          + "%,d ids more than once%n", waiting, drained, waiting / drained, ministry.received().size() - distinctBefore, ministry.repeatedIds());
      System.out.printf("      dead letters: %,d%n", probe.count("SELECT count(*) FROM violation_outbox WHERE state = 'DEAD'"));
    } finally {
      probe.close();
      node.stop().await(60, TimeUnit.SECONDS);
      environment.close();
    }
    System.exit(0);
  }

  private static Wrk.Result run(Wrk wrk, String url, Path script, int seconds, int connections) {
    try {
      return wrk.run(url, script, seconds, connections);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long undelivered(NodeProbe probe) {
    return probe.count("SELECT count(*) FROM violation_outbox WHERE state IN ('PENDING', 'SENDING')");
  }
}
