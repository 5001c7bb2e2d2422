package istanbul.hes.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.http.RawHttp.Answer;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three listeners against idle and slow connections, requests the HTTP decoder refuses,
 * chunk extensions and content types; raw sockets, since a client library sends none of these.
 */
class ListenerHardeningTest {
  private static final int IDLE_SECONDS = 1;
  /** Far above the idle timeout: these tests see the idle timeout alone. */
  private static final int HEADER_MILLIS = 30_000;

  @RegisterExtension
  static final SharedNode shared = new SharedNode(settings());

  private static long okCard;

  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String listener : List.of("tap", "citizen", "admin")) {
      settings.put(listener + ".idleTimeoutSeconds", Integer.toString(IDLE_SECONDS));
      settings.put(listener + ".headerTimeoutMillis", Integer.toString(HEADER_MILLIS));
    }
    return settings;
  }

  @BeforeAll
  static void seed() {
    shared.node().awaitLoaded();
    okCard = shared.node().seeder().create(CardClass.OK);
  }

  // Idle and slow connections

  @ParameterizedTest
  @EnumSource(Listener.class)
  void anIdleConnectionIsClosedAfterTheIdleTimeout(Listener listener) throws IOException {
    try (RawHttp idle = new RawHttp(listener.port(shared.node()))) {
      long opened = System.nanoTime();
      assertThat(idle.readUntilClosed()).isEmpty();
      // Closed by the idle timeout (1 s); the header bound is 30 s here.
      assertThat(Duration.ofNanos(System.nanoTime() - opened)).isBetween(Duration.ofMillis(800), Duration.ofMillis(2_800));
    }
  }

  // What the decoder refuses

  @ParameterizedTest
  @EnumSource(Listener.class)
  void aTwentyKilobyteAuthorizationIsAHeadersTooLargeProblem(Listener listener) {
    Answer answer = RawHttp.exchange(listener.port(shared.node()),
        RawHttp.request("GET", "/health/live", Map.of("Authorization", "Bearer " + "a".repeat(20 * 1024)), null));
    assertProblem(answer, 431, "HEADERS_TOO_LARGE");
  }

  @ParameterizedTest
  @EnumSource(Listener.class)
  void anOverLongUriIsAUriTooLongProblem(Listener listener) {
    Answer answer = RawHttp.exchange(listener.port(shared.node()), RawHttp.request("GET", "/" + "a".repeat(10_000), Map.of(), null));
    assertProblem(answer, 414, "URI_TOO_LONG");
  }

  @ParameterizedTest
  @EnumSource(Listener.class)
  void aMalformedRequestLineIsABadRequestProblem(Listener listener) {
    Answer answer = RawHttp.exchange(listener.port(shared.node()), "GET /health/live HTTP/x.y\r\nHost: 127.0.0.1\r\n\r\n");
    assertProblem(answer, 400, "BAD_REQUEST");
  }

  // Chunked bodies

  @ParameterizedTest
  @ValueSource(strings = {";ext=1", ";ext", ";ext=\"quoted value\"", " ;ext=1", ";a=1;b=2"})
  void aChunkedTapWithChunkExtensionsIsAnswered(String extension) {
    String body = TestNode.tapBody(okCard).encode();
    String request = "POST /v1/taps HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer " + shared.environment().clusterToken() + "\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(body.length()) + extension + "\r\n" + body + "\r\n0\r\n\r\n";
    Answer answer = RawHttp.exchange(Listener.TAP.port(shared.node()), request);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().getString("card")).isEqualTo(CardNumber.format(okCard));
  }

  // Content types

  private static final List<String> NOT_JSON = List.of("application/jsonp", "application/json-seq", "application/json;charset=UTF-16",
      "text/json", "text/plain");

  @Test
  void everyBadContentTypeIsUnsupportedOnTheTapRoutes() {
    for (String type : NOT_JSON) {
      assertProblem(tap(okCard, type), 415, "UNSUPPORTED_MEDIA_TYPE");
      Answer batch = RawHttp.exchange(Listener.TAP.port(shared.node()), RawHttp.request("POST", "/v1/taps/batch", tapHeaders(type),
          new JsonObject().put("taps", new io.vertx.core.json.JsonArray().add(TestNode.tapBody(okCard))).encode()));
      assertProblem(batch, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=utf-8", "application/json;charset=\"UTF-8\"", "Application/JSON"})
  void jsonWithAUtf8CharsetIsATap(String type) {
    Answer answer = tap(okCard, type);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
  }

  @Test
  void everyBadContentTypeIsUnsupportedOnTheCitizenRoutes() {
    String token = citizenToken(1);
    for (String type : NOT_JSON) {
      assertProblem(challenge(token, type, 1), 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    Answer accepted = challenge(citizenToken(2), "application/json; charset=utf-8", 2);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
  }

  @Test
  void everyBadContentTypeIsUnsupportedOnTheOperatorRoutes() {
    for (String type : NOT_JSON) {
      assertProblem(operator("PUT", "/admin/v1/cards/" + CardNumber.format(okCard) + "/block", type, "{\"reason\":\"test\"}"), 415,
          "UNSUPPORTED_MEDIA_TYPE");
      assertProblem(operator("POST", "/admin/v1/violations/dead/requeue", type, "{\"all\":true}"), 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    Answer accepted = operator("POST", "/admin/v1/violations/dead/requeue", "application/json; charset=utf-8", "{\"all\":true}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
  }

  // Helpers

  private static Map<String, String> tapHeaders(String contentType) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    headers.put("Authorization", "Bearer " + shared.environment().clusterToken());
    return headers;
  }

  private static Answer tap(long card, String contentType) {
    return RawHttp.exchange(Listener.TAP.port(shared.node()), RawHttp.request("POST", "/v1/taps", tapHeaders(contentType),
        TestNode.tapBody(card).encode()));
  }

  private static String citizenToken(int person) {
    return shared.node().citizenToken("TCKN:" + Tckn.fromFirstNine(410_000_000L + 7_919L * person).value());
  }

  private static Answer challenge(String token, String contentType, int person) {
    return RawHttp.exchange(Listener.CITIZEN.port(shared.node()), RawHttp.request("POST", "/v1/challenges",
        Map.of("Content-Type", contentType, "Authorization", "Bearer " + token),
        new JsonObject().put("phone", "+90537" + (4_000_000 + person)).encode()));
  }

  private static Answer operator(String method, String path, String contentType, String body) {
    return RawHttp.exchange(Listener.ADMIN.port(shared.node()), RawHttp.request(method, path,
        Map.of("Content-Type", contentType, "Authorization", "Bearer " + shared.environment().operatorToken()), body));
  }

  static void assertProblem(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().get("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    JsonObject problem = answer.json();
    assertThat(problem.getString("code")).isEqualTo(code);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
  }
}
