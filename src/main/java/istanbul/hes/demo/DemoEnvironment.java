package istanbul.hes.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import istanbul.hes.citizen.auth.DevelopmentTokenIssuer;
import istanbul.hes.cli.ProgressBar;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.db.Database;
import istanbul.hes.embedded.EmbeddedServers;
import istanbul.hes.identity.DevelopmentKeys;
import istanbul.hes.identity.SecretFiles;
import istanbul.hes.portal.PortalPages;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a demo node needs before it starts, shared by the demo command and the load tests:
 * configuration with the demo's data folder and generated tokens, the embedded PostgreSQL and
 * Redis (unless external ones are configured), the schema, and the {@link DemoPopulation} in the
 * database. {@link #close()} stops the servers it started; stop the node first.
 */
public final class DemoEnvironment implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DemoEnvironment.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static final String CLUSTER_ID = "DEMO-STATION";
  /** The smallest map the demo sizes, so a small population still has room to grow. */
  static final long MIN_EXPECTED_CARDS = 10_000;
  /** How long a token of the demo's identity provider lives (at most citizen.tokenMaxLifetimeSeconds). */
  static final long PORTAL_TOKEN_SECONDS = 900;

  private final GatewayConfig config;
  private final String validatorToken;
  private final List<AutoCloseable> servers;
  private final DemoSimulators simulators;
  private final long cards;

  private DemoEnvironment(GatewayConfig config, String validatorToken, List<AutoCloseable> servers, DemoSimulators simulators,
      long cards) {
    this.simulators = simulators;
    this.cards = cards;
    this.config = config;
    this.validatorToken = validatorToken;
    this.servers = servers;
  }

  /**
   * Blocks (servers, JDBC, bulk load): call from a main thread.
   *
   * @param overrides further configuration keys (e.g. ports for a load test), applied before the
   *     environment variables like every override
   */
  public static DemoEnvironment prepare(long cards, Path dataDir, Optional<Path> configFile, Map<String, String> overrides, PrintStream out) {
    Secrets secrets = ensureSecrets(dataDir);
    GatewayConfig config = configure(cards, dataDir, configFile, overrides, secrets);
    List<AutoCloseable> servers = new ArrayList<>();
    DemoSimulators simulators = null;
    try {
      simulators = simulators(config, cards, servers);
      config = pointedAt(simulators, cards, dataDir, configFile, overrides, secrets, config);
      config = EmbeddedServers.startWhereMissing(DevelopmentKeys.ensure(config), servers);
      Database.migrate(config.database());
      ensurePopulation(config, cards, out);
      if (simulators != null && simulators.health().isPresent()) {
        startFeedOver(config);
      }
    } catch (RuntimeException | SQLException e) {
      EmbeddedServers.stopAll(servers);
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException("the population could not be written", e);
    }
    // The environment may point the node at another cluster file: then the token is not ours.
    String validatorToken = config.tap().clustersFile().equals(secrets.clustersFile()) ? secrets.validatorToken() : "<your cluster token>";
    return new DemoEnvironment(config, validatorToken, servers, simulators, cards);
  }

  /**
   * Starts the ministry, SMS and push simulators the configuration does not replace with real
   * services (ministryHealth.baseUrl, ministryInterior.baseUrl, citizen.smsGatewayUrl,
   * campaigns.pushGatewayUrl); null when it replaces all four.
   */
  private static DemoSimulators simulators(GatewayConfig config, long cards, List<AutoCloseable> servers) {
    boolean health = !config.ministryHealth().configured();
    boolean interior = !config.ministryInterior().configured();
    boolean sms = config.citizen().smsGatewayUrl().isEmpty();
    boolean push = config.campaigns().pushGatewayUrl().isEmpty();
    boolean identity = !config.portal().enabled();
    if (!health && !interior && !sms && !push && !identity) {
      return null;
    }
    DemoSimulators simulators = DemoSimulators.start(cards, health, interior, sms, push);
    servers.add(simulators);
    if (identity) {
      startIdentityProvider(simulators, config, cards);
    }
    return simulators;
  }

  /**
   * The portal's development identity provider, signing with the development key the node is
   * pointed at (a node configured with another provider's key has its portal configured too, or
   * the demo's tokens would be refused: then it offers nobody and says so).
   */
  private static void startIdentityProvider(DemoSimulators simulators, GatewayConfig config, long cards) {
    Path developmentKey = config.node().dataDir().resolve("secrets").resolve(DevelopmentTokenIssuer.PUBLIC_FILE);
    if (!config.citizen().tokenPublicKeyFile().map(developmentKey::equals).orElse(false)) {
      LOG.warn("the portal stays off: citizen.tokenPublicKeyFile names another identity provider than the demo's; "
          + "set portal.enabled, portal.authorizationUrl and portal.tokenUrl for it");
      return;
    }
    DevelopmentTokenIssuer issuer = DevelopmentTokenIssuer.forNode(config);
    Duration lifetime = Duration.ofSeconds(Math.min(PORTAL_TOKEN_SECONDS, config.citizen().tokenMaxLifetimeSeconds()));
    String tokenIssuer = config.citizen().tokenIssuer();
    String audience = config.citizen().tokenAudience();
    simulators.startIdentityProvider(config.portal().clientId(), DemoPortalPeople.of(cards),
        subject -> issuer.mint(simulators.vertx(), subject, tokenIssuer, audience, lifetime), lifetime);
  }

  /** The configuration with the node pointed at the simulators started for it. */
  private static GatewayConfig pointedAt(DemoSimulators simulators, long cards, Path dataDir, Optional<Path> configFile,
      Map<String, String> overrides, Secrets secrets, GatewayConfig config) {
    if (simulators == null) {
      return config;
    }
    Map<String, String> pointed = new HashMap<>(overrides);
    simulators.healthUrl().ifPresent(url -> {
      pointed.put("ministryHealth.baseUrl", url);
      pointed.put("ministryHealth.username", DemoSimulators.HEALTH_USER);
      pointed.put("ministryHealth.password", simulators.healthPassword());
    });
    simulators.interior().ifPresent(interior -> {
      pointed.put("ministryInterior.baseUrl", interior.baseUrl());
      pointed.put("ministryInterior.username", DemoSimulators.INTERIOR_USER);
      pointed.put("ministryInterior.password", simulators.interiorPassword());
    });
    simulators.smsUrl().ifPresent(url -> pointed.put("citizen.smsGatewayUrl", url + "/messages"));
    simulators.pushUrl().ifPresent(url -> pointed.put("campaigns.pushGatewayUrl", url));
    simulators.identityProvider().ifPresent(provider -> {
      pointed.put("portal.enabled", "true");
      pointed.put("portal.authorizationUrl", provider.authorizationUrl());
      pointed.put("portal.tokenUrl", provider.tokenUrl());
    });
    return configure(cards, dataDir, configFile, pointed, secrets);
  }

  /**
   * The demo's Ministry of Health simulator keeps its risk feed in memory: each demo start is a
   * new feed from sequence 1, so the node's position in the previous one must start over too
   * (a position ahead of the feed would wait for sequence numbers that never come).
   */
  private static void startFeedOver(GatewayConfig config) throws SQLException {
    try (java.sql.Connection connection = PopulationLoader.connect(config.database());
        java.sql.Statement statement = connection.createStatement()) {
      if (statement.executeUpdate("UPDATE delta_cursor SET last_applied_seq = 0 WHERE last_applied_seq > 0") > 0) {
        LOG.info("the demo's ministry simulator starts a new risk feed: the node's feed position starts over");
      }
    }
  }

  /** The node configuration, with the URLs of the servers started here. */
  public GatewayConfig config() {
    return config;
  }

  /** Bearer token of the demo's validator cluster. */
  public String validatorToken() {
    return validatorToken;
  }

  public String operatorToken() {
    return config.admin().operatorToken();
  }

  /** The Ministry of Health simulator the demo started (load tests drive its feed and faults). */
  public Optional<istanbul.hes.simulator.health.HealthMinistrySimulator> healthSimulator() {
    return simulators == null ? Optional.empty() : simulators.health();
  }

  /** The Ministry of Interior simulator the demo started (load tests drive its faults and read what it received). */
  public Optional<istanbul.hes.simulator.interior.InteriorMinistrySimulator> interiorSimulator() {
    return simulators == null ? Optional.empty() : simulators.interior();
  }

  /** Starts (or, with 0, stops) the ministry simulator's stream of risk deltas about demo holders. */
  public void generateDeltas(double perSecond) {
    if (simulators != null) {
      simulators.generateDeltas(cards, perSecond);
    }
  }

  /** The push simulator's endpoint, when the demo started one. */
  public Optional<String> pushSimulatorUrl() {
    return simulators == null ? Optional.empty() : simulators.pushUrl();
  }

  /**
   * Registers the portal of a node listening for citizens on {@code citizenPort} (its address and
   * its localhost twin) with the development identity provider, and returns its address; empty
   * when the portal is off.
   */
  public Optional<String> openPortal(int citizenPort) {
    if (!config.portal().enabled()) {
      return Optional.empty();
    }
    String portal = "http://127.0.0.1:" + citizenPort + PortalPages.PATH;
    if (simulators != null) {
      simulators.identityProvider().ifPresent(provider -> provider.allowRedirect(portal)
          .allowRedirect("http://localhost:" + citizenPort + PortalPages.PATH));
    }
    return Optional.of(portal);
  }

  /** The SMS simulator's base URL, when the demo started one (its GET /messages shows the codes sent). */
  public Optional<String> smsSimulatorUrl() {
    return simulators == null ? Optional.empty() : simulators.smsUrl();
  }

  /** The Ministry of Health simulator's base URL, when the demo started one. */
  public Optional<String> healthSimulatorUrl() {
    return simulators == null ? Optional.empty() : simulators.healthUrl();
  }

  public Path clustersFile() {
    return config.tap().clustersFile();
  }

  @Override
  public void close() {
    EmbeddedServers.stopAll(servers);
  }

  // ---- configuration ------------------------------------------------------------------------

  record Secrets(Path clustersFile, String validatorToken, String operatorToken) {}

  static GatewayConfig configure(long cards, Path dataDir, Optional<Path> configFile, Map<String, String> extra, Secrets secrets) {
    Map<String, String> overrides = new HashMap<>(extra);
    overrides.putIfAbsent("node.dataDir", dataDir.toString());
    overrides.putIfAbsent("tap.clustersFile", secrets.clustersFile().toString());
    GatewayConfig configured = GatewayConfig.load(configFile, overrides);
    // The demo starts its servers itself and hands their URLs to the node, so the node cannot
    // tell them from external ones: point it at the development identity provider's key.
    if (configured.citizen().tokenPublicKeyFile().isEmpty()) {
      DevelopmentTokenIssuer.forNode(configured);
      overrides.put("citizen.tokenPublicKeyFile",
          configured.node().dataDir().resolve("secrets").resolve(DevelopmentTokenIssuer.PUBLIC_FILE).toString());
    }
    // The sales points' listener runs in the demo, its agents signed in by the development staff key.
    if (!overrides.containsKey("points.enabled") && configured.points().tokenPublicKeyFile().isEmpty()) {
      DevelopmentTokenIssuer.ensureStaff(configured.node().dataDir().resolve("secrets"));
      overrides.put("points.enabled", "true");
      overrides.put("points.tokenPublicKeyFile",
          configured.node().dataDir().resolve("secrets").resolve(DevelopmentTokenIssuer.STAFF_PUBLIC_FILE).toString());
    }
    if (configured.admin().operatorToken().isEmpty()) {
      overrides.put("admin.operatorToken", secrets.operatorToken());
    }
    // The map is sized for the population unless the operator sized it.
    long defaultExpected = GatewayConfig.from(ConfigSource.load(Optional.empty(), Map.of(), Map.of())).cardStore().expectedCards();
    if (configured.cardStore().expectedCards() == defaultExpected) {
      overrides.put("cardStore.expectedCards", Long.toString(Math.max(cards, MIN_EXPECTED_CARDS)));
    }
    return GatewayConfig.load(configFile, overrides);
  }

  /** The cluster file and operator token under the data folder, generated on the first run. */
  static Secrets ensureSecrets(Path dataDir) {
    try {
      Path secretsDir = dataDir.resolve("secrets");
      Files.createDirectories(secretsDir);
      Path clustersFile = dataDir.resolve("validator-clusters.yaml");
      if (!Files.isRegularFile(clustersFile)) {
        writeSecret(clustersFile, "# Generated by the demo: one validator cluster and its token.\n"
            + "clusters:\n  - id: " + CLUSTER_ID + "\n    token: \"" + randomToken() + "\"\n");
      }
      Path operatorFile = secretsDir.resolve("operator-token");
      if (!Files.isRegularFile(operatorFile)) {
        writeSecret(operatorFile, randomToken() + "\n");
      }
      JsonNode clusters = YAML.readTree(clustersFile.toFile());
      String validatorToken = clusters.path("clusters").path(0).path("token").asText("");
      String operatorToken = Files.readString(operatorFile, StandardCharsets.UTF_8).trim();
      return new Secrets(clustersFile, validatorToken, operatorToken);
    } catch (IOException e) {
      throw new UncheckedIOException("the demo's secrets under " + dataDir + " are unreadable", e);
    }
  }

  /** 32 URL-safe characters from 24 random bytes. */
  static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void writeSecret(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    SecretFiles.restrictToOwner(temporary);
    Files.move(temporary, file);
  }

  // ---- population ---------------------------------------------------------------------------

  private static void ensurePopulation(GatewayConfig config, long cards, PrintStream out) throws SQLException {
    long existing = PopulationLoader.existingCards(config.database(), cards);
    if (existing == cards) {
      out.printf("the database already holds the %,d-card demo population: reusing it%n", cards);
      return;
    }
    out.printf("generating %,d cards (the database holds %s)…%n", cards,
        existing < 0 ? "another population of that size" : String.format("%,d", existing));
    deleteMapFile(config.cardStore().mapFile());
    ProgressBar bar = new ProgressBar(out, cards, "cards");
    PopulationLoader.Summary summary;
    try {
      summary = new PopulationLoader(config.database(), config.security(), Runtime.getRuntime().availableProcessors())
          .load(cards, bar::update);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating the population", e);
    }
    bar.done();
    out.printf("wrote %,d cards, %,d holders, %,d HES links, %,d risk records, %,d blocks in %.1f s (%,.0f cards/s)%n",
        summary.cards(), summary.owners(), summary.hesLinks(), summary.riskRows(), summary.blocks(),
        summary.millis() / 1000.0, summary.cards() * 1000.0 / Math.max(1, summary.millis()));
    StringBuilder mix = new StringBuilder("expected tap classes:");
    summary.profiles().forEach((profile, count) -> mix.append(String.format(" %s %,d (%.2f %%)", profile, count, 100.0 * count / cards)));
    out.println(mix);
  }

  /** A new population makes the map file stale: remove it and its state so the node rebuilds. */
  private static void deleteMapFile(Path mapFile) {
    try {
      Files.deleteIfExists(mapFile);
      Files.deleteIfExists(mapFile.resolveSibling(mapFile.getFileName() + ".state"));
    } catch (IOException e) {
      throw new UncheckedIOException("the old map file " + mapFile + " could not be removed", e);
    }
  }

}
