package istanbul.hes.loadtest;

import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.CardStoreConfig;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.NodeConfig;
import istanbul.hes.config.ViolationsConfig;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/violation-rush.sh [--cards N] [--seconds S] [--rounds R] [--connections C]
 * [--writers W,W…] [--ministry up|down] [--backlog B]}: the recording capacity of HES_RISK
 * denials, and the outbox a rush leaves.
 *
 * <ol>
 *   <li>One node per {@code --writers} value ({@code violations.writers}; default 1 and 2, the
 *       design before and after parallel writers) on one demo population and one PostgreSQL, each
 *       warmed up by a rush of 5 s.</li>
 *   <li>R rounds (default 5); in each, ordinary taps alone for 5 s (the comparison), then each
 *       node in turn (the order rotates) gets a rush of S seconds (default 10): wrk sends taps of
 *       risky cards at 1,000 validators ({@code RUSH-1…1000}) as fast as C connections (default
 *       64) get answers, every answer waiting for its record's commit, while ordinary taps (cards
 *       not risky) come at a bounded rate on 8 more connections; delivery to the Ministry of
 *       Interior simulator runs meanwhile ({@code --ministry down}: the simulator is down during the
 *       rounds, delivery waits: the capacity of recording alone). Printed per round: denials answered per second, client
 *       p50/p99, the node's own p99 of HES_RISK and of every other answer (its
 *       {@code gateway_tap_seconds}), records per group, errors and non-2xx, the check that
 *       the outbox holds every answered denial, and the CPU per tap of every process (this JVM,
 *       PostgreSQL, wrk, the rest); then the medians per node.</li>
 *   <li>Backlog, on the last node: the simulator goes down; the rush goes on until the outbox
 *       holds B reports (default 100,000) not delivered; the simulator comes back; printed: the
 *       time until the outbox is empty, and what the simulator received (distinct ids, repeats).</li>
 * </ol>
 *
 * <p>Exits 1 when a tap failed, was answered other than 200, or an answered denial is missing
 * from the outbox.
 */
public final class ViolationRushBenchmark {
  private static final int ORDINARY_CONNECTIONS = 8;
  /** Each ordinary connection pauses this long between taps: about 8 × 250 = 2,000 ordinary taps/s offered. */
  private static final int ORDINARY_PAUSE_MILLIS = 4;
  private static final int VALIDATORS = 1_000;
  private static final int WARM_UP_SECONDS = 5;
  private static final int ORDINARY_ALONE_SECONDS = 5;
  private static final String USAGE =
      "usage: violation-rush.sh [--cards N] [--seconds S] [--rounds R] [--connections C] [--writers W,W...] [--ministry up|down] [--backlog B] [--data-dir DIR]";

  private ViolationRushBenchmark() {}

  /** A node under test, named by its writers. */
  private record Subject(int writers, GatewayNode node, NodeProbe probe) {
    String url() {
      return "http://127.0.0.1:" + node.tapPort() + "/v1/taps";
    }

    String kind() {
      return "rush, writers " + writers;
    }
  }

  /** The kinds of process whose CPU per tap is a column (the rest, the machine's other processes, in "other"). */
  private static final List<String> PROCESSES = List.of("node JVM", "PostgreSQL", "wrk");

  /**
   * Every round's row: client figures of the rush, the node's own p99 bounds (µs; Infinity: past
   * the histogram's last bucket, 50 ms), the ordinary taps meanwhile, and CPU per tap.
   */
  private static final Rounds TABLE = new Rounds("denials/s", "client p50 ms|%.1f", "client p99 ms|%.1f", "node HES_RISK p99 ≤ µs",
      "node others p99 ≤ µs", "ordinary taps/s", "ordinary p99 ms|%.2f", "records/group|%.1f", "node JVM µs/tap",
      "PostgreSQL µs/tap", "wrk µs/tap", "other µs/tap", "cores busy|%.2f");

  public static void main(String[] args) {
    BenchmarkMain.exit(() -> run(args));
  }

