package istanbul.hes.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import istanbul.hes.simulator.interior.InteriorMinistrySimulator;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every metric the alert rules and the Grafana dashboard name is one a running node exports: an
 * alert on a metric nobody exports never fires, a panel on one stays empty, and both look fine.
 */
class MonitoringConfigTest {
  private static final Pattern METRIC = Pattern.compile("\\b((?:gateway|jvm|vertx)_[a-z0-9_]+)");
  private static final Path ALERTS = Path.of("config", "prometheus", "alerts.yml");
  private static final Path DASHBOARD = Path.of("config", "grafana", "dashboards", "hes-gateway.json");

  static Set<String> named(String text) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = METRIC.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** The metric families of a Prometheus scrape (sample names, suffixes included). */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
        names.add(line.substring(0, end));
      }
    }
    return names;
  }

  @Test
  void theDashboardIsValidJsonAndNamesMetricsInEveryPanel() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    assertThat(dashboard.getJsonArray("panels")).isNotEmpty();
    dashboard.getJsonArray("panels").forEach(panel -> assertThat(named(((JsonObject) panel).encode()))
        .as("metrics of panel %s", ((JsonObject) panel).getString("title")).isNotEmpty());
  }

  @Test
  void everyMetricOfTheAlertsAndTheDashboardIsExportedByARunningNode() throws IOException {
    Set<String> wanted = new TreeSet<>(named(Files.readString(ALERTS)));
    wanted.addAll(named(Files.readString(DASHBOARD)));
    assertThat(wanted).hasSizeGreaterThan(25);

    Vertx vertx = Vertx.vertx();
    InteriorMinistrySimulator interior = new InteriorMinistrySimulator("127.0.0.1", 0, "municipality", "secret");
    Await.result(vertx.deployVerticle(interior));
    try (TestEnvironment environment = new TestEnvironment(Map.of("ministryInterior.baseUrl", interior.baseUrl(),
        "ministryInterior.username", "municipality", "ministryInterior.password", "secret", "ministryInterior.pollMillis", "50",
        "riskDeltas.enabled", "true", "hesRecheck.intervalSeconds", "1", "fanout.logCatchUpSeconds", "1"))) {
      TestNode node = environment.startNode();
      // What registers its meters on first use: a risk denial (recorded, delivered), a refused
      // tap, a citizen answer, a batch, a consistency check.
      long risky = node.seeder().create(CardClass.RISKY);
      assertThat(node.reason(risky)).isEqualTo("HES_RISK");
      node.postTap("{");
      node.batch(java.util.List.of(TestNode.tapBody(risky)));
      node.citizen(HttpMethod.GET, "/v1/cards/4000000000000000/hes-code", Map.of(), null);
      node.consistency("sample");
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
          assertThat(exported(node.metrics())).as("exported by a node").containsAll(wanted));
    } finally {
      Await.result(vertx.close());
    }
  }
}
