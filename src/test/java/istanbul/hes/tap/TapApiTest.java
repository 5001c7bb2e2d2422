package istanbul.hes.tap;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static istanbul.hes.testing.TestNode.jsonWithToken;
import static istanbul.hes.testing.TestNode.tapBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.SharedNode;
import istanbul.hes.testing.TestEnvironment;
import istanbul.hes.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** POST /v1/taps and /v1/taps/batch against a started node: decisions, limits, auth, bad input. */
class TapApiTest {
  private static final String CARD = "4000123456789012";
  private static final String VALIDATOR = "\"validator\":\"M2-TAKSIM-07\"";
  private static final String AT = "\"at\":\"2026-11-21T08:00:00Z\"";

  @RegisterExtension
  static final SharedNode shared = new SharedNode();

  private static TestEnvironment environment;
  private static TestNode node;
  private static final Map<CardClass, Long> cards = new EnumMap<>(CardClass.class);

  @BeforeAll
  static void fromSharedNode() {
    environment = shared.environment();
    node = shared.node();
    List<Long> created = node.seeder().oneOfEach();
    for (CardClass kind : CardClass.values()) {
      cards.put(kind, created.get(kind.ordinal()));
    }
  }

  @ParameterizedTest
  @EnumSource(CardClass.class)
  void eachDecisionClassGetsItsReason(CardClass kind) {
    assertThat(node.reason(cards.get(kind))).isEqualTo(kind.reason());
  }

  @Test
  void aCardPostgresDoesNotKnowIsUnknown() {
    assertThat(node.reason(CardSeeder.unusedCardNumber())).isEqualTo("UNKNOWN_CARD");
  }

  @Test
  void allTapListenerInstancesShareOnePort() {
    assertThat(node.node().tapPorts()).containsExactly(node.node().tapPort());
  }

