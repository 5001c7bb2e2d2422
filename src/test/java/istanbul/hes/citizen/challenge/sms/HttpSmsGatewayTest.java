package istanbul.hes.citizen.challenge.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import istanbul.hes.citizen.challenge.ChallengeOutcome;
import istanbul.hes.citizen.challenge.ChallengeService;
import istanbul.hes.citizen.challenge.IssuedChallenge;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.simulator.sms.SmsSimulator;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.TestRedis;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP SMS gateway against the SMS simulator, and a challenge read back from it as the demo does. */
class HttpSmsGatewayTest {
  private TestRedis redis;
  private SmsSimulator simulator;
  private HttpSmsGateway gateway;
  private PhoneNumber phone;

  @BeforeEach
  void start() {
    redis = new TestRedis();
    simulator = new SmsSimulator("127.0.0.1", 0);
    Await.result(redis.vertx().deployVerticle(simulator));
    gateway = new HttpSmsGateway(redis.vertx(), simulator.messagesUrl(), 2_000);
    phone = PhoneNumber.parse(TestRedis.randomMobile());
  }

  @AfterEach
  void stop() {
    gateway.close();
    redis.close();
  }

  @Test
  void postsTheMessageAsJson() {
    Await.result(gateway.send(phone, "HES gateway verification code: 000123"));

    assertThat(simulator.messages(phone.value())).singleElement()
        .extracting(SmsSimulator.Message::text).isEqualTo("HES gateway verification code: 000123");
  }

  @Test
  void aRefusedMessageFailsWithoutPersonalDataInTheLog() {
    simulator.failWith(503);
    int from = LogCapture.lines().size();

    assertThatThrownBy(() -> Await.result(gateway.send(phone, "HES gateway verification code: 424242")))
        .isInstanceOf(SmsDeliveryException.class);

    List<String> lines = LogCapture.lines().subList(from, LogCapture.lines().size());
    assertThat(lines).anyMatch(line -> line.contains("not accepted") && line.contains(phone.masked()));
    assertThat(String.join("\n", lines)).doesNotContain(phone.value().substring(3)).doesNotContain("424242");
  }

  @Test
  void aProviderThatDoesNotAnswerTimesOut() {
    HttpServer silent = Await.result(redis.vertx().createHttpServer().requestHandler(request -> { }).listen(0, "127.0.0.1"));
    try (HttpSmsGateway slow = new HttpSmsGateway(redis.vertx(), "http://127.0.0.1:" + silent.actualPort() + "/messages", 300)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> Await.result(slow.send(phone, "text"))).isInstanceOf(SmsDeliveryException.class);
      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    } finally {
      Await.result(silent.close());
    }
  }

  @Test
  void aChallengeCodeTravelsThroughTheSimulator() {
    ChallengeService challenges = new ChallengeService(redis.redis(), redis.prefix(),
        TestRedis.citizenConfig(300, 5, 6, 3, 60, 600), gateway, TestRedis.identityProtector(), Clock.systemUTC());
    String subject = "TCKN:" + Pii.register(CardSeeder.syntheticTckn());

    IssuedChallenge challenge = Await.result(challenges.issue(subject, phone));
    WebClient web = WebClient.create(redis.vertx());
    JsonObject listed = Await.result(web.get(simulator.actualPort(), "127.0.0.1", "/messages")
        .addQueryParam("to", phone.value()).send()).bodyAsJsonObject();
    web.close();
    String text = listed.getJsonArray("messages").getJsonObject(0).getString("text");
    String code = text.substring(ChallengeService.SMS_TEXT_PREFIX.length());

    assertThat(code).hasSize(6).containsOnlyDigits();
    assertThat(Await.result(challenges.verify(challenge.challengeId(), code, subject, phone))).isEqualTo(ChallengeOutcome.VERIFIED);
  }

  @Test
  void onlyHttpUrlsAreAccepted() {
    assertThatThrownBy(() -> new HttpSmsGateway(redis.vertx(), "ftp://example.org")).isInstanceOf(IllegalArgumentException.class);
  }
}
