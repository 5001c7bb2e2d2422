package istanbul.hes.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.challenge.ChallengeService;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.simulator.health.HesCodeRecord;
import istanbul.hes.simulator.sms.SmsSimulator;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.NodeProcess;
import istanbul.hes.testing.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node process with {@code HES_LOGGING_FORMAT=json}, as a log pipeline reads it: every line of
 * its start, of a few requests of each kind (taps, a citizen's challenge, personalization and HES
 * code link, an operator's block) and of its stop is one JSON object with the documented fields,
 * and none holds a personal value the requests carried.
 */
class JsonLogIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FIELDS = List.of("timestamp", "level", "logger", "thread", "message");

  @Test
  void everyLineOfANodesStartRequestsAndStopIsAJsonObjectWithoutPersonalData() throws Exception {
    Vertx vertx = Vertx.vertx();
    SmsSimulator sms = new SmsSimulator("127.0.0.1", 0);
    Await.result(vertx.deployVerticle(sms));
    try (TestEnvironment environment = new TestEnvironment(Map.of("citizen.smsGatewayUrl", sms.messagesUrl(),
        "node.eventLoopWarningMillis", "2000", "node.id", "json-log-test"))) {
      environment.migrate();
      CardSeeder seeder = environment.offlineSeeder();
      long allowed = seeder.create(CardClass.OK);
      long risky = seeder.create(CardClass.RISKY);
      long anonymous = seeder.create(CardClass.ANONYMOUS);
      long stolen = seeder.create(CardClass.OK);
      String tckn = Tckn.fromFirstNine(271_828_182L).value();
      String phone = "+905357654321";
      String firstName = "Şükrü";
      String lastName = "Yılmaz";
      String hesCode = environment.healthMinistry().issue(tckn, firstName, lastName, HesCodeRecord.Status.RISKLESS,
          LocalDate.now(ZoneId.of("Europe/Istanbul")).plusDays(30).atStartOfDay()).hesCode();

      NodeProcess node = NodeProcess.start(environment, "json", Map.of("HES_LOGGING_FORMAT", "json")).awaitReady();
      String citizenToken = environment.identityProvider().mint(vertx, "TCKN:" + tckn, environment.config().citizen().tokenIssuer(),
          environment.config().citizen().tokenAudience(), Duration.ofMinutes(15));

      assertThat(tap(environment, node, allowed).getString("reason")).isEqualTo("OK");
      assertThat(tap(environment, node, risky).getString("reason")).isEqualTo("HES_RISK");

      HttpResponse<String> challenge = send(node.citizenPort(), "POST", "/v1/challenges", citizenToken,
          new JsonObject().put("phone", phone));
      assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(201);
      List<SmsSimulator.Message> messages = sms.messages(phone);
      assertThat(messages).hasSize(1);
      String code = messages.get(0).text().substring(ChallengeService.SMS_TEXT_PREFIX.length());
      JsonObject owner = new JsonObject().put("tckn", tckn).put("firstName", firstName).put("lastName", lastName)
          .put("birthYear", 1985).put("phone", phone)
          .put("consents", new JsonObject().put("kvkkNotice", true).put("hesDataSharing", true))
          .put("challengeId", new JsonObject(challenge.body()).getString("challengeId")).put("challengeCode", code);
      HttpResponse<String> personalized = send(node.citizenPort(), "PUT", "/v1/cards/" + CardNumber.format(anonymous) + "/owner",
          citizenToken, owner);
      assertThat(personalized.statusCode()).as(personalized.body()).isEqualTo(200);
      HttpResponse<String> linked = send(node.citizenPort(), "POST", "/v1/cards/" + CardNumber.format(anonymous) + "/hes-code",
          citizenToken, new JsonObject().put("hesCode", hesCode));
      assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
      assertThat(tap(environment, node, anonymous).getString("reason")).isEqualTo("OK");

      HttpResponse<String> blocked = send(node.adminPort(), "PUT", "/admin/v1/cards/" + CardNumber.format(stolen) + "/block",
          environment.operatorToken(), new JsonObject().put("reason", "STOLEN"));
      assertThat(blocked.statusCode()).as(blocked.body()).isEqualTo(200);
      assertThat(tap(environment, node, stolen).getString("reason")).isEqualTo("CARD_BLOCKED");
      assertThat(node.stop()).isEqualTo(143);

      List<String> lines = node.logText().lines().toList();
      List<JsonNode> events = new ArrayList<>();
      for (String line : lines) {
        JsonNode event = JSON.readTree(line);
        assertThat(event.isObject()).as("a JSON object: %s", line).isTrue();
        for (String field : FIELDS) {
          assertThat(event.path(field).isTextual()).as("field %s in %s", field, line).isTrue();
        }
        OffsetDateTime at = OffsetDateTime.parse(event.get("timestamp").asText());
        assertThat(at.toInstant()).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
        events.add(event);
      }
      // What proves the lines were captured: the start, the citizen's requests (masked) and the stop.
      List<String> messagesLogged = events.stream().map(event -> event.get("message").asText()).toList();
      assertThat(messagesLogged).anyMatch(message -> message.contains("listening: taps on " + node.tapPort()))
          .anyMatch(message -> message.matches("challenge \\S+ issued, expires at .*"))
          .anyMatch(message -> message.matches("challenge \\S+ verified"))
          .contains("stopping");
      assertThat(events).extracting(event -> event.get("level").asText()).contains("INFO").allMatch(level -> !level.equals("ERROR"));

      String log = String.join("\n", lines);
      String dashedHesCode = hesCode.substring(0, 4) + "-" + hesCode.substring(4, 8) + "-" + hesCode.substring(8);
      for (String personal : List.of(tckn, firstName, lastName, firstName.toUpperCase(Locale.ROOT), lastName.toUpperCase(Locale.ROOT),
          phone, phone.substring(3), hesCode, hesCode.toLowerCase(Locale.ROOT), dashedHesCode,
          CardNumber.format(allowed), CardNumber.format(risky), CardNumber.format(anonymous), CardNumber.format(stolen))) {
        assertThat(log).as("the log holds no personal value (%d lines)", lines.size()).doesNotContain(personal);
      }
      System.out.printf("json log test: %d lines, all JSON objects with %s%n", lines.size(), FIELDS);
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void aMisspeltFormatStopsTheNodeAtOnceNamingTheKey() throws Exception {
    try (TestEnvironment environment = new TestEnvironment()) {
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-jar", System.getProperty("hes.gateway.jar", "target/hes-gateway.jar"), "node").redirectErrorStream(true);
      builder.environment().putAll(environment.nodeEnvironment());
      builder.environment().put("HES_LOGGING_FORMAT", "jsno");
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isEqualTo(2);
      assertThat(output).contains("configuration key logging.format (from environment HES_LOGGING_FORMAT): must be one of [TEXT, JSON], was 'jsno'")
          .doesNotContain("listening");
    }
  }

  private static JsonObject tap(TestEnvironment environment, NodeProcess node, long card) throws Exception {
    HttpResponse<String> response = send(node.tapPort(), "POST", "/v1/taps", environment.clusterToken(),
        new JsonObject().put("card", CardNumber.format(card)).put("validator", "M2-TAKSIM-07").put("at", Instant.now().toString()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static HttpResponse<String> send(int port, String method, String path, String token, JsonObject body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
