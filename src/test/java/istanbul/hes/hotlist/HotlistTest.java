package istanbul.hes.hotlist;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.fanout.FanoutPeer;
import istanbul.hes.tap.RuleMode;
import istanbul.hes.tap.RulePhases;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.SharedNode;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The offline validators' deny-list: full, as changes since a version, in both forms, conditional. */
class HotlistTest {
  /** The first stage: the HES rule enforced for personalized and anonymous cards. */
  private static final RulePhases ENFORCED = new RulePhases(new RulePhases.Modes(RuleMode.ENFORCE, RuleMode.ENFORCE));
  @RegisterExtension
  static final SharedNode SHARED = new SharedNode();

  private static HttpResponse<Buffer> get(String query, Map<String, String> extraHeaders) {
    Map<String, String> headers = new HashMap<>(extraHeaders);
    headers.put("Authorization", "Bearer " + SHARED.environment().clusterToken());
    return SHARED.node().tapRequest(HttpMethod.GET, "/v1/hotlist" + query, headers, null);
  }

  private static JsonObject json(String query) {
    HttpResponse<Buffer> response = get(query, Map.of());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    return response.bodyAsJsonObject();
  }

  /**
   * The full list once its version's cut holds every change this test made. A cut waits for every
   * older writing transaction of the database to end (other test classes' included), so a change
   * may reach the list some milliseconds after its commit.
   */
  private static JsonObject settled() {
    long newest = Long.parseLong(SHARED.environment().column("SELECT coalesce((SELECT txid FROM card_status_log ORDER BY txid DESC LIMIT 1)::text, '0')").get(0));
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> json(""), full -> HotlistVersion.parse(full.getString("version")).orElseThrow().logTransaction() >= newest);
  }

  private static List<Long> cards(JsonArray numbers) {
    return numbers.stream().map(String::valueOf).map(CardNumber::parse).toList();
  }

  private static void block(long card) {
    SHARED.node().commitAsPeer(transaction -> transaction.connection()
        .preparedQuery("INSERT INTO card_blocks (card_no, reason, blocked_by) VALUES ($1, 'STOLEN', 'test')").execute(Tuple.of(card))
        .compose(done -> transaction.recompute(new long[] {card}, "OPERATOR_BLOCK")));
  }

  private static void unblock(long card) {
    SHARED.node().commitAsPeer(transaction -> transaction.connection()
        .preparedQuery("DELETE FROM card_blocks WHERE card_no = $1").execute(Tuple.of(card))
        .compose(done -> transaction.recompute(new long[] {card}, "OPERATOR_UNBLOCK")));
  }

  @Test
  void theFullListHoldsTheCardsDeniedForAReasonOfTheirOwnAndTheBinaryFormTheSame() throws Exception {
    List<Long> each = SHARED.node().seeder().oneOfEach();
    JsonObject full = json("");
    assertThat(full.getBoolean("full")).isTrue();
    assertThat(full.getString("anonymousPolicy")).isEqualTo("DENY");
    List<Long> listed = cards(full.getJsonArray("cards"));
    assertThat(listed).isSorted().hasSize(full.getInteger("count"));
    for (CardClass kind : CardClass.values()) {
      long card = each.get(kind.ordinal());
      boolean denied = kind != CardClass.OK && kind != CardClass.ANONYMOUS;
      assertThat(listed.contains(card)).as("%s listed", kind).isEqualTo(denied);
    }

    HttpResponse<Buffer> binary = get("", Map.of("Accept", "application/vnd.hes.hotlist"));
    assertThat(binary.statusCode()).isEqualTo(200);
    assertThat(binary.getHeader("Content-Type")).isEqualTo("application/vnd.hes.hotlist");
    HotlistEncoding.Decoded decoded = HotlistEncoding.decode(binary.body().getBytes());
    assertThat(decoded.full()).isTrue();
    assertThat(decoded.anonymousAllowed()).isFalse();
    assertThat(decoded.version()).isEqualTo(full.getString("version"));
    assertThat(decoded.added()).containsExactly(listed.stream().mapToLong(Long::longValue).toArray());
    assertThat(binary.body().length()).isLessThan(Buffer.buffer(full.encode()).length());
  }

  @Test
  void anUnchangedListCostsA304AndAChangedOneComesAgain() {
    settled();
    HttpResponse<Buffer> first = get("", Map.of());
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"");
    HttpResponse<Buffer> again = get("", Map.of("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body() == null || again.body().length() == 0).isTrue();
    // The binary form has a tag of its own.
    assertThat(get("", Map.of("If-None-Match", etag, "Accept", "application/vnd.hes.hotlist")).statusCode()).isEqualTo(200);

    block(SHARED.node().seeder().create(CardClass.OK));
    settled();
    HttpResponse<Buffer> changed = get("", Map.of("If-None-Match", etag));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
  }

  @Test
  void theChangesSinceARecentVersionAreExactlyTheChanges() {
    long allowed = SHARED.node().seeder().create(CardClass.OK);
    long blocked = SHARED.node().seeder().create(CardClass.BLOCKED);
    long risky = SHARED.node().seeder().create(CardClass.RISKY);
    long anonymous = SHARED.node().seeder().create(CardClass.ANONYMOUS);
    String version = settled().getString("version");

    block(allowed); // now denied: added
    unblock(blocked); // now allowed: removed
    block(risky); // denied before and after: not a change of the list
    block(anonymous); // an anonymous card blocked: added
    settled();
    JsonObject changes = json("?since=" + version);
    assertThat(changes.getBoolean("full")).isFalse();
    assertThat(changes.getString("since")).isEqualTo(version);
    assertThat(cards(changes.getJsonArray("added"))).containsExactlyInAnyOrder(allowed, anonymous);
    assertThat(cards(changes.getJsonArray("removed"))).containsExactly(blocked);

    // Nothing since the newest version: empty lists, and the same version.
    JsonObject none = json("?since=" + changes.getString("version"));
    assertThat(none.getJsonArray("added")).isEmpty();
    assertThat(none.getJsonArray("removed")).isEmpty();
    assertThat(none.getString("version")).isEqualTo(changes.getString("version"));
  }

  /**
   * A card as the population loader writes it (no change-log row), then one logged change: a
   * population is loaded before lists are served, so every version served from here on holds it.
   */
  private static long bulkLoaded(CardClass kind) {
    long card = SHARED.node().seeder().bulkLoaded(kind);
    SHARED.node().seeder().create(CardClass.ANONYMOUS);
    return card;
  }

  /** The changes since {@code version}, checked against the difference of the full lists at both versions. */
  private static JsonObject changesMatchingTheFullLists(String version, List<Long> fullThen) {
    JsonObject fullNow = settled();
    JsonObject changes = json("?since=" + version);
    assertThat(changes.getBoolean("full")).isFalse();
    assertThat(fullNow.getString("version")).isEqualTo(changes.getString("version"));
    List<Long> now = cards(fullNow.getJsonArray("cards"));
    assertThat(cards(changes.getJsonArray("added"))).containsExactlyElementsOf(now.stream().filter(card -> !fullThen.contains(card)).toList());
    assertThat(cards(changes.getJsonArray("removed"))).containsExactlyElementsOf(fullThen.stream().filter(card -> !now.contains(card)).toList());
    return changes;
  }

  @Test
  void aBulkLoadedBlockedCardUnblockedIsRemoved() {
    long card = bulkLoaded(CardClass.BLOCKED);
    JsonObject before = settled();
    assertThat(cards(before.getJsonArray("cards"))).contains(card);

    SHARED.node().seeder().setBlocked(card, false);
    JsonObject changes = changesMatchingTheFullLists(before.getString("version"), cards(before.getJsonArray("cards")));
    assertThat(cards(changes.getJsonArray("removed"))).contains(card);
  }

  @Test
  void aBulkLoadedRiskyHolderTheMinistryClearsIsRemoved() {
    long card = bulkLoaded(CardClass.RISKY);
    JsonObject before = settled();
    assertThat(cards(before.getJsonArray("cards"))).contains(card);

    SHARED.node().seeder().setRisky(card, false);
    JsonObject changes = changesMatchingTheFullLists(before.getString("version"), cards(before.getJsonArray("cards")));
    assertThat(cards(changes.getJsonArray("removed"))).contains(card);
    assertThat(cards(json("").getJsonArray("cards"))).doesNotContain(card);
  }

  @Test
  void aBulkLoadedCardWithoutCodeWhoseHolderLinksOneIsRemoved() {
    long card = bulkLoaded(CardClass.NO_HES);
    JsonObject before = settled();
    assertThat(cards(before.getJsonArray("cards"))).contains(card);

    SHARED.node().seeder().linkHes(card, LocalDate.now(SHARED.node().node().config().tap().timeZone()).plusDays(30));
    JsonObject changes = changesMatchingTheFullLists(before.getString("version"), cards(before.getJsonArray("cards")));
    assertThat(cards(changes.getJsonArray("removed"))).contains(card);
  }

  @Test
  void aBulkLoadedCardListedBeforeAndAfterIsNoChange() {
    long card = bulkLoaded(CardClass.NO_HES);
    JsonObject before = settled();
    assertThat(cards(before.getJsonArray("cards"))).contains(card);

    SHARED.node().seeder().setBlocked(card, true); // no code, and now blocked too: listed all along
    JsonObject changes = changesMatchingTheFullLists(before.getString("version"), cards(before.getJsonArray("cards")));
    assertThat(cards(changes.getJsonArray("added"))).doesNotContain(card);
    assertThat(cards(changes.getJsonArray("removed"))).doesNotContain(card);
  }

  @Test
  void aListTakenWhileAnOlderTransactionRunsLeavesOutWhatCommittedAfterItsCut() {
    long held = SHARED.node().seeder().create(CardClass.OK);
    long late = SHARED.node().seeder().create(CardClass.OK);
    Promise<Void> release = Promise.promise();
    Promise<Void> holding = Promise.promise();
    Future<FanoutPeer.Committed<Object>> older = SHARED.environment().peer().commit(transaction -> transaction.connection()
        .preparedQuery("INSERT INTO card_blocks (card_no, reason, blocked_by) VALUES ($1, 'STOLEN', 'test')").execute(Tuple.of(held))
        .compose(done -> transaction.recompute(new long[] {held}, "OPERATOR_BLOCK"))
        .compose(done -> {
          holding.complete();
          return release.future();
        }).map(done -> null));
    Await.result(holding.future());
    block(late); // commits while the older transaction still runs

    JsonObject during = json(""); // not settled(): the older transaction holds the cut back until it ends
    List<Long> listedDuring = cards(during.getJsonArray("cards"));
    assertThat(listedDuring).as("a change after the cut is not in the list of the cut").doesNotContain(late, held);
    release.complete();
    Await.result(older);

    JsonObject changes = changesMatchingTheFullLists(during.getString("version"), listedDuring);
    assertThat(cards(changes.getJsonArray("added"))).contains(held, late);
  }

  @Test
  void aVersionOfTheEarlierFormGetsTheFullList() {
    String version = json("").getString("version");
    assertThat(version).startsWith("t");
    String day = version.substring(version.indexOf('-') + 1);
    JsonObject answer = json("?since=1-" + day);
    assertThat(answer.getBoolean("full")).isTrue();
  }

  @Test
  void a304CarriesTheVaryAndCacheControlOfThe200() {
    settled();
    for (Map<String, String> form : List.of(Map.<String, String>of(), Map.of("Accept", "application/vnd.hes.hotlist"))) {
      HttpResponse<Buffer> first = get("", form);
      assertThat(first.statusCode()).isEqualTo(200);
      Map<String, String> conditional = new HashMap<>(form);
      conditional.put("If-None-Match", first.getHeader("ETag"));
      HttpResponse<Buffer> again = get("", conditional);
      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.getHeader("Vary")).isEqualTo(first.getHeader("Vary")).isEqualTo("Accept");
      assertThat(again.getHeader("Cache-Control")).isEqualTo(first.getHeader("Cache-Control")).isEqualTo("no-cache");
      assertThat(again.getHeader("ETag")).isEqualTo(first.getHeader("ETag"));
    }
  }

  @Test
  void aCodeThatExpiresBetweenTwoVersionsJoinsTheListOnItsDayWithoutAnyChange() {
    long allowed = SHARED.node().seeder().create(CardClass.OK); // its HES code expires in 30 days
    settled();
    ZoneId istanbul = SHARED.node().node().config().tap().timeZone();
    // The hotlist's own source, on the environment's pool, at two clocks: no node runs a month ahead.
    Vertx vertx = SHARED.environment().vertx();
    HotlistSource today = new HotlistSource(vertx, SHARED.environment().pool(), istanbul, Clock.systemUTC(), ENFORCED);
    HotlistVersion version = Await.result(today.current());
    HotlistSource inAMonth = new HotlistSource(vertx, SHARED.environment().pool(), istanbul,
        Clock.offset(Clock.systemUTC(), Duration.ofDays(31)), ENFORCED);
    HotlistVersion later = Await.result(inAMonth.current());
    assertThat(later.logTransaction()).isEqualTo(version.logTransaction());

    Hotlist changes = Await.result(inAMonth.list(Optional.of(version), later).list);
    assertThat(changes.full()).isFalse();
    assertThat(changes.added()).contains(allowed);
    Hotlist full = Await.result(inAMonth.list(Optional.empty(), later).list);
    assertThat(full.added()).contains(allowed);
    assertThat(Await.result(today.list(Optional.empty(), version).list).added()).doesNotContain(allowed);
  }

  @Test
  void aVersionTheChangeLogDoesNotKnowOrFromAnotherDayGetsTheFullList() {
    String version = json("").getString("version");
    String day = version.substring(version.indexOf('-') + 1);
    assertThat(json("?since=t999999999999-" + day).getBoolean("full")).as("a version from another database").isTrue();
    String past = SHARED.environment().column("SELECT max(x) FROM generate_series(1, "
        + HotlistVersion.parse(version).orElseThrow().logTransaction() + ") x "
        + "WHERE NOT EXISTS (SELECT 1 FROM card_status_log WHERE txid = x::text::xid8)").get(0);
    assertThat(past).as("a transaction of the past that changed no card here").isNotNull();
    assertThat(json("?since=t" + past + "-" + day).getBoolean("full")).as("a transaction the change log does not hold").isTrue();
    assertThat(json("?since=t0-29991231").getBoolean("full")).as("a day to come").isTrue();
    assertThat(json("?since=" + version + "&unknown=1").getBoolean("full")).as("unknown parameters ignored").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"?since=", "?since=abc", "?since=12", "?since=12-2026112", "?since=12-202611211",
      "?since=%D9%A1%D9%A2-20261121", "?since=%EF%BC%91-20261121", "?since=1234567890123456789-20261121",
      "?since=12-20261399", "?since=-1-20261121", "?since=T12-20261121", "?since=tt12-20261121", "?since=t-20261121", "?since=1-20261121&since=2-20261121", "?since=1%2020261121"})
  void aBadVersionIsRefused(String query) {
    assertProblem(get(query, Map.of()), 400, "INVALID_VERSION");
  }

  @Test
  void anUnacceptableFormOrNoTokenIsRefused() {
    assertProblem(get("", Map.of("Accept", "text/html")), 406, "NOT_ACCEPTABLE");
    assertProblem(get("", Map.of("Accept", "application/vnd.hes.hotlist;q=0, text/html")), 406, "NOT_ACCEPTABLE");
    assertThat(get("", Map.of("Accept", "text/html, */*;q=0.1")).statusCode()).isEqualTo(200);
    assertProblem(SHARED.node().tapRequest(HttpMethod.GET, "/v1/hotlist", Map.of(), null), 401, "UNAUTHORIZED");
    assertProblem(SHARED.node().tapRequest(HttpMethod.GET, "/v1/hotlist", Map.of("Authorization", "Bearer nope"), null), 401, "UNAUTHORIZED");
  }
}
