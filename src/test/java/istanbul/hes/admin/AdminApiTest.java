package istanbul.hes.admin;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.MetricSamples;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** The operators' listener: block and unblock, metrics, health. */
class AdminApiTest {
  private static final JsonObject STOLEN = new JsonObject().put("reason", "STOLEN");

  @RegisterExtension
  static final SharedNode shared = new SharedNode();

  private static TestEnvironment environment;
  private static TestNode node;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
  }

  private static String blockPath(long card) {
    return "/admin/v1/cards/" + CardNumber.format(card) + "/block";
  }

  /** version, blocked and the latest change-log row of a card, from PostgreSQL. */
  private record Recorded(long version, boolean blocked, long loggedVersion, String loggedCause) {}

  private static Recorded recorded(long card) {
    Row row = Await.result(environment.pool().preparedQuery(
            "SELECT c.status_version, c.blocked, l.version, l.cause FROM cards c "
                + "LEFT JOIN LATERAL (SELECT version, cause FROM card_status_log WHERE card_no = c.card_no ORDER BY version DESC LIMIT 1) l ON true "
                + "WHERE c.card_no = $1")
        .execute(Tuple.of(card))).iterator().next();
    return new Recorded(row.getLong(0), row.getBoolean(1), row.getLong(2), row.getString(3));
  }

  private static JsonObject inMap(long card) {
    JsonObject status = node.describe(card).getJsonObject("map");
    assertThat(status).as("the node's map entry").isNotNull();
    return status;
  }

  @Test
  void blockingACardIsRecordedInPostgresAndDeniesItsTapsAtOnce() {
    long card = node.seeder().create(CardClass.OK);
    Recorded before = recorded(card);

    HttpResponse<Buffer> response = node.operator(HttpMethod.PUT, blockPath(card), STOLEN);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getJsonObject("database").getBoolean("blocked")).isTrue();
    assertThat(answer.getJsonObject("map").getBoolean("blocked")).isTrue();
    Recorded after = recorded(card);
    assertThat(after.blocked()).isTrue();
    assertThat(after.version()).isGreaterThan(before.version());
    assertThat(after.loggedVersion()).isEqualTo(after.version());
    assertThat(after.loggedCause()).isEqualTo("OPERATOR_BLOCK");
    assertThat(inMap(card).getLong("version")).isEqualTo(after.version());
    assertThat(node.reason(card)).isEqualTo("CARD_BLOCKED");
  }

  @Test
  void unblockingRestoresTheCardsDecision() {
    long card = node.seeder().create(CardClass.RISKY);
    assertThat(node.operator(HttpMethod.PUT, blockPath(card), STOLEN).statusCode()).isEqualTo(200);
    assertThat(node.reason(card)).isEqualTo("CARD_BLOCKED");
    long blockedVersion = recorded(card).version();

    HttpResponse<Buffer> response = node.operator(HttpMethod.DELETE, blockPath(card), null);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    Recorded after = recorded(card);
    assertThat(after.blocked()).isFalse();
    assertThat(after.version()).isGreaterThan(blockedVersion);
    assertThat(after.loggedCause()).isEqualTo("OPERATOR_UNBLOCK");
    assertThat(node.reason(card)).isEqualTo("HES_RISK");
  }

  @Test
  void blockingTwiceKeepsOneBlock() {
    long card = node.seeder().create(CardClass.OK);
    assertThat(node.operator(HttpMethod.PUT, blockPath(card), STOLEN).statusCode()).isEqualTo(200);
    long version = recorded(card).version();
    assertThat(node.operator(HttpMethod.PUT, blockPath(card), new JsonObject().put("reason", "LOST")).statusCode()).isEqualTo(200);
    assertThat(recorded(card).version()).as("no decision input changed").isEqualTo(version);
    assertThat(node.reason(card)).isEqualTo("CARD_BLOCKED");
  }

  @Test
  void aFailedPostgresWriteLeavesTheMapUntouched() {
    long card = node.seeder().create(CardClass.OK);
    String trigger = "reject_blocks_" + Long.toString(card % 1_000_000);
    environment.sql(
        "CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: writes refused'; END $$",
        "CREATE TRIGGER " + trigger + " BEFORE INSERT ON card_blocks FOR EACH ROW EXECUTE FUNCTION " + trigger + "()");
    try {
      assertProblem(node.operator(HttpMethod.PUT, blockPath(card), STOLEN), 500, "INTERNAL_ERROR");
    } finally {
      environment.sql("DROP TRIGGER " + trigger + " ON card_blocks", "DROP FUNCTION " + trigger + "()");
    }
    assertThat(recorded(card).blocked()).isFalse();
    assertThat(inMap(card).getBoolean("blocked")).isFalse();
    assertThat(node.reason(card)).isEqualTo("OK");
  }

  @Test
  void operatorActionsNeedTheOperatorToken() {
    long card = node.seeder().create(CardClass.OK);
    HttpResponse<Buffer> anonymous = node.admin(HttpMethod.PUT, blockPath(card), STOLEN, null);
    assertProblem(anonymous, 401, "UNAUTHORIZED");
    assertThat(anonymous.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertProblem(node.admin(HttpMethod.PUT, blockPath(card), STOLEN, environment.clusterToken()), 401, "UNAUTHORIZED");
    assertProblem(node.admin(HttpMethod.DELETE, blockPath(card), (Buffer) null, null), 401, "UNAUTHORIZED");
    assertProblem(node.admin(HttpMethod.GET, "/admin/v1/cards/" + CardNumber.format(card), (Buffer) null, null), 401, "UNAUTHORIZED");
    assertThat(recorded(card).blocked()).isFalse();
    assertThat(node.reason(card)).isEqualTo("OK");
  }

  @Test
  void anUnknownCardIsNotFound() {
    long unknown = CardSeeder.unusedCardNumber();
    assertProblem(node.operator(HttpMethod.PUT, blockPath(unknown), STOLEN), 404, "UNKNOWN_CARD");
    assertProblem(node.operator(HttpMethod.DELETE, blockPath(unknown), null), 404, "UNKNOWN_CARD");
  }

  @Test
  void badOperatorInputIsRefusedWithItsCode() {
    long card = node.seeder().create(CardClass.OK);
    assertProblem(node.operator(HttpMethod.PUT, blockPath(card), new JsonObject().put("reason", "stolen!")), 400, "INVALID_BLOCK_REASON");
    assertProblem(node.operator(HttpMethod.PUT, blockPath(card), new JsonObject()), 400, "INVALID_BLOCK_REASON");
    assertProblem(node.operator(HttpMethod.PUT, "/admin/v1/cards/4000-1234/block", STOLEN), 400, "INVALID_CARD");
    assertProblem(node.admin(HttpMethod.PUT, blockPath(card), (JsonObject) null, environment.operatorToken()), 400, "INVALID_BLOCK_REASON");
    assertProblem(node.admin(HttpMethod.PUT, blockPath(card), Buffer.buffer("{\"reason\":"), environment.operatorToken()), 400, "MALFORMED_JSON");
    assertProblem(node.admin(HttpMethod.PUT, blockPath(card), Buffer.buffer("[\"STOLEN\"]"), environment.operatorToken()), 400, "MALFORMED_JSON");
    assertThat(node.reason(card)).isEqualTo("OK");
  }

  @Test
  void aCardIsDescribedFromPostgresAndTheMap() {
    long card = node.seeder().create(CardClass.NO_HES);
    HttpResponse<Buffer> response = node.operator(HttpMethod.GET, "/admin/v1/cards/" + CardNumber.format(card), null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject answer = response.bodyAsJsonObject();
    assertThat(answer.getString("card")).isEqualTo(CardNumber.format(card));
    assertThat(answer.getJsonObject("database")).isEqualTo(answer.getJsonObject("map"));
    assertThat(answer.getJsonObject("database").getBoolean("personalized")).isTrue();
    assertThat(answer.getJsonObject("database").getBoolean("hesLinked")).isFalse();
  }

  // Metrics and health

  private static double sample(String scrape, String metric, String... labels) {
    return MetricSamples.value(scrape, metric, labels);
  }

  @Test
  void tapsAreCountedByDecisionAndReason() {
    long ok = node.seeder().create(CardClass.OK);
    String before = node.metrics();
    double allowed = sample(before, "gateway_taps_total", "decision=\"ALLOW\"", "reason=\"OK\"");
    double unknown = sample(before, "gateway_taps_total", "decision=\"DENY\"", "reason=\"UNKNOWN_CARD\"");
    double okTimes = sample(before, "gateway_tap_seconds_count", "decision=\"ALLOW\"", "reason=\"OK\"");
    double unknownTimes = sample(before, "gateway_tap_seconds_count", "decision=\"DENY\"", "reason=\"UNKNOWN_CARD\"");

    for (int i = 0; i < 3; i++) {
      node.reason(ok);
    }
    node.reason(CardSeeder.unusedCardNumber());
    node.reason(CardSeeder.unusedCardNumber());

    String after = node.metrics();
    assertThat(sample(after, "gateway_taps_total", "decision=\"ALLOW\"", "reason=\"OK\"")).isEqualTo(allowed + 3);
    assertThat(sample(after, "gateway_taps_total", "decision=\"DENY\"", "reason=\"UNKNOWN_CARD\"")).isEqualTo(unknown + 2);
    // The time of each tap is counted with its kind of answer.
    assertThat(sample(after, "gateway_tap_seconds_count", "decision=\"ALLOW\"", "reason=\"OK\"")).isEqualTo(okTimes + 3);
    assertThat(sample(after, "gateway_tap_seconds_count", "decision=\"DENY\"", "reason=\"UNKNOWN_CARD\"")).isEqualTo(unknownTimes + 2);
  }

  @Test
  void theScrapeHoldsLatencyMapJvmAndVertxMetrics() {
    List<Long> cards = node.seeder().create(List.of(CardClass.OK, CardClass.BLOCKED));
    node.reason(cards.get(0));
    String scrape = node.metrics();

    assertThat(scrape).contains("gateway_tap_seconds_bucket{", "jvm_memory_used_bytes{", "\nvertx_");
    assertThat(sample(scrape, "gateway_tap_seconds_bucket", "decision=\"ALLOW\"", "reason=\"OK\"", "le=\"+Inf\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sample(scrape, "gateway_card_map_entries")).isGreaterThanOrEqualTo(2);
    assertThat(sample(scrape, "gateway_card_map_load_seconds", "mode=\"REBUILT\"")).isGreaterThan(0);
    assertThat(sample(scrape, "gateway_card_map_ready")).isEqualTo(1);
    for (String reason : new String[] {"OK", "HES_RISK", "NO_HES_CODE", "HES_EXPIRED", "NOT_PERSONALIZED", "CARD_BLOCKED", "UNKNOWN_CARD"}) {
      assertThat(scrape).contains("reason=\"" + reason + "\"");
    }
  }

  @Test
  void liveAndReadyAnswerOnceTheMapIsLoaded() {
    HttpResponse<Buffer> live = node.admin(HttpMethod.GET, "/health/live", (Buffer) null, null);
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    HttpResponse<Buffer> ready = node.admin(HttpMethod.GET, "/health/ready", (Buffer) null, null);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject checks = ready.bodyAsJsonObject().getJsonObject("checks");
    assertThat(checks.getJsonObject("cardMap").getString("status")).isEqualTo("UP");
    assertThat(checks.getJsonObject("cardMap").getJsonObject("load").getString("mode")).isEqualTo("REBUILT");
    assertThat(checks.getJsonObject("postgres").getString("status")).isEqualTo("UP");
    assertThat(checks.getJsonObject("redis").getString("status")).isEqualTo("UP");
  }

  @Test
  void unknownAdminPathsAreProblems() {
    assertProblem(node.admin(HttpMethod.GET, "/nothing", (Buffer) null, null), 404, "NOT_FOUND");
    assertProblem(node.admin(HttpMethod.POST, "/metrics", (Buffer) null, null), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void noIdentityNumberIsEverLogged() {
    List<Long> cards = new ArrayList<>(node.seeder().oneOfEach());
    for (long card : cards) {
      node.reason(card);
      node.operator(HttpMethod.GET, "/admin/v1/cards/" + CardNumber.format(card), null);
    }
    node.operator(HttpMethod.PUT, blockPath(cards.get(0)), STOLEN);
    // The capture must see lines at all, or the check below proves nothing.
    LoggerFactory.getLogger(AdminApiTest.class).info("log capture probe {}", cards.size());
    assertThat(LogCapture.lines()).anyMatch(line -> line.contains("log capture probe " + cards.size()));
    assertThat(Pii.registered()).isGreaterThanOrEqualTo(5);

    assertThat(Pii.leakedLines()).isEmpty();
  }
}
