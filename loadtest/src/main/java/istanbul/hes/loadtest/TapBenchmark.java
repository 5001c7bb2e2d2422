package istanbul.hes.loadtest;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.cardstore.MapLoad;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation.Profile;
import istanbul.hes.demo.DemoPopulation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/tap-benchmark.sh [--cards N] [--duration S] [--rounds R]}: starts a
 * gateway node on a demo population (embedded servers, or the external ones the HES_ environment
 * names), mounts the {@link ComparisonRoutes} on its tap listener, pre-loads the card statuses
 * into Redis, checks that every endpoint answers every card class the same way, then drives
 * each endpoint with wrk (keep-alive, then pipelined), interleaved over a few rounds so that
 * noise hits all of them alike, and prints a Markdown table. Everything stays on 127.0.0.1.
 */
public final class TapBenchmark {
  private static final int WRK_THREADS = 2;
  private static final int CONNECTIONS = 64;
  private static final int PIPELINE_DEPTH = 16;
  private static final int BATCH_TAPS = 1000;
  private static final int DISTINCT_BODIES = 4096;

  private TapBenchmark() {}

  record Endpoint(String name, String path) {}

  public static void main(String[] args) throws Exception {
    TapRunArguments arguments = TapRunArguments.parse(args, "tap-benchmark.sh", 1_000_000, 3, Path.of("loadtest", "target", "bench-data"));
    long cards = arguments.cards();
    int seconds = arguments.seconds();
    int rounds = arguments.rounds();
    Path dataDir = arguments.dataDir();

    Map<String, String> overrides = Map.of(
        "tap.host", "127.0.0.1", "tap.port", "0",
        "admin.host", "127.0.0.1", "admin.port", "0",
        "node.id", "tap-benchmark");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    GatewayNode node;
    try {
      ComparisonRoutes routes = new ComparisonRoutes(environment.config(), environment.validatorToken());
      node = GatewayNode.start(environment.config(), new GatewayNode.Options(routes)).await();
    } catch (Exception e) {
      environment.close();
      throw e;
    }
    try {
      MapLoad load = node.mapLoaded().await();
      System.out.printf("card map ready: %,d entries (%s)%n", load.entries(), load.mode());
      preloadRedis(environment.config(), cards);
      String base = "http://127.0.0.1:" + node.tapPort();
      checkAnswers(base, environment.validatorToken(), cards);
      run(base, "http://127.0.0.1:" + node.adminPort() + "/metrics", environment.validatorToken(), cards, seconds, rounds);
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
      environment.close();
    }
    System.exit(0);
  }

