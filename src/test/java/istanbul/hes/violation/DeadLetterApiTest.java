package istanbul.hes.violation;

import static istanbul.hes.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import istanbul.hes.testing.CardClass;
import istanbul.hes.testing.SharedNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operators' dead letters: listed without personal data, re-queued by id or all, bad requests refused. */
class DeadLetterApiTest {
  private static final String DEAD = "/admin/v1/violations/dead";
  private static final String REQUEUE = DEAD + "/requeue";
  // No Ministry of Interior configured: reports stay where the tests put them.
  @RegisterExtension
  static final SharedNode SHARED = new SharedNode();

  /** A denial recorded, then given up as if its attempts had run out; its report id. */
  private static String deadLetter() {
    long card = SHARED.node().seeder().create(CardClass.RISKY);
    assertThat(SHARED.node().reason(card)).isEqualTo("HES_RISK");
    SHARED.environment().sql("UPDATE violation_outbox SET state = 'DEAD', attempts = 50, last_error = 'HttpClosedException' WHERE card_no = " + card);
    return SHARED.environment().column("SELECT id::text FROM violation_outbox WHERE card_no = " + card).get(0);
  }

  private static String state(String id) {
    return SHARED.environment().column("SELECT state || ' ' || attempts FROM violation_outbox WHERE id = '" + id + "'").get(0);
  }

  private static HttpResponse<Buffer> requeue(String body) {
    return SHARED.node().admin(HttpMethod.POST, REQUEUE, body == null ? null : Buffer.buffer(body), SHARED.environment().operatorToken());
  }

  @Test
  void deadLettersAreListedWithoutPersonalData() {
    String id = deadLetter();
    HttpResponse<Buffer> listed = SHARED.node().operator(HttpMethod.GET, DEAD, null);
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonObject letter = listed.bodyAsJsonObject().getJsonArray("deadLetters").stream().map(JsonObject.class::cast)
        .filter(entry -> entry.getString("id").equals(id)).findFirst().orElseThrow();
    assertThat(letter.getInteger("attempts")).isEqualTo(50);
    assertThat(letter.getString("lastError")).isEqualTo("HttpClosedException");
    assertThat(letter.getString("card")).contains("*");
    assertThat(letter.fieldNames()).containsExactlyInAnyOrder("id", "card", "attempts", "lastError", "recordedAt");
  }

  @Test
  void aDeadLetterIsRequeuedByIdWithAFreshAttemptCountAndUnknownFieldsAreIgnored() {
    String id = deadLetter();
    String other = deadLetter();
    HttpResponse<Buffer> response = requeue(new JsonObject().put("ids", new JsonArray().add(id)).put("note", "ticket 4711").encode());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("requeued")).isEqualTo(1);
    assertThat(state(id)).isEqualTo("SENDING 0");
    assertThat(state(other)).isEqualTo("DEAD 50");
    // Upper-case hex is the same id.
    assertThat(requeue(new JsonObject().put("ids", new JsonArray().add(other.toUpperCase())).encode()).bodyAsJsonObject()
        .getInteger("requeued")).isEqualTo(1);
    assertThat(state(other)).isEqualTo("SENDING 0");
  }

  @Test
  void allDeadLettersAreRequeuedOnlyWhenAskedForExplicitly() {
    List<String> ids = List.of(deadLetter(), deadLetter());
    HttpResponse<Buffer> response = requeue("{\"all\":true}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("requeued")).isGreaterThanOrEqualTo(2);
    assertThat(ids).allMatch(id -> state(id).equals("SENDING 0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{\"ids\":[]}",
      "{\"ids\":\"00000000-0000-0000-0000-000000000000\"}",
      "{\"ids\":[42]}",
      "{\"ids\":[null]}",
      "{\"ids\":[\"1-2-3-4-5\"]}",
      "{\"ids\":[\"{00000000-0000-0000-0000-000000000000}\"]}",
      "{\"ids\":[\" 00000000-0000-0000-0000-000000000000\"]}",
      "{\"ids\":[\"00000000-0000-0000-0000-00000000000\"]}",
      "{\"ids\":[\"٠0000000-0000-0000-0000-000000000000\"]}",
      "{\"ids\":[\"０0000000-0000-0000-0000-000000000000\"]}",
      "{\"ids\":[\"ａ0000000-0000-0000-0000-000000000000\"]}",
      "{\"ids\":[\"00000000-0000-0000-0000-000000000000\"],\"all\":true}",
      "{\"all\":false}",
      "{\"all\":\"true\"}",
      "[\"00000000-0000-0000-0000-000000000000\"]",
      "\"all\"",
  })
  void aBadRequeueRequestIsRefusedAndChangesNothing(String body) {
    String id = deadLetter();
    assertProblem(requeue(body), 400, "INVALID_REQUEUE");
    assertThat(state(id)).isEqualTo("DEAD 50");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"ids\":[", "not json", "{\"ids\":[\"a\"]}}"})
  void malformedJsonIsRefused(String body) {
    String id = deadLetter();
    assertProblem(requeue(body), 400, "MALFORMED_JSON");
    assertThat(state(id)).isEqualTo("DEAD 50");
  }

  @Test
  void anEmptyBodyIsRefused() {
    assertProblem(requeue(null), 400, "INVALID_REQUEUE");
  }

  @Test
  void tooManyIdsAreRefusedAndAHugeBodyIsCutShort() {
    String id = deadLetter();
    JsonArray many = new JsonArray();
    for (int i = 0; i <= DeadLetters.MAX_REQUEUE_IDS; i++) {
      many.add(UUID.randomUUID().toString());
    }
    assertProblem(requeue(new JsonObject().put("ids", many).encode()), 400, "INVALID_REQUEUE");
    assertProblem(requeue("{\"ids\":[\"" + "0".repeat(300_000) + "\"]}"), 413, "BODY_TOO_LARGE");
    assertThat(state(id)).isEqualTo("DEAD 50");
  }

  @Test
  void withoutTheOperatorTokenNothingIsListedOrRequeued() {
    String id = deadLetter();
    assertProblem(SHARED.node().admin(HttpMethod.GET, DEAD, (Buffer) null, null), 401, "UNAUTHORIZED");
    assertProblem(SHARED.node().admin(HttpMethod.POST, REQUEUE, Buffer.buffer("{\"all\":true}"), "wrong"), 401, "UNAUTHORIZED");
    assertThat(state(id)).isEqualTo("DEAD 50");
  }
}
