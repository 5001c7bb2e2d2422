package istanbul.hes.loadtest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * {@code bash loadtest/hotlist-benchmark.sh [--cards N] [--rounds R] [--sizes S1,S2]}: the hotlist at
 * 100,000 and at 1,000,000 denied cards (or the sizes given). Starts a demo node on N cards (default 1,300,000; a fresh population
 * under loadtest/target/hotlist-data), blocks anonymous cards picked at random until the list
 * holds each size, and measures over HTTP: a full list made from scratch (a change first, so
 * nothing is reused), time to its last byte and size, then the same list asked again; JSON and
 * binary in each round, the order rotating, after a warm-up round of both; every round and the
 * medians printed. Then a conditional request (304), and the changes since the previous version
 * after 1,000 more blocks, which must be exactly those cards. Any answer other than the expected
 * one (status, count, changes) ends the run with exit status 1.
 */
public final class HotlistBenchmark {
  private static final String BINARY = "application/vnd.hes.hotlist";

  private HotlistBenchmark() {}

  public static void main(String[] args) {
    BenchmarkMain.exit(() -> run(args));
  }

  private static boolean run(String[] args) throws Exception {
    long cards = 1_300_000;
    int rounds = 3;
    int[] sizes = {100_000, 1_000_000};
    Path dataDir = Path.of("loadtest", "target", "hotlist-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--sizes" -> sizes = java.util.Arrays.stream(args[i + 1].replace("_", "").split(",")).mapToInt(Integer::parseInt).toArray();
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException(
            "usage: hotlist-benchmark.sh [--cards N] [--rounds R] [--sizes S1,S2] [--data-dir DIR]");
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
      int needed = sizes[sizes.length - 1] + sizes.length * (2 * (rounds + 1) + 1_000);
      int used = 0;
      for (int target : sizes) {
        int listed = bench.full().count;
        int more = target - listed;
        if (more < 0 || used + more + 2 * (rounds + 1) + 1_000 > anonymous.size()) {
          throw new IllegalStateException("the population cannot make a list of " + target + " (it has " + listed + " denied cards and "
              + anonymous.size() + " anonymous ones; about " + needed + " are needed): raise --cards");
        }
        bench.block(anonymous.subList(used, used + more));
        used += more;
        int count = target;
        System.out.printf("%n%,d denied cards (%,d cards in the population); each run blocks one card first (a new version: the list is"
            + " made from scratch), then receives the full list, timed to its last byte, then asks for it again%n", target, cards);
        Rounds table = new Rounds("made and received ms", "asked again ms", "bytes", "bytes per card|%.2f");
        // Round 0 warms up (both forms, not kept); then both forms each round, the order rotating.
        for (int round = 0; round <= rounds; round++) {
          if (round == 1) {
            table.printHeader();
          }
          for (int k = 0; k < 2; k++) {
            boolean binary = (round + k) % 2 == 1;
            bench.block(anonymous.subList(used, used + 1));
            used++;
            count++;
            long started = System.nanoTime();
            byte[] list = bench.fetch(binary);
            double madeMillis = (System.nanoTime() - started) / 1e6;
            started = System.nanoTime();
            bench.fetch(binary);
            double againMillis = (System.nanoTime() - started) / 1e6;
            bench.check(list, binary, count);
            if (round == 0) {
              System.out.printf("warm-up (not kept), %s: %.0f ms, asked again %.0f ms%n", binary ? "binary" : "JSON", madeMillis, againMillis);
            } else {
              table.add(Integer.toString(round), binary ? "binary" : "JSON", madeMillis, againMillis, list.length,
                  list.length / (double) count);
            }
          }
        }
        table.printMedians();
        bench.conditional();
        String version = bench.full().version;
        List<Long> changed = anonymous.subList(used, used + 1_000);
        bench.block(changed);
        used += 1_000;
        long started = System.nanoTime();
        JsonObject changes = bench.changes(version);
        long changesMillis = (System.nanoTime() - started) / 1_000_000;
        List<Long> added = bench.checkChanges(changes, version, changed);
        System.out.printf("  changes since the previous version after 1,000 blocks: %d ms, %d added, 0 removed: exactly the 1,000 blocked"
            + " cards%n", changesMillis, added.size());
      }
      return true;
    } finally {
      probe.close();
      node.stop().await();
      environment.close();
    }
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

    /** The full list in JSON: its version and count. */
    Fetched full() throws Exception {
      byte[] body = fetch(false);
      JsonObject list = new JsonObject(Buffer.buffer(body));
      return new Fetched(list.getString("version"), list.getInteger("count"), body.length);
    }

    /**
     * Checks a full list received: JSON, a full list of {@code count} cards (each listed once,
     * ascending); binary, the format's magic. Throws when it is not.
     */
    void check(byte[] list, boolean binary, int count) {
      if (binary) {
        if (list.length < 4 || !new String(list, 0, 4, StandardCharsets.US_ASCII).equals("HESH")) {
          throw new IllegalStateException("the binary hotlist does not start with its magic");
        }
        return;
      }
      JsonObject json = new JsonObject(Buffer.buffer(list));
      JsonArray listed = json.getJsonArray("cards");
      if (!Boolean.TRUE.equals(json.getBoolean("full")) || listed == null || json.getInteger("count", -1) != count || listed.size() != count) {
        throw new IllegalStateException("the full list should hold " + count + " cards; it says full=" + json.getBoolean("full")
            + ", count=" + json.getInteger("count") + " and lists " + (listed == null ? "none" : listed.size()));
      }
    }

    JsonObject changes(String since) throws Exception {
      HttpResponse<String> response = http.send(request("?since=" + since).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the changes since " + since + " answered " + response.statusCode() + ": " + response.body());
      }
      return new JsonObject(response.body());
    }

    /**
     * The cards the changes add, checked to be the changes since {@code since} (not a full list in
     * their place) adding exactly {@code expected} and removing none; throws otherwise.
     */
    List<Long> checkChanges(JsonObject changes, String since, List<Long> expected) {
      JsonArray added = changes.getJsonArray("added");
      JsonArray removed = changes.getJsonArray("removed");
      if (!Boolean.FALSE.equals(changes.getBoolean("full")) || !since.equals(changes.getString("since")) || added == null
          || removed == null) {
        throw new IllegalStateException("not the changes since " + since + ": full=" + changes.getBoolean("full") + ", since="
            + changes.getString("since") + ", fields " + changes.fieldNames());
      }
      List<Long> cards = added.stream().map(String::valueOf).map(Long::parseLong).sorted().toList();
      List<Long> wanted = expected.stream().sorted().toList();
      if (!cards.equals(wanted) || !removed.isEmpty()) {
        long missing = wanted.stream().filter(card -> !cards.contains(card)).count();
        throw new IllegalStateException("the changes should add exactly the " + wanted.size() + " cards blocked and remove none; they add "
            + cards.size() + " (" + missing + " of the blocked ones missing) and remove " + removed.size());
      }
      return cards;
    }

    void conditional() throws Exception {
      HttpResponse<Void> first = http.send(request("").build(), HttpResponse.BodyHandlers.discarding());
      if (first.statusCode() != 200) {
        throw new IllegalStateException("hotlist answered " + first.statusCode());
      }
      String etag = first.headers().firstValue("ETag").orElseThrow(() -> new IllegalStateException("the hotlist has no ETag"));
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
