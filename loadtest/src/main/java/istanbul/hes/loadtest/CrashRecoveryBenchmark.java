package istanbul.hes.loadtest;

import io.vertx.core.json.JsonObject;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.demo.DemoEnvironment;
import istanbul.hes.demo.DemoPopulation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node process killed with SIGKILL under tap load while it applies risk deltas, K times, and
 * started again each time: how long from the new JVM's start (and from the kill) until it is
 * ready, and how the map was loaded. The population, PostgreSQL, Redis and the Ministry of Health
 * simulator (a steady stream of risk deltas, so map writes are in flight at each kill) are the
 * demo's, in this process; the node is the kit jar's {@code node} command, a process of its own
 * with its own data folder. The first start builds that node's map (not counted). After the last
 * kill, the node's map is compared with PostgreSQL card by card (the operators' full check): any
 * mismatch exits 1.
 *
 * <pre>bash loadtest/crash-recovery.sh [--cards N] [--kills K] [--deltas-per-second R] [--data-dir DIR]</pre>
 */
public final class CrashRecoveryBenchmark {
  private static final Pattern MAP_READY = Pattern.compile("card map ready: (\\w+) \\((.*)\\), (\\d+) entries, (\\d+) repaired, (\\d+) caught up .* in (\\d+) ms");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private CrashRecoveryBenchmark() {}

  public static void main(String[] args) {
    BenchmarkMain.exit(() -> run(args));
  }

