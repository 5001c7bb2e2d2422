package istanbul.hes.violation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.simulator.Faults;
import istanbul.hes.simulator.interior.InteriorMinistrySimulator;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The outbox delivered to the simulated Ministry of Interior, through its faults. */
class ViolationDeliveryTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static Vertx vertx;
  private static InteriorMinistrySimulator ministry;
  private static TestEnvironment environment;
  private static TestNode node;

  @BeforeAll
  static void startNode() {
    vertx = Vertx.vertx();
    ministry = new InteriorMinistrySimulator("127.0.0.1", 0, "municipality", "secret");
    Await.result(vertx.deployVerticle(ministry));
    environment = new TestEnvironment(Map.of("ministryInterior.baseUrl", ministry.baseUrl(), "ministryInterior.username", "municipality",
        "ministryInterior.password", "secret", "ministryInterior.pollMillis", "50", "ministryInterior.batchSize", "7",
        "ministryInterior.backoffBaseMillis", "20", "ministryInterior.backoffCapMillis", "200", "ministryInterior.maxAttempts", "40",
        "ministryInterior.timeoutMillis", "1000", "ministryInterior.breakerResetMillis", "200"));
    node = environment.startNode();
  }

  @AfterAll
  static void stopNode() {
    environment.close();
    Await.result(vertx.close());
  }

  @AfterEach
  void heal() {
    ministry.clearFaults();
    ministry.acceptOnly(1.0);
  }

  private static List<Long> deniedCards(int count) {
    List<Long> cards = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long card = node.seeder().create(CardClass.RISKY);
      assertThat(node.reason(card)).isEqualTo("HES_RISK");
      cards.add(card);
    }
    return cards;
  }

  private static List<String> states(List<Long> cards) {
    return environment.column("SELECT state FROM violation_outbox WHERE card_no IN (" + inList(cards) + ")");
  }

  private static List<String> ids(List<Long> cards) {
    return environment.column("SELECT id::text FROM violation_outbox WHERE card_no IN (" + inList(cards) + ")");
  }

  @Test
  void everyDenialIsDeliveredOnceWithTheHoldersIdentityAndCode() {
    List<Long> cards = deniedCards(20);
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(50))
        .until(() -> states(cards).stream().allMatch("DELIVERED"::equals));
    for (String id : ids(cards)) {
      InteriorMinistrySimulator.Received received = ministry.received(id).orElseThrow();
      assertThat(received.times()).isEqualTo(1);
      JsonObject violation = received.violation();
      assertThat(violation.getString("identity")).matches("[1-9][0-9]{10}");
      assertThat(violation.getString("hesCode")).matches("[A-Z0-9]{10}");
      assertThat(violation.getString("reason")).isEqualTo("HES_RISK");
      assertThat(violation.getString("validator")).isEqualTo(TestNode.VALIDATOR);
      assertThat(cards).contains(CardNumber.parse(violation.getString("card")));
    }
    assertThat(node.metrics()).contains("gateway_violations_delivered_total", "gateway_violation_outbox_depth");
  }

  @Test
  void theMinistryDownForAWhileThenBackGetsEveryReportOnce() {
    failForAWhileThenHeal(Faults.goDown());
  }

  @Test
  void connectionsResetForAWhileThenHealedGetEveryReportOnce() {
    failForAWhileThenHeal(Faults.resetConnections());
  }

  /** Every report tried at least three times under {@code faults}, none delivered; then healed: each delivered once. */
  private static void failForAWhileThenHeal(Faults faults) {
    ministry.faults(faults);
    List<Long> cards = deniedCards(15);
    awaitAttempts(cards, 3);
    assertThat(states(cards)).doesNotContain("DELIVERED");
    ministry.clearFaults();
    assertEndedDeliveredOnceByIdOrDead(cards, false);
    assertThat(states(cards)).containsOnly("DELIVERED");
  }

  @Test
  void halfOfTheCallsFailingWith5xxStillGetEveryReportOnce() {
    ministry.faults(Faults.error5xx(503, 0.5, -1));
    List<Long> cards = deniedCards(30);
    assertEndedDeliveredOnceByIdOrDead(cards, false);
  }

  @Test
  void partialAcceptanceGetsEveryReportOnce() {
    ministry.acceptOnly(0.5);
    List<Long> cards = deniedCards(30);
    assertEndedDeliveredOnceByIdOrDead(cards, false);
    assertThat(states(cards)).containsOnly("DELIVERED");
  }

  @Test
  void tenSecondsOfLatencyTimeCallsOutAndTheLateOnesArriveUnderTheSameIds() {
    // The node gives up after 1 s; the ministry still stores what it takes 10 s to answer, so
    // the same report reaches it more than once: always under its one id.
    ministry.faults(Faults.slow(10_000));
    long before = ministry.requestCount();
    List<Long> cards = deniedCards(10);
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> ministry.requestCount() >= before + 2);
    ministry.clearFaults();
    assertEndedDeliveredOnceByIdOrDead(cards, true);
    assertThat(states(cards)).containsOnly("DELIVERED");
    // The calls the node gave up on land at the ministry 10 s after they were sent.
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100))
        .until(() -> ids(cards).stream().anyMatch(id -> ministry.received(id).map(r -> r.times() > 1).orElse(false)));
    assertEndedDeliveredOnceByIdOrDead(cards, true);
  }

  @Test
  void throughFailuresAndPartialAcceptanceEveryReportEndsDeliveredUnderItsOwnIdOrDeadAtTheLimit() {
    ministry.faults(Faults.error5xx(503, 0.5, -1));
    ministry.acceptOnly(0.5);
    List<Long> cards = deniedCards(30);
    // Each attempt succeeds with probability 1/4 here: every report ends delivered, or dead after 40 attempts.
    assertEndedDeliveredOnceByIdOrDead(cards, false);
    assertThat(states(cards).stream().filter("DELIVERED"::equals).count()).isGreaterThanOrEqualTo(28);
  }

  /** Waits until every report of these cards has been tried at least {@code attempts} times. */
  private static void awaitAttempts(List<Long> cards, int attempts) {
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
        .until(() -> environment.column("SELECT min(attempts) FROM violation_outbox WHERE card_no IN (" + inList(cards) + ")"),
            min -> min.get(0) != null && Integer.parseInt(min.get(0)) >= attempts);
  }

  /**
   * The acceptance rule: each card's one report ends DELIVERED (and is at the receiver under its
   * id, stored once; received again only when {@code repeatsPossible}) or DEAD at exactly the
   * attempt limit; the receiver holds exactly one id per report, the outbox's.
   */
  private static void assertEndedDeliveredOnceByIdOrDead(List<Long> cards, boolean repeatsPossible) {
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(50))
        .until(() -> states(cards).stream().allMatch(state -> state.equals("DELIVERED") || state.equals("DEAD")));
    List<String> rows = environment.column("SELECT id || ' ' || card_no || ' ' || state || ' ' || attempts FROM violation_outbox "
        + "WHERE card_no IN (" + inList(cards) + ")");
    assertThat(rows).as("one report per denied card").hasSize(cards.size());
    Map<String, List<String>> receivedIdsByCard = ministry.received().values().stream()
        .filter(received -> cards.contains(CardNumber.parse(received.violation().getString("card"))))
        .collect(Collectors.groupingBy(received -> String.valueOf(CardNumber.parse(received.violation().getString("card"))),
            Collectors.mapping(received -> received.violation().getString("id"), Collectors.toList())));
    for (String row : rows) {
      String[] fields = row.split(" ");
      String id = fields[0];
      String card = fields[1];
      if (fields[2].equals("DELIVERED")) {
        assertThat(receivedIdsByCard.get(card)).as("ids the receiver holds for card %s", card).containsExactly(id);
        if (!repeatsPossible) {
          assertThat(ministry.received(id).orElseThrow().times()).as("times %s was received", id).isEqualTo(1);
        }
      } else {
        assertThat(fields[3]).as("attempts of dead report %s", id).isEqualTo("40");
        assertThat(receivedIdsByCard.getOrDefault(card, List.of())).as("ids the receiver holds for card %s", card)
            .isSubsetOf(List.of(id));
      }
    }
  }

  private static String inList(List<Long> cards) {
    return cards.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  @Test
  void aReportTheMinistryNeverTakesIsDeadLetteredListedAndCanBeSentAgain() {
    ministry.faults(Faults.resetConnections());
    List<Long> cards = deniedCards(1);
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> states(cards).equals(List.of("DEAD")));
    assertThat(node.metrics()).containsPattern("gateway_violations_dead_lettered_total\\{[^}]*\\} [1-9]");
    HttpResponse<Buffer> listed = node.operator(HttpMethod.GET, "/admin/v1/violations/dead", null);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.bodyAsString()).contains(ids(cards).get(0)).doesNotContain(CardNumber.format(cards.get(0)));

    ministry.clearFaults();
    HttpResponse<Buffer> requeued = node.operator(HttpMethod.POST, "/admin/v1/violations/dead/requeue",
        new JsonObject().put("ids", new io.vertx.core.json.JsonArray().add(ids(cards).get(0))));
    assertThat(requeued.bodyAsJsonObject().getInteger("requeued")).isEqualTo(1);
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> states(cards).equals(List.of("DELIVERED")));
    assertThat(ministry.received(ids(cards).get(0))).isPresent();
  }
}
