package istanbul.hes.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.CardStoreConfig;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.NodeConfig;
import istanbul.hes.config.StatisticsConfig;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/statistics-benchmark.sh [--cards N] [--active A] [--duration S] [--rounds R]}:
 * what the operators' statistics cost. Two nodes in this process on one population, the same
 * configuration but {@code statistics.enabled}: wrk drives {@code POST /v1/taps} (dated now, so
 * every tap is recorded) over keep-alive connections, alternating the two nodes round by round;
 * the medians and their ratio are printed. Then {@code A} distinct cards tap the statistics node
 * (batches of 1,000), and the memory it holds for them is read from its metrics, with the time the
 * figures of the day take.
 */
public final class StatisticsBenchmark {
  private static final int WRK_THREADS = 2;
  private static final int CONNECTIONS = 64;
  private static final int DISTINCT_BODIES = 4096;
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private StatisticsBenchmark() {}

  public static void main(String[] args) throws Exception {
    long active = 1_000_000;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--active") && i + 1 < args.length) {
        active = Long.parseLong(args[++i].replace("_", ""));
      } else {
        rest.add(args[i]);
      }
    }
    TapRunArguments arguments = TapRunArguments.parse(rest.toArray(String[]::new), "statistics-benchmark.sh", 1_000_000, 8,
        Path.of("loadtest", "target", "statistics-bench-data"));
    long cards = arguments.cards();
    if (active > cards) {
      throw new IllegalArgumentException("--active " + active + " is more than the " + cards + " cards");
    }
    Map<String, String> overrides = Map.of(
        "tap.host", "127.0.0.1", "tap.port", "0",
        "admin.host", "127.0.0.1", "admin.port", "0",
        "citizen.host", "127.0.0.1", "citizen.port", "0", "points.port", "0",
        "node.id", "statistics-on", "statistics.flushSeconds", "10", "statistics.compactAfterSeconds", "40");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, arguments.dataDir(), Optional.empty(), overrides, System.out);
    GatewayNode on = null;
    GatewayNode off = null;
    try {
      GatewayConfig onConfig = environment.config();
      forgetEarlierStatistics(onConfig);
      on = GatewayNode.start(onConfig).await();
      off = GatewayNode.start(offConfig(onConfig, arguments.dataDir().resolve("statistics-off"))).await();
      on.mapLoaded().await();
      off.mapLoaded().await();
      awaitFirstStatisticsRound(on, onConfig);
      compare("http://127.0.0.1:" + on.tapPort() + "/v1/taps",
          "http://127.0.0.1:" + off.tapPort() + "/v1/taps", environment.validatorToken(), cards, arguments.seconds(), arguments.rounds());
      memory(on, onConfig, environment.validatorToken(), active, cards);
    } finally {
      for (GatewayNode node : new GatewayNode[] {off, on}) {
        if (node != null) {
          node.stop().await(60, TimeUnit.SECONDS);
        }
      }
      environment.close();
    }
    System.exit(0);
  }

  /**
   * The statistics node's first round counts the whole population (yesterday's snapshot and
   * today's live figures: seconds of PostgreSQL work at full scale, once at start and then every
   * statistics.gaugeRefreshSeconds). The comparison starts after it, as a node in service would be.
   */
  private static void awaitFirstStatisticsRound(GatewayNode node, GatewayConfig config) throws Exception {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MINUTES.toNanos(5);
    try (NodeProbe probe = new NodeProbe(config, node)) {
      while (System.nanoTime() < deadline) {
        if (!Double.isNaN(probe.metric("gateway_statistics_cards"))) {
          System.out.printf("the statistics node's first round (population counted) took %.1f s after the map was ready%n",
              (System.nanoTime() - started) / 1e9);
          return;
        }
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException("the statistics node did not count the population within 5 minutes");
  }

  /** A re-run reuses the population; the statistics of the run before would be counted with this one's. */
  private static void forgetEarlierStatistics(GatewayConfig config) {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.sqlclient.Pool pool = istanbul.hes.db.Database.pool(vertx, config.database());
      pool.query("TRUNCATE statistics_card_deltas, statistics_day_cards, statistics_day_counts, statistics_month_cards, "
          + "statistics_compacted_days, statistics_day_taps, statistics_day_population").execute().await();
      pool.close().await();
    } finally {
      vertx.close().await();
    }
  }

  private static GatewayConfig offConfig(GatewayConfig on, Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    NodeConfig node = on.node();
    CardStoreConfig store = on.cardStore();
    StatisticsConfig statistics = on.statistics();
    return on
        .withNode(new NodeConfig("statistics-off", dataDir, node.eventLoops(), node.shutdownGraceSeconds(), node.eventLoopWarningMillis(),
            node.failureLogIntervalSeconds()))
        .withCardStore(new CardStoreConfig(dataDir.resolve("cards.map"), store.expectedCards(), store.rebuildFetchRows(),
            store.consistencyCheckSeconds(), store.consistencySampleCards()))
        .withStatistics(new StatisticsConfig(false, statistics.flushSeconds(), statistics.lateTapDays(),
            statistics.compactAfterSeconds(), statistics.gaugeRefreshSeconds()));
  }

  private static void compare(String onUrl, String offUrl, String token, long cards, int seconds, int rounds)
      throws IOException, InterruptedException {
    Wrk wrk = new Wrk(token, WRK_THREADS, CONNECTIONS, Files.createTempDirectory("statistics-benchmark"));
    SplittableRandom random = new SplittableRandom(11);
    String at = ZonedDateTime.now(ISTANBUL).format(AT);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < DISTINCT_BODIES; i++) {
      long index = random.nextLong(cards);
      bodies.add("{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber(index)) + "\",\"validator\":\"M2-TAKSIM-07\",\"at\":\"" + at + "\"}");
    }
    Path single = wrk.script("single", bodies, 1);
    System.out.printf("warming up (%d s each)...%n", Math.min(5, seconds));
    wrk.run(onUrl, single, Math.min(5, seconds));
    wrk.run(offUrl, single, Math.min(5, seconds));
    List<Wrk.Result> onRuns = new ArrayList<>();
    List<Wrk.Result> offRuns = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < 2; k++) {
        boolean onTurn = (k + round) % 2 == 0;
        Wrk.Result result = wrk.run(onTurn ? onUrl : offUrl, single, seconds);
        if (result.errors() > 0 || result.non2xx() > 0) {
          throw new IllegalStateException((onTurn ? "on" : "off") + " run had " + result.errors() + " errors and "
              + result.non2xx() + " non-2xx answers");
        }
        (onTurn ? onRuns : offRuns).add(result);
        System.out.printf("round %d: statistics %-3s %,12.0f req/s  p50 %,6d us  p99 %,6d us  errors %d  non-2xx %d%n", round + 1,
            onTurn ? "on" : "off", result.requestsPerSecond(), result.p50Micros(), result.p99Micros(), result.errors(), result.non2xx());
      }
    }
    double onRate = Rounds.median(onRuns, Wrk.Result::requestsPerSecond);
    double offRate = Rounds.median(offRuns, Wrk.Result::requestsPerSecond);
    System.out.printf("%n%,d cards, %d cores, wrk %d threads x %d keep-alive connections, %d s x %d rounds (medians); "
        + "wrk runs on the same machine%n%n", cards, Runtime.getRuntime().availableProcessors(), WRK_THREADS, CONNECTIONS, seconds, rounds);
    System.out.println("| POST /v1/taps, keep-alive | req/s | p50 | p99 |");
    System.out.println("|---|---:|---:|---:|");
    System.out.printf("| statistics off | %,.0f | %,.0f us | %,.0f us |%n", offRate, Rounds.median(offRuns, r -> r.p50Micros()),
        Rounds.median(offRuns, r -> r.p99Micros()));
    System.out.printf("| statistics on | %,.0f | %,.0f us | %,.0f us |%n", onRate, Rounds.median(onRuns, r -> r.p50Micros()),
        Rounds.median(onRuns, r -> r.p99Micros()));
    System.out.printf("%nstatistics on/off throughput ratio: %.3f%n", onRate / offRate);
  }

  /**
   * {@code active} distinct cards tap, dated yesterday (so that the day ends and is compacted into
   * bitmaps, as every day is); what the node holds for them, the figures of the day before and
   * after compaction, and the month's, with the time each takes and what PostgreSQL stores.
   */
  private static void memory(GatewayNode node, GatewayConfig config, String token, long active, long cards) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    LocalDate yesterday = LocalDate.now(ISTANBUL).minusDays(1);
    String at = yesterday.atTime(12, 0).atZone(ISTANBUL).format(AT);
    long started = System.nanoTime();
    for (long first = 0; first < active; first += 1_000) {
      JsonArray taps = new JsonArray();
      for (long i = first; i < Math.min(active, first + 1_000); i++) {
        // Spread over the whole population, as riders' cards are: every chunk of the sets is used.
        long spread = i * cards / active;
        taps.add(new JsonObject().put("card", CardNumber.format(DemoPopulation.cardNumber(spread))).put("validator", "M2-TAKSIM-07")
            .put("at", at));
      }
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.tapPort() + "/v1/taps/batch"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("taps", taps).encode())).build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("batch answered " + answer.statusCode() + ": " + answer.body());
      }
    }
    System.out.printf("%n%,d distinct cards, spread over the %,d, tapped, dated %s, in %.1f s (batches of 1,000)%n", active, cards, yesterday,
        (System.nanoTime() - started) / 1e9);
    String operator = "Bearer " + config.admin().operatorToken();
    String base = "http://127.0.0.1:" + node.adminPort();
    long[] answer = awaitActive(http, base + "/admin/v1/statistics?from=" + yesterday + "&to=" + yesterday, operator, active);
    System.out.printf("the day's figures from the flushed lists: %,d active cards (%s), GET /admin/v1/statistics took %d ms%n",
        answer[0], answer[0] == active ? "exact" : "NOT EXACT, expected " + active, answer[1]);
    System.gc();
    try (NodeProbe probe = new NodeProbe(config, node)) {
      System.out.printf("heap held by the days' card sets in memory (gateway_statistics_memory_bytes): %.1f MiB%n",
          probe.metric("gateway_statistics_memory_bytes") / 1048576.0);
      System.out.printf("card map off-heap (gateway_card_map_off_heap_bytes, %,d cards, 17-byte entries with the card index): %.1f MiB%n",
          cards, probe.metric("gateway_card_map_off_heap_bytes") / 1048576.0);
      System.out.printf("JVM heap in use after a GC, both nodes of this process: %.1f MiB%n",
          (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (probe.count("SELECT count(*) FROM statistics_compacted_days WHERE day = '" + yesterday + "'") == 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the day was not compacted within 5 minutes");
        }
        Thread.sleep(1_000);
      }
      answer = awaitActive(http, base + "/admin/v1/statistics?from=" + yesterday + "&to=" + yesterday, operator, active);
      System.out.printf("the day's figures from its bitmaps: %,d active cards (%s), %d ms%n", answer[0],
          answer[0] == active ? "exact" : "NOT EXACT", answer[1]);
      LocalDate month = yesterday.withDayOfMonth(1);
      answer = awaitActive(http, base + "/admin/v1/statistics?from=" + month + "&to=" + yesterday.withDayOfMonth(yesterday.lengthOfMonth()),
          operator, active);
      System.out.printf("the month's figures (whole month, from its bitmaps; every day listed): %,d active cards, %d ms%n", answer[0], answer[1]);
      System.out.printf("PostgreSQL: the day's bitmaps %.1f MiB, the month's %.1f MiB, lists not compacted %.1f MiB%n",
          probe.count("SELECT pg_total_relation_size('statistics_day_cards')") / 1048576.0,
          probe.count("SELECT pg_total_relation_size('statistics_month_cards')") / 1048576.0,
          probe.count("SELECT pg_total_relation_size('statistics_card_deltas')") / 1048576.0);
    }
  }

  /** Polls until the period's active cards reach {@code expected} (3 minutes at most): the count and the last answer's milliseconds. */
  private static long[] awaitActive(HttpClient http, String url, String operator, long expected) throws Exception {
    long counted = -1;
    long millis = 0;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (counted < expected && System.nanoTime() < deadline) {
      long asked = System.nanoTime();
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", operator).build(),
          HttpResponse.BodyHandlers.ofString());
      millis = (System.nanoTime() - asked) / 1_000_000;
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + answer.statusCode() + ": " + answer.body());
      }
      counted = new JsonObject(answer.body()).getJsonObject("period").getLong("activeCards");
      if (counted < expected) {
        Thread.sleep(1_000);
      }
    }
    return new long[] {counted, millis};
  }
}
