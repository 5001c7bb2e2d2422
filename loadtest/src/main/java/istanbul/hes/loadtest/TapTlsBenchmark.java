package istanbul.hes.loadtest;

import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.CardStoreConfig;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.config.ListenerTlsConfig;
import istanbul.hes.config.NodeConfig;
import istanbul.hes.config.TapConfig;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code bash loadtest/tap-tls-benchmark.sh [--cards N] [--duration S] [--rounds R]}: the cost of
 * TLS on the tap path. Two nodes in this process on one population, the same configuration but
 * for the tap listener: plain HTTP on one, TLS (a P-256 certificate made with openssl) on the
 * other. wrk drives {@code POST /v1/taps} over keep-alive connections (the handshake is paid
 * once per connection, as by a validator that stays connected), alternating plain and TLS in
 * each round (the order rotates); the medians and their ratio are printed.
 */
public final class TapTlsBenchmark {
  private static final int WRK_THREADS = 2;
  private static final int CONNECTIONS = 64;
  private static final int DISTINCT_BODIES = 4096;

  private TapTlsBenchmark() {}

  public static void main(String[] args) throws Exception {
    TapRunArguments arguments = TapRunArguments.parse(args, "tap-tls-benchmark.sh", 100_000, 5, Path.of("loadtest", "target", "tls-bench-data"));
    long cards = arguments.cards();
    int seconds = arguments.seconds();
    int rounds = arguments.rounds();
    Path dataDir = arguments.dataDir();

    Map<String, String> overrides = Map.of(
        "tap.host", "127.0.0.1", "tap.port", "0",
        "admin.host", "127.0.0.1", "admin.port", "0",
        "citizen.host", "127.0.0.1", "citizen.port", "0", "points.port", "0",
        "node.id", "tls-benchmark-plain");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    GatewayNode plain = null;
    GatewayNode tls = null;
    try {
      GatewayConfig plainConfig = environment.config();
      plain = GatewayNode.start(plainConfig).await();
      tls = GatewayNode.start(tlsConfig(plainConfig, dataDir.resolve("tls-node"))).await();
      plain.mapLoaded().await();
      tls.mapLoaded().await();
      run("http://127.0.0.1:" + plain.tapPort() + "/v1/taps", "https://127.0.0.1:" + tls.tapPort() + "/v1/taps",
          environment.validatorToken(), cards, seconds, rounds);
    } finally {
      for (GatewayNode node : new GatewayNode[] {tls, plain}) {
        if (node != null) {
          node.stop().await(30, TimeUnit.SECONDS);
        }
      }
      environment.close();
    }
    System.exit(0);
  }

  /** The same configuration, a data folder of its own, and TLS on the tap listener. */
  private static GatewayConfig tlsConfig(GatewayConfig plain, Path dataDir) throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Path certificate = dataDir.resolve("tap.pem");
    Path key = dataDir.resolve("tap.key");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
        "-out", certificate.toString()).redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes());
    if (openssl.waitFor() != 0) {
      throw new IllegalStateException("openssl failed: " + output);
    }
    NodeConfig node = plain.node();
    CardStoreConfig store = plain.cardStore();
    TapConfig tap = plain.tap();
    return plain
        .withNode(new NodeConfig("tls-benchmark-tls", dataDir, node.eventLoops(), node.shutdownGraceSeconds(), node.eventLoopWarningMillis(),
            node.failureLogIntervalSeconds()))
        .withCardStore(new CardStoreConfig(dataDir.resolve("cards.map"), store.expectedCards(), store.rebuildFetchRows(),
            store.consistencyCheckSeconds(), store.consistencySampleCards()))
        .withTap(new TapConfig(tap.host(), tap.port(), tap.anonymousPolicy(), tap.maxTapBodyBytes(), tap.maxBatchBodyBytes(),
            tap.maxBatchTaps(), tap.clustersFile(), tap.clustersReloadSeconds(), tap.timeZone(), tap.limits(),
            new ListenerTlsConfig(Optional.of(certificate), Optional.of(key), 60, ListenerTlsConfig.ClientCertificates.NONE,
                Optional.empty())));
  }

  private static void run(String plainUrl, String tlsUrl, String token, long cards, int seconds, int rounds)
      throws IOException, InterruptedException {
    Wrk wrk = new Wrk(token, WRK_THREADS, CONNECTIONS, Files.createTempDirectory("tap-tls-benchmark"));
    SplittableRandom random = new SplittableRandom(7);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < DISTINCT_BODIES; i++) {
      long card = DemoPopulation.cardNumber(random.nextLong(cards));
      bodies.add("{\"card\":\"" + CardNumber.format(card) + "\",\"validator\":\"M2-TAKSIM-07\",\"at\":\"2026-11-21T08:00:00Z\"}");
    }
    Path single = wrk.script("single", bodies, 1);
    System.out.printf("warming up (%d s each)...%n", Math.min(5, seconds));
    wrk.run(plainUrl, single, Math.min(5, seconds));
    wrk.run(tlsUrl, single, Math.min(5, seconds));
    List<Wrk.Result> plainRuns = new ArrayList<>();
    List<Wrk.Result> tlsRuns = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < 2; k++) {
        boolean tlsTurn = (k + round) % 2 == 1;
        Wrk.Result result = wrk.run(tlsTurn ? tlsUrl : plainUrl, single, seconds);
        if (result.errors() > 0 || result.non2xx() > 0) {
          throw new IllegalStateException((tlsTurn ? "TLS" : "plain") + " run had " + result.errors() + " errors and "
              + result.non2xx() + " non-2xx answers");
        }
        (tlsTurn ? tlsRuns : plainRuns).add(result);
        System.out.printf("round %d: %-6s %,12.0f req/s  p50 %,6d us  p99 %,6d us%n", round + 1, tlsTurn ? "TLS" : "plain",
            result.requestsPerSecond(), result.p50Micros(), result.p99Micros());
      }
    }
    double plainRate = Rounds.median(plainRuns, Wrk.Result::requestsPerSecond);
    double tlsRate = Rounds.median(tlsRuns, Wrk.Result::requestsPerSecond);
    System.out.printf("%n%,d cards, %d cores, wrk %d threads x %d keep-alive connections, %d s x %d rounds (medians); "
        + "wrk runs on the same machine%n%n", cards, Runtime.getRuntime().availableProcessors(), WRK_THREADS, CONNECTIONS, seconds, rounds);
    System.out.println("| POST /v1/taps, keep-alive | req/s | p50 | p99 |");
    System.out.println("|---|---:|---:|---:|");
    System.out.printf("| plain HTTP | %,.0f | %,.0f us | %,.0f us |%n", plainRate, Rounds.median(plainRuns, r -> r.p50Micros()),
        Rounds.median(plainRuns, r -> r.p99Micros()));
    System.out.printf("| TLS 1.3 (P-256) | %,.0f | %,.0f us | %,.0f us |%n", tlsRate, Rounds.median(tlsRuns, r -> r.p50Micros()),
        Rounds.median(tlsRuns, r -> r.p99Micros()));
    System.out.printf("%nTLS/plain throughput ratio: %.2f%n", tlsRate / plainRate);
  }
}
