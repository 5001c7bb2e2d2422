package istanbul.hes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import istanbul.hes.GatewayNode;
import istanbul.hes.cardstore.CardStatusMap;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.cardstore.StatusTransaction;
import istanbul.hes.citizen.auth.DevelopmentTokenIssuer;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.config.ConfigSource;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.db.Database;
import istanbul.hes.fanout.FanoutPeer;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.push.PushSimulator;
import istanbul.hes.simulator.sms.SmsSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one test class (or one test) owns: a fresh PostgreSQL schema, a data folder for the map
 * file, a validator clusters file, tokens and identity keys. Nodes started from it share them,
 * so a second node on the same environment is a restart of the first. {@link #close()} stops
 * what is still running, drops the schema and deletes the folder.
 */
public final class TestEnvironment implements AutoCloseable {
  public static final String CLUSTER = "test-station";
  public static final String SECOND_CLUSTER = "test-depot";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern SMS_CODE = Pattern.compile("(?<![0-9])([0-9]{4,10})(?![0-9])");

  private final String schema = "t_" + randomLowerCase(10);
  private final Path dataDirectory = TestServers.TestDirectories.create(schema);
  private final Path clustersFile = dataDirectory.resolve("validator-clusters.yaml");
  private final DevelopmentTokenIssuer identityProvider = DevelopmentTokenIssuer.generated();
  private final DevelopmentTokenIssuer staffProvider = DevelopmentTokenIssuer.generated();
  private final String clusterToken = randomToken();
  private final String secondClusterToken = randomToken();
  private final String operatorToken = randomToken();
  private final byte[] encryptionKey = randomBytes(32);
  private final byte[] hashKey = randomBytes(32);
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final String ministryPassword = randomToken();
  private final HealthMinistrySimulator healthMinistry = new HealthMinistrySimulator("127.0.0.1", 0, "institution-34", ministryPassword);
  private final SmsSimulator sms = new SmsSimulator("127.0.0.1", 0);
  private final PushSimulator push = new PushSimulator("127.0.0.1", 0);
  private final List<TestNode> nodes = new ArrayList<>();
  private Vertx clientVertx;
  private Pool pool;
  private FanoutPeer peer;

  public TestEnvironment() {
    this(Map.of());
  }

  /** @param settings configuration keys to set on top of the test defaults, e.g. tap.anonymousPolicy */
  public TestEnvironment(Map<String, String> settings) {
    this.settings.put("database.url", TestServers.databaseUrl());
    this.settings.put("redis.url", TestServers.redisUrl());
    // Keys and the status stream of this environment only: its nodes never see another test's.
    this.settings.put("redis.keyPrefix", schema + ":");
    this.settings.put("database.schema", schema);
    this.settings.put("database.poolSize", "4");
    this.settings.put("node.id", "test-" + schema);
    this.settings.put("node.dataDir", dataDirectory.toString());
    this.settings.put("node.eventLoops", "2");
    // Far below the production default: any blocking call on an event loop shows up, and fails the test.
    this.settings.put("node.eventLoopWarningMillis", "200");
    this.settings.put("tap.port", "0");
    this.settings.put("tap.host", "127.0.0.1");
    this.settings.put("tap.clustersFile", clustersFile.toString());
    this.settings.put("tap.clustersReloadSeconds", "1");
    this.settings.put("admin.port", "0");
    this.settings.put("citizen.port", "0");
    this.settings.put("citizen.host", "127.0.0.1");
    this.settings.put("citizen.tokenPublicKeyFile", writeTokenKey("identity-provider.pem", identityProvider).toString());
    this.settings.put("points.enabled", "true");
    this.settings.put("points.port", "0");
    this.settings.put("points.host", "127.0.0.1");
    this.settings.put("points.tokenPublicKeyFile", writeTokenKey("staff-provider.pem", staffProvider).toString());
    this.settings.put("admin.host", "127.0.0.1");
    this.settings.put("admin.operatorToken", operatorToken);
    this.settings.put("cardStore.expectedCards", "20000");
    this.settings.put("cardStore.rebuildFetchRows", "500");
    this.settings.put("security.identityEncryptionKey", Base64.getEncoder().encodeToString(encryptionKey));
    this.settings.put("security.identityHashKey", Base64.getEncoder().encodeToString(hashKey));
    // A Ministry of Health of this environment's own (faults switched on in one test stay there).
    Await.result(clientVertx().deployVerticle(healthMinistry));
    this.settings.put("ministryHealth.baseUrl", healthMinistry.baseUrl());
    this.settings.put("ministryHealth.username", "institution-34");
    this.settings.put("ministryHealth.password", ministryPassword);
    this.settings.put("ministryHealth.timeoutMillis", "1000");
    this.settings.put("ministryHealth.retries", "1");
    this.settings.put("ministryHealth.retryBackoffMillis", "20");
    this.settings.put("ministryHealth.breakerResetMillis", "300");
    // The SMS provider of this environment's own: tests read the verification codes it received.
    Await.result(clientVertx().deployVerticle(sms));
    this.settings.put("citizen.smsGatewayUrl", sms.messagesUrl());
    Await.result(clientVertx().deployVerticle(push));
    this.settings.put("campaigns.pushGatewayUrl", push.pushUrl());
    // Off unless a test is about it: its rounds would call the ministry in every other test.
    this.settings.put("hesRecheck.intervalSeconds", "0");
    this.settings.put("riskDeltas.enabled", "false");
    this.settings.putAll(settings);
    writeClusters(Map.of(CLUSTER, clusterToken, SECOND_CLUSTER, secondClusterToken));
  }

  /**
   * The environment variables that configure a node process like this environment's nodes
   * ({@code HES_…}, one per configuration key).
   */
  public Map<String, String> nodeEnvironment() {
    Map<String, String> variables = new LinkedHashMap<>();
    settings.forEach((key, value) -> variables.put(ConfigSource.environmentName(key), value));
    return variables;
  }

  /** This environment's simulated Ministry of Health, which its nodes are configured to call. */
  public HealthMinistrySimulator healthMinistry() {
    return healthMinistry;
  }

  /** This environment's simulated SMS provider, which its nodes send verification codes through. */
  public SmsSimulator sms() {
    return sms;
  }

  /** This environment's simulated push gateway, which its nodes send campaign notices to apps through. */
  public PushSimulator push() {
    return push;
  }

  /**
   * The verification code of the last SMS this environment's nodes sent to {@code phone} (any
   * accepted notation); a node answers a challenge only once its SMS was accepted.
   */
  public String lastCodeSentTo(String phone) {
    List<SmsSimulator.Message> messages = sms.messages(PhoneNumber.parse(phone).value());
    assertThat(messages).as("SMS sent to the phone").isNotEmpty();
    Matcher code = SMS_CODE.matcher(messages.get(messages.size() - 1).text());
    assertThat(code.find()).as("a code in the SMS").isTrue();
    return code.group(1);
  }

  /** Stands in for the portal's identity provider: mints the tokens the node accepts. */
  public DevelopmentTokenIssuer identityProvider() {
    return identityProvider;
  }

  /** Stands in for the municipality's staff identity provider: mints the sales-point agents' tokens. */
  public DevelopmentTokenIssuer staffProvider() {
    return staffProvider;
  }

  private Path writeTokenKey(String file, DevelopmentTokenIssuer provider) {
    try {
      return java.nio.file.Files.writeString(dataDirectory.resolve(file), provider.publicKeyPem());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public GatewayConfig config() {
    return config(Map.of());
  }

  private GatewayConfig config(Map<String, String> nodeSettings) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.putAll(nodeSettings);
    return GatewayConfig.from(ConfigSource.load(Optional.empty(), all, Map.of()));
  }

  /**
   * Starts one node of a cluster: its own id and data folder (map file, fan-out position) under
   * this environment's, the same PostgreSQL schema and Redis stream as every other node here;
   * started again under the same name, it finds its files as it left them. Waits for the map.
   */
  public TestNode startClusterNode(String name) {
    return startClusterNode(name, Map.of());
  }

  /** As {@link #startClusterNode(String)}, with settings of its own (keys, say). */
  public TestNode startClusterNode(String name, Map<String, String> nodeSettings) {
    Path directory = dataDirectory.resolve("node-" + name);
    Map<String, String> all = new LinkedHashMap<>(nodeSettings);
    all.put("node.id", "test-" + name);
    all.put("node.dataDir", directory.toString());
    GatewayNode started = Await.result(GatewayNode.start(config(all)));
    TestNode node = new TestNode(this, started, http());
    nodes.add(node);
    node.awaitLoaded();
    return node;
  }

  /** Starts a node and waits until its card map is loaded. */
  public TestNode startNode() {
    TestNode node = startNodeLoading();
    node.awaitLoaded();
    return node;
  }

  /** Starts a node with settings of its own on top of this environment's (keys, say), and waits for its map. */
  public TestNode startNodeWith(Map<String, String> nodeSettings) {
    GatewayNode started = Await.result(GatewayNode.start(config(nodeSettings)));
    TestNode node = new TestNode(this, started, http());
    nodes.add(node);
    node.awaitLoaded();
    return node;
  }

  /**
   * The settings of a key rotation: new current keys (ids 2), this environment's keys readable
   * as key id 1. Also what a node process is given, as {@code HES_…} variables.
   */
  public Map<String, String> rotatedKeys(byte[] newEncryptionKey, byte[] newHashKey) {
    return Map.of(
        "security.identityEncryptionKey", Base64.getEncoder().encodeToString(newEncryptionKey),
        "security.identityEncryptionKeyId", "2",
        "security.otherEncryptionKeys", "1:" + Base64.getEncoder().encodeToString(encryptionKey),
        "security.identityHashKey", Base64.getEncoder().encodeToString(newHashKey),
        "security.identityHashKeyId", "2",
        "security.otherHashKeys", "1:" + Base64.getEncoder().encodeToString(hashKey));
  }

  /** Starts a node without waiting for its card map. */
  public TestNode startNodeLoading() {
    GatewayNode started = Await.result(GatewayNode.start(config()));
    TestNode node = new TestNode(this, started, http());
    nodes.add(node);
    return node;
  }

  void stopped(TestNode node) {
    nodes.remove(node);
  }

  /** Applies the schema migrations without a node (to seed before the first start). */
  public void migrate() {
    Database.migrate(config().database());
  }

  /** A pool on this environment's schema that outlives nodes: seeding and checks while no node runs. */
  public synchronized Pool pool() {
    if (pool == null) {
      pool = Database.pool(clientVertx(), config().database());
    }
    return pool;
  }

  /**
   * A status store of "another node" whose map is never opened: changes go to PostgreSQL and
   * the change log only, as when they are made while this environment's node is down.
   */
  public CardStatusStore offlineStore() {
    return new CardStatusStore(pool(), new CardStatusMap());
  }

  /** A seeder writing through {@link #offlineStore()}; migrate first if no node ran yet. */
  public CardSeeder offlineSeeder() {
    return new CardSeeder(new StatusCommits() {
      @Override
      public <T> T commit(Function<StatusTransaction, Future<T>> work) {
        return Await.result(offlineStore().inTransaction(work));
      }
    }, identityProtector(), config().tap().timeZone());
  }

  /** Another node of this environment's cluster, as its nodes see one (see {@link TestNode#commitAsPeer}). */
  public synchronized FanoutPeer peer() {
    if (peer == null) {
      GatewayConfig config = config();
      peer = new FanoutPeer(clientVertx(), pool(), config.redis().url(), config.redis().keyPrefix(),
          config.fanout().streamMaxEntries());
    }
    return peer;
  }

  public IdentityProtector identityProtector() {
    return new IdentityProtector(encryptionKey, hashKey);
  }

  public synchronized Http http() {
    return new Http(clientVertx());
  }

  /** The Vert.x of this environment's own clients and simulators (never a node's). */
  public synchronized Vertx vertx() {
    return clientVertx();
  }

  private synchronized Vertx clientVertx() {
    if (clientVertx == null) {
      clientVertx = Vertx.vertx();
    }
    return clientVertx;
  }

  /** Rewrites the clusters file the nodes watch: cluster id to token. */
  public void writeClusters(Map<String, String> tokensByCluster) {
    StringBuilder yaml = new StringBuilder("clusters:\n");
    tokensByCluster.forEach((id, token) -> yaml.append("  - id: ").append(id).append("\n    token: \"").append(token).append("\"\n"));
    try {
      Path temporary = clustersFile.resolveSibling("validator-clusters.yaml.tmp");
      Files.writeString(temporary, yaml.toString(), StandardCharsets.UTF_8);
      Files.move(temporary, clustersFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Map<String, String> clusterTokens() {
    Map<String, String> tokens = new HashMap<>();
    tokens.put(CLUSTER, clusterToken);
    tokens.put(SECOND_CLUSTER, secondClusterToken);
    return tokens;
  }

  public String schema() {
    return schema;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public Path mapFile() {
    return config().cardStore().mapFile().toAbsolutePath();
  }

  public Path mapStateFile() {
    return mapFile().resolveSibling(mapFile().getFileName() + ".state");
  }

  public String clusterToken() {
    return clusterToken;
  }

  public String secondClusterToken() {
    return secondClusterToken;
  }

  public String operatorToken() {
    return operatorToken;
  }

  /** Runs SQL statements in this schema over JDBC (test set-up only: triggers, direct edits, locks). */
  public void sql(String... statements) {
    try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + e.getMessage(), e);
    }
  }

  /** The first column of every row of a query on this schema, as text (test checks only). */
  public List<String> column(String sql) {
    List<String> values = new ArrayList<>();
    try (Connection connection = jdbc(); Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed: " + e.getMessage(), e);
    }
    return values;
  }

  /** A JDBC connection on this schema; the caller closes it. */
  public Connection jdbc() throws SQLException {
    PgConnectOptions options = Database.connectOptions(config().database());
    return DriverManager.getConnection(Database.jdbcUrl(config().database()), options.getUser(),
        options.getPassword() == null ? "" : options.getPassword());
  }

  @Override
  public void close() {
    for (TestNode node : List.copyOf(nodes)) {
      node.stop();
    }
    if (peer != null) {
      peer.close();
    }
    if (pool != null) {
      Await.result(pool.close());
    }
    deleteRedisKeys();
    if (clientVertx != null) {
      Await.result(clientVertx.close());
    }
    try (Connection connection = jdbc();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test schema " + schema, e);
    }
    TestServers.TestDirectories.deleteRecursively(dataDirectory);
  }

  /** This environment's keys and status stream, from the Redis its nodes used (if it is still up). */
  private void deleteRedisKeys() {
    Redis client = Redis.createClient(clientVertx(), new RedisOptions().setConnectionString(settings.get("redis.url")));
    try {
      String cursor = "0";
      do {
        Response reply = Await.result(client.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(schema + ":*").arg("COUNT").arg(1000)));
        cursor = reply.get(0).toString();
        for (Response key : reply.get(1)) {
          Await.result(client.send(Request.cmd(Command.DEL).arg(key.toString())));
        }
      } while (!cursor.equals("0"));
    } catch (RuntimeException | AssertionError unreachable) {
      // A test that stopped its Redis leaves nothing behind there.
    } finally {
      client.close();
    }
  }

  static String randomLowerCase(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + RANDOM.nextInt(26)));
    }
    return text.toString();
  }

  private static String randomToken() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