  private static boolean run(String[] args) throws Exception {
    long cards = 1_000_000;
    int seconds = 10;
    int rounds = 5;
    int connections = 64;
    int[] writers = {1, 2};
    long backlog = 100_000;
    boolean ministryDown = false;
    Path dataDir = Path.of("loadtest", "target", "violation-rush-data");
    try {
      for (int i = 0; i < args.length; i += 2) {
        String value = args[i + 1];
        switch (args[i]) {
          case "--cards" -> cards = Long.parseLong(value.replace("_", ""));
          case "--seconds" -> seconds = Integer.parseInt(value);
          case "--rounds" -> rounds = Integer.parseInt(value);
          case "--connections" -> connections = Integer.parseInt(value);
          case "--writers" -> writers = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
          case "--backlog" -> backlog = Long.parseLong(value.replace("_", ""));
          case "--data-dir" -> dataDir = Path.of(value);
          case "--ministry" -> ministryDown = switch (value) {
            case "up" -> false;
            case "down" -> true;
            default -> throw new IllegalArgumentException(value);
          };
          default -> throw new IllegalArgumentException(args[i]);
        }
      }
    } catch (RuntimeException e) {
      System.err.println(USAGE);
      System.exit(2);
    }
    if (!Wrk.installed()) {
      System.err.println("wrk is not installed (Debian: apt-get install -y wrk)");
      System.exit(2);
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
        "citizen.port", "0", "points.port", "0", "node.id", "violation-rush", "riskDeltas.enabled", "false",
        "database.poolSize", "16");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    InteriorMinistrySimulator ministry = environment.interiorSimulator().orElseThrow();
    List<Subject> subjects = new ArrayList<>();
    boolean failed = false;
    if (ministryDown) {
      ministry.faults(Faults.goDown());
    }
    try {
      for (int count : writers) {
        GatewayConfig config = withWriters(environment.config(), count, dataDir);
        GatewayNode node = GatewayNode.start(config).await();
        node.mapLoaded().await();
        subjects.add(new Subject(count, node, new NodeProbe(config, node)));
      }
      NodeProbe probe = subjects.get(0).probe();
      probe.execute("TRUNCATE violation_outbox");
      System.out.printf("%,d risky cards among %,d; rush at %d validators on %d connections; ordinary taps on %d connections; "
          + "%d cores; nodes with violations.writers %s%n", risky.size(), cards, VALIDATORS, connections, ORDINARY_CONNECTIONS,
          Runtime.getRuntime().availableProcessors(), Arrays.toString(writers));

      Wrk wrk = new Wrk(environment.validatorToken(), 2, ORDINARY_CONNECTIONS, Files.createTempDirectory("violation-rush"));
      String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      Path rush = wrk.randomTaps("rush", risky, "RUSH-", VALIDATORS, at, 0);
      Path ordinaryTaps = wrk.randomTaps("ordinary", ordinary, "GATE-", 50, at, ORDINARY_PAUSE_MILLIS);

      System.out.printf("warming up: a %d s rush at each node%n", WARM_UP_SECONDS);
      for (Subject subject : subjects) {
        wrk.run(subject.url(), rush, WARM_UP_SECONDS, connections);
      }
      System.out.printf("%d rounds of %d s: in each, ordinary taps alone for %d s, then a rush at each node (order rotating) "
          + "with ordinary taps meanwhile (its columns 'ordinary'); CPU per tap over the rush's denials and ordinary taps%n", rounds,
          seconds, ORDINARY_ALONE_SECONDS);
      TABLE.printHeader();
      for (int round = 0; round < rounds; round++) {
        Wrk.Result alone = wrk.run(subjects.get(0).url(), ordinaryTaps, ORDINARY_ALONE_SECONDS, ORDINARY_CONNECTIONS);
        failed |= failures("ordinary taps alone", alone);
        double[] figures = new double[13];
        Arrays.fill(figures, Double.NaN);
        figures[5] = alone.requestsPerSecond();
        figures[6] = alone.p99Micros() / 1000.0;
        TABLE.add(String.valueOf(round + 1), "ordinary taps alone", figures);
        for (int k = 0; k < subjects.size(); k++) {
          Subject subject = subjects.get((k + round) % subjects.size());
          failed |= rush(subject, wrk, rush, ordinaryTaps, seconds, connections, round);
        }
      }
      TABLE.printMedians();

      Subject last = subjects.get(subjects.size() - 1);
      if (ministryDown) {
        // Millions of reports, delivery never tried: not sent (the simulator keeps every report it
        // receives in this JVM's heap); the backlog below measures delivery.
        System.out.printf("%nthe rounds' %,d reports are dropped, not delivered (--ministry down)%n", undelivered(probe));
        probe.execute("TRUNCATE violation_outbox");
        ministry.clearFaults();
      } else {
        long drainStart = System.nanoTime();
        while (undelivered(probe) > 0) {
          Thread.sleep(200);
        }
        System.out.printf("%nthe rounds' reports delivered to the ministry simulator %.1f s after the last rush; it holds %,d ids%n",
            (System.nanoTime() - drainStart) / 1e9, ministry.received().size());
      }
      failed |= backlog(last, ministry, wrk, rush, connections, backlog);
    } finally {
      for (Subject subject : subjects) {
        subject.probe().close();
        subject.node().stop().await(60, TimeUnit.SECONDS);
      }
      environment.close();
    }
    return !failed;
  }

  /** The demo node's configuration with {@code writers} violation writers, a node id, data folder and map of its own. */
  private static GatewayConfig withWriters(GatewayConfig demo, int writers, Path dataDir) throws Exception {
    Path own = Files.createDirectories(dataDir.resolve("writers-" + writers));
    NodeConfig node = demo.node();
    CardStoreConfig store = demo.cardStore();
    ViolationsConfig violations = demo.violations();
    return demo
        .withNode(new NodeConfig("violation-rush-" + writers, own, node.eventLoops(), node.shutdownGraceSeconds(),
            node.eventLoopWarningMillis(), node.failureLogIntervalSeconds()))
        .withCardStore(new CardStoreConfig(own.resolve("cards.map"), store.expectedCards(), store.rebuildFetchRows(),
            store.consistencyCheckSeconds(), store.consistencySampleCards()))
        .withViolations(new ViolationsConfig(violations.windowSeconds(), violations.groupCommitMillis(),
            violations.groupCommitMaxRecords(), writers));
  }