  private static boolean run(String[] args) throws Exception {
    long cards = 1_000_000;
    int kills = 10;
    double deltasPerSecond = 500;
    int minUptime = 5;
    int maxUptime = 15;
    Path dataDir = Path.of("loadtest", "target", "crash-recovery-data");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cards" -> cards = Long.parseLong(args[i + 1].replace("_", ""));
        case "--kills" -> kills = Integer.parseInt(args[i + 1]);
        case "--deltas-per-second" -> deltasPerSecond = Double.parseDouble(args[i + 1]);
        case "--data-dir" -> dataDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException(
            "usage: crash-recovery.sh [--cards N] [--kills K] [--deltas-per-second R] [--data-dir DIR]");
      }
    }
    Path kitJar = Path.of(System.getProperty("hes.kit.jar", "target/hes-gateway-kit.jar")).toAbsolutePath();
    Path nodeDir = dataDir.resolve("killed-node").toAbsolutePath();
    Files.createDirectories(nodeDir);
    DemoEnvironment environment = DemoEnvironment.prepare(cards, dataDir, Optional.empty(),
        Map.of("tap.port", "0", "admin.port", "0", "citizen.port", "0", "points.port", "0", "node.id", "crash-demo"), System.out);
    try {
      Map<String, String> settings = nodeSettings(environment.config(), nodeDir, freePort(), freePort());
      String tapUrl = "http://127.0.0.1:" + settings.get("tap.port") + "/v1/taps";
      String adminUrl = "http://127.0.0.1:" + settings.get("admin.port");
      Wrk wrk = new Wrk(environment.validatorToken(), 1, 16, Files.createTempDirectory("crash-recovery"));
      SplittableRandom random = new SplittableRandom(7);
      List<String> bodies = new ArrayList<>();
      for (int b = 0; b < 4096; b++) {
        bodies.add("{\"card\":\"" + CardNumber.format(DemoPopulation.cardNumber(random.nextLong(cards)))
            + "\",\"validator\":\"CRASH-01\",\"at\":\"2026-11-21T08:00:00Z\"}");
      }
      Path script = wrk.script("taps", bodies, 1);
      environment.generateDeltas(deltasPerSecond);

      System.out.printf("first start of the node (its map is built, not counted); log in %s%n", nodeDir.resolve("node-0.log"));
      Started first = start(kitJar, settings, nodeDir, 0, adminUrl);
      System.out.printf("first start: %s in %.1f s%n", first.mapLine, first.readySeconds);
      Started running = first;
      Rounds table = new Rounds("uptime s|%.1f", "JVM start to ready s|%.2f", "kill to ready s|%.2f", "map load ms", "repaired",
          "caught up");
      table.printHeader();
      boolean allRecovered = true;
      for (int kill = 1; kill <= kills; kill++) {
        int uptime = minUptime + random.nextInt(maxUptime - minUptime + 1);
        Process node = running.process;
        CompletableFuture<Wrk.Result> taps = CompletableFuture.supplyAsync(() -> {
          try {
            return wrk.run(tapUrl, script, uptime + 2);
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        TimeUnit.SECONDS.sleep(uptime); // the kill's moment: load and deltas run meanwhile
        long killed = System.nanoTime();
        node.destroyForcibly();
        node.waitFor(30, TimeUnit.SECONDS);
        running = start(kitJar, settings, nodeDir, kill, adminUrl);
        taps.join();
        Matcher line = MAP_READY.matcher(running.mapLine);
        boolean matched = line.find();
        allRecovered &= matched && line.group(1).equals("RECOVERED");
        table.add(Integer.toString(kill), matched ? line.group(1) + ": " + line.group(2) : running.mapLine, uptime,
            running.readySeconds, (running.readyNanos - killed) / 1e9, matched ? Double.parseDouble(line.group(6)) : Double.NaN,
            matched ? Double.parseDouble(line.group(4)) : Double.NaN, matched ? Double.parseDouble(line.group(5)) : Double.NaN);
      }
      table.printMedians();
      environment.generateDeltas(0);
      JsonObject check = fullCheck(adminUrl, environment.operatorToken());
      System.out.printf("after the last kill, the map against PostgreSQL, every card: checked %,d, mismatches %d (%s)%n",
          check.getLong("checked"), check.getLong("mismatches"), check.encode());
      running.process.destroy();
      running.process.waitFor(60, TimeUnit.SECONDS);
      return allRecovered && check.getLong("mismatches") == 0 && check.getLong("checked") > 0;
    } finally {
      environment.close();
    }
  }

  /** The operators' full check; while the node's own scheduled check runs (409), asked again, for at most 10 minutes. */
  private static JsonObject fullCheck(String adminUrl, String operatorToken) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (true) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/admin/v1/consistency?mode=full"))
          .header("Authorization", "Bearer " + operatorToken).timeout(Duration.ofMinutes(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return new JsonObject(response.body());
      }
      if (response.statusCode() != 409 || System.nanoTime() > deadline) {
        throw new IllegalStateException("the full check answered " + response.statusCode() + ": " + response.body());
      }
      TimeUnit.SECONDS.sleep(1);
    }
  }

  private record Started(Process process, double readySeconds, long readyNanos, String mapLine) {}

  /** Starts the node process and waits (bounded) until it is ready; its map line from the log. */
  private static Started start(Path kitJar, Map<String, String> settings, Path nodeDir, int index, String adminUrl) throws Exception {
    Path log = nodeDir.resolve("node-" + index + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    command.addAll(List.of(System.getProperty("hes.chronicle.flags", "").trim().split("\\s+")));
    command.addAll(List.of("-jar", kitJar.toString(), "node"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    settings.forEach((key, value) -> builder.environment().put(ConfigSource.environmentName(key), value));
    long started = System.nanoTime();
    Process process = builder.start();
    long deadline = started + TimeUnit.MINUTES.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the node stopped; see " + log);
      }
      if (ready(adminUrl)) {
        long ready = System.nanoTime();
        String mapLine = Files.readAllLines(log).stream().filter(l -> l.contains("card map ready")).findFirst().orElse("(no map line)");
        return new Started(process, (ready - started) / 1e9, ready, mapLine);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the node was not ready after 15 minutes; see " + log);
  }

  private static boolean ready(String adminUrl) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The configuration keys a production node needs, from the demo's configuration; its own data folder and ports. */
  private static Map<String, String> nodeSettings(GatewayConfig config, Path nodeDir, int tapPort, int adminPort) {
    Map<String, String> settings = new HashMap<>();
    settings.put("node.id", "crash-node");
    settings.put("node.dataDir", nodeDir.toString());
    settings.put("database.url", config.database().url());
    settings.put("database.schema", config.database().schema());
    settings.put("redis.url", config.redis().url());
    settings.put("security.identityEncryptionKey", Base64.getEncoder().encodeToString(config.security().identityEncryptionKey()));
    settings.put("security.identityHashKey", Base64.getEncoder().encodeToString(config.security().identityHashKey()));
    settings.put("citizen.smsGatewayUrl", config.citizen().smsGatewayUrl());
    settings.put("citizen.tokenPublicKeyFile", config.citizen().tokenPublicKeyFile().orElseThrow().toAbsolutePath().toString());
    settings.put("citizen.port", "0");
    settings.put("admin.operatorToken", config.admin().operatorToken());
    settings.put("admin.port", Integer.toString(adminPort));
    settings.put("tap.port", Integer.toString(tapPort));
    settings.put("tap.clustersFile", config.tap().clustersFile().toAbsolutePath().toString());
    settings.put("displayMessages.file", Path.of("config", "display-messages.yaml").toAbsolutePath().toString());
    settings.put("cardStore.expectedCards", Long.toString(config.cardStore().expectedCards()));
    settings.put("ministryHealth.baseUrl", config.ministryHealth().baseUrl());
    settings.put("ministryHealth.username", config.ministryHealth().username());
    settings.put("ministryHealth.password", config.ministryHealth().password());
    settings.put("riskDeltas.enabled", "true");
    return settings;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
