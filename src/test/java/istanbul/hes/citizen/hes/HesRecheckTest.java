package istanbul.hes.citizen.hes;

import static istanbul.hes.testing.TestNode.jsonWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.simulator.Faults;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.health.HesCodeRecord;
import istanbul.hes.simulator.health.HesCodeRecord.Status;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The periodic re-check on a running node against the simulated ministry: what the ministry says
 * now reaches the taps, a backlog larger than a batch is worked through, and an unreachable
 * ministry changes nothing.
 */
class HesRecheckTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final Duration BOUND = Duration.ofSeconds(20);
  /** Every link is due a second after its last check; batches of 3 make any test's links a backlog. */
  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of("hesRecheck.intervalSeconds", "1", "hesRecheck.afterSeconds", "1",
        "hesRecheck.batchSize", "3", "citizen.requestsPerPersonPerMinute", "1000"));

  private static TestEnvironment environment;
  private static TestNode node;
  private static HealthMinistrySimulator ministry;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
    ministry = environment.healthMinistry();
  }

  @AfterEach
  void healMinistry() {
    ministry.clearFaults();
  }

  /** Links a code of the person's own to each of their cards, through the API. */
  private static List<String> linkAll(SeededPerson person) {
    List<String> codes = new ArrayList<>();
    for (long card : person.cards()) {
      String code = Pii.register(ministry.issue(person.documentNumber(), person.firstName(), person.lastName(), Status.RISKLESS,
          LocalDate.now(ISTANBUL).plusDays(30).atStartOfDay()).hesCode());
      HttpResponse<Buffer> linked = node.citizen(HttpMethod.POST, "/v1/cards/" + CardNumber.format(card) + "/hes-code",
          jsonWithToken(node.citizenToken(person.subject())), new JsonObject().put("hesCode", code).toBuffer());
      assertThat(linked.statusCode()).as(linked.bodyAsString()).isEqualTo(201);
      codes.add(code);
    }
    return codes;
  }

  private static void awaitReasons(SeededPerson person, String reason) {
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(person.cards()).allSatisfy(card -> assertThat(node.reason(card)).isEqualTo(reason)));
  }

  @Test
  void theMinistrysRiskReachesEveryCardOfABacklogAndItsClearanceReleasesThem() {
    SeededPerson person = node.seeder().person("Kemal", "Arslan", 8);
    linkAll(person);
    assertThat(node.reason(person.card())).isEqualTo("OK");

    ministry.setStatus(person.documentNumber(), Status.RISKY);
    awaitReasons(person, "HES_RISK");

    ministry.setStatus(person.documentNumber(), Status.RISKLESS);
    awaitReasons(person, "OK");
    assertThat(metric("risky")).isPositive();
  }

  @Test
  void aRisklessAnswerDoesNotLiftTheDeltaFeedsSuspension() {
    SeededPerson person = node.seeder().person("Selin", "Avcı", 1);
    linkAll(person);
    node.seeder().setRisky(person, true);
    long checkedBefore = checkedAtMillis(person.card());

    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> checkedAtMillis(person.card()) > checkedBefore);

    assertThat(node.reason(person.card())).isEqualTo("HES_RISK");
  }

  @Test
  void anExpiredOrVanishedCodeExpiresTodayAndANewExpiryIsTaken() {
    SeededPerson person = node.seeder().person("Deniz", "Polat", 3);
    List<String> codes = linkAll(person);
    LocalDate today = LocalDate.now(ISTANBUL);
    HesCodeRecord first = ministry.find(codes.get(0)).orElseThrow();
    ministry.register(new HesCodeRecord(first.hesCode(), first.identityNumber(), first.firstName(), first.lastName(),
        first.status(), today.minusDays(1).atStartOfDay()));
    ministry.remove(codes.get(1));
    HesCodeRecord third = ministry.find(codes.get(2)).orElseThrow();
    ministry.register(new HesCodeRecord(third.hesCode(), third.identityNumber(), third.firstName(), third.lastName(),
        third.status(), today.plusDays(90).atStartOfDay()));

    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      assertThat(node.reason(person.cards().get(0))).isEqualTo("HES_EXPIRED");
      assertThat(node.reason(person.cards().get(1))).isEqualTo("HES_EXPIRED");
      assertThat(view(person, person.cards().get(2)).getString("expiresOn")).isEqualTo(today.plusDays(90).toString());
    });
    assertThat(view(person, person.cards().get(0)).getString("expiresOn")).isEqualTo(today.toString());
    assertThat(node.reason(person.cards().get(2))).isEqualTo("OK");
  }

  @Test
  void whileTheMinistryIsDownNothingChangesAndLinksAreNotPushedBack() {
    SeededPerson person = node.seeder().person("Burak", "Tekin", 2);
    linkAll(person);
    double unavailableBefore = metric("unavailable");
    ministry.faults(Faults.goDown());
    ministry.setStatus(person.documentNumber(), Status.RISKY);

    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> metric("unavailable") >= unavailableBefore + 2);
    assertThat(person.cards()).allSatisfy(card -> assertThat(node.reason(card)).isEqualTo("OK"));
    // Given back: once the claims are released, the links' check time is the old one again.
    long linkedAt = System.currentTimeMillis();
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20))
        .until(() -> person.cards().stream().allMatch(card -> checkedAtMillis(card) < linkedAt));

    ministry.clearFaults();
    awaitReasons(person, "HES_RISK");
  }

  private static JsonObject view(SeededPerson person, long card) {
    return node.citizen(HttpMethod.GET, "/v1/cards/" + CardNumber.format(card) + "/hes-code",
        jsonWithToken(node.citizenToken(person.subject())), null).bodyAsJsonObject();
  }

  private static long checkedAtMillis(long card) {
    try (Connection connection = environment.jdbc(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT checked_at FROM hes_links WHERE card_no = " + card)) {
      rows.next();
      return rows.getTimestamp(1).getTime();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** gateway_hes_rechecks_total for one outcome, from the node's Prometheus page. */
  private static double metric(String outcome) {
    Matcher matcher = Pattern.compile("(?m)^gateway_hes_rechecks_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*\\} (\\S+)$")
        .matcher(node.metrics());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
