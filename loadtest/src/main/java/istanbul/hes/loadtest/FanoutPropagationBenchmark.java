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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/fanout-propagation.sh [--cards N] [--samples S]}: two gateway nodes of one
 * cluster (one JVM, each its own map file and listeners, one PostgreSQL and one Redis), and the
 * time from a change committed on node A (an operator block, then the unblock, through A's admin
 * API: timed from A's answer, i.e. the commit) to node B's tap answer changing, B tapped over
 * HTTP every millisecond. First idle, then while wrk taps B (1 thread, 8 connections).
 */
public final class FanoutPropagationBenchmark {
  private FanoutPropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    long cards = 100_000;
    int samples = 300;
    Path dataDir = Path.of("loadtest", "target", "fanout-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--samples" -> samples = Integer.parseInt(args[i + 1]);
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("usage: fanout-propagation.sh [--cards N] [--samples S] [--data-dir DIR]");
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
      System.out.printf("two nodes on %,d cards; %d changes each way, idle%n", cards, allowed.size());
      report("idle", probe.measure(allowed));

      Wrk wrk = new Wrk(environment.validatorToken(), 1, 8, Files.createTempDirectory("fanout"));
      List<String> bodies = new ArrayList<>();
      for (int k = 0; k < 4096; k++) {
        bodies.add("{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber((k * 7919L) % cards))
            + "\",\"validator\":\"LOAD-01\",\"at\":\"" + Instant.now() + "\"}");
      }
      Path script = wrk.script("taps", bodies, 1);
      CompletableFuture<Wrk.Result> load = CompletableFuture.supplyAsync(() -> {
        try {
          return wrk.run("http://127.0.0.1:" + b.tapPort() + "/v1/taps", script, 60);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(2_000);
      report("while wrk taps node B", probe.measure(allowed.subList(0, Math.min(allowed.size(), 200))));
      Wrk.Result taps = load.get(120, TimeUnit.SECONDS);
      System.out.printf("wrk on node B meanwhile: %,.0f taps/s, p99 %.2f ms, errors %d%n", taps.requestsPerSecond(),
          taps.p99Micros() / 1000.0, taps.errors());
    } finally {
      b.stop().await(60, TimeUnit.SECONDS);
      a.stop().await(60, TimeUnit.SECONDS);
      environment.close();
    }
    System.exit(0);
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

  private static void report(String phase, List<Long> micros) {
    Collections.sort(micros);
    System.out.printf("%s: %d changes, commit on A -> changed tap answer on B: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        phase, micros.size(), percentile(micros, 50), percentile(micros, 90), percentile(micros, 99),
        micros.get(micros.size() - 1) / 1000.0);
  }

  private static double percentile(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1000.0;
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
      HttpRequest tap = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.tapPort() + "/v1/taps"))
          .header("Authorization", "Bearer " + environment.validatorToken())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"card\":\"" + CardNumber.format(card) + "\",\"validator\":\"PROBE-01\",\"at\":\""
              + Instant.now() + "\"}"))
          .build();
      while (true) {
        String answer = http.send(tap, HttpResponse.BodyHandlers.ofString()).body();
        if (answer.contains("\"" + expected + "\"")) {
          return (System.nanoTime() - committed) / 1_000;
        }
        if (System.nanoTime() - committed > Duration.ofSeconds(30).toNanos()) {
          throw new IllegalStateException("node B never answered " + expected + " for a changed card");
        }
        Thread.sleep(1);
      }
    }
  }
}