  /** One rush at one node with ordinary taps meanwhile; prints its line and keeps its figures. Returns whether something failed. */
  private static boolean rush(Subject subject, Wrk wrk, Path rush, Path ordinaryTaps, int seconds, int connections, int round)
      throws Exception {
    NodeProbe probe = subject.probe();
    long recordedBefore = probe.count("SELECT coalesce(sum(taps), 0) FROM violation_outbox");
    double groupsBefore = probe.metric("gateway_violation_groups_written_total");
    double recordsBefore = probe.metric("gateway_violations_recorded_total");
    ClassLatency latencyBefore = ClassLatency.parse(probe.metrics());
    ProcessCpu cpuBefore = ProcessCpu.snapshot();
    CompletableFuture<Wrk.Result> ordinaryDuring = CompletableFuture.supplyAsync(() -> run(wrk, subject.url(), ordinaryTaps, seconds));
    Wrk.Result denials = wrk.run(subject.url(), rush, seconds, connections);
    Wrk.Result others = ordinaryDuring.get(seconds + 60L, TimeUnit.SECONDS);
    ProcessCpu cpu = ProcessCpu.snapshot();
    // Taps still in flight when wrk stopped are recorded but not counted by wrk: wait until none is pending.
    for (int i = 0; i < 100 && probe.metric("gateway_violation_records_pending") > 0; i++) {
      Thread.sleep(50);
    }
    ClassLatency latency = ClassLatency.parse(probe.metrics()).since(latencyBefore);
    long recorded = probe.count("SELECT coalesce(sum(taps), 0) FROM violation_outbox") - recordedBefore;
    double groups = probe.metric("gateway_violation_groups_written_total") - groupsBefore;
    double records = probe.metric("gateway_violations_recorded_total") - recordsBefore;
    long answered = denials.requests() - denials.errors() - denials.non2xx();
    boolean missing = recorded < answered;
    double taps = answered + others.requests();
    double[] perTap = new double[PROCESSES.size()];
    double other = 0;
    for (String kind : cpu.kinds()) {
      int column = PROCESSES.indexOf(kind);
      double micros = cpu.secondsSince(cpuBefore, kind) * 1e6 / Math.max(1, taps);
      if (column >= 0) {
        perTap[column] = micros;
      } else {
        other += micros;
      }
    }
    TABLE.add(String.valueOf(round + 1), subject.kind(), answered * 1e6 / Math.max(1, denials.durationMicros()),
        denials.p50Micros() / 1000.0, denials.p99Micros() / 1000.0, latency.quantileMicros("DENY HES_RISK", 0.99),
        latency.quantileMicrosOfAllBut("DENY HES_RISK", 0.99), others.requestsPerSecond(), others.p99Micros() / 1000.0,
        records / Math.max(1, groups), perTap[0], perTap[1], perTap[2], other, cpu.coresSince(cpuBefore));
    if (missing) {
      System.out.printf("FAILED: the outbox is MISSING %,d of %,d answered denials%n", answered - recorded, answered);
    }
    return missing || failures("rush", denials) || failures("ordinary taps", others);
  }

  /** The ministry down while denials pile up at the node, then back: the drain. Returns whether something failed. */
  private static boolean backlog(Subject subject, InteriorMinistrySimulator ministry, Wrk wrk, Path rush, int connections, long backlog)
      throws Exception {
    NodeProbe probe = subject.probe();
    ministry.faults(Faults.goDown());
    long fillStart = System.nanoTime();
    boolean failed = false;
    while (undelivered(probe) < backlog) {
      failed |= failures("backlog rush", wrk.run(subject.url(), rush, 5, connections));
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
    long dead = probe.count("SELECT count(*) FROM violation_outbox WHERE state = 'DEAD'");
    System.out.printf("      dead letters: %,d%n", dead);
    return failed || dead > 0;
  }

  private static boolean failures(String what, Wrk.Result result) {
    if (result.errors() > 0 || result.non2xx() > 0) {
      System.out.printf("FAILED: %s: %,d errors, %,d answers other than 200%n", what, result.errors(), result.non2xx());
      return true;
    }
    return false;
  }

  private static Wrk.Result run(Wrk wrk, String url, Path script, int seconds) {
    try {
      return wrk.run(url, script, seconds, ORDINARY_CONNECTIONS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long undelivered(NodeProbe probe) {
    return probe.count("SELECT count(*) FROM violation_outbox WHERE state IN ('PENDING', 'SENDING')");
  }

}
