package istanbul.hes.cardstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node process whose map is loaded and changing (pages of risk deltas, each a few hundred map
 * writes on a worker) is killed with SIGKILL at random moments of the ingestion, 8 times. Every
 * start after a kill recovers the map as after a process crash (write marks, then the change log;
 * no card compared), and in the end the map agrees with PostgreSQL on every card, in the
 * operators' full check.
 */
class MapCrashIT {
  private static final int KILLS = 8;
  private static final int PEOPLE = 400;
  /** Appended once each node is ready: the ingestion the kill lands in. */
  private static final int DELTAS_PER_RUN = 4_000;

  @Test
  void killedWhileItsMapChangesTheNodeRecoversFromItsWriteMarksAndTheChangeLog() throws Exception {
    try (TestEnvironment environment = new TestEnvironment(Map.of("riskDeltas.enabled", "true", "riskDeltas.pageSize", "200",
        "riskDeltas.pollMillis", "20", "riskDeltas.backoffMillis", "20", "riskDeltas.maxBackoffMillis", "200",
        "node.eventLoopWarningMillis", "2000", "node.id", "map-crash-test"))) {
      environment.migrate();
      CardSeeder seeder = environment.offlineSeeder();
      List<SeededPerson> people = new ArrayList<>();
      for (int i = 0; i < PEOPLE; i++) {
        people.add(seeder.person("Şule", "Işık", 2));
      }
      Random random = new Random(7);
      RiskDeltaFeed feed = environment.healthMinistry().deltaFeed();
      long appended = 0;
      int killsDuringIngestion = 0;

      for (int kill = 1; kill <= KILLS; kill++) {
        NodeProcess node = NodeProcess.start(environment, "kill-" + kill);
        long end;
        try {
          node.awaitReady();
          if (kill > 1) {
            assertThat(mapLine(node)).as("start after kill %d", kill - 1).contains("card map ready: RECOVERED (process crash: ");
          }
          long from = cursor(environment);
          for (int i = 0; i < DELTAS_PER_RUN; i++) {
            feed.append(people.get(random.nextInt(PEOPLE)).documentNumber(), random.nextBoolean() ? Status.RISKY : Status.CLEARED);
          }
          appended += DELTAS_PER_RUN;
          end = appended;
          // A random moment while these deltas are applied to the loaded map.
          long target = from + 100 + random.nextInt(DELTAS_PER_RUN / 2);
          Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
              .until(() -> cursor(environment) >= target || !node.alive());
        } finally {
          node.kill(); // also when an assertion failed: no node outlives the test
        }
        if (cursor(environment) < end) {
          killsDuringIngestion++;
        }
      }

      // A node that finished its deltas before the kill still had its map open: recovered the same way.
      assertThat(killsDuringIngestion).as("kills that landed while deltas were being applied").isGreaterThanOrEqualTo(KILLS / 2);

      NodeProcess last = NodeProcess.start(environment, "final");
      try {
        last.awaitReady();
        assertThat(mapLine(last)).contains("card map ready: RECOVERED (process crash: ");
        long all = appended;
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> cursor(environment) == all);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + last.adminPort() + "/admin/v1/consistency?mode=full"))
            .header("Authorization", "Bearer " + environment.operatorToken()).build(), HttpResponse.BodyHandlers.ofString());
        JsonObject check = new JsonObject(response.body());
        assertThat(check.getLong("checked")).as("%s", check).isEqualTo(2L * PEOPLE);
        assertThat(check.getLong("mismatches")).as("%s", check).isZero();
      } finally {
        last.stop();
      }
    }
  }

  /**
   * The node's "card map ready" line. Readiness can answer 200 a moment before that line reaches
   * the log file (seen with two test JVMs on two cores), so it is waited for, boundedly.
   */
  private static String mapLine(NodeProcess node) throws Exception {
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> node.logText().contains("card map ready"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return "(no map line)";
    }
    return node.logText().lines().filter(line -> line.contains("card map ready")).findFirst().orElse("(no map line)");
  }

  private static long cursor(TestEnvironment environment) {
    return Long.parseLong(environment.column("SELECT last_applied_seq FROM delta_cursor").get(0));
  }
}
