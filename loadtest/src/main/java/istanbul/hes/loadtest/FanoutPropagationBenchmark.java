package istanbul.hes.loadtest;

import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.CardStoreConfig;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.NodeConfig;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation;
import istanbul.hes.demo.DemoPopulation.Profile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/fanout-propagation.sh [--cards N] [--samples S] [--rounds R] [--load-seconds L]}:
 * two gateway nodes of one cluster (one JVM, each its own map file and listeners, one PostgreSQL
 * and one Redis), and the time from a change committed on node A (an operator block, then the
 * unblock, through A's admin API: timed from A's answer, i.e. the commit) to node B's tap answer
 * changing, B tapped over HTTP every millisecond. Cards a stopped run left blocked are unblocked
 * first, then S cards each way warm both nodes up (with wrk on B), untimed. Each round measures S
 * cards each way idle and S while wrk taps B (1 thread, 8 connections, L seconds), the order
 * rotating; every round and the medians are printed. Any tap answered other than 200, wrk error or
 * non-2xx answer, or failed operator change ends the run with exit status 1.
 */
public final class FanoutPropagationBenchmark {
  private FanoutPropagationBenchmark() {}

  public static void main(String[] args) {
    BenchmarkMain.exit(() -> run(args));
  }

  private static boolean run(String[] args) throws Exception {
    long cards = 100_000;
    int samples = 100;
    int rounds = 3;
    int loadSeconds = 30;
    Path dataDir = Path.of("loadtest", "target", "fanout-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--samples" -> samples = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--load-seconds" -> loadSeconds = Integer.parseInt(args[i + 1]);
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException(
            "usage: fanout-propagation.sh [--cards N] [--samples S] [--rounds R] [--load-seconds L] [--data-dir DIR]");
      }
    }
    Map<String, String> overrides = Map.of("tap.host", "127.0.0.1", "tap.port", "0", "admin.host", "127.0.0.1", "admin.port", "0",
        "citizen.port", "0", "points.port", "0", "riskDeltas.enabled", "false");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    GatewayNode a = GatewayNode.start(member(environment.config(), "fanout-a", dataDir.resolve("node-a"))).await();
    GatewayNode b = GatewayNode.start(member(environment.config(), "fanout-b", dataDir.resolve("node-b"))).await();
    try {
      a.mapLoaded().await();
      b.mapLoaded().await();
      List<Long> allowed = new ArrayList<>();
      for (long i = 0; i < cards && allowed.size() < samples; i++) {
        if (DemoPopulation.profile(i) == Profile.ALLOW) {
          allowed.add(DemoPopulation.cardNumber(i));
        }
      }
      Probe probe = new Probe(environment, a, b);
      int leftovers = probe.unblockLeftovers(allowed);
      System.out.printf("two nodes on %,d cards; %d cards blocked and unblocked per round and phase; %d left blocked by an earlier run,"
          + " unblocked first%n", cards, allowed.size(), leftovers);

      Wrk wrk = new Wrk(environment.validatorToken(), 1, 8, Files.createTempDirectory("fanout"));
      List<String> bodies = new ArrayList<>();
      for (int k = 0; k < 4096; k++) {
        bodies.add("{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber((k * 7919L) % cards))
            + "\",\"validator\":\"LOAD-01\",\"at\":\"" + Instant.now() + "\"}");
      }
      Path script = wrk.script("taps", bodies, 1);
      String urlB = "http://127.0.0.1:" + b.tapPort() + "/v1/taps";

      Wrk.Result warmTaps = wrk.run(urlB, script, 5);
      probe.measure(allowed);
      long wrkFailures = warmTaps.errors() + warmTaps.non2xx();
      System.out.printf("warm-up (not kept): wrk on B 5 s, %,.0f taps/s, %d errors; %d changes each way%n",
          warmTaps.requestsPerSecond(), wrkFailures, allowed.size());

      Rounds table = new Rounds("changes", "p50 ms|%.2f", "p90 ms|%.2f", "p99 ms|%.2f", "max ms|%.2f", "wrk taps/s on B",
          "wrk errors + non-2xx");
      table.printHeader();
      for (int round = 1; round <= rounds; round++) {
        for (int k = 0; k < 2; k++) {
          boolean loaded = (round + k) % 2 == 0;
          if (!loaded) {
            List<Long> micros = probe.measure(allowed);
            table.add(Integer.toString(round), "idle", micros.size(), percentile(micros, 50), percentile(micros, 90), percentile(micros, 99),
                percentile(micros, 100), Double.NaN, Double.NaN);
            continue;
          }
          int seconds = loadSeconds;
          CompletableFuture<Wrk.Result> load = CompletableFuture.supplyAsync(() -> {
            try {
              return wrk.run(urlB, script, seconds);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
          Thread.sleep(2_000);
          List<Long> micros = probe.measure(allowed);
          if (load.isDone()) {
            throw new IllegalStateException("wrk stopped before the changes were measured: raise --load-seconds (" + loadSeconds + ")");
          }
          Wrk.Result taps = load.get(loadSeconds + 60L, TimeUnit.SECONDS);
          wrkFailures += taps.errors() + taps.non2xx();
          table.add(Integer.toString(round), "while wrk taps B", micros.size(), percentile(micros, 50), percentile(micros, 90),
              percentile(micros, 99), percentile(micros, 100), taps.requestsPerSecond(), taps.errors() + taps.non2xx());
        }
      }
      table.printMedians();
      System.out.printf("(commit on A -> changed tap answer on B; B's probe taps answered other than 200: %d; wrk errors and non-2xx"
          + " answers, warm-up included: %d)%n", probe.failedTaps(), wrkFailures);
      return probe.failedTaps() == 0 && wrkFailures == 0;
    } finally {
      b.stop().await(60, TimeUnit.SECONDS);
      a.stop().await(60, TimeUnit.SECONDS);
      environment.close();
    }
  }

  /** The demo configuration as one member of the cluster: its own id, data folder and map file. */
  private static GatewayConfig member(GatewayConfig base, String id, Path dataDir) {
    NodeConfig node = base.node();
    CardStoreConfig store = base.cardStore();
    return base.withNode(new NodeConfig(id, dataDir, node.eventLoops(), node.shutdownGraceSeconds(), node.eventLoopWarningMillis(),
        node.failureLogIntervalSeconds()))
        .withCardStore(new CardStoreConfig(dataDir.resolve("cards.map"), store.expectedCards(), store.rebuildFetchRows(),
            store.consistencyCheckSeconds(), store.consistencySampleCards()));
  }

  /** The p-th percentile in milliseconds (100: the maximum). */
  private static double percentile(List<Long> micros, int p) {
    List<Long> sorted = micros.stream().sorted().toList();
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1))) / 1000.0;
  }

  /** Blocks and unblocks cards on A and watches B's answers. */
  private static final class Probe {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final DemoEnvironment environment;
    private final GatewayNode a;
    private final GatewayNode b;

    Probe(DemoEnvironment environment, GatewayNode a, GatewayNode b) {
      this.environment = environment;
      this.a = a;
      this.b = b;
    }

    private long failedTaps;

    /** Taps of node B answered other than 200 so far. */
    long failedTaps() {
      return failedTaps;
    }

    /** Unblocks (untimed) the cards that node B answers as blocked, as a stopped earlier run can leave them; returns how many. */
    int unblockLeftovers(List<Long> cards) throws Exception {
      int unblocked = 0;
      for (long card : cards) {
        HttpResponse<String> answer = http.send(tap(card), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
          throw new IllegalStateException("node B answered a tap " + answer.statusCode() + ": " + answer.body());
        }
        if (answer.body().contains("\"CARD_BLOCKED\"")) {
          change(card, "DELETE", null, "OK");
          unblocked++;
        }
      }
      return unblocked;
    }

    List<Long> measure(List<Long> cards) throws Exception {
      List<Long> micros = new ArrayList<>();
      for (long card : cards) {
        micros.add(change(card, "PUT", "{\"reason\":\"STOLEN\"}", "CARD_BLOCKED"));
        micros.add(change(card, "DELETE", null, "OK"));
      }
      return micros;
    }

    private long change(long card, String method, String body, String expected) throws Exception {
      HttpRequest operator = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.adminPort() + "/admin/v1/cards/"
              + CardNumber.format(card) + "/block"))
          .header("Authorization", "Bearer " + environment.operatorToken())
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build();
      HttpResponse<String> done = http.send(operator, HttpResponse.BodyHandlers.ofString());
      if (done.statusCode() != 200) {
        throw new IllegalStateException("operator action failed: " + done.statusCode() + " " + done.body());
      }
      long committed = System.nanoTime();
      HttpRequest tap = tap(card);
      while (true) {
        HttpResponse<String> answer = http.send(tap, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
          failedTaps++;
          System.err.println("node B answered a tap " + answer.statusCode() + ": " + answer.body());
        } else if (answer.body().contains("\"" + expected + "\"")) {
          return (System.nanoTime() - committed) / 1_000;
        }
        if (System.nanoTime() - committed > Duration.ofSeconds(30).toNanos()) {
          throw new IllegalStateException("node B never answered " + expected + " for a changed card");
        }
        Thread.sleep(1);
      }
    }

    private HttpRequest tap(long card) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.tapPort() + "/v1/taps"))
          .header("Authorization", "Bearer " + environment.validatorToken())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"card\":\"" + CardNumber.format(card) + "\",\"validator\":\"PROBE-01\",\"at\":\""
              + Instant.now() + "\"}"))
          .build();
    }
  }
}
