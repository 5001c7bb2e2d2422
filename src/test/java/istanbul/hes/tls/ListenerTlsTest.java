package istanbul.hes.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import istanbul.hes.GatewayNode;
import istanbul.hes.config.StartupFailure;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listeners over TLS with certificates made for the test: the tap listener requires client
 * certificates signed by the validators' CA and maps them to clusters by their public key's
 * fingerprint; the admin listener serves plain TLS. Revocation and certificate renewal take
 * effect without a restart.
 */
class ListenerTlsTest {
  private static final int HANDSHAKE_MILLIS = 1000;
  private static final String DEPOT_TOKEN = "depot-token-0123456789-abcdefgh";

  @TempDir
  static Path directory;

  private static TestCertificates certificates;
  private static TestEnvironment environment;
  private static TestNode node;
  private static Path clustersFile;
  private static Path tapCertificate;
  private static Path tapKey;
  private static String tapBody;

  @BeforeAll
  static void start() throws IOException {
    certificates = new TestCertificates(directory);
    certificates.ca("validators-ca");
    certificates.ca("other-ca");
    certificates.server("server-1", "validators-ca");
    certificates.server("server-2", "validators-ca");
    certificates.client("gate-a", "validators-ca");
    certificates.client("gate-revoked", "validators-ca");
    certificates.client("gate-unlisted", "validators-ca");
    certificates.client("gate-foreign", "other-ca");
    tapCertificate = Files.copy(certificates.pem("server-1"), directory.resolve("tap.pem"));
    tapKey = Files.copy(certificates.key("server-1"), directory.resolve("tap.key"));
    clustersFile = directory.resolve("clusters.yaml");
    writeClusters(List.of(certificates.fingerprintHex("gate-a"), certificates.fingerprintBase64("gate-revoked")));

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("tap.clustersFile", clustersFile.toString());
    settings.put("tap.tlsCertificateFile", tapCertificate.toString());
    settings.put("tap.tlsKeyFile", tapKey.toString());
    settings.put("tap.tlsReloadSeconds", "1");
    settings.put("tap.headerTimeoutMillis", Integer.toString(HANDSHAKE_MILLIS));
    settings.put("tap.clientCertificates", "REQUIRED");
    settings.put("tap.clientCaFile", certificates.pem("validators-ca").toString());
    settings.put("admin.tlsCertificateFile", certificates.pem("server-1").toString());
    settings.put("admin.tlsKeyFile", certificates.key("server-1").toString());
    environment = new TestEnvironment(settings);
    // Seeded before the start (the node loads it): the seeder's check through the admin API would need its TLS.
    environment.migrate();
    tapBody = TestNode.tapBody(environment.offlineSeeder().create(CardClass.OK)).encode();
    node = environment.startNode();
  }

  @AfterAll
  static void stop() {
    if (environment != null) {
      environment.close();
    }
  }

