package istanbul.hes.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.cardstore.CardStatusUpdate;
import istanbul.hes.embedded.EmbeddedServers;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Nodes of one cluster (each its own map file and fan-out position, one PostgreSQL schema, one
 * Redis stream) agree: a change made through one is seen in the others' taps, a node that was
 * stopped catches up, a node whose position was trimmed away resyncs.
 */
class FanoutTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  /**
   * {@code count} new anonymous cards, versioned by another node of the cluster (the environment's
   * peer, 1,000 per transaction), so every running node learns of them through the stream.
   */
  static List<Long> newCards(TestEnvironment environment, int count) {
    long first = Long.parseLong(environment.column(
        "SELECT greatest(coalesce(max(card_no), 0) + 1, 4900000000000000) FROM cards").get(0));
    List<Long> cards = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cards.add(first + i);
    }
    environment.sql("INSERT INTO cards (card_no) SELECT generate_series(" + first + ", " + (first + count - 1) + ")");
    for (int i = 0; i < count; i += 1_000) {
      long[] chunk = cards.subList(i, Math.min(count, i + 1_000)).stream().mapToLong(Long::longValue).toArray();
      Await.result(environment.peer().commit(transaction -> transaction.recompute(chunk, "ISSUED")));
    }
    return cards;
  }

  /** Blocks the cards as another node of the cluster, {@code perTransaction} cards per committed transaction (one stream entry each). */
  static void blockAsPeer(TestEnvironment environment, List<Long> cards, int perTransaction) {
    for (int i = 0; i < cards.size(); i += perTransaction) {
      List<Long> chunk = cards.subList(i, Math.min(cards.size(), i + perTransaction));
      long[] numbers = chunk.stream().mapToLong(Long::longValue).toArray();
      FanoutPeer.Committed<List<CardStatusUpdate>> done = Await.result(environment.peer().commit(transaction -> transaction.connection()
          .preparedQuery("INSERT INTO card_blocks (card_no, reason, blocked_by) SELECT unnest($1::bigint[]), 'STOLEN', 'fan-out test' "
              + "ON CONFLICT (card_no) DO NOTHING")
          .execute(Tuple.of(chunk.toArray(Long[]::new)))
          .compose(inserted -> transaction.recompute(numbers, "OPERATOR_BLOCK"))));
      assertThat(done.updates()).hasSize(chunk.size());
    }
  }

  /** Blocks each card through {@code via}'s operator API: {@code via} commits and publishes. */
  static void blockThrough(TestNode via, List<Long> cards) {
    for (long card : cards) {
      HttpResponse<Buffer> answer = via.operator(HttpMethod.PUT, "/admin/v1/cards/" + CardNumber.format(card) + "/block",
          new JsonObject().put("reason", "STOLEN"));
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    }
  }

  static void awaitReason(TestNode node, long card, String reason) {
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(10)).until(() -> node.reason(card).equals(reason));
  }

  static void assertConsistent(TestNode node) {
    JsonObject report = node.consistency("full");
    assertThat(report.getLong("mismatches")).as("mismatches of %s: %s", node.node().config().node().id(), report).isZero();
    assertThat(report.getLong("extraInMap")).isZero();
  }

  static double metric(TestNode node, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*\\} (\\S+)$").matcher(node.metrics());
    double sum = 0;
    while (matcher.find()) {
      sum += Double.parseDouble(matcher.group(1));
    }
    return sum;
  }

  @Test
  void aChangeMadeThroughOneNodeIsSeenInTheOthersTaps() {
    try (TestEnvironment environment = new TestEnvironment()) {
      TestNode a = environment.startClusterNode("a");
      TestNode b = environment.startClusterNode("b");
      TestNode c = environment.startClusterNode("c");
      long card = newCards(environment, 1).get(0);
      awaitReason(b, card, "NOT_PERSONALIZED");
      awaitReason(c, card, "NOT_PERSONALIZED");

      blockThrough(a, List.of(card));
      awaitReason(b, card, "CARD_BLOCKED");
      awaitReason(c, card, "CARD_BLOCKED");
      // The other way round: a change made on c reaches a.
      HttpResponse<Buffer> unblocked = c.operator(HttpMethod.DELETE, "/admin/v1/cards/" + CardNumber.format(card) + "/block", null);
      assertThat(unblocked.statusCode()).as(unblocked.bodyAsString()).isEqualTo(200);
      awaitReason(a, card, "NOT_PERSONALIZED");
      assertThat(metric(b, "gateway_fanout_entries_applied_total")).isGreaterThanOrEqualTo(2);
      assertThat(metric(a, "gateway_fanout_connected")).isEqualTo(1);
    }
  }

  @Test
  void entriesOfAnotherInstallationSharingTheRedisAreIgnoredAndCounted() {
    try (TestEnvironment environment = new TestEnvironment()) {
      TestNode a = environment.startClusterNode("a");
      List<Long> cards = newCards(environment, 2);
      awaitReason(a, cards.get(1), "NOT_PERSONALIZED");
      // Another installation's node blocks "the same" card number in its own database.
      CardStatusUpdate foreign = new CardStatusUpdate(cards.get(0), CardStatus.MAX_PACKED_VERSION, false, true, false,
          CardStatus.NO_EXPIRY, false, CardStatus.NO_INDEX);
      Await.result(environment.peer().publishAsAnotherInstallation("00000000-0000-4000-8000-000000000000", List.of(foreign)));
      // Then a change of this installation, published after it: once a has applied it, a has read past the foreign entry.
      blockAsPeer(environment, List.of(cards.get(1)), 1);
      awaitReason(a, cards.get(1), "CARD_BLOCKED");

      assertThat(a.reason(cards.get(0))).isEqualTo("NOT_PERSONALIZED");
      assertThat(metric(a, "gateway_fanout_foreign_entries_total")).isEqualTo(1);
      assertConsistent(a);
    }
  }

  /**
   * Node b starts, learns of {@code count} new cards, and stops; then another node blocks them
   * all, {@code perTransaction} per transaction, while a follows. The cards, for b to catch up on
   * when it is back.
   */
  static List<Long> whileBIsAway(TestEnvironment environment, TestNode a, int count, int perTransaction) {
    TestNode b = environment.startClusterNode("b");
    List<Long> cards = newCards(environment, count);
    awaitReason(b, cards.get(count - 1), "NOT_PERSONALIZED");
    b.stop();
    blockAsPeer(environment, cards, perTransaction);
    awaitReason(a, cards.get(count - 1), "CARD_BLOCKED");
    return cards;
  }

  @Test
  void aNodeStoppedWhileTenThousandChangesHappenCatchesUpOnRestart() {
    try (TestEnvironment environment = new TestEnvironment(Map.of("cardStore.expectedCards", "30000"))) {
      TestNode a = environment.startClusterNode("a");
      List<Long> cards = whileBIsAway(environment, a, 10_000, 100);
      TestNode restarted = environment.startClusterNode("b");
      for (long card : List.of(cards.get(0), cards.get(4_321), cards.get(9_999))) {
        awaitReason(restarted, card, "CARD_BLOCKED");
      }
      assertConsistent(restarted);
      assertConsistent(a);
      assertThat(metric(restarted, "gateway_fanout_log_catch_ups_total")).as("no resync needed: the stream kept everything")
          .isZero();
    }
  }

  @Test
  void aNodeWhosePositionWasTrimmedAwayResyncsFromTheChangeLog() {
    try (TestEnvironment environment = new TestEnvironment(Map.of("fanout.streamMaxEntries", "10"))) {
      TestNode a = environment.startClusterNode("a");
      // 1,000 entries while b is away; the stream keeps only its last few hundred at most.
      List<Long> cards = whileBIsAway(environment, a, 1_000, 1);
      TestNode restarted = environment.startClusterNode("b");
      Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
          .until(() -> metric(restarted, "gateway_fanout_log_catch_ups_total") >= 1);
      assertThat(restarted.metrics()).contains("gateway_fanout_log_catch_ups_total{node=\"test-b\",reason=\"trimmed\"}");
      awaitReason(restarted, cards.get(999), "CARD_BLOCKED");
      assertConsistent(restarted);

      // And it follows the stream again afterwards.
      long later = newCards(environment, 1).get(0);
      blockThrough(a, List.of(later));
      awaitReason(restarted, later, "CARD_BLOCKED");
    }
  }

  @Test
  void redisStoppedForAWhileThenBackLeavesNoMismatch() throws Exception {
    java.nio.file.Path redisData = java.nio.file.Files.createTempDirectory("fanout-redis");
    EmbeddedServers.Redis redis = EmbeddedServers.startRedis(redisData, 0);
    int port = Integer.parseInt(redis.url().substring(redis.url().lastIndexOf(':') + 1));
    try (TestEnvironment environment = new TestEnvironment(Map.of("redis.url", redis.url(), "fanout.reconnectMillis", "50",
        "fanout.maxReconnectMillis", "200"))) {
      TestNode a = environment.startClusterNode("a");
      TestNode b = environment.startClusterNode("b");
      List<Long> cards = newCards(environment, 200);
      awaitReason(b, cards.get(199), "NOT_PERSONALIZED");

      redis.close();
      // Each block is a's own commit, which it cannot publish.
      blockThrough(a, cards.subList(0, 100));
      // Taps go on from b's map, unchanged; the writes went on in PostgreSQL.
      assertThat(b.reason(cards.get(0))).isEqualTo("NOT_PERSONALIZED");
      assertThat(environment.column("SELECT count(*) FROM cards WHERE blocked")).containsExactly("100");
      Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> metric(b, "gateway_fanout_connected") == 0);

      redis = EmbeddedServers.startRedis(redisData, port);
      Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> metric(b, "gateway_fanout_connected") == 1);
      for (long card : cards.subList(0, 100)) {
        awaitReason(b, card, "CARD_BLOCKED");
      }
      assertConsistent(b);
      assertConsistent(a);
      assertThat(metric(a, "gateway_fanout_publish_failures_total")).isGreaterThanOrEqualTo(10);
      // Redis came back empty: the stream b followed is gone, whether or not a new one was started meanwhile.
      assertThat(b.metrics()).contains("gateway_fanout_log_catch_ups_total{node=\"test-b\",reason=\"stream lost\"}")
          .doesNotContain("reason=\"trimmed\"");

      // Fan-out works again: a change after the outage arrives through the stream.
      blockThrough(a, cards.subList(100, 101));
      awaitReason(b, cards.get(100), "CARD_BLOCKED");
    } finally {
      redis.close();
    }
  }
}
