package istanbul.hes.tls;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tap.clientCertificates OPTIONAL: validators with a listed certificate need no token, validators
 * without a certificate go on with their bearer token over TLS.
 */
class OptionalClientCertificatesTest {
  private static final String TOKEN = "station-token-0123456789-abcdefgh";

  @TempDir
  static Path directory;

  private static TestCertificates certificates;
  private static TestEnvironment environment;
  private static TestNode node;
  private static String tapBody;

  @BeforeAll
  static void start() throws IOException {
    certificates = new TestCertificates(directory);
    certificates.ca("validators-ca");
    certificates.server("server", "validators-ca");
    certificates.client("gate", "validators-ca");
    Path clusters = Files.writeString(directory.resolve("clusters.yaml"), "clusters:\n"
        + "  - id: test-station\n    token: \"" + TOKEN + "\"\n    certificates: [\"" + certificates.fingerprintBase64("gate") + "\"]\n");
    environment = new TestEnvironment(Map.of(
        "tap.clustersFile", clusters.toString(),
        "tap.tlsCertificateFile", certificates.pem("server").toString(),
        "tap.tlsKeyFile", certificates.key("server").toString(),
        "tap.clientCertificates", "OPTIONAL",
        "tap.clientCaFile", certificates.pem("validators-ca").toString()));
    node = environment.startNode();
    tapBody = TestNode.tapBody(node.seeder().create(CardClass.OK)).encode();
  }

  @AfterAll
  static void stop() {
    if (environment != null) {
      environment.close();
    }
  }

  private static int tap(String clientCertificate, String token) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().sslContext(certificates.context("validators-ca", clientCertificate))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.node().tapPort() + "/v1/taps"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(tapBody));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void aValidatorWithoutACertificateTapsWithItsToken() throws Exception {
    assertThat(tap(null, TOKEN)).isEqualTo(200);
    assertThat(tap(null, null)).isEqualTo(401);
    assertThat(tap(null, TOKEN + "x")).isEqualTo(401);
  }

  @Test
  void aValidatorWithAListedCertificateNeedsNoToken() throws Exception {
    assertThat(tap("gate", null)).isEqualTo(200);
  }
}
