package istanbul.hes.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.identity.LookupKeys;
import istanbul.hes.simulator.health.RiskDeltaFeed;
import istanbul.hes.simulator.health.RiskDeltaFeed.Status;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.NodeProcess;
import istanbul.hes.testing.SeededPerson;
import istanbul.hes.testing.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node process ingesting the feed is killed with SIGKILL at random moments, 20 times, and
 * started again: afterwards every delta is applied exactly once (the final risks are those of
 * the feed applied in order, the position is the feed's last, it never moved back), and the
 * node's map agrees with PostgreSQL on every card the feed touched, and with every card of
 * PostgreSQL in the operators' full check.
 */
class DeltaCrashIT {
  private static final int KILLS = 20;
  private static final int PEOPLE = 60;
  private static final int DELTAS = 2_500;

  @Test
  void killedTwentyTimesDuringIngestionNoDeltaIsLostOrAppliedTwice() throws Exception {
    try (TestEnvironment environment = new TestEnvironment(Map.of("riskDeltas.enabled", "true", "riskDeltas.pageSize", "10",
        "riskDeltas.pollMillis", "20", "riskDeltas.backoffMillis", "20", "riskDeltas.maxBackoffMillis", "200",
        "node.eventLoopWarningMillis", "2000", "node.id", "crash-test"))) {
      environment.migrate();
      CardSeeder seeder = environment.offlineSeeder();
      List<SeededPerson> people = new ArrayList<>();
      for (int i = 0; i < PEOPLE; i++) {
        people.add(seeder.person("Çağla", "Öz", 1));
      }
      Random random = new Random(2026);
      Map<SeededPerson, Boolean> expected = new HashMap<>();
      RiskDeltaFeed feed = environment.healthMinistry().deltaFeed();
      for (int i = 0; i < DELTAS; i++) {
        SeededPerson person = people.get(random.nextInt(PEOPLE));
        boolean risky = random.nextBoolean();
        expected.put(person, risky);
        feed.append(person.documentNumber(), risky ? Status.RISKY : Status.CLEARED);
      }

      long previous = 0;
      for (int kill = 1; kill <= KILLS; kill++) {
        NodeProcess node = NodeProcess.start(environment, "kill-" + kill);
        long from = previous;
        // A random point of the ingestion: once the position has moved a random distance on.
        long target = Math.min(DELTAS - 1, from + 1 + random.nextInt(120));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
            .until(() -> cursor(environment) >= target || !node.alive());
        node.kill();
        long now = cursor(environment);
        assertThat(now).as("kill %d: the position never moves back", kill).isGreaterThanOrEqualTo(from);
        previous = now;
      }

      NodeProcess last = NodeProcess.start(environment, "final");
      try {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> cursor(environment) == DELTAS);
        for (Map.Entry<SeededPerson, Boolean> entry : expected.entrySet()) {
          String hash = HexFormat.of().formatHex(environment.identityProtector().hash(LookupKeys.IDENTITY_PURPOSE,
              entry.getKey().subject()));
          assertThat(query(environment, "SELECT risky FROM person_risk WHERE identity_hash = '\\x" + hash + "'"))
              .containsExactly(entry.getValue() ? "t" : "f");
        }
        // The map of the process that survived (loaded: recovered and checked) agrees with PostgreSQL
        // on every card of the feed.
        HttpClient http = HttpClient.newHttpClient();
        last.awaitReady();
        for (SeededPerson person : people) {
          JsonObject described = new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + last.adminPort()
                  + "/admin/v1/cards/" + CardNumber.format(person.card())))
              .header("Authorization", "Bearer " + environment.operatorToken()).build(), HttpResponse.BodyHandlers.ofString()).body());
          assertThat(described.getJsonObject("map")).as("card of person %d", people.indexOf(person))
              .isEqualTo(described.getJsonObject("database"));
        }
        JsonObject check = new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + last.adminPort()
                + "/admin/v1/consistency?mode=full"))
            .header("Authorization", "Bearer " + environment.operatorToken()).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(check.getLong("checked")).as("%s", check).isEqualTo(Long.parseLong(query(environment, "SELECT count(*) FROM cards").get(0)));
        assertThat(check.getLong("mismatches")).as("%s", check).isZero();
      } finally {
        last.stop();
      }
    }
  }

  private static long cursor(TestEnvironment environment) {
    return Long.parseLong(query(environment, "SELECT last_applied_seq FROM delta_cursor").get(0));
  }

  private static List<String> query(TestEnvironment environment, String sql) {
    return environment.column(sql);
  }
}