  /**
   * Copies every card's status, as the demo generated it, into Redis for the comparison endpoint,
   * 1000 keys per MSET (the benchmark runs on a fresh demo population: nothing changed it since).
   */
  private static void preloadRedis(GatewayConfig config, long cards) {
    long begun = System.nanoTime();
    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redis().url()));
    CardStatus status = new CardStatus();
    List<io.vertx.core.Future<?>> inFlight = new ArrayList<>();
    Request mset = Request.cmd(Command.MSET);
    int inRequest = 0;
    for (long i = 0; i < cards; i++) {
      long card = DemoPopulation.cardNumber(i);
      DemoPopulation.HesState hes = DemoPopulation.hes(i);
      status.set(1, DemoPopulation.personalized(i), DemoPopulation.blocked(i), hes != DemoPopulation.HesState.NONE,
          hes == DemoPopulation.HesState.NONE ? CardStatus.NO_EXPIRY : (int) DemoPopulation.hesExpiresOnDay(i), DemoPopulation.risky(i));
      mset.arg(ComparisonRoutes.REDIS_KEY_PREFIX + CardNumber.format(card)).arg(ComparisonRoutes.encodeRedis(status));
      if (++inRequest == 1000 || i == cards - 1) {
        inFlight.add(redis.send(mset));
        mset = Request.cmd(Command.MSET);
        inRequest = 0;
        if (inFlight.size() == 16) {
          io.vertx.core.Future.all(inFlight).await();
          inFlight.clear();
        }
      }
    }
    io.vertx.core.Future.all(inFlight).await();
    redis.close();
    vertx.close().await();
    System.out.printf("Redis pre-loaded with %,d card statuses in %.1f s%n", cards, (System.nanoTime() - begun) / 1e9);
  }

  /** Every endpoint (but the constant one) must give each card class its expected answer. */
  private static void checkAnswers(String base, String token, long cards) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int checked = 0;
    for (Profile profile : Profile.values()) {
      long from = 0;
      for (int n = 0; n < 20; n++) {
        long index = DemoPopulation.find(profile, from, cards);
        if (index < 0) {
          break;
        }
        from = index + 1;
        String body = tapBody(DemoPopulation.cardNumber(index));
        for (String path : List.of("/v1/taps", "/bench/redis-tap", "/bench/pg-tap")) {
          HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
          String expected = "\"reason\":\"" + profile.reason() + "\"";
          if (response.statusCode() != 200 || !response.body().contains(expected)) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + " " + response.body()
                + " for a card of class " + profile);
          }
          checked++;
        }
      }
    }
    System.out.printf("answers checked: %d taps over every card class, all endpoints agree%n", checked);
  }

  private static String tapBody(long card) {
    return "{\"card\":\"" + CardNumber.format(card) + "\",\"validator\":\"M2-TAKSIM-07\",\"at\":\"2026-11-21T08:00:00Z\"}";
  }

  private static void run(String base, String metrics, String token, long cards, int seconds, int rounds)
      throws IOException, InterruptedException {
    Path scripts = Files.createTempDirectory("tap-benchmark");
    Wrk wrk = new Wrk(token, WRK_THREADS, CONNECTIONS, scripts);
    SplittableRandom random = new SplittableRandom(7);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < DISTINCT_BODIES; i++) {
      bodies.add(tapBody(DemoPopulation.cardNumber(random.nextLong(cards))));
    }
    List<String> batches = new ArrayList<>();
    for (int b = 0; b < 8; b++) {
      StringBuilder batch = new StringBuilder("{\"taps\":[");
      for (int t = 0; t < BATCH_TAPS; t++) {
        batch.append(t == 0 ? "" : ",").append(tapBody(DemoPopulation.cardNumber(random.nextLong(cards))));
      }
      batches.add(batch.append("]}").toString());
    }
    Path single = wrk.script("single", bodies, 1);
    Path pipelined = wrk.script("pipelined", bodies, PIPELINE_DEPTH);
    Path batch = wrk.script("batch", batches, 1);

    List<Endpoint> endpoints = List.of(
        new Endpoint("constant (ceiling)", "/bench/constant"),
        new Endpoint("**/v1/taps (Chronicle Map)**", "/v1/taps"),
        new Endpoint("Redis GET per tap", "/bench/redis-tap"),
        new Endpoint("PostgreSQL SELECT per tap", "/bench/pg-tap"));
    List<String> modes = List.of("keep-alive", "pipelined x" + PIPELINE_DEPTH);

    System.out.printf("warming up (%d s per endpoint and mode)...%n", Math.min(5, seconds));
    for (Endpoint endpoint : endpoints) {
      wrk.run(base + endpoint.path(), single, Math.min(5, seconds));
      // Pipelining takes other paths (many requests per read): they are warmed up too.
      wrk.run(base + endpoint.path(), pipelined, Math.min(5, seconds));
    }
    wrk.run(base + "/v1/taps/batch", batch, Math.min(5, seconds));

    Map<String, List<Wrk.Result>> results = new LinkedHashMap<>();
    // The node's own time per kind of answer over the keep-alive runs of /v1/taps, all rounds.
    ClassLatency perClass = new ClassLatency();
    for (int round = 0; round < rounds; round++) {
      for (int m = 0; m < modes.size(); m++) {
        // Rotate the order each round, so no endpoint always runs first or last.
        for (int e = 0; e < endpoints.size(); e++) {
          Endpoint endpoint = endpoints.get((e + round) % endpoints.size());
          boolean classes = m == 0 && endpoint.path().equals("/v1/taps");
          ClassLatency before = classes ? ClassLatency.parse(scrape(metrics)) : null;
          Wrk.Result result = wrk.run(base + endpoint.path(), m == 0 ? single : pipelined, seconds);
          if (classes) {
            perClass = perClass.plus(ClassLatency.parse(scrape(metrics)).since(before));
          }
          results.computeIfAbsent(endpoint.name() + "|" + modes.get(m), k -> new ArrayList<>()).add(result);
          System.out.printf("round %d: %-30s %-14s %,12.0f req/s  p50 %,8d us  p99 %,8d us%n", round + 1, endpoint.path(),
              modes.get(m), result.requestsPerSecond(), result.p50Micros(), result.p99Micros());
        }
      }
      Wrk.Result result = wrk.run(base + "/v1/taps/batch", batch, seconds);
      results.computeIfAbsent("batch", k -> new ArrayList<>()).add(result);
      System.out.printf("round %d: %-30s %-14s %,12.0f req/s  (%,.0f decisions/s)%n", round + 1, "/v1/taps/batch", "keep-alive",
          result.requestsPerSecond(), result.requestsPerSecond() * BATCH_TAPS);
    }

    double constantKeepAlive = Rounds.median(results.get(endpoints.get(0).name() + "|" + modes.get(0)), Wrk.Result::requestsPerSecond);
    double constantPipelined = Rounds.median(results.get(endpoints.get(0).name() + "|" + modes.get(1)), Wrk.Result::requestsPerSecond);
    StringBuilder table = new StringBuilder();
    table.append(String.format("%n%,d cards, %d cores, wrk %d threads x %d connections, %d s x %d rounds per row (medians); "
            + "wrk runs on the same machine%n%n", cards, Runtime.getRuntime().availableProcessors(), WRK_THREADS, CONNECTIONS,
        seconds, rounds));
    table.append("| endpoint | mode | requests/s | decisions/s | mean | p50 | p99 | vs constant | errors |\n");
    table.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int m = 0; m < modes.size(); m++) {
      for (Endpoint endpoint : endpoints) {
        List<Wrk.Result> runs = results.get(endpoint.name() + "|" + modes.get(m));
        double rate = Rounds.median(runs, Wrk.Result::requestsPerSecond);
        table.append(String.format("| %s | %s | %,.0f | %,.0f | %s | %s | %s | %.2f | %d |%n", endpoint.name(), modes.get(m), rate, rate,
            micros(Rounds.median(runs, r -> r.meanMicros())), micros(medianPositive(runs, r -> r.p50Micros())), micros(medianPositive(runs, r -> r.p99Micros())),
            rate / (m == 0 ? constantKeepAlive : constantPipelined), errors(runs)));
      }
    }
    List<Wrk.Result> batchRuns = results.get("batch");
    double batchRate = Rounds.median(batchRuns, Wrk.Result::requestsPerSecond);
    table.append(String.format("| /v1/taps/batch (%d taps) | keep-alive | %,.0f | %,.0f | %s | %s | %s | %s | %d |%n", BATCH_TAPS,
        batchRate, batchRate * BATCH_TAPS, micros(Rounds.median(batchRuns, r -> r.meanMicros())), micros(medianPositive(batchRuns, r -> r.p50Micros())),
        micros(medianPositive(batchRuns, r -> r.p99Micros())),
        "-", errors(batchRuns)));
    System.out.print(table);
    System.out.printf("%nnode-side time of POST /v1/taps (keep-alive runs, all rounds) per kind of answer (server time: read body "
        + "to answer written; a HES_RISK denial includes its record's commit):%n%n%s", perClass.table());
  }

  private static String scrape(String metrics) throws IOException, InterruptedException {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metrics)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  private static long errors(List<Wrk.Result> runs) {
    return runs.stream().mapToLong(r -> r.errors() + r.non2xx()).sum();
  }

  /** Median of the runs that reported a value (wrk reports 0 for a percentile it lost). */
  private static double medianPositive(List<Wrk.Result> runs, java.util.function.ToDoubleFunction<Wrk.Result> value) {
    List<Wrk.Result> reported = runs.stream().filter(r -> value.applyAsDouble(r) > 0).toList();
    return reported.isEmpty() ? 0 : Rounds.median(reported, value);
  }

  private static String micros(double micros) {
    if (micros <= 0) {
      return "n/a";
    }
    return micros >= 1000 ? String.format("%.2f ms", micros / 1000) : String.format("%.0f µs", micros);
  }
}
