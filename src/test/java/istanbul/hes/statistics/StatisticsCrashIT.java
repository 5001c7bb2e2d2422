package istanbul.hes.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.NodeProcess;
import istanbul.hes.testing.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two node processes count taps over two days; one is killed with SIGKILL once its taps were
 * flushed, and started again: nothing it flushed is lost, and the distinct counts per day and
 * over the period stay exact.
 */
class StatisticsCrashIT {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aNodeKilledAfterAFlushLosesNothingItFlushedAndTheCountsStayExact() throws Exception {
    LocalDate today = LocalDate.now(ISTANBUL);
    LocalDate yesterday = today.minusDays(1);
    try (TestEnvironment environment = new TestEnvironment(Map.of("statistics.flushSeconds", "1",
        "statistics.compactAfterSeconds", "0", "node.eventLoopWarningMillis", "2000"))) {
      environment.migrate();
      CardSeeder seeder = environment.offlineSeeder();
      List<Long> personalized = seeder.create(java.util.Collections.nCopies(30, CardClass.OK));
      List<Long> anonymous = seeder.create(java.util.Collections.nCopies(20, CardClass.ANONYMOUS));
      NodeProcess a = node(environment, "stats-a");
      NodeProcess b = node(environment, "stats-b");

      List<Long> dayOneA = concat(personalized.subList(0, 15), anonymous.subList(0, 10));
      List<Long> dayOneB = concat(personalized.subList(10, 20), anonymous.subList(5, 15));
      tap(environment, a, yesterday, dayOneA);
      tap(environment, b, yesterday, dayOneB);
      Set<Long> dayOne = union(dayOneA, dayOneB);
      // Both flushed: the day's count is the union, read through the other node.
      awaitActive(environment, b, yesterday, dayOne.size());

      a.kill();
      assertThat(active(environment, b, yesterday, yesterday)).as("what the killed node flushed stays").isEqualTo(dayOne.size());

      NodeProcess restarted = node(environment, "stats-a");
      List<Long> dayTwoA = concat(personalized.subList(20, 30), anonymous.subList(0, 3));
      List<Long> dayTwoB = concat(personalized.subList(0, 5), anonymous.subList(15, 20));
      tap(environment, restarted, today, dayTwoA);
      tap(environment, b, today, dayTwoB);
      Set<Long> dayTwo = union(dayTwoA, dayTwoB);
      awaitActive(environment, restarted, today, dayTwo.size());

      Set<Long> both = new HashSet<>(dayOne);
      both.addAll(dayTwo);
      Set<Long> bothPersonalized = new HashSet<>(both);
      bothPersonalized.retainAll(personalized);
      JsonObject report = report(environment, b, yesterday, today);
      assertThat(report.getJsonObject("period").getLong("activeCards")).isEqualTo(both.size());
      assertThat(report.getJsonObject("period").getLong("activePersonalized")).isEqualTo(bothPersonalized.size());
      JsonArray days = report.getJsonArray("days");
      assertThat(days.getJsonObject(0).getLong("activeCards")).isEqualTo(dayOne.size());
      assertThat(days.getJsonObject(1).getLong("activeCards")).isEqualTo(dayTwo.size());
      assertThat(days.getJsonObject(0).getJsonObject("taps").getLong("total")).isEqualTo(dayOneA.size() + dayOneB.size());
      restarted.stop();
      b.stop();
    }
  }

  /** A node process of its own id and data folder (started again under the same name, it finds its files). */
  private static NodeProcess node(TestEnvironment environment, String name) throws Exception {
    return NodeProcess.start(environment, name, Map.of("HES_NODE_ID", name,
        "HES_NODE_DATA_DIR", environment.dataDirectory().resolve(name).toString())).awaitReady();
  }

  private static void awaitActive(TestEnvironment environment, NodeProcess node, LocalDate day, long expected) {
    Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(100))
        .until(() -> active(environment, node, day, day) == expected);
  }

  private static long active(TestEnvironment environment, NodeProcess node, LocalDate from, LocalDate to) throws Exception {
    return report(environment, node, from, to).getJsonObject("period").getLong("activeCards");
  }

  private static JsonObject report(TestEnvironment environment, NodeProcess node, LocalDate from, LocalDate to) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.adminPort() + "/admin/v1/statistics?from=" + from + "&to=" + to))
        .header("Authorization", "Bearer " + environment.operatorToken()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  private static void tap(TestEnvironment environment, NodeProcess node, LocalDate day, List<Long> cards) throws Exception {
    String at = day.atTime(9, 30).atZone(ISTANBUL).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
    JsonArray taps = new JsonArray();
    cards.forEach(card -> taps.add(new JsonObject().put("card", CardNumber.format(card)).put("validator", "T1-ZEYTINBURNU-02").put("at", at)));
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.tapPort() + "/v1/taps/batch"))
        .header("Authorization", "Bearer " + environment.clusterToken()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("taps", taps).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  private static Set<Long> union(List<Long> first, List<Long> second) {
    Set<Long> all = new HashSet<>(first);
    all.addAll(second);
    return all;
  }

  private static List<Long> concat(List<Long> first, List<Long> second) {
    List<Long> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
