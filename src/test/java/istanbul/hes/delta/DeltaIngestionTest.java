package istanbul.hes.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.simulator.health.RiskDeltaFeed;
import istanbul.hes.simulator.health.RiskDeltaFeed.FeedFaults;
import istanbul.hes.simulator.health.RiskDeltaFeed.Status;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node ingesting the simulated ministry's feed, misbehaving or not, and the taps that follow. */
class DeltaIngestionTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of("riskDeltas.enabled", "true", "riskDeltas.pollMillis", "50",
        "riskDeltas.pageSize", "25", "riskDeltas.backoffMillis", "20", "riskDeltas.maxBackoffMillis", "200"));

  private static TestEnvironment environment;
  private static TestNode node;
  private static RiskDeltaFeed feed;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
    feed = environment.healthMinistry().deltaFeed();
  }

  private static void awaitApplied(long seq) {
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> state().getLong("lastAppliedSeq") >= seq);
  }

  private static JsonObject state() {
    HttpResponse<Buffer> response = node.operator(HttpMethod.GET, "/admin/v1/deltas", null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  @Test
  void aRiskyDeltaSuspendsEveryCardOfThePersonAndAClearedOneReleasesThem() {
    SeededPerson person = node.seeder().person("Kaan", "Er", 2);
    assertThat(node.reason(person.card())).isEqualTo("NO_HES_CODE");

    awaitApplied(feed.append(person.documentNumber(), Status.RISKY));
    assertThat(person.cards()).allSatisfy(card -> assertThat(node.reason(card)).isEqualTo("HES_RISK"));

    awaitApplied(feed.append(person.documentNumber(), Status.CLEARED));
    assertThat(person.cards()).allSatisfy(card -> assertThat(node.reason(card)).isEqualTo("NO_HES_CODE"));
  }

  @Test
  void aPersonWithoutACardIsRememberedAndSuspendedTheMomentTheyHaveOne() {
    String passport = Pii.register("P" + (10_000_000 + new Random().nextInt(89_999_999)));
    awaitApplied(feed.append("GBR:" + passport, Status.RISKY));

    SeededPerson later = node.seeder().foreigner("GBR", "Jane", "Doe", 1, passport);

    assertThat(node.reason(later.card())).isEqualTo("HES_RISK");
  }

  @Test
  void anUnreadableIdentityIsRecordedAsRejectedAndTheFeedGoesOn() {
    SeededPerson person = node.seeder().person("Ece", "Ak", 1);
    long unreadable = feed.append("12345", Status.RISKY);
    awaitApplied(feed.append(person.documentNumber(), Status.RISKY));
    assertThat(node.reason(person.card())).isEqualTo("HES_RISK");
    assertThat(query("SELECT reason FROM delta_rejects WHERE seq = " + unreadable)).singleElement().asString()
        .contains("neither a TCKN");
  }

  @Test
  void aMisbehavingFeedEndsInTheStateOfTheFeedAppliedOnceInOrder() {
    List<SeededPerson> people = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      people.add(node.seeder().person("Deniz", "Yurt", 1));
    }
    Random random = new Random(42);
    Map<SeededPerson, Boolean> expected = new HashMap<>();
    double gapsBefore = state().getLong("gaps");
    feed.faults(new FeedFaults(0.3, 0.3, 0.5, 0.3));
    long last = 0;
    try {
      for (int i = 0; i < 400; i++) {
        SeededPerson person = people.get(random.nextInt(people.size()));
        boolean risky = random.nextBoolean();
        expected.put(person, risky);
        last = feed.append(person.documentNumber(), risky ? Status.RISKY : Status.CLEARED);
      }
      awaitApplied(last);
    } finally {
      feed.faults(FeedFaults.NONE);
    }
    expected.forEach((person, risky) ->
        assertThat(node.reason(person.card())).as("person %s", person.subject().substring(0, 5)).isEqualTo(risky ? "HES_RISK" : "NO_HES_CODE"));
    expected.forEach((person, risky) -> assertThat(query("SELECT risky FROM person_risk WHERE identity_hash = '\\x"
        + HexFormat.of().formatHex(environment.identityProtector().hash(LookupKeys.IDENTITY_PURPOSE, person.subject())) + "'"))
        .containsExactly(risky ? "t" : "f"));
    assertThat(state().getLong("gaps")).as("holes were met and asked again").isGreaterThan((long) gapsBefore);
    assertThat(state().getLong("lastAppliedSeq")).isEqualTo(last);
    assertThat(query("SELECT last_applied_seq FROM delta_cursor")).containsExactly(Long.toString(last));
    assertThat(node.metrics()).contains("gateway_delta_last_applied_seq", "gateway_delta_lag", "gateway_deltas_applied_total",
        "gateway_delta_gaps_total");
  }

  private static List<String> query(String sql) {
    return environment.column(sql);
  }
}
