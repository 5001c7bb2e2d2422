package istanbul.hes.phases;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.MetricSamples;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rule's phases switched at runtime: a switch on one node changes the taps on another within
 * a second; MONITOR allows and counts exactly what ENFORCE denies, and reports no violation; OFF
 * lifts the rule but not blocks; every switch is audited; a node started later reads it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RulePhasesTest {
  private static TestEnvironment environment;
  private static TestNode a;
  private static TestNode b;
  private static final Map<CardClass, Long> cards = new EnumMap<>(CardClass.class);

  @BeforeAll
  static void twoNodes() {
    environment = new TestEnvironment();
    environment.migrate();
    List<Long> seeded = environment.offlineSeeder().oneOfEach();
    for (CardClass kind : CardClass.values()) {
      cards.put(kind, seeded.get(kind.ordinal()));
    }
    a = environment.startClusterNode("a");
    b = environment.startClusterNode("b");
  }

  @AfterAll
  static void dropEverything() {
    environment.close();
  }

  private static HttpResponse<Buffer> switchPhase(TestNode node, String kind, JsonObject body) {
    return node.operator(HttpMethod.PUT, "/admin/v1/rule-phases/" + kind, body);
  }

  private static JsonObject phase(String mode, String why) {
    return new JsonObject().put("mode", mode).put("changedBy", "ops.ayse").put("why", why);
  }

  /** A tap made now (an online validator's). */
  private static JsonObject tap(TestNode node, long card) {
    return tapAt(node, card, java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
  }

  private static JsonObject tapAt(TestNode node, long card, String at) {
    HttpResponse<Buffer> answer = node.postTap(TestNode.tapBody(card).put("at", at).encode());
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject();
  }

  private static long violationsOf(long card) {
    return Long.parseLong(environment.column("SELECT coalesce(sum(taps), 0) FROM violation_outbox WHERE card_no = " + card).get(0));
  }

  private static double taps(TestNode node, String decision, String reason, String mode) {
    return MetricSamples.value(node.metrics(), "gateway_taps_total", "decision=\"" + decision + "\"", "reason=\"" + reason + "\"",
        "mode=\"" + mode + "\"");
  }

  @Test
  @Order(1)
  void theInitialPhasesAreTheConfigurationsAndEnforced() {
    JsonObject phases = a.operator(HttpMethod.GET, "/admin/v1/rule-phases", null).bodyAsJsonObject();
    assertThat(phases.getJsonObject("personalized").getString("mode")).isEqualTo("ENFORCE");
    assertThat(phases.getJsonObject("anonymous").getString("mode")).isEqualTo("ENFORCE");
    assertThat(phases.getJsonObject("personalized").getString("changedBy")).isEqualTo("configuration");
    assertThat(tap(b, cards.get(CardClass.RISKY)).getMap()).doesNotContainKey("mode").containsEntry("decision", "DENY");
    JsonObject list = hotlist(a, null);
    enforcedVersion = list.getString("version");
    assertThat(enforcedVersion).matches("t[0-9]+-[0-9]{8}");
    assertThat(list.getJsonArray("cards").getList()).contains(cardNumber(CardClass.RISKY), cardNumber(CardClass.NO_HES),
        cardNumber(CardClass.EXPIRED), cardNumber(CardClass.BLOCKED)).doesNotContain(cardNumber(CardClass.OK));
  }

  @Test
  @Order(2)
  void monitorOnOneNodeReachesTheOtherWithinASecondAndAllowsExactlyWhatEnforceDenies() {
    List<CardClass> ruled = List.of(CardClass.RISKY, CardClass.NO_HES, CardClass.EXPIRED, CardClass.OK, CardClass.BLOCKED);
    Map<String, Double> deniedBefore = new java.util.HashMap<>();
    for (CardClass kind : ruled) {
      if (kind != CardClass.OK) {
        deniedBefore.put(kind.reason(), taps(b, "DENY", kind.reason(), "ENFORCE"));
      }
      tap(b, cards.get(kind));
    }
    long riskyReports = violationsOf(cards.get(CardClass.RISKY));
    assertThat(riskyReports).isGreaterThanOrEqualTo(1);
    for (CardClass kind : List.of(CardClass.RISKY, CardClass.NO_HES, CardClass.EXPIRED)) {
      assertThat(taps(b, "DENY", kind.reason(), "ENFORCE") - deniedBefore.get(kind.reason())).as(kind.name()).isEqualTo(1.0);
    }

    HttpResponse<Buffer> switched = switchPhase(a, "personalized", phase("MONITOR", "dry run before the first stage"));
    assertThat(switched.statusCode()).as(switched.bodyAsString()).isEqualTo(200);
    assertThat(switched.bodyAsJsonObject().getJsonObject("personalized").getString("mode")).isEqualTo("MONITOR");
    long switchedAt = System.nanoTime();
    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> "MONITOR".equals(tap(b, cards.get(CardClass.NO_HES)).getString("mode")));
    long reachedMillis = (System.nanoTime() - switchedAt) / 1_000_000;
    assertThat(reachedMillis).as("node b follows node a's switch").isLessThan(1_000);

    Map<String, Double> monitoredBefore = new java.util.HashMap<>();
    for (CardClass kind : List.of(CardClass.RISKY, CardClass.NO_HES, CardClass.EXPIRED)) {
      monitoredBefore.put(kind.reason(), taps(b, "ALLOW", kind.reason(), "MONITOR"));
    }
    for (CardClass kind : ruled) {
      JsonObject answer = tap(b, cards.get(kind));
      if (kind == CardClass.BLOCKED) {
        assertThat(answer.getMap()).containsEntry("decision", "DENY").containsEntry("reason", "CARD_BLOCKED").doesNotContainKey("mode");
      } else if (kind == CardClass.OK) {
        assertThat(answer.getMap()).containsEntry("decision", "ALLOW").containsEntry("reason", "OK").doesNotContainKey("mode");
      } else {
        assertThat(answer.getMap()).containsEntry("decision", "ALLOW").containsEntry("reason", kind.reason()).containsEntry("mode", "MONITOR");
      }
    }
    // Counted as what ENFORCE would deny: one each, as the one denial each before.
    for (CardClass kind : List.of(CardClass.RISKY, CardClass.NO_HES, CardClass.EXPIRED)) {
      assertThat(taps(b, "ALLOW", kind.reason(), "MONITOR") - monitoredBefore.get(kind.reason())).as(kind.name()).isEqualTo(1.0);
      // (ENFORCE denied each of these cards once, above: MONITOR counts the same one tap each)
    }
    // No report to the Ministry of Interior for a monitored risk: it was not a denial.
    assertThat(violationsOf(cards.get(CardClass.RISKY))).isEqualTo(riskyReports);
    // Anonymous cards follow their own phase: still enforced.
    assertThat(tap(b, cards.get(CardClass.ANONYMOUS)).getMap()).containsEntry("decision", "DENY").containsEntry("reason", "NOT_PERSONALIZED");

    // A tap an offline validator made before the switch, uploaded now, is judged under ENFORCE,
    // as its validator judged it: a denial, and reported.
    long reportsBefore = violationsOf(cards.get(CardClass.RISKY));
    assertThat(tapAt(b, cards.get(CardClass.RISKY), "2026-01-15T08:00:00Z").getMap())
        .containsEntry("decision", "DENY").containsEntry("reason", "HES_RISK").doesNotContainKey("mode");
    assertThat(violationsOf(cards.get(CardClass.RISKY))).isEqualTo(reportsBefore + 1);

    // Offline validators follow too: their list holds only blocked cards now, and a list of the
    // enforced phase is answered in full, not as changes.
    JsonObject list = hotlist(b, enforcedVersion);
    assertThat(list.getString("version")).endsWith("-p");
    assertThat(list.getBoolean("full")).isTrue();
    assertThat(list.getJsonArray("cards").getList()).containsExactly(cardNumber(CardClass.BLOCKED));
    assertThat(list.getString("anonymousPolicy")).isEqualTo("DENY");
  }

  private static String enforcedVersion;

  private static String cardNumber(CardClass kind) {
    return istanbul.hes.cardstore.CardNumber.format(cards.get(kind));
  }

  /** The offline validators' list (JSON), the changes since {@code since} when given. */
  private static JsonObject hotlist(TestNode node, String since) {
    HttpResponse<Buffer> answer = node.tapRequest(HttpMethod.GET, "/v1/hotlist" + (since == null ? "" : "?since=" + since),
        TestNode.jsonWithToken(environment.clusterToken()), null);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject();
  }

  @Test
  @Order(3)
  void offLiftsTheRuleButNotBlocksAndEverySwitchIsAudited() {
    assertThat(switchPhase(b, "anonymous", phase("OFF", "anonymous cards ride again")).statusCode()).isEqualTo(200);
    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> "OFF".equals(tap(a, cards.get(CardClass.ANONYMOUS)).getString("mode")));
    assertThat(tap(a, cards.get(CardClass.ANONYMOUS)).getMap()).containsEntry("decision", "ALLOW").containsEntry("reason", "OK");
    assertThat(tap(a, cards.get(CardClass.BLOCKED)).getMap()).containsEntry("decision", "DENY");
    JsonObject list = hotlist(a, null);
    assertThat(list.getString("version")).endsWith("-pa");
    assertThat(list.getString("anonymousPolicy")).isEqualTo("ALLOW");

    assertThat(environment.column("SELECT card_kind || ' ' || previous_mode || '>' || mode || ' ' || changed_by || ' ' || why "
        + "FROM rule_phase_changes ORDER BY id")).containsExactly(
        "PERSONALIZED ENFORCE>MONITOR ops.ayse dry run before the first stage",
        "ANONYMOUS ENFORCE>OFF ops.ayse anonymous cards ride again");
    JsonObject phases = b.operator(HttpMethod.GET, "/admin/v1/rule-phases", null).bodyAsJsonObject();
    assertThat(phases.getJsonObject("anonymous").getMap()).containsEntry("mode", "OFF").containsEntry("changedBy", "ops.ayse");
    assertThat(phases.getJsonObject("anonymous").getString("changedAt")).isNotBlank();
  }

  @Test
  @Order(4)
  void aNodeStartedLaterReadsThePhasesFromPostgres() {
    TestNode c = environment.startClusterNode("c");
    assertThat(tap(c, cards.get(CardClass.RISKY)).getMap()).containsEntry("mode", "MONITOR");
    assertThat(tap(c, cards.get(CardClass.ANONYMOUS)).getMap()).containsEntry("mode", "OFF");
    c.stop();
    // Back to the first stage: a tap made under MONITOR and uploaded afterwards stays allowed, and
    // is not reported (the rider was let through).
    // Made while MONITOR was on (switched seconds before), a moment before the switch back.
    String underMonitor = java.time.Instant.now().minusMillis(50).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    assertThat(switchPhase(a, "personalized", phase("ENFORCE", "first stage")).statusCode()).isEqualTo(200);
    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> "DENY".equals(tap(b, cards.get(CardClass.NO_HES)).getString("decision")));
    long reportsBefore = violationsOf(cards.get(CardClass.RISKY));
    assertThat(tapAt(b, cards.get(CardClass.RISKY), underMonitor).getMap()).containsEntry("mode", "MONITOR");
    assertThat(violationsOf(cards.get(CardClass.RISKY))).isEqualTo(reportsBefore);
    assertThat(switchPhase(a, "anonymous", phase("ENFORCE", "first stage")).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"mode\":\"SOMETIMES\",\"changedBy\":\"ops\",\"why\":\"x\"}", "{\"mode\":\"OFF\",\"why\":\"x\"}",
      "{\"mode\":\"OFF\",\"changedBy\":\"ops\"}", "{\"mode\":\"OFF\",\"changedBy\":\"ops\",\"why\":\"   \"}",
      "{\"mode\":\"OFF\",\"changedBy\":\"Ayşe Yılmaz\",\"why\":\"x\"}", "{\"mode\":\"off\",\"changedBy\":\"ops\",\"why\":\"x\"}",
      "{\"mode\":1,\"changedBy\":\"ops\",\"why\":\"x\"}"})
  void aBadSwitchIsRefusedAndChangesNothing(String body) {
    String before = a.operator(HttpMethod.GET, "/admin/v1/rule-phases", null).bodyAsString();
    assertProblem(a.admin(HttpMethod.PUT, "/admin/v1/rule-phases/personalized", Buffer.buffer(body), environment.operatorToken()),
        400, "INVALID_REQUEST");
    assertThat(a.operator(HttpMethod.GET, "/admin/v1/rule-phases", null).bodyAsString()).isEqualTo(before);
  }

  @Test
  void anUnknownKindMalformedJsonAndNoTokenAreRefused() {
    assertProblem(switchPhase(a, "students", phase("OFF", "x")), 404, "NOT_FOUND");
    assertProblem(a.admin(HttpMethod.PUT, "/admin/v1/rule-phases/personalized", Buffer.buffer("{\"mode\":"), environment.operatorToken()),
        400, "MALFORMED_JSON");
    assertThat(a.admin(HttpMethod.PUT, "/admin/v1/rule-phases/personalized", phase("OFF", "x"), null).statusCode()).isEqualTo(401);
  }
}