  /** test-station: certificates only; test-depot: a token only. */
  private static void writeClusters(List<String> stationFingerprints) {
    StringBuilder yaml = new StringBuilder("clusters:\n  - id: test-station\n    certificates:\n");
    stationFingerprints.forEach(fingerprint -> yaml.append("      - \"").append(fingerprint).append("\"\n"));
    yaml.append("  - id: test-depot\n    token: \"").append(DEPOT_TOKEN).append("\"\n");
    try {
      Path temporary = Files.writeString(directory.resolve("clusters.yaml.tmp"), yaml);
      Files.move(temporary, clustersFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpClient client(String clientCertificate) {
    SSLContext context = certificates.context("validators-ca", clientCertificate);
    return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpResponse<String> tap(HttpClient client, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.node().tapPort() + "/v1/taps"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(tapBody));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static BigInteger servedSerial(HttpResponse<?> response) throws IOException {
    return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
  }

  @Test
  void aValidatorWithAListedCertificateTapsWithoutAToken() throws Exception {
    HttpResponse<String> response = tap(client("gate-a"), null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"decision\"");
    assertThat(response.sslSession()).isPresent();
  }

  @Test
  void aCertificateOfTheCaThatIsNotListedIsRefusedLikeABadTokenEvenWithAGoodToken() throws Exception {
    HttpResponse<String> response = tap(client("gate-unlisted"), DEPOT_TOKEN);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
  }

  @Test
  void withoutACertificateOfTheValidatorsCaThereIsNoAnswerAtAll() {
    assertThatThrownBy(() -> tap(client("gate-foreign"), DEPOT_TOKEN)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> tap(client(null), DEPOT_TOKEN)).isInstanceOf(IOException.class);
  }

  @Test
  void aCertificateRemovedFromTheClustersFileIsRefusedOnItsOpenConnectionWithoutARestart() throws Exception {
    HttpClient gate = client("gate-revoked");
    assertThat(tap(gate, null).statusCode()).isEqualTo(200);

    writeClusters(List.of(certificates.fingerprintHex("gate-a")));

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> tap(gate, null).statusCode() == 401);
    assertThat(tap(client("gate-a"), null).statusCode()).isEqualTo(200);
  }

  @Test
  void aReplacedServerCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
    BigInteger first = certificates.certificate("server-1").getSerialNumber();
    BigInteger second = certificates.certificate("server-2").getSerialNumber();
    assertThat(servedSerial(tap(client("gate-a"), null))).isEqualTo(first);

    certificates.install("server-2", tapCertificate, tapKey);

    // Every tap instance (one per event loop) serves the new certificate: a new client each
    // time is a new connection, whichever instance takes it.
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> servedSerial(tap(client("gate-a"), null)).equals(second));
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = tap(client("gate-a"), null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(servedSerial(response)).isEqualTo(second);
    }
  }

  @Test
  void aReplacementThatCannotBeUsedIsReportedAndThePreviousCertificateStays() throws Exception {
    BigInteger served = servedSerial(tap(client("gate-a"), null));
    String pair = served.equals(certificates.certificate("server-1").getSerialNumber()) ? "server-1" : "server-2";
    int linesBefore = LogCapture.lines().size();

    Path broken = Files.writeString(directory.resolve("broken.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Files.move(broken, tapKey, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try {
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> LogCapture.lines().stream()
          .skip(linesBefore).anyMatch(line -> line.contains("tap listener: the replaced TLS files cannot be used")));

      HttpResponse<String> response = tap(client("gate-a"), null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(servedSerial(response)).isEqualTo(served);
    } finally {
      certificates.install(pair, tapCertificate, tapKey);
    }
  }

  @Test
  void aConnectionThatNeverHandshakesIsClosedWithinTheHeaderBound() throws Exception {
    try (Socket silent = new Socket("127.0.0.1", node.node().tapPort())) {
      silent.setSoTimeout(HANDSHAKE_MILLIS * 5);
      long started = System.nanoTime();

      assertThat(silent.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(HANDSHAKE_MILLIS * 4L));
    }
  }

  @Test
  void theAdminListenerServesTls() throws Exception {
    HttpResponse<String> response = client(null).send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + node.node().adminPort() + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(servedSerial(response)).isEqualTo(certificates.certificate("server-1").getSerialNumber());
  }

  @Test
  void aKeyFileThatIsNotAKeyStopsTheStartNamingTheKey() throws Exception {
    Path notAKey = Files.writeString(directory.resolve("not-a-key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    try (TestEnvironment broken = new TestEnvironment(Map.of(
        "citizen.tlsCertificateFile", certificates.pem("server-1").toString(),
        "citizen.tlsKeyFile", notAKey.toString()))) {
      Throwable failure = Await.failure(GatewayNode.start(broken.config()));

      assertThat(failure).isInstanceOfSatisfying(StartupFailure.class, startup -> {
        assertThat(startup.key()).isEqualTo("citizen.tlsKeyFile");
        assertThat(startup.kind()).isEqualTo(StartupFailure.Kind.CONFIGURATION);
        assertThat(startup.problem()).contains(notAKey.toString());
      });
    }
  }
}
