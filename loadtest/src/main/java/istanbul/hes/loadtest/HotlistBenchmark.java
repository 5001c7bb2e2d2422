package istanbul.hes.loadtest;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation.Profile;
import istanbul.hes.demo.DemoPopulation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * {@code bash loadtest/hotlist-benchmark.sh [--cards N]}: the hotlist at 100,000 and at 1,000,000
 * denied cards. Starts a demo node on N cards (default 1,300,000; a fresh population under
 * loadtest/target/hotlist-data), blocks anonymous cards picked at random until the list holds
 * each size, and measures over HTTP: a full list made from scratch (a change first, so nothing is
 * reused), JSON and binary, time and size; the same list asked again; a conditional request for
 * it (304); and the changes since the previous version after 1,000 more blocks (checked exact).
 */
public final class HotlistBenchmark {
  private static final String BINARY = "application/vnd.hes.hotlist";

  private HotlistBenchmark() {}

  public static void main(String[] args) throws Exception {
    long cards = 1_300_000;
    Path dataDir = Path.of("loadtest", "target", "hotlist-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("usage: hotlist-benchmark.sh [--cards N] [--data-dir DIR]");
      }
    }
    Map<String, String> overrides = Map.of("tap.host", "127.0.0.1", "tap.port", "0", "admin.host", "127.0.0.1", "admin.port", "0",
        "citizen.port", "0", "points.port", "0", "node.id", "hotlist", "riskDeltas.enabled", "false", "fanout.enabled", "false");
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(), overrides, System.out);
    GatewayNode node = GatewayNode.start(environment.config()).await();
    NodeProbe probe = new NodeProbe(environment.config(), node);
    try {
      node.mapLoaded().await();
      List<Long> anonymous = new ArrayList<>();
      for (long i = 0; i < cards; i++) {
        if (DemoPopulation.profile(i) == Profile.NOT_PERSONALIZED) {
          anonymous.add(DemoPopulation.cardNumber(i));
        }
      }
      Collections.shuffle(anonymous, new Random(1_000_000));
      Bench bench = new Bench(node, probe.offlineStore(), environment.validatorToken());
      int used = 0;
      for (int target : new int[] {100_000, 1_000_000}) {
        int listed = bench.full(false).count;
        int more = target - listed;
        if (more < 0 || used + more > anonymous.size()) {
          throw new IllegalStateException("the population cannot make a list of " + target + " (it has " + listed + ")");
        }
        bench.block(anonymous.subList(used, used + more));
        used += more;
        System.out.printf("%n%,d denied cards (%,d cards in the population)%n", target, cards);
        for (boolean binary : new boolean[] {false, true}) {
          long[] millis = new long[3];
          int count = bench.full(false).count;
          long bytes = 0;
          for (int round = 0; round < millis.length; round++) {
            bench.block(anonymous.subList(used, used + 1)); // a new version: nothing to reuse
            used++;
            count++;
            long started = System.nanoTime();
            bytes = bench.fetch(binary).length;
            millis[round] = (System.nanoTime() - started) / 1_000_000;
          }
          Arrays.sort(millis);
          long startedAgain = System.nanoTime();
          bench.fetch(binary);
          long againMillis = (System.nanoTime() - startedAgain) / 1_000_000;
          System.out.printf("  full list, %-6s: made and received in %d ms (median of 3; %d / %d ms), %,d bytes (%.2f MiB, %.2f bytes "
                  + "per card); asked again: %d ms%n", binary ? "binary" : "JSON", millis[1], millis[0], millis[2], bytes,
              bytes / 1048576.0, bytes / (double) count, againMillis);
        }
        bench.conditional();
        String version = bench.full(false).version;
        List<Long> changed = anonymous.subList(used, used + 1_000);
        bench.block(changed);
        used += 1_000;
        long started = System.nanoTime();
        JsonObject changes = bench.changes(version);
        long changesMillis = (System.nanoTime() - started) / 1_000_000;
        List<Long> added = changes.getJsonArray("added").stream().map(String::valueOf).map(Long::parseLong).sorted().toList();
        boolean exact = added.equals(changed.stream().sorted().toList()) && changes.getJsonArray("removed").isEmpty();
        System.out.printf("  changes since the previous version after 1,000 blocks: %d ms, %d added, %d removed, %s%n", changesMillis,
            added.size(), changes.getJsonArray("removed").size(), exact ? "exactly the 1,000 blocked cards" : "NOT EXACT");
      }
    } finally {
      probe.close();
      node.stop().await();
      environment.close();
    }
    System.exit(0);
  }

  private record Fetched(String version, int count, long bytes) {}

  private static final class Bench {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final GatewayNode node;
    private final CardStatusStore store;
    private final String token;

    Bench(GatewayNode node, CardStatusStore store, String token) {
      this.node = node;
      this.store = store;
      this.token = token;
    }

    private HttpRequest.Builder request(String query) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.tapPort() + "/v1/hotlist" + query))
          .header("Authorization", "Bearer " + token);
    }

    /** The full list's bytes, as received (timed by the caller: nothing parsed). */
    byte[] fetch(boolean binary) throws Exception {
      HttpResponse<byte[]> response = http.send(request("").header("Accept", binary ? BINARY : "application/json").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("hotlist answered " + response.statusCode());
      }
      return response.body();
    }

    Fetched full(boolean binary) throws Exception {
      byte[] body = fetch(false);
      JsonObject list = new JsonObject(io.vertx.core.buffer.Buffer.buffer(body));
      return new Fetched(list.getString("version"), list.getInteger("count"), body.length);
    }

    JsonObject changes(String since) throws Exception {
      HttpResponse<String> response = http.send(request("?since=" + since).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body());
    }

    void conditional() throws Exception {
      String etag = http.send(request("").build(), HttpResponse.BodyHandlers.discarding()).headers().firstValue("ETag").orElseThrow();
      int rounds = 200;
      long started = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        int status = http.send(request("").header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 304) {
          throw new IllegalStateException("conditional request answered " + status);
        }
      }
      System.out.printf("  unchanged list, If-None-Match: 304 in %.2f ms on average (%d requests one after another)%n",
          (System.nanoTime() - started) / 1e6 / rounds, rounds);
    }

    /**
     * Blocks the cards as an operator would, 10,000 per transaction through a status store of the
     * benchmark's own: PostgreSQL and the change log, which is what the hotlist reads.
     */
    void block(List<Long> cards) {
      for (int i = 0; i < cards.size(); i += 10_000) {
        List<Long> chunk = cards.subList(i, Math.min(cards.size(), i + 10_000));
        long[] numbers = chunk.stream().mapToLong(Long::longValue).toArray();
        store.inTransaction(transaction -> transaction.connection()
            .preparedQuery("INSERT INTO card_blocks (card_no, reason, blocked_by) SELECT unnest($1::bigint[]), 'STOLEN', 'hotlist-benchmark' "
                + "ON CONFLICT (card_no) DO NOTHING")
            .execute(Tuple.of(chunk.toArray(Long[]::new)))
            .compose(done -> transaction.recompute(numbers, "OPERATOR_BLOCK"))).await();
      }
    }
  }
}
