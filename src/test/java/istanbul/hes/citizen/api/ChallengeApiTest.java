package istanbul.hes.citizen.api;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static istanbul.hes.testing.TestNode.jsonWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.citizen.auth.DevelopmentTokenIssuer;
import istanbul.hes.testing.LogCapture;
import istanbul.hes.testing.Pii;
import istanbul.hes.testing.RateWindows;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /v1/challenges on a started node: token, validation, the SMS, limits, problems. */
class ChallengeApiTest {
  @RegisterExtension
  static final SharedNode shared = new SharedNode(Map.of("citizen.challengesPerPersonPerMinute", "3"));

  private static TestEnvironment environment;
  private static TestNode node;
  private static int person;

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
  }

  /** A new synthetic person per test, so that per-person limits do not leak between tests. */
  private static String newSubject() {
    String subject = "TCKN:" + istanbul.hes.citizen.domain.Tckn.fromFirstNine(100_000_000L + 7_919L * ++person).value();
    Pii.register(subject.substring(5));
    return subject;
  }

  private static HttpResponse<Buffer> post(String token, String body) {
    return node.citizen(HttpMethod.POST, "/v1/challenges", jsonWithToken(token), Buffer.buffer(body));
  }

  @Test
  void aChallengeIsIssuedAndItsCodeSentToThePhoneNotLogged() {
    String phone = "+90532" + (1_000_000 + person * 37);
    Pii.register(phone);
    HttpResponse<Buffer> response = post(node.citizenToken(newSubject()), new JsonObject().put("phone", phone).encode());

    assertThat(response.statusCode()).isEqualTo(201);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("challengeId")).hasSizeGreaterThanOrEqualTo(22);
    assertThat(Instant.parse(body.getString("expiresAt"))).isAfter(Instant.now());
    String code = node.environment().lastCodeSentTo(phone);
    assertThat(code).matches("[0-9]{6}");
    assertThat(LogCapture.lines()).noneMatch(line -> line.contains(code) || line.contains(phone));
  }

  @Test
  void withoutAValidTokenTheAnswerIs401() {
    String body = new JsonObject().put("phone", "+905321111111").encode();
    HttpResponse<Buffer> missing = node.citizen(HttpMethod.POST, "/v1/challenges", Map.of("Content-Type", "application/json"),
        Buffer.buffer(body));
    assertProblem(missing, 401, "UNAUTHORIZED");
    assertThat(missing.getHeader("WWW-Authenticate")).startsWith("Bearer");

    String foreign = DevelopmentTokenIssuer.generated().mint(node.environment().vertx(), newSubject(),
        node.node().config().citizen().tokenIssuer(), node.node().config().citizen().tokenAudience(), Duration.ofMinutes(5));
    assertProblem(post(foreign, body), 401, "UNAUTHORIZED");
  }

  @Test
  void badInputGetsItsOwnProblem() {
    String token = node.citizenToken(newSubject());
    assertProblem(post(token, "{\"phone\":\"12\"}"), 400, "INVALID_PHONE");
    assertProblem(post(token, "{\"phone\":\"+90 53２ 123 45 67\"}"), 400, "INVALID_PHONE");
    assertProblem(post(token, "{\"phone\":905321234567}"), 400, "INVALID_REQUEST");
    assertProblem(post(token, "{}"), 400, "INVALID_REQUEST");
    assertProblem(post(token, "{\"phone\":"), 400, "MALFORMED_JSON");
    assertProblem(post(token, "{\"phone\":\"+905321234567\",\"pad\":\"" + "x".repeat(10_000) + "\"}"), 413, "BODY_TOO_LARGE");
    assertThat(post(token, "{\"phone\":\"+905321234568\",\"channel\":\"sms\",\"extra\":{\"a\":[1]}}").statusCode())
        .as("unknown extra fields are tolerated").isEqualTo(201);
  }

  @Test
  void aPersonAskingTooOftenIsToldWhenToComeBack() {
    String token = node.citizenToken(newSubject());
    RateWindows.awaitRoom(Duration.ofSeconds(10));
    Map<Integer, Integer> statuses = new HashMap<>();
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 4; i++) {
      last = post(token, new JsonObject().put("phone", "+90533" + (2_000_000 + i)).encode());
      statuses.merge(last.statusCode(), 1, Integer::sum);
    }
    assertThat(statuses).containsEntry(201, 3).containsEntry(429, 1);
    assertProblem(last, 429, "RATE_LIMITED");
    assertThat(Integer.parseInt(last.getHeader("Retry-After"))).isBetween(1, 60);
  }

  @Test
  void unknownPathsAndMethodsAreProblems() {
    String token = node.citizenToken(newSubject());
    assertProblem(node.citizen(HttpMethod.POST, "/v1/nothing-here", jsonWithToken(token), Buffer.buffer("{}")), 404, "NOT_FOUND");
  }
}
