package istanbul.hes;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.testing.TestEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Start-up failures as an operator meets them: the shaded jar run as {@code node} with a
 * test environment's settings, one thing wrong at a time. Each start must end within seconds
 * with one ERROR line that names the key to look at, where its value came from and the cause,
 * no stack trace, and exit 2 for a value to correct or 1 for something around the node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeStartupIT {
  private static final Duration BOUND = Duration.ofSeconds(45);

  private TestEnvironment environment;

  @BeforeAll
  void environment() {
    environment = new TestEnvironment();
  }

  @AfterAll
  void close() {
    environment.close();
  }

  private record Outcome(int exitCode, String output, Duration took) {
    List<String> errorLines() {
      return output.lines().filter(line -> line.contains(" ERROR ")).toList();
    }
  }

  private Outcome run(Map<String, String> changes, String... arguments) throws IOException, InterruptedException {
    Map<String, String> variables = new HashMap<>(environment.nodeEnvironment());
    changes.forEach((name, value) -> {
      if (value == null) {
        variables.remove(name);
      } else {
        variables.put(name, value);
      }
    });
    Path log = Files.createTempFile(environment.dataDirectory(), "start-", ".log");
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dchronicle.analytics.disable=true", "-jar", System.getProperty("hes.gateway.jar", "target/hes-gateway.jar"), "node"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("HES_"));
    builder.environment().putAll(variables);
    long started = System.nanoTime();
    Process process = builder.start();
    boolean ended = process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ended).as("the node ended by itself within %s; it printed:%n%s", BOUND, Files.readString(log)).isTrue();
    return new Outcome(process.exitValue(), Files.readString(log), Duration.ofNanos(System.nanoTime() - started));
  }

  /** One ERROR line, starting as every start-up failure does, naming the key; no stack frame anywhere. */
  private static String theOneLine(Outcome outcome, String key) {
    assertThat(outcome.errorLines()).as(outcome.output()).hasSize(1);
    assertThat(outcome.output()).as("no stack trace without --debug").doesNotContain("\tat ").doesNotContain("Exception:");
    String line = outcome.errorLines().get(0);
    assertThat(line).contains("the node did not start: " + key + " (");
    return line;
  }

  @Test
  void withoutADatabaseUrlTheNodeExitsTwoAtOnceAndStartsNoPostgres() throws Exception {
    Path dataDir = environment.dataDirectory().resolve("no-database-url");
    Outcome outcome = run(Map.of("HES_DATABASE_URL", "", "HES_NODE_DATA_DIR", dataDir.toString()));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(theOneLine(outcome, "database.url")).contains("from environment HES_DATABASE_URL").contains("is empty");
    assertThat(outcome.took()).isLessThan(Duration.ofSeconds(15));
    assertThat(dataDir.resolve("postgres")).doesNotExist();
    assertThat(ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
        .map(line -> line.contains("postgres") && line.contains(dataDir.toString())).orElse(false)).count()).isZero();
  }

  @Test
  void unsetServerUrlsAreNamedWithWhereToSetThem() throws Exception {
    Map<String, String> unset = new HashMap<>();
    unset.put("HES_DATABASE_URL", null);
    Outcome noDatabase = run(unset);
    assertThat(noDatabase.exitCode()).isEqualTo(2);
    assertThat(theOneLine(noDatabase, "database.url")).contains("the default; set HES_DATABASE_URL or the configuration file");

    Outcome noRedis = run(Map.of("HES_REDIS_URL", ""));
    assertThat(noRedis.exitCode()).isEqualTo(2);
    theOneLine(noRedis, "redis.url");

    Outcome noKey = run(Map.of("HES_SECURITY_IDENTITY_HASH_KEY", ""));
    assertThat(noKey.exitCode()).isEqualTo(2);
    theOneLine(noKey, "security.identityHashKey");

    // No SMS gateway: citizens would never get their codes; the node used to "send" them to memory.
    Outcome noSms = run(Map.of("HES_CITIZEN_SMS_GATEWAY_URL", ""));
    assertThat(noSms.exitCode()).isEqualTo(2);
    assertThat(theOneLine(noSms, "citizen.smsGatewayUrl")).contains("is empty").contains("verification codes");
  }

  @Test
  void aDatabaseThatRefusesConnectionsIsAnEnvironmentFailureNamingTheUrl() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = probe.getLocalPort();
    }
    Outcome outcome = run(Map.of("HES_DATABASE_URL", "postgresql://gateway@127.0.0.1:" + closedPort + "/hes"));

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(theOneLine(outcome, "database.url")).contains("from environment HES_DATABASE_URL")
        .contains("cannot reach PostgreSQL at 127.0.0.1:" + closedPort + "/hes (user gateway)").containsIgnoringCase("refused");
  }

  @Test
  void aDatabaseThatDoesNotExistIsAConfigurationFailure() throws Exception {
    String url = environment.config().database().url();
    String missing = url.substring(0, url.lastIndexOf('/') + 1) + "no_such_database_" + System.nanoTime();
    Outcome outcome = run(Map.of("HES_DATABASE_URL", missing));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(theOneLine(outcome, "database.url")).contains("has no such database");
  }

  @Test
  void aDatabaseUrlWithoutAUserIsRefusedBeforeAnyConnection() throws Exception {
    Outcome outcome = run(Map.of("HES_DATABASE_URL", "postgresql://127.0.0.1:5432/hes"));

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.output()).contains("configuration key database.url (from environment HES_DATABASE_URL): must name the user")
        .doesNotContain("\tat ");
  }

  @Test
  void aPortInUseIsAnEnvironmentFailureNamingTheListenersPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Outcome outcome = run(Map.of("HES_ADMIN_PORT", Integer.toString(taken.getLocalPort())));

      assertThat(outcome.exitCode()).isEqualTo(1);
      assertThat(theOneLine(outcome, "admin.port")).contains("127.0.0.1:" + taken.getLocalPort()).contains("in use");
    }
  }

  @Test
  void aMissingOrMalformedClustersFileIsAConfigurationFailureNamingTheFile() throws Exception {
    Path missing = environment.dataDirectory().resolve("no-such-clusters.yaml");
    Outcome absent = run(Map.of("HES_TAP_CLUSTERS_FILE", missing.toString()));
    assertThat(absent.exitCode()).isEqualTo(2);
    assertThat(theOneLine(absent, "tap.clustersFile")).contains(missing + " cannot be read: no such file");

    Path malformed = Files.writeString(environment.dataDirectory().resolve("malformed-clusters.yaml"), "clusters: [ {id: A, token: \n");
    Outcome invalid = run(Map.of("HES_TAP_CLUSTERS_FILE", malformed.toString()));
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(theOneLine(invalid, "tap.clustersFile")).contains(malformed + " is invalid: not valid YAML (line ");
  }

  @Test
  void aMissingOrMalformedIdentityProviderKeyIsAConfigurationFailure() throws Exception {
    Path missing = environment.dataDirectory().resolve("no-such-idp.pem");
    Outcome absent = run(Map.of("HES_CITIZEN_TOKEN_PUBLIC_KEY_FILE", missing.toString()));
    assertThat(absent.exitCode()).isEqualTo(2);
    assertThat(theOneLine(absent, "citizen.tokenPublicKeyFile")).contains("cannot read " + missing + ": no such file");

    Path garbage = Files.writeString(environment.dataDirectory().resolve("garbage.pem"), "-----BEGIN PUBLIC KEY-----\nnot base64\n");
    Outcome invalid = run(Map.of("HES_CITIZEN_TOKEN_PUBLIC_KEY_FILE", garbage.toString()));
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(theOneLine(invalid, "citizen.tokenPublicKeyFile")).contains(garbage + " is not a usable public key");
  }

  @Test
  void aReadOnlyDataFolderIsAnEnvironmentFailureNamingTheFolder() throws Exception {
    Path folder = ReadOnlyFolder.create(environment.dataDirectory().resolve("read-only"));
    try {
      Outcome outcome = run(Map.of("HES_NODE_DATA_DIR", folder.toString()));

      assertThat(outcome.exitCode()).isEqualTo(1);
      assertThat(theOneLine(outcome, "node.dataDir")).contains("the folder " + folder + " is not writable");
    } finally {
      ReadOnlyFolder.release(folder);
    }
  }

  @Test
  void withDebugTheSameFailureCarriesItsStackTrace() throws Exception {
    Outcome outcome = run(Map.of("HES_TAP_CLUSTERS_FILE", environment.dataDirectory().resolve("absent.yaml").toString()), "--debug");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.output()).contains("the node did not start: tap.clustersFile (").contains("\tat ");
  }

  /**
   * A folder this process cannot write to, even as root (CI runs as root, for whom mode bits do
   * not count): mode 555, then the immutable attribute where mode bits are not enough.
   */
  static final class ReadOnlyFolder {
    private ReadOnlyFolder() {}

    static Path create(Path folder) throws IOException, InterruptedException {
      Files.createDirectories(folder);
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
      if (writable(folder)) {
        Process chattr = new ProcessBuilder("chattr", "+i", folder.toString()).inheritIO().start();
        assertThat(chattr.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(writable(folder)).as("%s could be made read-only for this test", folder).isFalse();
      return folder;
    }

    static void release(Path folder) throws IOException, InterruptedException {
      new ProcessBuilder("chattr", "-i", folder.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean writable(Path folder) {
      try {
        Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
