package istanbul.hes.http;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static istanbul.hes.testing.TestNode.jsonWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.simulator.health.HesCodeRecord.Status;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.TcpProxy;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import istanbul.hes.testing.TestServers;
import istanbul.hes.violation.ViolationRecorder;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One node whose PostgreSQL goes away (a proxy in front of the shared server is cut): operator
 * and citizen writes are answered 503 DATABASE_UNAVAILABLE with Retry-After, nothing is changed,
 * the log gets one line per kind, and the same requests succeed once the database is back.
 */
class DatabaseOutageTest {
  private static final JsonObject STOLEN = new JsonObject().put("reason", "STOLEN");
  private static TcpProxy proxy;
  private static TestEnvironment environment;
  private static TestNode node;

  @BeforeAll
  static void start() {
    proxy = TcpProxy.startFor(TestServers.databaseUrl());
    // An interval far longer than the test: every line beyond the first of a kind would be a flood.
    environment = new TestEnvironment(Map.of("database.url", proxy.rewrite(TestServers.databaseUrl()),
        "node.failureLogIntervalSeconds", "600"));
    node = environment.startNode();
  }

  @AfterAll
  static void stop() {
    proxy.restore();
    environment.close();
    proxy.close();
  }

  @Test
  void writesDuringAnOutageAreAnswered503AndSucceedOnceTheDatabaseIsBack() {
    long blockCard = node.seeder().create(CardClass.OK);
    long blockedCard = node.seeder().create(CardClass.BLOCKED);
    long riskyCard = node.seeder().create(CardClass.RISKY);
    long anonymous = node.seeder().create(CardClass.ANONYMOUS);
    SeededPerson holder = node.seeder().person("Ahmet", "Yıldız", 1);
    String hesCode = Pii.register(environment.healthMinistry().issue(holder.documentNumber(), holder.firstName(),
        holder.lastName(), Status.RISKLESS, LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(30).atStartOfDay()).hesCode());
    String tckn = Pii.register(Tckn.fromFirstNine(512_345_678L).value());
    String phone = Pii.register("+905351234567");
    String token = node.citizenToken("TCKN:" + tckn);
    JsonObject challenge = challenge(token, phone);
    long otherCard = node.seeder().create(CardClass.OK);
    int from = LogCapture.lines().size();

    proxy.cut();

    for (int i = 0; i < 5; i++) {
      assertOutage(node.operator(HttpMethod.PUT, blockPath(blockCard), STOLEN));
    }
    assertOutage(node.operator(HttpMethod.DELETE, blockPath(blockedCard), null));
    assertOutage(node.operator(HttpMethod.GET, "/admin/v1/cards/" + CardNumber.format(blockCard), null));
    assertOutage(node.operator(HttpMethod.GET, "/admin/v1/violations/dead", null));
    assertOutage(node.operator(HttpMethod.POST, "/admin/v1/violations/dead/requeue", new JsonObject().put("all", true)));
    assertOutage(node.operator(HttpMethod.GET, "/admin/v1/consistency?mode=sample&cards=10", null));
    assertOutage(node.operator(HttpMethod.GET, "/admin/v1/consistency?mode=full", null));
    // The delta ingestion's state is the node's own: it is read without the database.
    HttpResponse<Buffer> deltas = node.operator(HttpMethod.GET, "/admin/v1/deltas", null);
    assertThat(deltas.statusCode()).as(deltas.bodyAsString()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertOutage(linkHes(holder, hesCode));
    }
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE)) {
      assertOutage(hesCode(method, holder, holder.card(), hesCode));
    }
    assertOutage(personalize(token, tckn, phone, anonymous, challenge));
    // The offline validators' hotlist is read from PostgreSQL on the tap listener.
    assertOutage(node.tapRequest(HttpMethod.GET, "/v1/hotlist",
        Map.of("Authorization", "Bearer " + environment.clusterToken()), null));
    // The map was not touched: the taps still see the cards as they were.
    assertThat(node.reason(blockCard)).isEqualTo("OK");
    assertThat(node.reason(blockedCard)).isEqualTo("CARD_BLOCKED");
    assertThat(node.reason(anonymous)).isEqualTo("NOT_PERSONALIZED");
    // A HES_RISK denial needs its record: refused as before, and its log line is throttled too.
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> tap = node.postTap(TestNode.tapBody(riskyCard).encode());
      assertThat(tap.statusCode()).as(tap.bodyAsString()).isEqualTo(503);
    }

    List<String> lines = LogCapture.lines().subList(from, LogCapture.lines().size());
    List<String> ours = lines.stream().filter(line -> line.contains(" istanbul.hes.")).toList();
    assertThat(ours).filteredOn(line -> line.contains(DependencyFailures.class.getName()) && line.contains("admin failed"))
        .hasSize(1);
    assertThat(ours).filteredOn(line -> line.contains(DependencyFailures.class.getName()) && line.contains("citizen failed"))
        .hasSize(1);
    assertThat(ours).filteredOn(line -> line.contains(DependencyFailures.class.getName()) && line.contains("tap failed"))
        .hasSize(1);
    assertThat(ours).filteredOn(line -> line.contains(ViolationRecorder.class.getName())).hasSizeLessThanOrEqualTo(1);
    assertThat(ours).noneMatch(line -> line.contains("unhandled failure") || line.contains("INTERNAL_ERROR")
        || line.contains("\tat "));
    assertThat(node.metrics()).containsPattern(
        "gateway_dependency_failures_total\\{[^}]*dependency=\"postgresql\"[^}]*operation=\"admin\"[^}]*} ([0-9.]+)");
    assertThat(node.metrics()).containsPattern(
        "gateway_dependency_failures_total\\{[^}]*dependency=\"postgresql\"[^}]*operation=\"tap\"[^}]*} 1\\.0");

    proxy.restore();

    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> node.operator(HttpMethod.PUT, blockPath(blockCard), STOLEN).statusCode() == 200);
    JsonObject blocked = node.operator(HttpMethod.GET, "/admin/v1/cards/" + CardNumber.format(blockCard), null).bodyAsJsonObject();
    assertThat(blocked.getJsonObject("database").getBoolean("blocked")).isTrue();
    assertThat(blocked.getJsonObject("map")).isEqualTo(blocked.getJsonObject("database"));
    assertThat(node.reason(blockCard)).isEqualTo("CARD_BLOCKED");

    HttpResponse<Buffer> unblocked = node.operator(HttpMethod.DELETE, blockPath(blockedCard), null);
    assertThat(unblocked.statusCode()).as(unblocked.bodyAsString()).isEqualTo(200);
    assertThat(unblocked.bodyAsJsonObject().getJsonObject("map")).isEqualTo(unblocked.bodyAsJsonObject().getJsonObject("database"));

    HttpResponse<Buffer> linked = linkHes(holder, hesCode);
    assertThat(linked.statusCode()).as(linked.bodyAsString()).isEqualTo(201);
    assertThat(node.reason(holder.card())).isEqualTo("OK");

    // The challenge the failed attempt answered is still good for this card, once.
    HttpResponse<Buffer> personalized = personalize(token, tckn, phone, anonymous, challenge);
    assertThat(personalized.statusCode()).as(personalized.bodyAsString()).isEqualTo(200);
    assertThat(personalized.bodyAsJsonObject().getBoolean("alreadyOwned")).isFalse();
    assertProblem(personalize(token, tckn, phone, anonymous, challenge), 422, "CHALLENGE_FAILED");
    assertProblem(personalize(token, tckn, phone, otherCard, challenge), 422, "CHALLENGE_FAILED");
    JsonObject owner = node.operator(HttpMethod.GET, "/admin/v1/cards/" + CardNumber.format(anonymous), null).bodyAsJsonObject();
    assertThat(owner.getJsonObject("database").getBoolean("personalized")).isTrue();
    assertThat(owner.getJsonObject("map")).isEqualTo(owner.getJsonObject("database"));
  }

  private static void assertOutage(HttpResponse<Buffer> response) {
    JsonObject problem = assertProblem(response, 503, "DATABASE_UNAVAILABLE");
    assertThat(response.getHeader("Retry-After")).isEqualTo(Integer.toString(Problems.OUTAGE_RETRY_AFTER_SECONDS));
    assertThat(problem.getString("detail")).contains("nothing was changed");
  }

  private static String blockPath(long card) {
    return "/admin/v1/cards/" + CardNumber.format(card) + "/block";
  }

  private static HttpResponse<Buffer> linkHes(SeededPerson holder, String hesCode) {
    return node.citizen(HttpMethod.POST, "/v1/cards/" + CardNumber.format(holder.card()) + "/hes-code",
        jsonWithToken(node.citizenToken(holder.subject())), new JsonObject().put("hesCode", hesCode).toBuffer());
  }

  private static HttpResponse<Buffer> hesCode(HttpMethod method, SeededPerson holder, long card, String hesCode) {
    return node.citizen(method, "/v1/cards/" + CardNumber.format(card) + "/hes-code",
        jsonWithToken(node.citizenToken(holder.subject())),
        method == HttpMethod.PUT ? new JsonObject().put("hesCode", hesCode).toBuffer() : null);
  }

  /** A challenge sent to {@code phone}: {"challengeId", "challengeCode"}. */
  private static JsonObject challenge(String token, String phone) {
    HttpResponse<Buffer> issued = node.citizen(HttpMethod.POST, "/v1/challenges", jsonWithToken(token),
        new JsonObject().put("phone", phone).toBuffer());
    assertThat(issued.statusCode()).as(issued.bodyAsString()).isEqualTo(201);
    String code = node.environment().lastCodeSentTo(phone);
    return new JsonObject().put("challengeId", issued.bodyAsJsonObject().getString("challengeId")).put("challengeCode", code);
  }

  private static HttpResponse<Buffer> personalize(String token, String tckn, String phone, long card, JsonObject challenge) {
    JsonObject body = new JsonObject()
        .put("tckn", tckn).put("firstName", "Şükrü").put("lastName", "Yılmaz").put("birthYear", 1985).put("phone", phone)
        .put("consents", new JsonObject().put("kvkkNotice", true).put("hesDataSharing", true))
        .mergeIn(challenge);
    return node.citizen(HttpMethod.PUT, "/v1/cards/" + CardNumber.format(card) + "/owner", jsonWithToken(token), body.toBuffer());
  }
}
