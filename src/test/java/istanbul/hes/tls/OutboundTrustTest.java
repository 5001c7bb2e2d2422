package istanbul.hes.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import istanbul.hes.citizen.challenge.sms.HttpSmsGateway;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.config.StartupFailure;
import istanbul.hes.http.OutboundTrust;
import istanbul.hes.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound HTTPS (here the SMS gateway's client; the ministries' clients take their options from
 * the same place): the peer's certificate is checked against the configured CA bundle, and its
 * host name against the address called.
 */
class OutboundTrustTest {
  private static final PhoneNumber PHONE = PhoneNumber.parse("+905321234567");

  @TempDir
  static Path directory;

  private static TestCertificates certificates;
  private static Vertx vertx;
  private static HttpServer server;
  private static final AtomicInteger received = new AtomicInteger();

  @BeforeAll
  static void start() {
    certificates = new TestCertificates(directory);
    certificates.ca("sms-ca");
    certificates.ca("other-ca");
    certificates.server("sms-gateway", "sms-ca");
    vertx = Vertx.vertx();
    server = Await.result(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(certificates.pem("sms-gateway").toString()).setKeyPath(certificates.key("sms-gateway").toString())))
        .requestHandler(request -> request.body().onSuccess(body -> {
          received.incrementAndGet();
          request.response().setStatusCode(202).end();
        }))
        .listen(0, "0.0.0.0"));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  private static void send(String host, Optional<Path> trust) {
    try (HttpSmsGateway gateway = new HttpSmsGateway(vertx, "https://" + host + ":" + server.actualPort() + "/messages", 5_000, trust)) {
      Await.result(gateway.send(PHONE, "test message"));
    }
  }

  @Test
  void aGatewayWhoseCertificateTheBundleSignsIsCalled() {
    int before = received.get();

    send("127.0.0.1", Optional.of(certificates.pem("sms-ca")));

    assertThat(received.get()).isEqualTo(before + 1);
  }

  @Test
  void aCertificateOfAnotherCaOrTheJvmDefaultTrustIsRefused() {
    int before = received.get();

    assertThatThrownBy(() -> send("127.0.0.1", Optional.of(certificates.pem("other-ca")))).isNotNull();
    assertThatThrownBy(() -> send("127.0.0.1", Optional.empty())).isNotNull();

    assertThat(received.get()).isEqualTo(before);
  }

  @Test
  void aCertificateForAnotherHostIsRefused() {
    int before = received.get();

    // The certificate names 127.0.0.1 and localhost; 127.0.0.2 is the same machine under another name.
    assertThatThrownBy(() -> send("127.0.0.2", Optional.of(certificates.pem("sms-ca")))).isNotNull();

    assertThat(received.get()).isEqualTo(before);
  }

  @Test
  void aBundleWithoutCertificatesStopsTheStartNamingTheKey() throws Exception {
    Path empty = Files.writeString(directory.resolve("empty.pem"), "not a certificate\n");

    assertThatThrownBy(() -> OutboundTrust.check("citizen.smsTrustFile", Optional.of(empty)))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> assertThat(failure.key()).isEqualTo("citizen.smsTrustFile"));
    assertThatThrownBy(() -> OutboundTrust.check("ministryHealth.trustFile", Optional.of(directory.resolve("absent.pem"))))
        .isInstanceOfSatisfying(StartupFailure.class, failure -> {
          assertThat(failure.key()).isEqualTo("ministryHealth.trustFile");
          assertThat(failure.problem()).contains("no such file");
        });
  }
}