  @Test
  void spacedCardNumbersAndLeadingZerosAreAccepted() {
    long card = node.seeder().create(CardClass.OK, 1234567890L + CardSeeder.unusedCardNumber() % 1_000_000);
    String digits = CardNumber.format(card);
    assertThat(digits).startsWith("0000");
    String spaced = digits.substring(0, 4) + " " + digits.substring(4, 8) + " " + digits.substring(8, 12) + " " + digits.substring(12);

    HttpResponse<Buffer> response = node.postTap(tapBody(spaced).encode());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("card", digits).put("decision", "ALLOW").put("reason", "OK"));
  }

  @Test
  void aCardIssuedWhileTheNodeRunsIsAnsweredAtOnce() {
    // No decision input differs from the column defaults for a new anonymous card, yet the
    // running node's map must learn of it.
    long card = node.seeder().create(CardClass.ANONYMOUS);
    assertThat(node.reason(card)).isEqualTo("NOT_PERSONALIZED");
  }

  @Test
  void statusChangesThroughTheStoreAreServedImmediately() {
    long card = node.seeder().create(CardClass.OK);
    node.seeder().setRisky(card, true);
    assertThat(node.reason(card)).isEqualTo("HES_RISK");
    node.seeder().setRisky(card, false);
    assertThat(node.reason(card)).isEqualTo("OK");
  }

  @Test
  void aBatchKeepsTheOrderOfMixedTaps() {
    List<JsonObject> taps = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    CardClass[] kinds = CardClass.values();
    for (int i = 0; i < 300; i++) {
      if (i % 7 == 6) {
        long unknown = CardSeeder.unusedCardNumber();
        taps.add(tapBody(unknown));
        expected.add(CardNumber.format(unknown) + " UNKNOWN_CARD");
        continue;
      }
      CardClass kind = kinds[i % kinds.length];
      String digits = CardNumber.format(cards.get(kind));
      String sent = i % 2 == 0 ? digits : digits.replaceAll("(\\d{4})(?=\\d)", "$1 ");
      taps.add(tapBody(sent));
      expected.add(digits + " " + kind.reason());
    }

    List<JsonObject> results = node.batch(taps);

    assertThat(results).extracting(result -> result.getString("card") + " " + result.getString("reason"))
        .containsExactlyElementsOf(expected);
    assertThat(results).allSatisfy(result ->
        assertThat(result.getString("decision")).isEqualTo(result.getString("reason").equals("OK") ? "ALLOW" : "DENY"));
  }

  @Test
  void aBatchOfOneThousandTapsIsAccepted() {
    List<JsonObject> taps = IntStream.range(0, 1000).mapToObj(i -> tapBody(cards.get(CardClass.OK))).toList();
    assertThat(node.batch(taps)).hasSize(1000).allSatisfy(result -> assertThat(result.getString("reason")).isEqualTo("OK"));
  }

  @Test
  void aBatchOfOneThousandAndOneTapsIsRefused() {
    JsonArray taps = new JsonArray();
    IntStream.range(0, 1001).forEach(i -> taps.add(tapBody(cards.get(CardClass.OK))));
    assertProblem(postBatch(new JsonObject().put("taps", taps).encode()), 400, "TOO_MANY_TAPS");
  }

  static Stream<Arguments> badBatches() {
    String tap = "{\"card\":\"" + CARD + "\"," + VALIDATOR + "," + AT + "}";
    return Stream.of(
        Arguments.of("no taps member", "{\"other\":[]}", "MISSING_FIELD"),
        Arguments.of("taps not an array", "{\"taps\":{}}", "INVALID_BATCH"),
        Arguments.of("taps twice", "{\"taps\":[],\"taps\":[]}", "DUPLICATE_FIELD"),
        Arguments.of("a tap that is not an object", "{\"taps\":[" + tap + ",42]}", "MALFORMED_JSON"),
        Arguments.of("an invalid card in the second tap", "{\"taps\":[" + tap + ",{\"card\":\"4000\"," + VALIDATOR + "," + AT + "}]}", "INVALID_CARD"),
        Arguments.of("a tap missing its time", "{\"taps\":[{\"card\":\"" + CARD + "\"," + VALIDATOR + "}]}", "MISSING_FIELD"),
        Arguments.of("an array body", "[" + tap + "]", "MALFORMED_JSON"),
        Arguments.of("broken JSON", "{\"taps\":[" + tap, "MALFORMED_JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBatches")
  void badBatchesAreRefusedWithTheirCode(String name, String body, String code) {
    assertProblem(postBatch(body), 400, code);
  }

  @Test
  void anEmptyBatchGetsAnEmptyResult() {
    assertThat(node.batch(List.of())).isEmpty();
  }

  // Authentication

  @Test
  void aTapWithoutTokenIsUnauthorized() {
    Map<String, String> headers = Map.of("Content-Type", "application/json");
    HttpResponse<Buffer> response = node.postTaps("/v1/taps", tapBody(CARD).toBuffer(), headers);
    assertProblem(response, 401, "UNAUTHORIZED");
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void aTapWithAnUnknownTokenIsUnauthorized() {
    HttpResponse<Buffer> response = node.postTaps("/v1/taps", tapBody(CARD).toBuffer(), jsonWithToken("not-a-token-of-any-cluster-at-all"));
    assertProblem(response, 401, "UNAUTHORIZED");
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void aBatchWithoutTokenIsUnauthorized() {
    HttpResponse<Buffer> response = node.postTaps("/v1/taps/batch", Buffer.buffer("{\"taps\":[]}"), Map.of("Content-Type", "application/json"));
    assertProblem(response, 401, "UNAUTHORIZED");
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() {
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
    headers.put("Authorization", "bearer " + environment.clusterToken());
    HttpResponse<Buffer> response = node.postTaps("/v1/taps", tapBody(cards.get(CardClass.OK)).toBuffer(), headers);
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void aSchemeOtherThanBearerIsUnauthorized() {
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
    headers.put("Authorization", "Basic " + environment.clusterToken());
    assertProblem(node.postTaps("/v1/taps", tapBody(CARD).toBuffer(), headers), 401, "UNAUTHORIZED");
  }

  @Test
  void aClusterRemovedFromTheFileIsRevokedWithoutRestart() {
    String removedToken = environment.secondClusterToken();
    Buffer tap = tapBody(cards.get(CardClass.OK)).toBuffer();
    assertThat(node.postTaps("/v1/taps", tap, jsonWithToken(removedToken)).statusCode()).isEqualTo(200);
    int portBefore = node.node().tapPort();
    try {
      environment.writeClusters(Map.of(TestEnvironment.CLUSTER, environment.clusterToken()));

      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
          .until(() -> node.postTaps("/v1/taps", tap, jsonWithToken(removedToken)).statusCode() == 401);

      assertProblem(node.postTaps("/v1/taps", tap, jsonWithToken(removedToken)), 401, "UNAUTHORIZED");
      assertThat(node.reason(cards.get(CardClass.OK))).isEqualTo("OK");
      assertThat(node.node().tapPort()).isEqualTo(portBefore);
    } finally {
      environment.writeClusters(environment.clusterTokens());
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
          .until(() -> node.postTaps("/v1/taps", tap, jsonWithToken(removedToken)).statusCode() == 200);
    }
  }

  // Bad input: every class gets its own status and code.

  static Stream<Arguments> badTaps() {
    return Stream.of(
        Arguments.of("malformed JSON", "{\"card\":\"" + CARD + "\",", "MALFORMED_JSON"),
        Arguments.of("empty body", "", "MALFORMED_JSON"),
        Arguments.of("JSON array instead of object", "[{\"card\":\"" + CARD + "\"," + VALIDATOR + "," + AT + "}]", "MALFORMED_JSON"),
        Arguments.of("JSON string instead of object", "\"" + CARD + "\"", "MALFORMED_JSON"),
        Arguments.of("card as number", "{\"card\":" + CARD + "," + VALIDATOR + "," + AT + "}", "INVALID_CARD"),
        Arguments.of("card as null", "{\"card\":null," + VALIDATOR + "," + AT + "}", "INVALID_CARD"),
        Arguments.of("validator as object", "{\"card\":\"" + CARD + "\",\"validator\":{\"id\":\"M2\"}," + AT + "}", "INVALID_VALIDATOR"),
        Arguments.of("at as number", "{\"card\":\"" + CARD + "\"," + VALIDATOR + ",\"at\":1790000000}", "INVALID_TIMESTAMP"),
        Arguments.of("missing card", "{" + VALIDATOR + "," + AT + "}", "MISSING_FIELD"),
        Arguments.of("missing validator", "{\"card\":\"" + CARD + "\"," + AT + "}", "MISSING_FIELD"),
        Arguments.of("missing at", "{\"card\":\"" + CARD + "\"," + VALIDATOR + "}", "MISSING_FIELD"),
        Arguments.of("duplicate card", "{\"card\":\"" + CARD + "\",\"card\":\"" + CARD + "\"," + VALIDATOR + "," + AT + "}", "DUPLICATE_FIELD"),
        Arguments.of("duplicate at", "{\"card\":\"" + CARD + "\"," + VALIDATOR + "," + AT + "," + AT + "}", "DUPLICATE_FIELD"),
        Arguments.of("card too short", withCard("400012345678901"), "INVALID_CARD"),
        Arguments.of("card with a letter", withCard("400012345678901O"), "INVALID_CARD"),
        Arguments.of("card in groups of three", withCard("400 012 345 678 901 2"), "INVALID_CARD"),
        Arguments.of("card with full-width digits", withCard("４０００１２３４５６７８９０１２"), "INVALID_CARD"),
        Arguments.of("card with an Arabic-Indic digit (escaped)", withCard("\\u0664000123456789012"), "INVALID_CARD"),
        Arguments.of("card with a superscript digit", withCard("400012345678901\u00b2"), "INVALID_CARD"),
        Arguments.of("validator with a space", "{\"card\":\"" + CARD + "\",\"validator\":\"M2 TAKSIM\"," + AT + "}", "INVALID_VALIDATOR"),
        Arguments.of("empty validator", "{\"card\":\"" + CARD + "\",\"validator\":\"\"," + AT + "}", "INVALID_VALIDATOR"),
        Arguments.of("validator of 65 characters", "{\"card\":\"" + CARD + "\",\"validator\":\"" + "V".repeat(65) + "\"," + AT + "}", "INVALID_VALIDATOR"),
        Arguments.of("February 30", "{\"card\":\"" + CARD + "\"," + VALIDATOR + ",\"at\":\"2026-02-30T08:00:00Z\"}", "INVALID_TIMESTAMP"),
        Arguments.of("time without offset", "{\"card\":\"" + CARD + "\"," + VALIDATOR + ",\"at\":\"2026-11-21T08:00:00\"}", "INVALID_TIMESTAMP"),
        Arguments.of("trailing garbage", "{\"card\":\"" + CARD + "\"," + VALIDATOR + "," + AT + "} trailing", "MALFORMED_JSON"),
        Arguments.of("a second object", "{\"card\":\"" + CARD + "\"," + VALIDATOR + "," + AT + "}{}", "MALFORMED_JSON"));
  }

  private static String withCard(String card) {
    return "{\"card\":\"" + card + "\"," + VALIDATOR + "," + AT + "}";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTaps")
  void badTapsAreRefusedWithTheirCode(String name, String body, String code) {
    assertProblem(node.postTap(body), 400, code);
  }

  @Test
  void aBodyOverTheLimitIsTooLarge() {
    String padding = "x".repeat(node.node().config().tap().maxTapBodyBytes());
    String body = "{\"card\":\"" + CARD + "\"," + VALIDATOR + "," + AT + ",\"padding\":\"" + padding + "\"}";
    assertProblem(node.postTap(body), 413, "BODY_TOO_LARGE");
  }

  @Test
  void aBodyThatIsNotJsonByContentTypeIsUnsupported() {
    Map<String, String> headers = jsonWithToken(environment.clusterToken());
    headers.put("Content-Type", "text/plain");
    assertProblem(node.postTaps("/v1/taps", tapBody(CARD).toBuffer(), headers), 415, "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void anUnknownPathIsANotFoundProblem() {
    assertProblem(node.tapRequest(HttpMethod.GET, "/v1/nothing-here", Map.of(), null), 404, "NOT_FOUND");
  }

  @Test
  void aWrongMethodIsAMethodNotAllowedProblem() {
    assertProblem(node.tapRequest(HttpMethod.GET, "/v1/taps", jsonWithToken(environment.clusterToken()), null), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void unknownFieldsOfAnyShapeAreIgnored() {
    JsonObject body = tapBody(cards.get(CardClass.RISKY))
        .put("firmware", "7.1.2")
        .put("reader", new JsonObject().put("slot", 2).put("keys", new JsonArray().add(1).add(new JsonObject().put("card", 42))))
        .put("history", new JsonArray().add(new JsonArray().add("x")).add(JsonObject.of("at", 3)))
        .put("nothing", (Object) null);
    HttpResponse<Buffer> response = node.postTap(body.encode());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("reason")).isEqualTo("HES_RISK");
  }

  @Test
  void theNodeKeepsAnsweringCorrectlyAfterEveryKindOfBadRequest() {
    badTaps().forEach(arguments -> node.postTap((String) arguments.get()[1]));
    badBatches().forEach(arguments -> postBatch((String) arguments.get()[1]));
    node.postTap("{\"padding\":\"" + "x".repeat(10_000) + "\"}");
    node.postTaps("/v1/taps", Buffer.buffer("\u0000\u00ff garbage"), Map.of("Content-Type", "application/json"));

    for (CardClass kind : CardClass.values()) {
      assertThat(node.reason(cards.get(kind))).isEqualTo(kind.reason());
    }
  }

  private static HttpResponse<Buffer> postBatch(String body) {
    return node.postTaps("/v1/taps/batch", Buffer.buffer(body), jsonWithToken(environment.clusterToken()));
  }
}
