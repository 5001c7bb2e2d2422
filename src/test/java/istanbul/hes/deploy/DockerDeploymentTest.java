package istanbul.hes.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.config.ConfigSource;
import istanbul.hes.simulator.health.HealthMinistrySimulatorMain;
import istanbul.hes.simulator.interior.InteriorMinistrySimulatorMain;
import istanbul.hes.simulator.push.PushSimulator;
import istanbul.hes.simulator.push.PushSimulatorMain;
import istanbul.hes.simulator.sms.SmsSimulator;
import istanbul.hes.simulator.sms.SmsSimulatorMain;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so the deployment is checked against the code by reading it: the
 * compose file's services, environment variable names, ports, health checks, volumes and mounted
 * files; the Dockerfile's stages, user, runtime flags, volume and health check; Prometheus's
 * targets. A renamed configuration key, port or path breaks this test, not the operators' night.
 */
class DockerDeploymentTest {
  private static final Path DOCKER = Path.of("docker");
  private static final Set<String> GATEWAYS = Set.of("gateway-a", "gateway-b");
  private static final ConfigSource DEFAULTS = ConfigSource.load(Optional.empty(), Map.of(), Map.of());

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    return (Map<String, Object>) new Yaml().load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) throws IOException {
    Map<String, Object> services = (Map<String, Object>) yaml(DOCKER.resolve("compose.yaml")).get("services");
    assertThat(services).as("compose services").containsKey(name);
    return (Map<String, Object>) services.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> variables = new LinkedHashMap<>();
    ((Map<String, Object>) service.getOrDefault("environment", Map.of())).forEach((name, value) -> variables.put(name, String.valueOf(value)));
    return variables;
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Map<String, Object> service, String key) {
    Object value = service.get(key);
    return value == null ? List.of() : ((List<Object>) value).stream().map(String::valueOf).toList();
  }

  private static int defaultPort(String key) {
    return Integer.parseInt(DEFAULTS.keys().get(key));
  }

  @Test
  void theComposeFileHasTheWholeDeployment() throws IOException {
    for (String name : List.of("postgres", "redis", "gateway-a", "gateway-b", "ministry-health", "ministry-interior", "sms", "push",
        "prometheus", "alertmanager", "grafana")) {
      assertThat(service(name)).as(name).isNotEmpty();
    }
  }

  @Test
  void everyGatewayVariableIsAConfigurationKeyAndPointsAtTheRightService() throws IOException {
    Set<String> known = DEFAULTS.keys().keySet().stream().map(ConfigSource::environmentName).collect(Collectors.toSet());
    Map<String, String> a = environment(service("gateway-a"));
    Map<String, String> b = environment(service("gateway-b"));
    for (Map<String, String> variables : List.of(a, b)) {
      assertThat(variables.keySet()).as("every HES_ variable is a configuration key").allMatch(known::contains);
      assertThat(URI.create(variables.get("HES_DATABASE_URL")).getHost()).isEqualTo("postgres");
      assertThat(URI.create(variables.get("HES_DATABASE_URL")).getPort()).isEqualTo(5432);
      assertThat(variables.get("HES_REDIS_URL")).isEqualTo("redis://redis:6379");
      assertThat(variables).containsKeys("HES_SECURITY_IDENTITY_ENCRYPTION_KEY", "HES_SECURITY_IDENTITY_HASH_KEY",
          "HES_CITIZEN_TOKEN_PUBLIC_KEY_FILE", "HES_TAP_CLUSTERS_FILE", "HES_ADMIN_OPERATOR_TOKEN");
      assertThat(URI.create(variables.get("HES_MINISTRY_HEALTH_BASE_URL")).getHost()).isEqualTo("ministry-health");
      assertThat(URI.create(variables.get("HES_MINISTRY_HEALTH_BASE_URL")).getPort()).isEqualTo(simulatorPort("ministry-health"));
      assertThat(URI.create(variables.get("HES_MINISTRY_INTERIOR_BASE_URL")).getHost()).isEqualTo("ministry-interior");
      assertThat(URI.create(variables.get("HES_MINISTRY_INTERIOR_BASE_URL")).getPort()).isEqualTo(simulatorPort("ministry-interior"));
      // The secrets come from the operator's .env, never from the file.
      assertThat(variables.get("HES_SECURITY_IDENTITY_ENCRYPTION_KEY")).startsWith("${");
      assertThat(variables.get("HES_DATABASE_PASSWORD")).startsWith("${");
    }
    assertThat(a.get("HES_NODE_ID")).isNotEqualTo(b.get("HES_NODE_ID"));
    assertThat(a.get("HES_SECURITY_IDENTITY_HASH_KEY")).as("one key for every node").isEqualTo(b.get("HES_SECURITY_IDENTITY_HASH_KEY"));
    // The secret files are mounted where the variables say.
    for (String gateway : GATEWAYS) {
      Map<String, String> variables = environment(service(gateway));
      String mount = list(service(gateway), "volumes").stream().filter(volume -> volume.startsWith("./secrets:")).findFirst().orElseThrow();
      String inside = mount.split(":")[1];
      assertThat(variables.get("HES_TAP_CLUSTERS_FILE")).startsWith(inside + "/");
      assertThat(variables.get("HES_CITIZEN_TOKEN_PUBLIC_KEY_FILE")).startsWith(inside + "/");
    }
  }

  @Test
  void theSimulatorsRunTheirMainsWithTheirOwnVariablesAndPorts() throws IOException {
    for (String name : List.of("ministry-health", "ministry-interior")) {
      Map<String, Object> simulator = service(name);
      List<String> entrypoint = list(simulator, "entrypoint");
      String main = entrypoint.get(entrypoint.size() - 1);
      Class<?> type = name.equals("ministry-health") ? HealthMinistrySimulatorMain.class : InteriorMinistrySimulatorMain.class;
      assertThat(main).isEqualTo(type.getName());
      // The simulators are the demo kit's: its jar, from the Dockerfile's kit image.
      assertThat(entrypoint).contains("/opt/hes/hes-gateway-kit.jar");
      assertThat(String.valueOf(simulator.get("build"))).contains("target=kit");
      assertThat(dockerfile()).contains("FROM base AS kit").contains("/src/target/hes-gateway-kit.jar /opt/hes/hes-gateway-kit.jar");
      List<String> command = list(simulator, "command");
      Set<String> options = name.equals("ministry-health") ? HealthMinistrySimulatorMain.OPTIONS : InteriorMinistrySimulatorMain.OPTIONS;
      for (int i = 0; i < command.size(); i += 2) {
        assertThat(options).as("option of %s", name).contains(command.get(i));
      }
      String prefix = name.equals("ministry-health") ? HealthMinistrySimulatorMain.ENVIRONMENT_PREFIX
          : InteriorMinistrySimulatorMain.ENVIRONMENT_PREFIX;
      assertThat(environment(simulator).keySet()).containsExactlyInAnyOrder(prefix + "_USER", prefix + "_PASSWORD");
      assertThat(list(simulator, "ports")).contains("127.0.0.1:" + simulatorPort(name) + ":" + simulatorPort(name));
      // The gateways log in with what the simulator is given.
      String gatewaySide = name.equals("ministry-health") ? "HES_MINISTRY_HEALTH_PASSWORD" : "HES_MINISTRY_INTERIOR_PASSWORD";
      assertThat(environment(service("gateway-a")).get(gatewaySide)).isEqualTo(environment(simulator).get(prefix + "_PASSWORD"));
    }
  }

  @Test
  void theGatewaysSendTheirSmsThroughTheKitsSmsSimulator() throws IOException {
    Map<String, Object> sms = service("sms");
    List<String> entrypoint = list(sms, "entrypoint");
    assertThat(entrypoint).contains("/opt/hes/hes-gateway-kit.jar").endsWith(SmsSimulatorMain.class.getName());
    assertThat(list(sms, "ports")).containsExactly("127.0.0.1:" + simulatorPort("sms") + ":" + simulatorPort("sms"));
    for (String gateway : List.of("gateway-a", "gateway-b")) {
      // Required: a node without it refuses to start (citizen.smsGatewayUrl).
      URI url = URI.create(environment(service(gateway)).get("HES_CITIZEN_SMS_GATEWAY_URL"));
      assertThat(url.getHost()).isEqualTo("sms");
      assertThat(url.getPort()).isEqualTo(simulatorPort("sms"));
      assertThat(url.getPath()).isEqualTo(SmsSimulator.MESSAGES_PATH);
    }
  }

  @Test
  void theGatewaysSendCampaignPushesThroughTheKitsPushSimulator() throws IOException {
    Map<String, Object> push = service("push");
    assertThat(list(push, "entrypoint")).contains("/opt/hes/hes-gateway-kit.jar").endsWith(PushSimulatorMain.class.getName());
    assertThat(list(push, "ports")).containsExactly("127.0.0.1:" + simulatorPort("push") + ":" + simulatorPort("push"));
    for (String gateway : List.of("gateway-a", "gateway-b")) {
      URI url = URI.create(environment(service(gateway)).get("HES_CAMPAIGNS_PUSH_GATEWAY_URL"));
      assertThat(url.getHost()).isEqualTo("push");
      assertThat(url.getPort()).isEqualTo(simulatorPort("push"));
      assertThat(url.getPath()).isEqualTo(PushSimulator.PUSH_PATH);
      assertThat(environment(service(gateway)).get("HES_POINTS_TOKEN_PUBLIC_KEY_FILE")).startsWith("/run/secrets/hes/");
    }
  }

  private static int simulatorPort(String name) throws IOException {
    List<String> command = list(service(name), "command");
    return Integer.parseInt(command.get(command.indexOf("--port") + 1));
  }

  @Test
  void theGatewaysPublishTheConfiguredPortsAndKeepTheirDataOnAVolume() throws IOException {
    String dataDir = dockerfileValue("ENV", "HES_NODE_DATA_DIR=(\\S+)");
    for (String gateway : GATEWAYS) {
      List<String> inside = list(service(gateway), "ports").stream().map(mapping -> mapping.substring(mapping.lastIndexOf(':') + 1)).toList();
      assertThat(inside).containsExactlyInAnyOrder(String.valueOf(defaultPort("tap.port")), String.valueOf(defaultPort("citizen.port")),
          String.valueOf(defaultPort("admin.port")), String.valueOf(defaultPort("points.port")));
      assertThat(list(service(gateway), "volumes")).anyMatch(volume -> volume.endsWith(":" + dataDir) && !volume.startsWith("."));
    }
    assertThat(dockerfile()).contains("VOLUME " + dataDir);
  }

  @Test
  void theDockerfileBuildsASlimNonRootImageWithTheChronicleFlagsAndAHealthCheck() throws IOException {
    String dockerfile = dockerfile();
    assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count()).as("stages").isGreaterThanOrEqualTo(3);
    assertThat(dockerfile).contains("mvn ").contains("jlink").contains("jdk.compiler").contains("FROM debian:bookworm-slim");
    String lastStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(lastStage);
    assertThat(user.find()).isTrue();
    assertThat(user.group(1)).isNotIn("root", "0");
    String pomFlags = Files.readString(Path.of("pom.xml")).replaceAll("(?s).*<chronicle.jvm.flags>(.*?)</chronicle.jvm.flags>.*", "$1");
    assertThat(dockerfileValue("ENV", "JDK_JAVA_OPTIONS=\"([^\"]*)\"")).startsWith(pomFlags).contains("-Dchronicle.analytics.disable=true");
    int admin = defaultPort("admin.port");
    assertThat(lastStage).containsPattern("HEALTHCHECK[\\s\\S]*curl[^\\n]*http://127.0.0.1:" + admin + "/health/ready");
    assertThat(Files.readString(Path.of("src/main/resources/openapi.yaml"))).contains("  /health/ready:");
    assertThat(lastStage).containsPattern("EXPOSE " + defaultPort("tap.port") + " " + defaultPort("citizen.port") + " " + admin);
    assertThat(lastStage).contains("\"-jar\", \"/opt/hes/hes-gateway.jar\"");
    // What the build stage copies exists, and the ignore file lets it through.
    for (String copied : List.of("pom.xml", "config", "src", "config/gateway.yaml", "config/validator-clusters.yaml")) {
      assertThat(Path.of(copied)).exists();
    }
    assertThat(Files.readString(DOCKER.resolve("Dockerfile.dockerignore"))).contains("!pom.xml", "!src/main", "!config");
  }

  @Test
  void prometheusScrapesEveryGatewayAndGrafanaGetsItsFiles() throws IOException {
    Map<String, Object> prometheus = yaml(Path.of("config", "prometheus", "prometheus.yml"));
    List<String> targets = new ArrayList<>();
    Pattern target = Pattern.compile("\"?([a-z0-9-]+):(\\d+)\"?");
    Matcher matcher = target.matcher(String.valueOf(prometheus.get("scrape_configs")));
    while (matcher.find()) {
      targets.add(matcher.group(1) + ":" + matcher.group(2));
    }
    assertThat(targets).containsExactlyInAnyOrder(GATEWAYS.stream().map(name -> name + ":" + defaultPort("admin.port")).toArray(String[]::new));
    assertThat(String.valueOf(prometheus.get("scrape_configs"))).contains("metrics_path=/metrics");
    // The folder is mounted where the image reads prometheus.yml, and the rule files are named
    // relative to it: the same paths in the repository (promtool) and in the container.
    assertThat(list(service("prometheus"), "volumes")).contains("../config/prometheus:/etc/prometheus:ro");
    for (String rules : list(prometheus, "rule_files")) {
      assertThat(Path.of(rules)).as("rule file %s", rules).isRelative();
      assertThat(Path.of("config", "prometheus").resolve(rules)).exists();
    }
    assertThat(String.valueOf(prometheus.get("alerting"))).contains("alertmanager:9093");

    for (String mount : list(service("grafana"), "volumes")) {
      Path source = DOCKER.resolve(mount.split(":")[0]).normalize();
      assertThat(source).as("grafana mount %s", mount).exists();
    }
    Map<String, Object> provider = yaml(Path.of("config", "grafana", "provisioning", "dashboards", "hes.yml"));
    assertThat(String.valueOf(provider.get("providers"))).contains("path=/var/lib/grafana/dashboards");
    assertThat(list(service("grafana"), "volumes")).contains("../config/grafana/dashboards:/var/lib/grafana/dashboards:ro");
    assertThat(Files.readString(Path.of("config", "grafana", "provisioning", "datasources", "prometheus.yml")))
        .contains("url: http://prometheus:9090");
  }

  @Test
  @SuppressWarnings("unchecked")
  void alertmanagerRoutesPagesAndTicketsToWebhooksWhoseUrlsComeFromTheEnvFile() throws IOException {
    Map<String, Object> alertmanager = service("alertmanager");
    assertThat(list(alertmanager, "volumes")).contains("../config/alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro");
    assertThat(list(alertmanager, "ports")).contains("127.0.0.1:9093:9093");
    Map<String, Object> config = yaml(Path.of("config", "alertmanager", "alertmanager.yml"));

    Map<String, Object> route = (Map<String, Object>) config.get("route");
    assertThat((List<String>) route.get("group_by")).containsExactly("alertname", "node");
    Map<String, String> receiverOf = new LinkedHashMap<>();
    for (Map<String, Object> child : (List<Map<String, Object>>) route.get("routes")) {
      receiverOf.put(String.valueOf(child.get("matchers")), (String) child.get("receiver"));
    }
    assertThat(receiverOf).containsEntry("[severity=\"page\"]", "pager").containsEntry("[severity=\"ticket\"]", "tickets");
    assertThat(route.get("receiver")).as("an alert without a severity pages").isEqualTo("pager");

    // Each receiver's webhook URL file is one compose writes from a docker/.env variable.
    Map<String, Object> compose = yaml(DOCKER.resolve("compose.yaml"));
    Map<String, String> targets = new LinkedHashMap<>();
    for (Map<String, Object> mounted : (List<Map<String, Object>>) alertmanager.get("configs")) {
      targets.put((String) mounted.get("target"), (String) mounted.get("source"));
    }
    Map<String, Object> configs = (Map<String, Object>) compose.get("configs");
    List<Map<String, Object>> receivers = (List<Map<String, Object>>) config.get("receivers");
    assertThat(receivers).extracting(receiver -> receiver.get("name")).containsExactlyInAnyOrder("pager", "tickets");
    for (Map<String, Object> receiver : receivers) {
      List<Map<String, Object>> webhooks = (List<Map<String, Object>>) receiver.get("webhook_configs");
      assertThat(webhooks).as("webhooks of %s", receiver.get("name")).isNotEmpty();
      for (Map<String, Object> webhook : webhooks) {
        String file = (String) webhook.get("url_file");
        assertThat(targets).as("a compose config mounted at %s", file).containsKey(file);
        String content = String.valueOf(((Map<String, Object>) configs.get(targets.get(file))).get("content"));
        assertThat(content).as("the URL of %s", receiver.get("name")).startsWith("${ALERT_").contains("_WEBHOOK_URL");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyImageIsPinnedToAVersion() throws IOException {
    Map<String, Object> services = (Map<String, Object>) yaml(DOCKER.resolve("compose.yaml")).get("services");
    String version = Files.readString(Path.of("pom.xml")).replaceAll("(?s).*?<artifactId>hes-gateway</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
    services.forEach((name, definition) -> {
      Map<String, Object> service = (Map<String, Object>) definition;
      String image = String.valueOf(service.get("image"));
      int colon = image.lastIndexOf(':');
      assertThat(colon).as("tag of %s's image %s", name, image).isGreaterThan(image.lastIndexOf('/'));
      String tag = image.substring(colon + 1);
      if (service.containsKey("build")) {
        // Built here, from this source: named after the version it is built from.
        assertThat(tag).as("tag of %s's image", name).isEqualTo(version);
      } else {
        // Pulled: a version down to its minor at least (postgres:16.4, not postgres:16 or latest).
        assertThat(tag).as("tag of %s's image", name).matches("v?\\d+\\.\\d+(\\.\\d+)?([-.][a-z0-9.-]+)?");
      }
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void onlyTheValidatorsTapPortIsPublishedOnEveryInterface() throws IOException {
    Map<String, Object> services = (Map<String, Object>) yaml(DOCKER.resolve("compose.yaml")).get("services");
    String tap = String.valueOf(defaultPort("tap.port"));
    List<String> everyInterface = new ArrayList<>();
    services.forEach((name, definition) -> {
      for (String mapping : list((Map<String, Object>) definition, "ports")) {
        String[] parts = mapping.split(":");
        assertThat(parts).as("%s publishes %s as host:container or address:host:container", name, mapping).hasSizeBetween(2, 3);
        if (parts.length == 2) {
          assertThat(parts[1]).as("%s publishes %s on every interface", name, mapping).isEqualTo(tap);
          everyInterface.add(name);
        } else {
          assertThat(parts[0]).as("address of %s's %s", name, mapping).isEqualTo("127.0.0.1");
        }
      }
    });
    assertThat(everyInterface).containsExactlyInAnyOrderElementsOf(GATEWAYS);
  }

  @Test
  void theReadmeExplainsEveryVariableOfTheComposeFileAndTheEnvExample() throws IOException {
    String readme = Files.readString(DOCKER.resolve("README.md"));
    String compose = Files.readString(DOCKER.resolve("compose.yaml"));
    Set<String> used = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(compose).results().map(match -> match.group(1))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    assertThat(used).contains("POSTGRES_PASSWORD", "ALERT_PAGE_WEBHOOK_URL");
    Set<String> example = Pattern.compile("(?m)^([A-Z0-9_]+)=").matcher(Files.readString(DOCKER.resolve(".env.example"))).results()
        .map(match -> match.group(1)).collect(Collectors.toCollection(java.util.TreeSet::new));
    assertThat(example).as("docker/.env.example names every variable the compose file uses").containsAll(used);
    for (String variable : example) {
      assertThat(readme).as("docker/README.md explains %s", variable).contains("`" + variable + "`");
    }
    // The files it names exist (but docker/.env: the operator's copy, never committed).
    Matcher files = Pattern.compile("`((?:config|docker)/[^`\\s]+)`").matcher(readme);
    while (files.find()) {
      if (!files.group(1).equals("docker/.env")) {
        assertThat(Path.of(files.group(1))).as("file named in docker/README.md").exists();
      }
    }
  }

  private static String dockerfile() throws IOException {
    return Files.readString(DOCKER.resolve("Dockerfile"));
  }

  private static String dockerfileValue(String instruction, String pattern) throws IOException {
    Matcher matcher = Pattern.compile(pattern).matcher(dockerfile());
    assertThat(matcher.find()).as("%s %s in the Dockerfile", instruction, pattern).isTrue();
    return matcher.group(1);
  }
}
