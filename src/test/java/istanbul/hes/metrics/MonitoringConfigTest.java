package istanbul.hes.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every metric the alert rules and the Grafana dashboard name is one a running node exports: an
 * alert on a metric nobody exports never fires, a panel on one stays empty, and both look fine.
 * And the rules do what they say: promtool checks the Prometheus config as the container loads it
 * and runs the rules' unit tests (config/prometheus/alerts.test.yml), which cover every alert.
 */
class MonitoringConfigTest {
  private static final Pattern METRIC = Pattern.compile("\\b((?:gateway|jvm|vertx)_[a-z0-9_]+)");
  private static final Path ALERTS = Path.of("config", "prometheus", "alerts.yml");
  private static final Path DASHBOARD = Path.of("config", "grafana", "dashboards", "hes-gateway.json");
  private static final Path PROMETHEUS = Path.of("config", "prometheus", "prometheus.yml");
  private static final Path ALERT_TESTS = Path.of("config", "prometheus", "alerts.test.yml");
  private static final Set<String> SEVERITIES = Set.of("page", "ticket");

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
    queryPanels(dashboard).forEach(panel -> assertThat(named(panel.encode()))
        .as("metrics of panel %s", panel.getString("title")).isNotEmpty());
  }

  /** The panels that query (rows only group them). */
  private static List<JsonObject> queryPanels(JsonObject dashboard) {
    return dashboard.getJsonArray("panels").stream().map(JsonObject.class::cast)
        .filter(panel -> !"row".equals(panel.getString("type"))).toList();
  }

  @Test
  void theStatisticsRowShowsActiveCardsThePersonalizedAndHesLinkedSharesAndSuspendedCards() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    JsonObject row = dashboard.getJsonArray("panels").stream().map(JsonObject.class::cast)
        .filter(panel -> "row".equals(panel.getString("type")) && panel.getString("title").startsWith("Statistics"))
        .findFirst().orElseThrow(() -> new AssertionError("no statistics row"));
    int rowY = row.getJsonObject("gridPos").getInteger("y");
    List<JsonObject> below = queryPanels(dashboard).stream()
        .filter(panel -> panel.getJsonObject("gridPos").getInteger("y") > rowY).toList();
    Map<String, String> expressions = new TreeMap<>();
    below.forEach(panel -> panel.getJsonArray("targets").forEach(target ->
        expressions.put(panel.getString("title"), ((JsonObject) target).getString("expr"))));
    assertThat(expressions.get("Active cards today")).contains("gateway_statistics_active_cards");
    assertThat(expressions.get("Personalized share of active cards"))
        .contains("gateway_statistics_active_personalized_cards").contains("/ max(gateway_statistics_active_cards");
    assertThat(expressions.get("HES-linked share of cards"))
        .contains("gateway_statistics_hes_linked_cards").contains("/ max(gateway_statistics_cards");
    assertThat(expressions.get("Suspended cards")).contains("gateway_statistics_suspended_cards");
    // Cluster-wide figures, the same on every node: max, never a sum over nodes.
    expressions.values().forEach(expr -> assertThat(expr).doesNotContain("sum("));
  }

  @Test
  void everyQueryOfTheDashboardFollowsItsNodeVariable() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    JsonObject node = dashboard.getJsonObject("templating").getJsonArray("list").stream().map(JsonObject.class::cast)
        .filter(variable -> "node".equals(variable.getString("name"))).findFirst().orElseThrow(() -> new AssertionError("no node variable"));
    assertThat(node.getString("definition")).matches("label_values\\((gateway|jvm)_[a-z_]+, node\\)");
    assertThat(node.getBoolean("multi")).isTrue();
    assertThat(node.getBoolean("includeAll")).isTrue();
    // Every metric selector of every query, not only every query: a panel mixing a filtered and
    // an unfiltered series would show the whole cluster under one node's name.
    Pattern selector = Pattern.compile("\\b((?:gateway|jvm|vertx)_[a-z0-9_]+)(\\{[^}]*})?");
    for (JsonObject panel : queryPanels(dashboard)) {
      for (Object target : panel.getJsonArray("targets")) {
        String expr = ((JsonObject) target).getString("expr");
        Matcher matcher = selector.matcher(expr);
        while (matcher.find()) {
          assertThat(matcher.group(2)).as("selector of %s in %s", matcher.group(1), expr).isNotNull().contains("node=~\"$node\"");
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    return (Map<String, Object>) new Yaml().load(Files.readString(file));
  }

  /** Alert name to its rule, in the order of alerts.yml. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> alertRules() throws IOException {
    Map<String, Map<String, Object>> rules = new TreeMap<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) yaml(ALERTS).get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        if (rule.containsKey("alert")) {
          rules.put((String) rule.get("alert"), rule);
        }
      }
    }
    return rules;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasASeverityARouteKnowsAndUnitTestsThatSeeItFireAndStayQuiet() throws IOException {
    Map<String, Map<String, Object>> rules = alertRules();
    assertThat(rules).hasSizeGreaterThan(10);
    rules.forEach((name, rule) -> assertThat(((Map<String, Object>) rule.get("labels")).get("severity"))
        .as("severity of %s (the Alertmanager routes page and ticket)", name).isIn(SEVERITIES));

    Map<String, Object> tests = yaml(ALERT_TESTS);
    assertThat(String.valueOf(tests.get("rule_files"))).isEqualTo("[alerts.yml]");
    Set<String> firing = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
      for (Map<String, Object> check : (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
        List<Map<String, Object>> expected = (List<Map<String, Object>>) check.getOrDefault("exp_alerts", List.of());
        String name = (String) check.get("alertname");
        (expected == null || expected.isEmpty() ? quiet : firing).add(name);
        for (Map<String, Object> alert : expected == null ? List.<Map<String, Object>>of() : expected) {
          // The labels that route it and the text the person paged reads.
          assertThat((Map<String, Object>) alert.get("exp_labels")).as("labels expected of %s", name).containsKey("severity");
          assertThat((Map<String, Object>) alert.get("exp_annotations")).as("annotations expected of %s", name).containsKey("summary");
        }
      }
    }
    assertThat(firing).as("alerts with a case where they fire").isEqualTo(rules.keySet());
    assertThat(quiet).as("alerts with a case where they stay quiet").isEqualTo(rules.keySet());
  }

  @Test
  void promtoolChecksThePrometheusConfigAndTheAlertRulesPassTheirUnitTests() throws Exception {
    Optional<Path> promtool = onPath("promtool");
    if (promtool.isEmpty()) {
      // CI installs it (.ci/run): there a missing promtool is a failure, not a skipped test.
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("promtool is not on the PATH (CI=true): install Debian's prometheus package, as .ci/run does");
      }
      assumeTrue(false, "promtool is not on the PATH: apt-get install prometheus, or run config/prometheus/check.sh where it is");
    }
    // From the repository root, as an operator types them: the rule file's path is relative to
    // prometheus.yml's folder, so this checks the very file the container loads.
    run(promtool.get(), "check", "config", PROMETHEUS.toString());
    run(promtool.get(), "test", "rules", ALERT_TESTS.toString());
  }

  private static void run(Path promtool, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(arguments));
    // Into a file, not a pipe: a long failure report cannot fill a pipe and stall promtool.
    Path log = Files.createTempFile("promtool", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      // Bounded: promtool needs well under a second for these files.
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("%s did not finish within 60 s", command);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
      assertThat(output).contains("SUCCESS");
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String folder : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(folder, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
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
